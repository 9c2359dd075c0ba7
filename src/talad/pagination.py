"""Keyset (cursor) pagination for API lists: never OFFSET (docs/design/api.md#cursor-pagination)."""

import base64
import binascii

from django.utils.translation import gettext as _

from talad.errors import TaladError

DEFAULT_LIMIT = 50
MAX_LIMIT = 200


def encode_cursor(last_id: int) -> str:
    return base64.urlsafe_b64encode(f"id:{last_id}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> int | None:
    """The id the next page starts below, or None for the first page."""
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        kind, value = raw.split(":", 1)
        if kind != "id" or not value.isdigit():
            raise ValueError(raw)
        return int(value)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise TaladError(_("cursor ไม่ถูกต้อง"), fields={"cursor": "invalid"}) from None


def next_cursor(rows: list, limit: int) -> str | None:
    return encode_cursor(rows[-1].pk) if len(rows) == limit else None


def page_cursor(cursor: str | None) -> int | None:
    """For web pages: a damaged cursor in a link starts again from the first page."""
    try:
        return decode_cursor(cursor)
    except TaladError:
        return None


def next_page_query(querydict, rows: list, limit: int) -> str | None:
    """The query string of the "more" link: the same filters, the next cursor; None at the end."""
    cursor = next_cursor(rows, limit)
    if cursor is None:
        return None
    query = querydict.copy()
    query["cursor"] = cursor
    return query.urlencode()
