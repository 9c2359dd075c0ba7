"""`{% load warehouse %}`: ask the role table from a template, e.g. whether to offer printing."""

from django import template

from talad.shops.permissions import can as role_can

register = template.Library()


@register.filter
def can(actor, capability: str) -> bool:
    """`request.actor|can:"pack_orders"`; False for a page without an actor."""
    return actor is not None and hasattr(actor, "role") and role_can(actor.role, capability)
