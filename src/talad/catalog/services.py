"""Writes for products, variants and bundles.

Input arrives as plain dicts (from the API, a form or an import); every problem is reported
with the path of the field that caused it, e.g. `variants[1].sku`, and nothing is written.
"""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from talad.catalog.models import BundleComponent, Product, Variant
from talad.errors import Conflict, NotFound, TaladError
from talad.money import parse_amount
from talad.shops.actors import Actor
from talad.shops.models import Shop
from talad.shops.permissions import require
from talad.shops.services import record_audit

VARIANT_FIELDS = (
    "name",
    "barcode",
    "price",
    "cost",
    "weight_grams",
    "allow_backorder",
    "low_stock_threshold",
    "active",
)


def create_product(
    *, shop: Shop, name: str, variants: list[dict], by: Actor, description: str = "", active=True
) -> Product:
    require(by, "manage_catalog")
    _check_name(name)
    if not variants:
        raise TaladError(_("สินค้าต้องมีอย่างน้อยหนึ่ง SKU"), fields={"variants": "required"})
    _check_new_skus(shop, [(f"variants[{i}].sku", v.get("sku")) for i, v in enumerate(variants)])
    with _sku_conflicts_as_409():
        product = Product.objects.create(
            shop=shop, name=name.strip(), description=description, active=active
        )
        for index, spec in enumerate(variants):
            _add_variant(shop, product, spec, path=f"variants[{index}]")
        record_audit(
            shop=shop, by=by, action="product.create", obj=product, after=product_snapshot(product)
        )
    return product


def update_product(*, shop: Shop, product_id: int, changes: dict, by: Actor) -> Product:
    """Change what is given. Variants are matched by `id`, else by `sku`; an unknown SKU is added."""
    require(by, "manage_catalog")
    with _sku_conflicts_as_409():
        product = _product_for_update(shop, product_id)
        before = product_snapshot(product)
        if "name" in changes:
            _check_name(changes["name"])
            product.name = changes["name"].strip()
        for field in ("description", "active"):
            if changes.get(field) is not None:
                setattr(product, field, changes[field])
        product.save()
        _apply_variant_changes(shop, product, changes.get("variants") or [])
        record_audit(
            shop=shop,
            by=by,
            action="product.update",
            obj=product,
            before=before,
            after=product_snapshot(product),
        )
    return product


class _sku_conflicts_as_409:
    """One transaction; a unique-SKU race lost at the database becomes a clear 409."""

    def __enter__(self):
        self._atomic = transaction.atomic()
        self._atomic.__enter__()

    def __exit__(self, exc_type, exc, tb):
        self._atomic.__exit__(exc_type, exc, tb)
        if isinstance(exc, IntegrityError) and "sku" in str(exc).lower():
            raise Conflict(_("รหัสสินค้า (SKU) ซ้ำกับที่มีอยู่แล้ว"), fields={"sku": "duplicate"}) from exc
        return False


def _product_for_update(shop: Shop, product_id: int) -> Product:
    product = Product.objects.for_shop(shop).select_for_update().filter(pk=product_id).first()
    if product is None:
        raise NotFound(_("ไม่พบสินค้า"))
    return product


def _apply_variant_changes(shop: Shop, product: Product, specs: list[dict]) -> None:
    existing = {v.pk: v for v in product.variants.all()}
    by_sku = {v.sku: v for v in existing.values()}
    new_skus = [
        (f"variants[{i}].sku", s.get("sku"))
        for i, s in enumerate(specs)
        if s.get("id") is None and s.get("sku") not in by_sku
    ]
    _check_new_skus(shop, new_skus)
    for index, spec in enumerate(specs):
        path = f"variants[{index}]"
        variant = (
            existing.get(spec["id"]) if spec.get("id") is not None else by_sku.get(spec.get("sku"))
        )
        if spec.get("id") is not None and variant is None:
            raise NotFound(_("ไม่พบตัวเลือกสินค้า"), fields={f"{path}.id": "not_found"})
        if variant is None:
            _add_variant(shop, product, spec, path=path)
        else:
            _change_variant(shop, variant, spec, path=path)


def _add_variant(shop: Shop, product: Product, spec: dict, *, path: str) -> Variant:
    sku = _clean_sku(spec.get("sku"), path=path)
    if "price" not in spec or spec["price"] is None:
        raise TaladError(_("ต้องระบุราคาขาย"), fields={f"{path}.price": "required"})
    variant = Variant(shop=shop, product=product, sku=sku)
    _set_variant_fields(variant, spec, path=path)
    variant.save()
    if spec.get("components"):
        _set_components(shop, variant, spec["components"], path=path)
    return variant


