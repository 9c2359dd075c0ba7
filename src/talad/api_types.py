"""Field types shared by the API schemas: strict where a wrong type must not be guessed."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from django.utils import timezone
from ninja import Schema
from ninja.schema import DjangoGetter
from pydantic import AfterValidator, ConfigDict, Field, StrictBool, StrictInt, model_validator

from talad.dates import day_problem, moment_problem, range_message
from talad.pagination import MAX_LIMIT

Money = Annotated[Decimal, Field(ge=0, max_digits=12, decimal_places=2, examples=["120.00"])]
# The most pieces one line, movement or count may hold: orders, stock and documents agree.
MAX_QUANTITY = 1_000_000
Quantity = Annotated[StrictInt, Field(ge=1, le=MAX_QUANTITY)]
Count = Annotated[StrictInt, Field(ge=0, le=MAX_QUANTITY)]
Sku = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^\S+$")]
Limit = Annotated[int, Field(ge=1, le=MAX_LIMIT)]
Flag = StrictBool
# An id in a query string arrives as text: a plain int there (StrictInt would refuse "1").
QueryId = Annotated[int, Field(ge=1, le=2**63 - 1)]


def field_path(loc) -> str:
    """A validation error's location as a client names the field:
    ('body', 'payload', 'variants', 0, 'sku') → 'variants[0].sku'."""
    parts = list(loc)
    if parts and parts[0] in ("body", "query", "path", "header", "file", "form"):
        parts = parts[1:]
    if parts and parts[0] == "payload":
        parts = parts[1:]
    path = ""
    for part in parts:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path or "body"


def _moment(value: datetime) -> datetime:
    if moment_problem(value):
        raise ValueError(range_message())
    return value if timezone.is_aware(value) else timezone.make_aware(value)  # Bangkok time


def _day(value: date) -> date:
    if day_problem(value):
        raise ValueError(range_message())
    return value


# A date-time or date a seller could mean, that every database can store and read back.
Moment = Annotated[datetime, AfterValidator(_moment)]
Day = Annotated[date, AfterValidator(_day)]


class ObjectIn(Schema):
    """A JSON object and nothing else: ninja's Schema would otherwise read attributes off a
    string or list and quietly use the defaults (`"address": ["x"]` became an empty address).
    A field it does not know is refused, never ignored: a client must not believe it set
    something it did not (`"vat_registrd": true`)."""

    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _json_object(cls, value):
        # ninja's own validator runs first and hands us its DjangoGetter wrapper.
        raw = value._obj if isinstance(value, DjangoGetter) else value
        if not isinstance(raw, dict):
            raise ValueError("must be a JSON object")
        return value


# --- What the API answers ---------------------------------------------------------------------

# Money as Talad answers it: text with two decimals; a balance or a difference may be below zero.
MoneyText = Annotated[str, Field(pattern=r"^-?\d+\.\d{2}$", examples=["1070.00"])]


class Page(Schema):
    """A keyset page: `next_cursor` is null at the end (docs/design/api.md#cursor-pagination)."""

    next_cursor: str | None


class ShortItem(Schema):
    sku: str
    requested: int
    available: int


class ErrorDetail(Schema):
    """`code` and `fields` are stable, for clients to branch on; `message` follows
    Accept-Language. Some errors add keys of their own beside `fields`."""

    model_config = ConfigDict(extra="allow")

    code: str = Field(examples=["validation_error"])
    message: str
    fields: dict[str, str] = Field(
        description="input path → problem code", examples=[{"lines[0].sku": "unknown_sku"}]
    )
    short: list[ShortItem] = Field(None, description="insufficient_stock: every short SKU")
    allowed_actions: list[str] = Field(None, description="invalid_transition: what may be done")
    known: list[str] = Field(None, description="an unknown name: the ones Talad knows")


class ErrorOut(Schema):
    """Every error Talad answers, whatever the status (docs/design/api.md#errors)."""

    error: ErrorDetail


def error_responses(*statuses: int) -> dict[frozenset[int], type[ErrorOut]]:
    """The error answers of one operation, for its `response=`: every operation may answer
    400 (a request it cannot read, or a rule said no), 401 (no valid token) and 422 (input
    that does not fit its schema); `statuses` adds what its own rules can answer (403 for a
    role without the capability, 404, 409, 413 for a body or file too large)."""
    return {frozenset({400, 401, 422, *statuses}): ErrorOut}


def file_responses(*media_types: str) -> dict:
    """`openapi_extra` for an operation whose 200 is a file (a PDF, a spreadsheet), beside or
    instead of JSON."""
    binary = {"schema": {"type": "string", "format": "binary"}}
    content = {media_type: binary for media_type in media_types}
    return {"responses": {200: {"description": "OK", "content": content}}}
