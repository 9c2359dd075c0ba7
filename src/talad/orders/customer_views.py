"""The customer list and one customer's page with their orders and the merge form."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from talad.errors import NotFound, TaladError
from talad.forms import act_once, add_domain_error
from talad.orders import customers, forms
from talad.orders.customer_merge import merge_customers
from talad.pagination import next_page_query, page_cursor
from talad.shops.decorators import shop_page
from talad.shops.permissions import can

PAGE = 50


@shop_page("view_customers")
def customer_list(request):
    filters = forms.CustomerFilters(request.GET)
    filters.is_valid()
    f = getattr(filters, "cleaned_data", {})
    rows = customers.customers_page(
        shop=request.shop, q=f.get("q"), before_id=page_cursor(f.get("cursor")), limit=PAGE
    )
    context = {
        "filters": filters,
        "rows": rows,
        "next_query": next_page_query(request.GET, rows, PAGE),
    }
    return render(request, "orders/customers.html", context)


@shop_page("view_customers")
def customer_page(request, pk: int):
    return render(request, "orders/customer.html", _context(request, _customer(request, pk)))


@require_POST
@shop_page("merge_customers")
def merge(request, pk: int):
    keep = _customer(request, pk)
    form = forms.MergeCustomerForm(request.POST)
    if form.is_valid():

        def apply() -> str:
            duplicate = customers.customer_with_phone(
                shop=request.shop, phone=form.cleaned_data["duplicate"], field="duplicate"
            )
            merge_customers(
                shop=request.shop, keep_id=keep.pk, duplicate_id=duplicate.pk, by=request.actor
            )
            messages.success(
                request,
                _("รวม %(dup)s เข้ากับ %(keep)s แล้ว")
                % {"dup": f"{duplicate.name} {duplicate.phone}", "keep": keep.name},
            )
            return reverse("orders:customer", args=[keep.pk])

        try:
            return redirect(act_once(request, form, apply))
        except TaladError as exc:
            add_domain_error(form, exc)
    return render(request, "orders/customer.html", _context(request, keep, form), status=400)


def _customer(request, pk: int):
    try:
        return customers.customer_summary(shop=request.shop, customer_id=pk)
    except NotFound:
        raise Http404 from None


def _context(request, customer, form=None) -> dict:
    may_merge = can(request.actor.role, "merge_customers")
    return {
        "customer": customer,
        "orders": customers.customer_orders(shop=request.shop, customer=customer),
        "duplicates": customers.likely_duplicates(shop=request.shop, customer=customer)
        if may_merge
        else [],
        "merge_form": (form or forms.MergeCustomerForm()) if may_merge else None,
    }