def _change_variant(shop: Shop, variant: Variant, spec: dict, *, path: str) -> None:
    if "sku" in spec and spec["sku"] != variant.sku:
        variant.sku = _clean_sku(spec["sku"], path=path)
        _check_new_skus(shop, [(f"{path}.sku", variant.sku)])
    _set_variant_fields(variant, spec, path=path)
    variant.save()
    if spec.get("components") is not None:
        BundleComponent.objects.for_shop(shop).filter(bundle=variant).delete()
        _set_components(shop, variant, spec["components"], path=path)


def _set_variant_fields(variant: Variant, spec: dict, *, path: str) -> None:
    for field in VARIANT_FIELDS:
        if field in spec and spec[field] is not None:
            value = spec[field]
            if field in ("price", "cost"):
                value = parse_amount(value, f"{path}.{field}")
            setattr(variant, field, value)


def _set_components(shop: Shop, bundle: Variant, components: list[dict], *, path: str) -> None:
    """A bundle is made of plain variants of the same shop; bundles do not nest."""
    if bundle.used_in_bundles.exists():
        raise TaladError(
            _("SKU นี้เป็นส่วนประกอบของเซ็ตอื่นอยู่ จึงเป็นเซ็ตไม่ได้"), fields={f"{path}.components": "nested"}
        )
    rows = []
    for index, item in enumerate(components):
        item_path = f"{path}.components[{index}]"
        component = Variant.objects.for_shop(shop).filter(sku=item.get("sku")).first()
        if component is None:
            raise TaladError(
                _("ไม่พบ SKU '%(sku)s'") % {"sku": item.get("sku")},
                fields={f"{item_path}.sku": "unknown_sku"},
            )
        if component.is_bundle or component.pk == bundle.pk:
            raise TaladError(
                _("ส่วนประกอบของเซ็ตต้องเป็นสินค้าธรรมดา"), fields={f"{item_path}.sku": "nested"}
            )
        quantity = item.get("quantity")
        if not isinstance(quantity, int) or isinstance(quantity, bool) or quantity < 1:
            raise TaladError(
                _("จำนวนต้องเป็นจำนวนเต็มตั้งแต่ 1"), fields={f"{item_path}.quantity": "invalid"}
            )
        rows.append(
            BundleComponent(shop=shop, bundle=bundle, component=component, quantity=quantity)
        )
    if len({r.component_id for r in rows}) != len(rows):
        raise TaladError(_("ส่วนประกอบซ้ำกันในเซ็ต"), fields={f"{path}.components": "duplicate"})
    BundleComponent.objects.bulk_create(rows)
    Variant.objects.for_shop(shop).filter(pk=bundle.pk).update(is_bundle=bool(rows))
    bundle.is_bundle = bool(rows)


def _check_name(name) -> None:
    if not isinstance(name, str) or not name.strip():
        raise TaladError(_("ต้องระบุชื่อสินค้า"), fields={"name": "required"})


def _clean_sku(sku, *, path: str) -> str:
    if not isinstance(sku, str) or not sku.strip():
        raise TaladError(_("ต้องระบุรหัสสินค้า (SKU)"), fields={f"{path}.sku": "required"})
    sku = sku.strip()
    if len(sku) > 64 or any(ch.isspace() for ch in sku):
        raise TaladError(
            _("รหัสสินค้า (SKU) ยาวไม่เกิน 64 ตัวอักษรและไม่มีช่องว่าง"), fields={f"{path}.sku": "invalid"}
        )
    return sku


def _check_new_skus(shop: Shop, skus: list[tuple[str, object]]) -> None:
    """`skus` are (field path, SKU) pairs, so an error names the field as the caller sent it."""
    paths = [path for path, _sku in skus]
    cleaned = [s.strip() if isinstance(s, str) else s for _path, s in skus]
    seen = set()
    for index, sku in enumerate(cleaned):
        if sku in seen:
            raise Conflict(
                _("รหัสสินค้า (SKU) '%(sku)s' ซ้ำ") % {"sku": sku},
                fields={paths[index]: "duplicate"},
            )
        seen.add(sku)
    taken = set(
        Variant.objects.for_shop(shop)
        .filter(sku__in=[s for s in cleaned if s])
        .values_list("sku", flat=True)
    )
    if taken:
        sku = sorted(taken)[0]
        raise Conflict(
            _("รหัสสินค้า (SKU) '%(sku)s' มีอยู่แล้วในร้าน") % {"sku": sku},
            fields={paths[cleaned.index(sku)]: "duplicate"},
        )


def product_snapshot(product: Product) -> dict:
    """What the audit trail keeps of a product: plain JSON, money as strings."""
    return {
        "name": product.name,
        "active": product.active,
        "variants": [
            {"sku": v.sku, "name": v.name, "price": str(v.price), "active": v.active}
            for v in product.variants.order_by("pk")
        ],
    }
