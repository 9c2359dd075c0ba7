"""The carriers a shop ships with, as the order page's ship form offers them.

Carriers belong to shipping, which sits above orders; shipping registers the provider when it
starts (ShippingConfig.ready), so orders never imports it. Without shipping installed the
form offers no carrier and `ship` refuses with the carrier field named."""

from collections.abc import Callable

_provider: Callable[[object], list[tuple[str, str]]] | None = None


def provide_carrier_choices(provider: Callable[[object], list[tuple[str, str]]]) -> None:
    global _provider
    _provider = provider


def carrier_choices(shop) -> list[tuple[str, str]]:
    """(code, name) of each carrier the shop has on."""
    return _provider(shop) if _provider else []
