"""Shop settings: profile, members and roles (owner only), API tokens (shown once)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from talad.errors import TaladError
from talad.forms import act_once, add_domain_error
from talad.shops import services
from talad.shops.decorators import shop_page
from talad.shops.forms import MemberForm, ShopProfileForm, TokenForm
from talad.shops.middleware import SESSION_KEY
from talad.shops.models import ApiToken, Membership
from talad.shops.permissions import can
from talad.shops.selectors import locked_out_usernames, shops_of_user

NEW_TOKEN_KEY = "talad_new_token"


@require_POST
def switch_shop(request):
    """Choose the current shop among the user's own; anything else is ignored."""
    chosen = request.POST.get("shop", "")
    if chosen.isdigit() and any(m.shop_id == int(chosen) for m in shops_of_user(request.user)):
        request.session[SESSION_KEY] = int(chosen)
    return redirect(request.POST.get("next") or "dashboard")


@shop_page("manage_settings")
def settings_page(request):
    shop = request.shop
    profile = ShopProfileForm(instance=shop)
    if request.method == "POST" and request.POST.get("form") == "profile":
        profile = ShopProfileForm(request.POST, instance=shop)
        if profile.is_valid():
            try:
                services.update_shop_profile(
                    shop=shop, changes=profile.cleaned_data, by=request.actor
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    profile.add_error(field if field in profile.fields else None, errors)
            else:
                messages.success(request, _("บันทึกข้อมูลร้านแล้ว"))
                return redirect("shops:settings")
    return render(request, "shops/settings.html", _context(request, profile=profile))


def _context(request, **forms) -> dict:
    shop = request.shop
    members = list(
        Membership.objects.filter(shop=shop).select_related("user").order_by("user__username")
    )
    locked = locked_out_usernames(m.user.username for m in members)
    for member in members:
        member.locked_out = member.user.username in locked
    return {
        "profile": forms.get("profile") or ShopProfileForm(instance=shop),
        "member_form": forms.get("member_form") or MemberForm(),
        "token_form": forms.get("token_form") or TokenForm(),
        "members": members,
        "tokens": ApiToken.objects.filter(shop=shop, revoked_at__isnull=True).order_by(
            "-created_at"
        ),
        "can_manage_members": can(request.actor.role, "manage_members"),
        "new_token": request.session.pop(NEW_TOKEN_KEY, None),
    }


@require_POST
@shop_page("manage_members")
def add_member(request):
    form = MemberForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data

        def produce() -> str:
            services.add_member(
                shop=request.shop,
                email=data["email"],
                role=data["role"],
                password=data["password"] or None,
                by=request.actor,
            )
            messages.success(request, _("เพิ่มสมาชิกแล้ว"))
            return reverse("shops:settings")

        try:
            return redirect(act_once(request, form, produce))
        except TaladError as exc:
            add_domain_error(form, exc)
    return render(request, "shops/settings.html", _context(request, member_form=form), status=400)


@require_POST
@shop_page("manage_members")
def remove_member(request, pk: int):
    try:
        services.remove_member(shop=request.shop, membership_id=pk, by=request.actor)
        messages.success(request, _("นำสมาชิกออกแล้ว"))
    except TaladError as exc:
        if exc.status == 404:
            raise Http404 from None
        messages.error(request, exc.message)
    return redirect("shops:settings")


@require_POST
@shop_page("manage_members")
def unlock_member(request, pk: int):
    """The owner lets a member who was locked out for wrong passwords try again at once."""
    try:
        services.unlock_member(shop=request.shop, membership_id=pk, by=request.actor)
    except TaladError as exc:
        if exc.status == 404:
            raise Http404 from None
        raise
    messages.success(request, _("ปลดล็อกการเข้าสู่ระบบแล้ว"))
    return redirect("shops:settings")


@require_POST
@shop_page("manage_tokens")
def create_token(request):
    form = TokenForm(request.POST)
    if form.is_valid():

        def produce() -> str:
            _token, plaintext = services.create_api_token(
                shop=request.shop,
                role=form.cleaned_data["role"],
                name=form.cleaned_data["name"],
                by=request.actor,
            )
            request.session[NEW_TOKEN_KEY] = plaintext  # shown on the next page, once
            return reverse("shops:settings")

        return redirect(act_once(request, form, produce))
    return render(request, "shops/settings.html", _context(request, token_form=form), status=400)


@require_POST
@shop_page("manage_tokens")
def revoke_token(request, pk: int):
    token = ApiToken.objects.filter(shop=request.shop, pk=pk, revoked_at__isnull=True).first()
    if token is None:
        raise Http404
    services.revoke_api_token(token=token, by=request.actor)
    messages.success(request, _("ยกเลิก token แล้ว"))
    return redirect("shops:settings")
