"""The schemas of briefing.yaml, section front matter and styles, checked with msgspec.

Two tiers, one contract. Valid input, the common case, is converted here by
msgspec, which imports and runs in a fraction of pydantic's time but stops at
the first problem. Whatever it refuses goes to the pydantic schemas
(:mod:`briefgen.schema_content`, :mod:`briefgen.schema_style`), which report
every problem with its file and line. So these structs may be stricter than the
pydantic models (the input is then only checked more slowly) but never more
lenient: anything accepted here must be accepted there with the same values, a
rule ``tests/test_schemas.py`` checks field by field and with generated input.
The checks both tiers share (ids, blank text, lengths, chart shape) live here.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Annotated, Any, Literal

import msgspec
from msgspec import Meta, Struct, field

from .model import DEFAULT_LABELS
from .units import Length

ID_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


# -- checks shared with the pydantic schemas -------------------------------------------------
def not_blank_problem(value: str) -> str | None:
    return "must not be empty or only white space" if not value.strip() else None


def section_ids_problem(ids: list[str]) -> str | None:
    seen = set()
    for i in ids:
        if not ID_RE.match(i):
            return f"section id '{i}' must be lower-case letters, digits, '-' or '_'"
        if i in seen:
            return f"section id '{i}' is listed twice"
        seen.add(i)
    return None


def chart_shape_problem(kind: str, categories: list[str], series: list[tuple[str, list[float]]]) -> str | None:
    n = len(categories)
    for name, values in series:
        if len(values) != n:
            return f"series '{name}' has {len(values)} values for {n} categories"
    if kind == "pie":
        if len(series) != 1:
            return "a pie chart takes exactly one series"
        values = series[0][1]
        if any(v < 0 for v in values):
            return "pie values must not be negative"
        if not any(v > 0 for v in values):
            return "pie values must not all be zero"
    return None


def length_problem(value: str) -> str | None:
    try:
        Length.parse(value)
    except ValueError as exc:
        return str(exc)
    return None


class _Refused(Exception):
    """A value the shared checks refuse: the pydantic tier will say why, with the line."""


def _check(problem: str | None) -> None:
    if problem:
        raise _Refused(problem)


def _texts(*values: str | None) -> None:
    for v in values:
        if v is not None:
            _check(not_blank_problem(v))


def _lengths(*values: str) -> None:
    for v in values:
        _check(length_problem(v))


class _Closed(Struct, forbid_unknown_fields=True, frozen=True):
    pass


# -- content ---------------------------------------------------------------------------------
NonEmptyIds = Annotated[list[str], Meta(min_length=1)]


class SourceIn(_Closed):
    title: str
    url: str | None = None

    def __post_init__(self) -> None:
        _texts(self.title)


class BriefingIn(_Closed):
    title: str
    sections: NonEmptyIds
    subtitle: str | None = None
    issuer: str | None = None
    date: dt.date | None = None
    marking: str | None = None
    presets: dict[str, NonEmptyIds] = {}
    vars: dict[str, Any] = {}
    sources: list[SourceIn] = []
    labels: dict[Literal[tuple(DEFAULT_LABELS)], str] = {}  # type: ignore[valid-type]

    def __post_init__(self) -> None:
        _texts(self.title)
        _check(section_ids_problem(self.sections))


class FactIn(_Closed):
    value: str
    label: str

    def __post_init__(self) -> None:
        _texts(self.value, self.label)


class SeriesIn(_Closed):
    name: str
    values: Annotated[list[float], Meta(min_length=1)]

    def __post_init__(self) -> None:
        if not all(map(math.isfinite, self.values)):
            raise _Refused("chart values must be finite numbers")


class ChartIn(_Closed):
    type: Literal["bar", "column", "pie", "line"]
    title: str
    categories: Annotated[list[str], Meta(min_length=1)]
    series: Annotated[list[SeriesIn], Meta(min_length=1)]
    unit: str | None = None
    source: str | None = None

    def __post_init__(self) -> None:
        _texts(self.title)
        _check(chart_shape_problem(self.type, self.categories, [(s.name, s.values) for s in self.series]))


class SectionIn(_Closed):
    title: str
    key_points: list[str] = []
    facts: list[FactIn] = []
    chart: ChartIn | None = None
    notes: str | None = None
    sources: list[SourceIn] = []

    def __post_init__(self) -> None:
        _texts(self.title, *self.key_points)


# -- styles (defaults written as the pydantic schema writes them, so both give the same values) ------
def _between(low: float, high: float, *, above: bool = False):
    return Annotated[float, Meta(gt=low, le=high)] if above else Annotated[float, Meta(ge=low, le=high)]


class FontIn(_Closed):
    family: str
    regular: str
    bold: str | None = None
    italic: str | None = None
    bold_italic: str | None = None


class TextStyleIn(_Closed):
    parent: str | None = None
    font: str | None = None
    size: _between(0, 400, above=True) | None = None
    leading: _between(0.8, 4) | None = None
    bold: bool | None = None
    italic: bool | None = None
    color: str | None = None
    space_before: _between(0, 200) | None = None
    space_after: _between(0, 200) | None = None
    align: Literal["left", "center", "right", "justify"] | None = None
    upper: bool | None = None
    tracking: _between(-5, 20) | None = None


class BoxIn(_Closed):
    fill: str | None = None
    border: str | None = None
    border_width: _between(0, 12) = 0
    accent_width: _between(0, 24) = 0
    padding: _between(0, 72) = 6


class RunningIn(_Closed):
    left: str = ""
    center: str = ""
    right: str = ""


class PageIn(_Closed):
    size: str | list[str] = "letter"
    margins: dict[Literal["top", "bottom", "left", "right"], str] = {}
    bleed: str = "0.125in"
    header: RunningIn = field(default_factory=RunningIn)
    footer: RunningIn = field(default_factory=RunningIn)
    rule_width: _between(0, 6) = 0.5
    cover: Literal["centered", "left", "block"] = "centered"
    cover_band: _between(0, 400) = 0
    key_points: BoxIn = field(default_factory=BoxIn)
    fact: BoxIn = field(default_factory=BoxIn)
    table_rule: str = "rule"
    table_header_fill: str | None = None
    table_zebra: str | None = None
    marking_fill: str | None = None
    toc_min_sections: Annotated[int, Meta(ge=0)] = 4
    chart_height: _between(40, 600, above=True) = 200
    image_max_height: _between(40, 800, above=True) = 320
    logo_height: _between(4, 200, above=True) = 40

    def __post_init__(self) -> None:
        _lengths(self.bleed, *self.margins.values(), *(self.size if isinstance(self.size, list) else ()))


class SlideIn(_Closed):
    size: Literal["16:9", "4:3"] = "16:9"
    margin: str = "0.5in"
    title_height: str = "1.0in"
    footer_height: str = "0.35in"
    min_font_size: _between(6, 60) = 14
    max_bullets: Annotated[int, Meta(ge=1, le=20)] = 6
    max_words: Annotated[int, Meta(ge=5, le=200)] = 40
    cover: Literal["centered", "left", "block"] = "centered"
    title_rule: str | None = None
    section_fill: str = "primary"
    fact_fill: str | None = None
    footer_rule: str | None = None
    logo_height: _between(4, 300, above=True) = 54

    def __post_init__(self) -> None:
        _lengths(self.margin, self.title_height, self.footer_height)


class StyleIn(_Closed):
    colors: dict[str, str]
    chart_palette: Annotated[list[str], Meta(min_length=1)]
    fonts: dict[str, FontIn]
    text: dict[str, TextStyleIn]
    name: str | None = None
    description: str = ""
    extends: str | None = None
    cmyk: dict[str, Annotated[list[_between(0, 100)], Meta(min_length=4, max_length=4)]] = {}
    page: PageIn = field(default_factory=PageIn)
    slide: SlideIn = field(default_factory=SlideIn)
    logo: str | None = None


_KINDS: dict[str, type[Struct]] = {"briefing": BriefingIn, "section": SectionIn, "style": StyleIn}


def convert(kind: str, data: dict) -> Struct | None:
    """``data`` as the validated ``kind``, or None for anything this tier does not accept."""
    try:
        return msgspec.convert(data, _KINDS[kind], strict=False)
    except (msgspec.ValidationError, _Refused):
        return None
