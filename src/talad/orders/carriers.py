"""The carriers a shop ships with, as the order page's ship form offers them.

Carriers belong to shipping, which sits above orders; shipping registers the provider when it
starts (ShippingConfig.ready), so orders never imports it. Without shipping installed the
form offers no carrier and `ship` refuses with the carrier field named."""

from collections.abc import Callable

_provider: Callable[[object], list[tuple[str, str]]] | None = None
_names: Callable[[object], dict[str, str]] | None = None


def provide_carrier_choices(provider: Callable[[object], list[tuple[str, str]]]) -> None:
    global _provider
    _provider = provider


def carrier_choices(shop) -> list[tuple[str, str]]:
    """(code, name) of each carrier the shop has on."""
    return _provider(shop) if _provider else []


def provide_carrier_names(provider: Callable[[object], dict[str, str]]) -> None:
    global _names
    _names = provider


def carrier_names(shop) -> dict[str, str]:
    """code → the name the reader's language gives it, for every carrier the shop knows
    (switched off ones too: an old parcel keeps its carrier's name)."""
    return _names(shop) if _names else {}


def carrier_name(shop, code: str) -> str:
    """One carrier's name; a code no registry knows is shown as it is."""
    return carrier_names(shop).get(code, code) if code else ""
