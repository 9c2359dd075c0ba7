"""Field types shared by the API schemas: strict where a wrong type must not be guessed."""

from decimal import Decimal
from typing import Annotated

from ninja import Schema
from ninja.schema import DjangoGetter
from pydantic import Field, StrictBool, StrictInt, model_validator

from talad.pagination import MAX_LIMIT

Money = Annotated[Decimal, Field(ge=0, max_digits=12, decimal_places=2, examples=["120.00"])]
Quantity = Annotated[StrictInt, Field(ge=1, le=1_000_000)]
Count = Annotated[StrictInt, Field(ge=0, le=1_000_000)]
Sku = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^\S+$")]
Limit = Annotated[int, Field(ge=1, le=MAX_LIMIT)]
Flag = StrictBool


class ObjectIn(Schema):
    """A JSON object and nothing else: ninja's Schema would otherwise read attributes off a
    string or list and quietly use the defaults (`"address": ["x"]` became an empty address)."""

    @model_validator(mode="before")
    @classmethod
    def _json_object(cls, value):
        # ninja's own validator runs first and hands us its DjangoGetter wrapper.
        raw = value._obj if isinstance(value, DjangoGetter) else value
        if not isinstance(raw, dict):
            raise ValueError("must be a JSON object")
        return value
