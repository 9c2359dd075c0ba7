"""Field types shared by the API schemas: strict where a wrong type must not be guessed."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from ninja import Schema
from ninja.schema import DjangoGetter
from pydantic import AfterValidator, ConfigDict, Field, StrictBool, StrictInt, model_validator

from talad.dates import day_problem, moment_problem, range_message
from talad.pagination import MAX_LIMIT

Money = Annotated[Decimal, Field(ge=0, max_digits=12, decimal_places=2, examples=["120.00"])]
Quantity = Annotated[StrictInt, Field(ge=1, le=1_000_000)]
Count = Annotated[StrictInt, Field(ge=0, le=1_000_000)]
Sku = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^\S+$")]
Limit = Annotated[int, Field(ge=1, le=MAX_LIMIT)]
Flag = StrictBool
# An id in a query string arrives as text: a plain int there (StrictInt would refuse "1").
QueryId = Annotated[int, Field(ge=1, le=2**63 - 1)]


def _moment(value: datetime) -> datetime:
    if moment_problem(value):
        raise ValueError(range_message())
    return value


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
