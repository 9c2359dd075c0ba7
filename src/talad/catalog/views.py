"""The product pages: the list, and one form to create or edit a product with its variants.

Thin: parse, call one service or selector, render. Service errors land beside the field of
the variant row they name (`variants[1].sku` → the SKU box of that row).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from talad.catalog import selectors, services
from talad.catalog.forms import (
    ProductFilters,
    ProductForm,
    VariantFormSet,
    place_catalog_error,
    variant_rows,
)
from talad.errors import NotFound, TaladError
from talad.forms import act_once
from talad.pagination import next_page_query, page_cursor
from talad.shops.decorators import shop_page
from talad.shops.permissions import can

PAGE = 50
ROWS = "variants"  # the formset prefix


@shop_page("browse_catalog")
def products(request):
    filters = ProductFilters(request.GET)
    filters.is_valid()
    f = getattr(filters, "cleaned_data", {})
    after_id = page_cursor(f.get("cursor"))
    rows = selectors.products_page(
        shop=request.shop,
        after_id=after_id,
        limit=PAGE,
        q=f.get("q") or None,
        active={"yes": True, "no": False}.get(f.get("active") or ""),
    )
    next_query = next_page_query(request.GET, rows, PAGE)
    context = {
        "filters": filters,
        "rows": rows,
        "next_query": next_query,
        "can_manage": can(request.actor.role, "manage_catalog"),
    }
    template = (
        "catalog/product_list.html#rows"
        if request.htmx and request.GET.get("cursor")
        else "catalog/product_list.html"
    )
    return render(request, template, context)


@shop_page("manage_catalog")
def new(request):
    form = ProductForm(request.POST or None)
    formset = _formset(request, initial=[])
    if request.method != "POST" or "add_variant" in request.POST:
        return _render(request, form, formset, product=None)

    def create(specs: list[dict]) -> str:
        product = services.create_product(
            shop=request.shop,
            by=request.actor,
            name=form.cleaned_data["name"],
            description=form.cleaned_data["description"],
            active=form.cleaned_data["active"],
            variants=specs,
        )
        messages.success(request, _("บันทึกสินค้า %(name)s แล้ว") % {"name": product.name})
        return reverse("catalog:edit", args=[product.pk])

    return _save(request, form, formset, None, create)


@shop_page("browse_catalog")
def edit(request, pk: int):
    if request.method == "POST" and not can(request.actor.role, "manage_catalog"):
        raise PermissionDenied("manage_catalog")
    try:
        product = selectors.product_by_id(shop=request.shop, product_id=pk)
    except NotFound:
        raise Http404 from None
    form = ProductForm(
        request.POST or None,
        initial={
            "name": product.name,
            "description": product.description,
            "active": product.active,
        },
    )
    formset = _formset(request, initial=[_variant_initial(v) for v in _variants_of(product)])
    if request.method != "POST" or "add_variant" in request.POST:
        return _render(request, form, formset, product=product)

    def update(specs: list[dict]) -> str:
        services.update_product(
            shop=request.shop,
            product_id=product.pk,
            by=request.actor,
            changes={
                "name": form.cleaned_data["name"],
                "description": form.cleaned_data["description"],
                "active": form.cleaned_data["active"],
                "variants": specs,
            },
        )
        messages.success(request, _("บันทึกสินค้า %(name)s แล้ว") % {"name": form.cleaned_data["name"]})
        return reverse("catalog:edit", args=[product.pk])

    return _save(request, form, formset, product, update)


def _save(request, form, formset, product, write):
    """Validate, then write once per form token; a refusal is shown beside its field."""
    if form.is_valid() and formset.is_valid():
        specs, rows = variant_rows(formset)
        try:
            return redirect(act_once(request, form, lambda: write(specs)))
        except TaladError as exc:
            place_catalog_error(form, formset, rows, exc)
    return _render(request, form, formset, product=product, status=400)


def _formset(request, *, initial: list[dict]):
    if request.method != "POST":
        return VariantFormSet(prefix=ROWS, initial=initial)
    formset = VariantFormSet(request.POST, prefix=ROWS, initial=initial)
    if "add_variant" not in request.POST:
        return formset
    # One more empty row; nothing is saved until the seller presses save.
    data = request.POST.copy()
    data[f"{ROWS}-TOTAL_FORMS"] = str(formset.total_form_count() + 1)
    return VariantFormSet(data, prefix=ROWS, initial=initial)


def _variants_of(product) -> list:
    return sorted(product.variants.all(), key=lambda v: v.pk)


def _variant_initial(variant) -> dict:
    return {
        "id": variant.pk,
        "sku": variant.sku,
        "name": variant.name,
        "barcode": variant.barcode,
        "price": str(variant.price),
        "weight_grams": variant.weight_grams,
        "low_stock_threshold": variant.low_stock_threshold,
        "allow_backorder": variant.allow_backorder,
        "active": variant.active,
    }


def _render(request, form, formset, *, product, status: int = 200):
    existing = _variants_of(product) if product else []
    rows = [
        {"form": row, "variant": existing[i] if i < len(existing) else None}
        for i, row in enumerate(formset.forms)
    ]
    context = {
        "form": form,
        "formset": formset,
        "rows": rows,
        "product": product,
        "can_manage": can(request.actor.role, "manage_catalog"),
        # Adding a row re-renders what was typed without judging it yet.
        "show_errors": request.method == "POST" and "add_variant" not in request.POST,
    }
    return render(request, "catalog/product_form.html", context, status=status)
