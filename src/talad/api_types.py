"""Field types shared by the API schemas: strict where a wrong type must not be guessed."""

from decimal import Decimal
from typing import Annotated

from pydantic import Field, StrictBool, StrictInt

Money = Annotated[Decimal, Field(ge=0, max_digits=12, decimal_places=2, examples=["120.00"])]
Quantity = Annotated[StrictInt, Field(ge=1, le=1_000_000)]
Count = Annotated[StrictInt, Field(ge=0, le=1_000_000)]
Sku = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^\S+$")]
Limit = Annotated[int, Field(ge=1, le=200)]
Flag = StrictBool
