"""Length: the one place where points, millimetres, inches and EMU meet."""

from __future__ import annotations

import re
from dataclasses import dataclass

EMU_PER_PT = 12700
PT_PER_IN = 72.0
PT_PER_MM = 72.0 / 25.4
PT_PER_CM = 72.0 / 2.54

_UNITS = {"pt": 1.0, "in": PT_PER_IN, "mm": PT_PER_MM, "cm": PT_PER_CM, "emu": 1.0 / EMU_PER_PT}
_LENGTH_RE = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*(pt|in|mm|cm|emu)?\s*$")


@dataclass(frozen=True, order=True)
class Length:
    """A length held in points, with conversions to every unit the renderers use.

    ``Length.parse("0.75in")``, ``Length.parse("18mm")``, ``Length.parse(12)``
    (a bare number is points). Negative lengths parse; callers that cannot take
    them check for themselves.
    """

    points: float

    @classmethod
    def parse(cls, value: "Length | float | int | str") -> "Length":
        if isinstance(value, Length):
            return value
        if isinstance(value, bool):
            raise ValueError(f"not a length: {value!r}")
        if isinstance(value, (int, float)):
            return cls(float(value))
        m = _LENGTH_RE.match(str(value))
        if not m:
            raise ValueError(f"not a length: {value!r} (write a number with pt, in, mm or cm, e.g. '0.75in')")
        number, unit = m.groups()
        return cls(float(number) * _UNITS[unit or "pt"])

    @classmethod
    def inches(cls, value: float) -> "Length":
        return cls(value * PT_PER_IN)

    @property
    def pt(self) -> float:
        return self.points

    @property
    def inch(self) -> float:
        return self.points / PT_PER_IN

    @property
    def mm(self) -> float:
        return self.points / PT_PER_MM

    @property
    def emu(self) -> int:
        return int(round(self.points * EMU_PER_PT))

    def __add__(self, other: "Length") -> "Length":
        return Length(self.points + other.points)

    def __sub__(self, other: "Length") -> "Length":
        return Length(self.points - other.points)

    def __mul__(self, factor: float) -> "Length":
        return Length(self.points * factor)

    __rmul__ = __mul__

    def __truediv__(self, divisor: float) -> "Length":
        return Length(self.points / divisor)


def emu(points: float) -> int:
    """EMU for a length in points, rounded to a whole number as OOXML wants."""
    return int(round(points * EMU_PER_PT))
