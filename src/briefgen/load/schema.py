"""The schemas of briefing.yaml, section front matter and styles, written once.

They are msgspec structs, which check valid input (the common case) in a
fraction of pydantic's import time but stop at the first problem. Whatever they
refuse is validated again by pydantic models derived from these same structs
(:func:`briefgen.schema.pydantic_model`), which report every problem with its
line. Rules msgspec has no word for are written as :class:`Check` markers in
the annotations; both tiers apply them. msgspec is stricter than pydantic in a
few spellings ("+5", " 12", "yes"): such input only takes the slower tier, and
``tests/test_schemas.py`` checks with generated input that msgspec never
accepts what pydantic refuses.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import types
import typing
from typing import Annotated, Any, Callable, Literal

import msgspec
from msgspec import Meta, Struct, field

from ..model import DEFAULT_LABELS
from ..units import Length

ID_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


class Check:
    """A rule on one value: ``problem(value)`` says what is wrong with it, or None."""

    def __init__(self, problem: Callable[[Any], str | None]):
        self.problem = problem


class Finite:
    """A float that must be finite (pydantic's own ``allow_inf_nan=False``, with its own message)."""


def _not_blank(value: str) -> str | None:
    return "must not be empty or only white space" if not value.strip() else None


def _section_ids(ids: list[str]) -> str | None:
    seen = set()
    for i in ids:
        if not ID_RE.match(i):
            return f"section id '{i}' must be lower-case letters, digits, '-' or '_'"
        if i in seen:
            return f"section id '{i}' is listed twice"
        seen.add(i)
    return None


def _length(value: str) -> str | None:
    try:
        length = Length.parse(value)
    except ValueError as exc:
        return str(exc)
    if length.pt < 0:
        return f"'{value}' is negative; a length is zero or more"
    return None


LANG_RE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")


def _language(value: str) -> str | None:
    if not LANG_RE.match(value):
        return f"'{value}' is not a language tag; write one such as en-US, en-GB, es-MX or fr"
    return None


Text = Annotated[str, Check(_not_blank)]
Language = Annotated[str, Check(_language)]  # a BCP 47 tag: the language screen readers read the outputs in
LengthText = Annotated[str, Check(_length)]  # "0.75in", "18mm", "12pt"
Color = str  # a '#RRGGBB' value or the name of a palette colour; checked after merging


def _between(low: float, high: float, *, above: bool = False):
    return Annotated[float, Meta(gt=low, le=high)] if above else Annotated[float, Meta(ge=low, le=high)]


class _Refused(Exception):
    """A value a Check refuses: the pydantic tier will say why, with the line."""


class _Closed(Struct, forbid_unknown_fields=True, frozen=True, kw_only=True):
    """Unknown keys are errors; fields keep the order the pydantic tier reports problems in."""

    def __post_init__(self) -> None:
        for name, tp in _hints(type(self)).items():
            _apply(getattr(self, name), tp)
        check = getattr(type(self), "model_check", None)
        if check and (problem := check(self)):
            raise _Refused(problem)


def _hints(cls: type) -> dict[str, Any]:
    found = cls.__dict__.get("_briefgen_hints")
    if found is None:
        found = typing.get_type_hints(cls, include_extras=True)
        found = {k: v for k, v in found.items() if k in cls.__struct_fields__}
        setattr(cls, "_briefgen_hints", found)
    return found


def _apply(value: Any, tp: Any) -> None:
    """Raise _Refused if a Check or Finite marker anywhere in ``tp`` refuses (part of) ``value``."""
    if value is None:
        return
    origin = typing.get_origin(tp)
    if origin is Annotated:
        inner, *marks = typing.get_args(tp)
        for mark in marks:
            if isinstance(mark, Check) and (problem := mark.problem(value)):
                raise _Refused(problem)
            if mark is Finite and not math.isfinite(value):
                raise _Refused("must be a finite number")
        _apply(value, inner)
    elif origin is list and isinstance(value, list):
        (item,) = typing.get_args(tp)
        for v in value:
            _apply(v, item)
    elif origin is dict and isinstance(value, dict):
        _, item = typing.get_args(tp)
        for v in value.values():
            _apply(v, item)
    elif origin in (typing.Union, types.UnionType):
        for option in typing.get_args(tp):
            if isinstance(value, _base(option)):
                _apply(value, option)
                return


def _base(tp: Any) -> type:
    """The runtime class a (possibly annotated or generic) type's values have."""
    if typing.get_origin(tp) is Annotated:
        tp = typing.get_args(tp)[0]
    base = typing.get_origin(tp) or tp
    return base if isinstance(base, type) else object


# -- content ---------------------------------------------------------------------------------
NonEmptyIds = Annotated[list[str], Meta(min_length=1)]


class SourceIn(_Closed, kw_only=True):
    title: Text
    url: str | None = None


class BriefingIn(_Closed, kw_only=True):
    title: Text
    subtitle: str | None = None
    issuer: str | None = None
    date: dt.date | None = None
    marking: str | None = None
    lang: Language | None = None
    sections: Annotated[list[str], Meta(min_length=1), Check(_section_ids)]
    presets: dict[str, NonEmptyIds] = {}
    vars: dict[str, Any] = {}
    sources: list[SourceIn] = []
    labels: dict[Literal[tuple(DEFAULT_LABELS)], str] = {}  # type: ignore[valid-type]


class FactIn(_Closed, kw_only=True):
    value: Text
    label: Text


MAX_MARKING = 200  # characters: a banner line, printed whole at the top and bottom of every page and slide
MAX_CHART_VALUE = 1e15  # a thousand trillion: past it, a figure is a typo or belongs in a larger unit


def _plausible(value: float) -> str | None:
    if abs(value) > MAX_CHART_VALUE:
        return (f"{value:g} is too large for a chart (at most {MAX_CHART_VALUE:g} either side of zero); "
                "give the figure in a larger unit, e.g. billions")
    return None


class SeriesIn(_Closed, kw_only=True):
    name: str
    values: Annotated[list[Annotated[float, Finite, Check(_plausible)]], Meta(min_length=1)]


def value_count_problem(name: object, values: int, categories: int) -> str | None:
    """What is wrong with a series of ``values`` values on a chart of ``categories`` categories, or None."""
    if values != categories:
        return f"series '{name}' has {values} values for {categories} categories"
    return None


def _chart_shape(chart: ChartIn) -> str | None:
    n = len(chart.categories)
    for s in chart.series:
        if problem := value_count_problem(s.name, len(s.values), n):
            return problem
    if chart.type == "pie":
        if len(chart.series) != 1:
            return "a pie chart takes exactly one series"
        values = chart.series[0].values
        if any(v < 0 for v in values):
            return "pie values must not be negative"
        if not any(v > 0 for v in values):
            return "pie values must not all be zero"
    return None


class ChartIn(_Closed, kw_only=True):
    type: Literal["bar", "column", "pie", "line"]
    title: Text
    unit: str | None = None
    source: str | None = None
    categories: Annotated[list[str], Meta(min_length=1)]
    series: Annotated[list[SeriesIn], Meta(min_length=1)]

    model_check = staticmethod(_chart_shape)


class SectionIn(_Closed, kw_only=True):
    title: Text
    key_points: list[Text] = []
    facts: list[FactIn] = []
    chart: ChartIn | None = None
    notes: str | None = None
    sources: list[SourceIn] = []


# -- books -----------------------------------------------------------------------------------
Ids = Annotated[list[str], Meta(min_length=1)] | str  # a list of ids, or ids joined by commas


def _one_way_to_pick(entry: BookEntryIn) -> str | None:
    if entry.sections is not None and entry.preset is not None:
        return "give 'sections' or 'preset', not both"
    return None


class BookEntryIn(_Closed, kw_only=True):
    briefing: Text  # an id under the content folder, or a folder relative to the book file
    sections: Ids | None = None
    exclude: Ids | None = None
    preset: Text | None = None

    model_check = staticmethod(_one_way_to_pick)


class BookIn(_Closed, kw_only=True):
    title: Text
    subtitle: str | None = None
    issuer: str | None = None
    date: dt.date | None = None
    marking: Text | None = None
    markings: list[Text] = []  # the order of markings, least restrictive first
    labels: dict[Literal[tuple(DEFAULT_LABELS)], str] = {}  # type: ignore[valid-type]
    briefings: Annotated[list[BookEntryIn], Meta(min_length=1)]


# -- styles ----------------------------------------------------------------------------------
class FontIn(_Closed, kw_only=True):
    family: str
    regular: str
    bold: str | None = None
    italic: str | None = None
    bold_italic: str | None = None


class TextStyleIn(_Closed, kw_only=True):
    parent: str | None = None
    font: str | None = None
    size: _between(0, 400, above=True) | None = None
    leading: _between(0.8, 4) | None = None
    bold: bool | None = None
    italic: bool | None = None
    color: Color | None = None
    space_before: _between(0, 200) | None = None
    space_after: _between(0, 200) | None = None
    align: Literal["left", "center", "right", "justify"] | None = None
    upper: bool | None = None
    tracking: _between(-5, 20) | None = None


class BoxIn(_Closed, kw_only=True):
    fill: Color | None = None
    border: Color | None = None
    border_width: _between(0, 12) = 0
    accent_width: _between(0, 24) = 0
    padding: _between(0, 72) = 6


class RunningIn(_Closed, kw_only=True):
    left: str = ""
    center: str = ""
    right: str = ""


class PageIn(_Closed, kw_only=True):
    size: str | list[LengthText] = "letter"
    margins: dict[Literal["top", "bottom", "left", "right"], LengthText] = {}
    bleed: LengthText = "0.125in"
    header: RunningIn = field(default_factory=RunningIn)
    footer: RunningIn = field(default_factory=RunningIn)
    rule_width: _between(0, 6) = 0.5
    cover: Literal["centered", "left", "block"] = "centered"
    cover_band: _between(0, 400) = 0
    key_points: BoxIn = field(default_factory=BoxIn)
    fact: BoxIn = field(default_factory=BoxIn)
    table_rule: Color = "rule"
    table_header_fill: Color | None = None
    table_zebra: Color | None = None
    marking_fill: Color | None = None
    toc_min_sections: Annotated[int, Meta(ge=0)] = 4
    chart_height: _between(40, 600, above=True) = 200
    image_max_height: _between(40, 800, above=True) = 320
    logo_height: _between(4, 200, above=True) = 40
    layout: dict[str, _between(0, 1000)] = {}  # keys and defaults: theme.PdfLayout
    summary: dict[str, _between(0, 1000)] = {}  # keys and defaults: theme.SummaryLayout


class SlideIn(_Closed, kw_only=True):
    size: Literal["16:9", "4:3"] = "16:9"
    margin: LengthText = "0.5in"
    title_height: LengthText = "1.0in"
    footer_height: LengthText = "0.35in"
    min_font_size: _between(6, 60) = 14
    max_bullets: Annotated[int, Meta(ge=1, le=20)] = 6
    max_words: Annotated[int, Meta(ge=5, le=200)] = 40  # no longer used: slides are composed by measured fit
    cover: Literal["centered", "left", "block"] = "centered"
    dividers: Literal["auto", "always", "never"] = "auto"
    title_rule: Color | None = None
    section_fill: Color = "primary"
    fact_fill: Color | None = None
    footer_rule: Color | None = None
    logo_height: _between(4, 300, above=True) = 54
    layout: dict[str, _between(0, 1000)] = {}  # keys and defaults: theme.DeckLayout


class StyleIn(_Closed, kw_only=True):
    name: str | None = None
    description: str = ""
    extends: str | None = None
    colors: dict[str, Color]
    cmyk: dict[str, Annotated[list[_between(0, 100)], Meta(min_length=4, max_length=4)]] = {}
    chart_palette: Annotated[list[Color], Meta(min_length=1)]
    fonts: dict[str, FontIn]
    text: dict[str, TextStyleIn]
    page: PageIn = field(default_factory=PageIn)
    slide: SlideIn = field(default_factory=SlideIn)
    logo: str | None = None


SCHEMAS: dict[str, type[Struct]] = {"briefing": BriefingIn, "section": SectionIn, "style": StyleIn,
                                    "book": BookIn}


def convert(kind: str, data: dict) -> Struct | None:
    """``data`` as the validated ``kind``, or None for anything the msgspec tier does not accept."""
    try:
        return msgspec.convert(data, SCHEMAS[kind], strict=False)
    except (msgspec.ValidationError, _Refused):
        return None
