"""/api/v1/products — thin handlers: parse, call one service or selector, render."""

from ninja import Router, Schema, Status
from pydantic import Field, StrictInt

from talad.api_types import (
    Count,
    Flag,
    Limit,
    Money,
    MoneyText,
    ObjectIn,
    Quantity,
    Sku,
    error_responses,
)
from talad.catalog import selectors, services
from talad.catalog.models import Product, Variant
from talad.pagination import DEFAULT_LIMIT, decode_cursor, next_cursor
from talad.shops.permissions import require

router = Router(tags=["products"])


class ComponentIn(ObjectIn):
    sku: Sku
    quantity: Quantity


class VariantIn(ObjectIn):
    sku: Sku
    name: str = Field("", max_length=255)
    barcode: str = Field("", max_length=64)
    price: Money
    cost: Money | None = None
    weight_grams: Count | None = None
    allow_backorder: Flag | None = None
    low_stock_threshold: Count | None = None
    active: Flag | None = None
    components: list[ComponentIn] | None = Field(None, max_length=50)


class VariantPatch(ObjectIn):
    id: StrictInt | None = None
    sku: Sku | None = None
    name: str | None = Field(None, max_length=255)
    barcode: str | None = Field(None, max_length=64)
    price: Money | None = None
    cost: Money | None = None
    weight_grams: Count | None = None
    allow_backorder: Flag | None = None
    low_stock_threshold: Count | None = None
    active: Flag | None = None
    components: list[ComponentIn] | None = Field(None, max_length=50)


class ProductIn(ObjectIn):
    name: str = Field(min_length=1, max_length=255)
    description: str = Field("", max_length=5000)
    active: Flag = True
    variants: list[VariantIn] = Field(min_length=1, max_length=200)


class ProductPatch(ObjectIn):
    name: str | None = Field(None, min_length=1, max_length=255)
    description: str | None = Field(None, max_length=5000)
    active: Flag | None = None
    variants: list[VariantPatch] | None = Field(None, max_length=200)


class ComponentOut(Schema):
    sku: str
    quantity: int


class VariantOut(Schema):
    id: int
    sku: str
    name: str
    barcode: str
    price: Money
    cost: MoneyText
    weight_grams: int
    allow_backorder: bool
    low_stock_threshold: int
    active: bool
    is_bundle: bool
    components: list[ComponentOut]


class ProductOut(Schema):
    id: int
    name: str
    description: str
    active: bool
    variants: list[VariantOut]


class ProductPage(Schema):
    items: list[ProductOut]
    next_cursor: str | None


def _variant_out(v: Variant) -> dict:
    return {
        "id": v.pk,
        "sku": v.sku,
        "name": v.name,
        "barcode": v.barcode,
        "price": v.price,
        "cost": f"{v.cost:.2f}",
        "weight_grams": v.weight_grams,
        "allow_backorder": v.allow_backorder,
        "low_stock_threshold": v.low_stock_threshold,
        "active": v.active,
        "is_bundle": v.is_bundle,
        "components": [
            {"sku": c.component.sku, "quantity": c.quantity} for c in v.components.all()
        ],
    }


def _product_out(p: Product) -> dict:
    return {
        "id": p.pk,
        "name": p.name,
        "description": p.description,
        "active": p.active,
        "variants": [_variant_out(v) for v in sorted(p.variants.all(), key=lambda v: v.pk)],
    }


@router.post(
    "",
    response={201: ProductOut, **error_responses(403, 409, 413)},
    operation_id="createProduct",
    summary="Create a product with its variants (and bundle components)",
)
def create_product(request, payload: ProductIn):
    data = payload.model_dump()
    product = services.create_product(
        shop=request.shop,
        by=request.actor,
        name=data["name"],
        description=data["description"],
        active=data["active"],
        variants=data["variants"],
    )
    return Status(
        201, _product_out(selectors.product_by_id(shop=request.shop, product_id=product.pk))
    )


@router.get(
    "",
    response={200: ProductPage, **error_responses(403)},
    operation_id="listProducts",
    summary="Products, oldest first (keyset pagination)",
)
def list_products(request, cursor: str | None = None, limit: Limit = DEFAULT_LIMIT):
    require(request.actor, "view_catalog")
    rows = selectors.products_page(shop=request.shop, after_id=decode_cursor(cursor), limit=limit)
    return {"items": [_product_out(p) for p in rows], "next_cursor": next_cursor(rows, limit)}


@router.get(
    "/{int:product_id}",
    response={200: ProductOut, **error_responses(403, 404)},
    operation_id="getProduct",
    summary="One product with its variants",
)
def get_product(request, product_id: int):
    require(request.actor, "view_catalog")
    return _product_out(selectors.product_by_id(shop=request.shop, product_id=product_id))


@router.patch(
    "/{int:product_id}",
    response={200: ProductOut, **error_responses(403, 404, 409, 413)},
    operation_id="updateProduct",
    summary="Change a product; variants by id, a variant without id is added",
)
def update_product(request, product_id: int, payload: ProductPatch):
    changes = payload.model_dump(exclude_unset=True)
    if "variants" in changes:
        changes["variants"] = [v.model_dump(exclude_unset=True) for v in payload.variants or []]
    services.update_product(
        shop=request.shop, product_id=product_id, changes=changes, by=request.actor
    )
    return _product_out(selectors.product_by_id(shop=request.shop, product_id=product_id))
