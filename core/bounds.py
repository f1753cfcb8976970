"""Bounds on every input: text with a maximum length and no NUL, numbers with a fixed
precision inside a range that makes sense for what they measure.

One declaration serves the three faces: the API schema type (pydantic answers 422 naming
the field), the form field (Django shows the error next to it) and the action's own check
(the CLI and anything else that calls an action directly). A value refused on one face is
refused on all of them, and nothing unbounded reaches the database, where SQLite would store
it as REAL or inf and PostgreSQL would answer 500.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Annotated

from pydantic import AfterValidator, Field, StringConstraints

from core.errors import invalid

NUL = "\x00"

# Free text typed by a person (a note, a result, a reason): long enough for a paragraph.
NOTE_LENGTH = 1000


def no_nul(value: str) -> str:
    """PostgreSQL cannot store NUL in text; SQLite can, and then the row breaks elsewhere."""
    if NUL in value:
        raise ValueError("must not contain a NUL character")
    return value


def stripped_text(field: str, value, *, max_length: int, required: bool = True) -> str:
    """The action-side check of text from a caller that may send anything (a form, the API, the
    CLI): a string, stripped, without NUL, present unless optional, at most `max_length`."""
    if value is not None and not isinstance(value, str):
        raise invalid(field, "必须是文本")
    value = (value or "").strip()
    if NUL in value:
        raise invalid(field, "不能包含 NUL 字符")
    if required and not value:
        raise invalid(field, "必填")
    if len(value) > max_length:
        raise invalid(field, f"不超过 {max_length} 个字")
    return value


def text(max_length: int) -> type[str]:
    """The API schema type for a string of at most `max_length` characters without NUL."""
    return Annotated[str, StringConstraints(max_length=max_length), AfterValidator(no_nul)]


def check_text(field: str, value: str, *, max_length: int) -> str:
    """The action-side check of the same bound, for callers that skip the schema."""
    if NUL in value:
        raise invalid(field, "不能包含空字符（NUL）")
    if len(value) > max_length:
        raise invalid(field, f"不能超过 {max_length} 个字符")
    return value


@dataclass(frozen=True)
class Range:
    """A decimal quantity: `places` digits after the point, `low` < or <= value <= `high`."""

    low: Decimal
    high: Decimal
    places: int
    low_inclusive: bool = True
    unit: str = ""

    @property
    def max_digits(self) -> int:
        whole = len(str(int(self.high)))
        return whole + self.places

    def describe(self) -> str:
        low = "≥" if self.low_inclusive else ">"
        unit = {"yuan": " 元"}.get(self.unit, f" {self.unit}" if self.unit else "")
        return f"{low} {self.low} 且 ≤ {self.high}{unit}，最多 {self.places} 位小数"

    def schema(self, **kwargs) -> type[Decimal]:
        """The API schema type: pydantic refuses inf/NaN, too many digits and out-of-range values."""
        bound = {"ge": self.low} if self.low_inclusive else {"gt": self.low}
        return Annotated[Decimal, Field(le=self.high, max_digits=self.max_digits, decimal_places=self.places,
                                        allow_inf_nan=False, **bound, **kwargs)]

    def form_kwargs(self) -> dict:
        """Keyword arguments for a forms.DecimalField with the same bounds."""
        return {"min_value": self.low, "max_value": self.high, "max_digits": self.max_digits,
                "decimal_places": self.places}

    def check(self, field: str, value) -> Decimal:
        """Parse and check; the error names the field."""
        try:
            number = value if isinstance(value, Decimal) else Decimal(str(value).strip())
        except (InvalidOperation, ValueError):
            raise invalid(field, f"不是数字：{str(value)[:40]!r}") from None
        if not number.is_finite():
            raise invalid(field, f"应为有限数值，{self.describe()}")
        too_low = number < self.low if self.low_inclusive else number <= self.low
        if too_low or number > self.high:
            raise invalid(field, f"应 {self.describe()}")
        if number != number.quantize(Decimal(1).scaleb(-self.places), rounding="ROUND_DOWN"):
            raise invalid(field, f"最多 {self.places} 位小数")
        return number.quantize(Decimal(1).scaleb(-self.places))


# Money in yuan with fen precision. Ten billion yuan is far above any connection fee or
# scheme cost and still fits the NUMERIC(14, 2) columns exactly.
MONEY = Range(low=Decimal("0"), high=Decimal("9999999999.99"), places=2, unit="yuan")
POSITIVE_MONEY = Range(low=Decimal("0"), high=MONEY.high, places=2, low_inclusive=False, unit="yuan")
