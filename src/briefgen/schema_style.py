"""The style schema in pydantic: every problem of a style file, with the file and line of its key.

:mod:`briefgen.schema_fast` accepts valid styles without importing this module;
whatever it refuses is validated here, so that every problem is reported.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from .schema_fast import length_problem


# -- schema ---------------------------------------------------------------------------------
class _Closed(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


Color = str  # a '#RRGGBB' value or the name of a palette colour; checked after merging


def _length(value: str) -> str:
    problem = length_problem(value)
    if problem:
        raise ValueError(problem)
    return value


LengthText = Annotated[str, AfterValidator(_length)]  # "0.75in", "18mm", "12pt"


class FontIn(_Closed):
    family: str
    regular: str
    bold: str | None = None
    italic: str | None = None
    bold_italic: str | None = None


class TextStyleIn(_Closed):
    parent: str | None = None
    font: str | None = None
    size: Annotated[float, Field(gt=0, le=400)] | None = None
    leading: Annotated[float, Field(ge=0.8, le=4)] | None = None
    bold: bool | None = None
    italic: bool | None = None
    color: Color | None = None
    space_before: Annotated[float, Field(ge=0, le=200)] | None = None
    space_after: Annotated[float, Field(ge=0, le=200)] | None = None
    align: Literal["left", "center", "right", "justify"] | None = None
    upper: bool | None = None
    tracking: Annotated[float, Field(ge=-5, le=20)] | None = None


class BoxIn(_Closed):
    fill: Color | None = None
    border: Color | None = None
    border_width: Annotated[float, Field(ge=0, le=12)] = 0
    accent_width: Annotated[float, Field(ge=0, le=24)] = 0
    padding: Annotated[float, Field(ge=0, le=72)] = 6


class RunningIn(_Closed):
    left: str = ""
    center: str = ""
    right: str = ""


class PageIn(_Closed):
    size: str | list[LengthText] = "letter"
    margins: dict[Literal["top", "bottom", "left", "right"], LengthText] = {}
    bleed: LengthText = "0.125in"
    header: RunningIn = RunningIn()
    footer: RunningIn = RunningIn()
    rule_width: Annotated[float, Field(ge=0, le=6)] = 0.5
    cover: Literal["centered", "left", "block"] = "centered"
    cover_band: Annotated[float, Field(ge=0, le=400)] = 0
    key_points: BoxIn = BoxIn()
    fact: BoxIn = BoxIn()
    table_rule: Color = "rule"
    table_header_fill: Color | None = None
    table_zebra: Color | None = None
    marking_fill: Color | None = None
    toc_min_sections: Annotated[int, Field(ge=0)] = 4
    chart_height: Annotated[float, Field(gt=40, le=600)] = 200
    image_max_height: Annotated[float, Field(gt=40, le=800)] = 320
    logo_height: Annotated[float, Field(gt=4, le=200)] = 40


class SlideIn(_Closed):
    size: Literal["16:9", "4:3"] = "16:9"
    margin: LengthText = "0.5in"
    title_height: LengthText = "1.0in"
    footer_height: LengthText = "0.35in"
    min_font_size: Annotated[float, Field(ge=6, le=60)] = 14
    max_bullets: Annotated[int, Field(ge=1, le=20)] = 6
    max_words: Annotated[int, Field(ge=5, le=200)] = 40
    cover: Literal["centered", "left", "block"] = "centered"
    title_rule: Color | None = None
    section_fill: Color = "primary"
    fact_fill: Color | None = None
    footer_rule: Color | None = None
    logo_height: Annotated[float, Field(gt=4, le=300)] = 54


class StyleIn(_Closed):
    name: str | None = None
    description: str = ""
    extends: str | None = None
    colors: dict[str, Color]
    cmyk: dict[str, Annotated[list[Annotated[float, Field(ge=0, le=100)]], Field(min_length=4, max_length=4)]] = {}
    chart_palette: Annotated[list[Color], Field(min_length=1)]
    fonts: dict[str, FontIn]
    text: dict[str, TextStyleIn]
    page: PageIn = PageIn()
    slide: SlideIn = SlideIn()
    logo: str | None = None
