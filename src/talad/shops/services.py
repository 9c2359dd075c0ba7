"""Writes for shops, members, tokens and the audit trail. One transaction per business action."""

import hashlib
import secrets
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from talad.errors import Conflict, NotFound, TaladError
from talad.shops.actors import Actor
from talad.shops.models import ApiToken, AuditEntry, Membership, Role, Shop
from talad.shops.permissions import require
from talad.shops.signals import shop_created

TOKEN_PREFIX = "tld_"


def record_audit(*, shop: Shop, by: Actor, action: str, obj, before=None, after=None) -> AuditEntry:
    """Write one audit row in the caller's transaction; `obj` may be a model or (type, id)."""
    if isinstance(obj, tuple):
        object_type, object_id = obj
    else:
        object_type, object_id = obj._meta.model_name, obj.pk
    return AuditEntry.objects.create(
        shop=shop,
        user_id=by.user_id,
        token=by.token,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        before=before,
        after=after,
    )


@transaction.atomic
def create_shop(
    *, name: str, slug: str, owner_email: str, password: str | None, by: Actor, **profile
) -> Shop:
    """A new shop, its owner (made if the e-mail is new) and, through `shop_created`, its warehouse."""
    if Shop.objects.filter(slug=slug).exists():
        raise Conflict(_("รหัสร้าน '%(slug)s' ถูกใช้แล้ว") % {"slug": slug}, fields={"slug": "taken"})
    shop = Shop(name=name, slug=slug, **profile)
    shop.full_clean()
    shop.save()
    owner = _user_for_email(owner_email, password)
    Membership.objects.create(user=owner, shop=shop, role=Role.OWNER)
    shop_created.send(sender=Shop, shop=shop)
    record_audit(
        shop=shop, by=by, action="shop.create", obj=shop, after={"name": name, "slug": slug}
    )
    return shop


def _user_for_email(email: str, password: str | None):
    User = get_user_model()
    email = email.strip().lower()
    if not email or "@" not in email:
        raise TaladError(_("อีเมลไม่ถูกต้อง"), fields={"owner_email": "invalid"})
    user = User.objects.filter(username=email).first()
    if user is None:
        user = User.objects.create_user(username=email, email=email, password=password)
    return user


@transaction.atomic
def add_member(*, shop: Shop, email: str, role: str, password: str | None, by: Actor) -> Membership:
    require(by, "manage_members")
    if role not in Role.values:
        raise TaladError(_("ไม่รู้จักสิทธิ์ '%(role)s'") % {"role": role}, fields={"role": "invalid"})
    user = _user_for_email(email, password)
    membership, _created = Membership.objects.update_or_create(
        user=user, shop=shop, defaults={"role": role}
    )
    record_audit(
        shop=shop, by=by, action="member.set", obj=membership, after={"email": email, "role": role}
    )
    return membership


def _hash_token(plaintext: str) -> str:
    return hashlib.sha256(plaintext.encode()).hexdigest()


@transaction.atomic
def create_api_token(*, shop: Shop, role: str, name: str = "", by: Actor) -> tuple[ApiToken, str]:
    """Return the token row and its plaintext. The plaintext is shown once and never stored."""
    require(by, "manage_tokens")
    if role not in Role.values:
        raise TaladError(_("ไม่รู้จักสิทธิ์ '%(role)s'") % {"role": role}, fields={"role": "invalid"})
    plaintext = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        shop=shop,
        role=role,
        name=name,
        prefix=plaintext[:12],
        token_hash=_hash_token(plaintext),
        created_by_id=by.user_id,
    )
    record_audit(
        shop=shop, by=by, action="token.create", obj=token, after={"role": role, "name": name}
    )
    return token, plaintext


def authenticate_token(plaintext: str) -> ApiToken | None:
    """The live token with this plaintext, or None. Comparison is by hash lookup only."""
    if not plaintext or not plaintext.startswith(TOKEN_PREFIX) or len(plaintext) > 200:
        return None
    token = (
        ApiToken.objects.select_related("shop")
        .filter(token_hash=_hash_token(plaintext), revoked_at__isnull=True)
        .first()
    )
    if token is not None and (
        token.last_used_at is None or timezone.now() - token.last_used_at > timedelta(minutes=5)
    ):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token


@transaction.atomic
def revoke_api_token(*, token: ApiToken, by: Actor) -> None:
    require(by, "manage_tokens")
    ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())
    record_audit(shop=token.shop, by=by, action="token.revoke", obj=token)


PROFILE_FIELDS = (
    "name",
    "tax_id",
    "branch_code",
    "address",
    "vat_registered",
    "prices_include_vat",
    "vat_rate",
)


@transaction.atomic
def update_shop_profile(*, shop: Shop, changes: dict, by: Actor) -> Shop:
    """Change the shop's legal and tax profile; the tax ID and branch code are checked."""
    require(by, "manage_settings")
    shop = Shop.objects.select_for_update().get(pk=shop.pk)
    before = {f: str(getattr(shop, f)) for f in PROFILE_FIELDS}
    for field, value in changes.items():
        if field in PROFILE_FIELDS:
            setattr(shop, field, value)
    shop.full_clean()
    shop.save()
    after = {f: str(getattr(shop, f)) for f in PROFILE_FIELDS}
    record_audit(shop=shop, by=by, action="shop.update", obj=shop, before=before, after=after)
    return shop


@transaction.atomic
def remove_member(*, shop: Shop, membership_id: int, by: Actor) -> None:
    """Take a person out of the shop. The last owner cannot be removed."""
    require(by, "manage_members")
    membership = (
        Membership.objects.filter(shop=shop, pk=membership_id).select_related("user").first()
    )
    if membership is None:
        raise NotFound(_("ไม่พบสมาชิก"))
    owners = Membership.objects.filter(shop=shop, role=Role.OWNER).select_for_update()
    if membership.role == Role.OWNER and owners.count() == 1:
        raise Conflict(_("ร้านต้องมีเจ้าของอย่างน้อยหนึ่งคน"), fields={"membership": "last_owner"})
    membership.delete()
    record_audit(
        shop=shop,
        by=by,
        action="member.remove",
        obj=("membership", membership_id),
        before={"email": membership.user.get_username(), "role": membership.role},
    )


@transaction.atomic
def unlock_member(*, shop: Shop, membership_id: int, by: Actor) -> int:
    """Lift a login lockout on a member of this shop; returns how many records were cleared.

    Only the account's own failed attempts go (every address they came from): an address
    locked for trying many accounts stays locked until its cool-off ends.
    """
    from axes.utils import reset

    require(by, "manage_members")
    membership = (
        Membership.objects.filter(shop=shop, pk=membership_id).select_related("user").first()
    )
    if membership is None:
        raise NotFound(_("ไม่พบสมาชิก"))
    cleared = reset(username=membership.user.get_username())
    record_audit(
        shop=shop,
        by=by,
        action="member.unlock",
        obj=membership,
        after={"email": membership.user.get_username(), "cleared": cleared},
    )
    return cleared
