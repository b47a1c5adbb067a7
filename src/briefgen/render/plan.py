"""The SlidePlan: the whole deck as pure data (slides, boxes, measured text), in points from the
slide's top-left corner. The planner (:mod:`briefgen.render.slides`) makes it; the deck writers only read it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Union

from ..model import DEFAULT_LANG, Chart, Inline

TITLE = "title"  # TextBox.role: the slide's title (a title placeholder in the deck, a heading in its PDF)
CONTENT = "content"  # what the slide says
FURNITURE = "furniture"  # marking, footer, slide number: repeated on every slide, read last or not at all


@dataclass(frozen=True)
class TextPara:
    """One paragraph of a text box, with its measured lines."""

    runs: Inline
    family: str
    size: float
    line_height: float
    bold: bool
    italic: bool
    color: str
    align: str
    space_after: float
    lines: tuple[str, ...]
    bullet: str | None = None
    number: int | None = None  # a numbered item (the number is PowerPoint's own auto-numbering)
    indent: float = 0.0  # the hanging indent of a bullet or number
    upper: bool = False
    margin: float = 0.0  # the left margin before the bullet: a nested list's level
    field: str | None = None  # a PowerPoint field the runs stand in for ("slidenum"), updated by PowerPoint

    @property
    def height(self) -> float:
        return len(self.lines) * self.line_height + self.space_after


@dataclass(frozen=True)
class TextBox:
    """A text frame at a fixed place; ``paragraphs`` are known to fit inside ``h``."""

    x: float
    y: float
    w: float
    h: float
    paragraphs: tuple[TextPara, ...]
    anchor: str = "top"
    fill: str | None = None
    name: str = "Text"
    role: str = CONTENT  # TITLE, CONTENT or FURNITURE


@dataclass(frozen=True)
class Rect:
    """A filled rectangle or a rule (a rectangle one line thick): decoration, never read aloud."""

    x: float
    y: float
    w: float
    h: float
    fill: str
    name: str = "Shape"


@dataclass(frozen=True)
class ChartBox:
    """A native chart; ``colors`` is the palette, one per series (or per slice of a pie)."""

    x: float
    y: float
    w: float
    h: float
    chart: Chart
    colors: tuple[str, ...]
    family: str
    label_size: float
    label_color: str
    text_color: str
    grid_color: str
    number_format: str
    alt: str
    title: str | None  # shown in the chart, when the slide's title is another's
    gap_width: float  # % of a bar's width between categories
    series_gap: float  # % of a bar's width between the bars of one category
    line_width: float
    grid_width: float


@dataclass(frozen=True)
class TableBox:
    """A native table; each cell is a paragraph measured against its column width."""

    x: float
    y: float
    w: float
    col_widths: tuple[float, ...]
    row_heights: tuple[float, ...]
    header: tuple[TextPara, ...]
    rows: tuple[tuple[TextPara, ...], ...]
    header_fill: str | None
    zebra: str | None
    rule: str
    padding: float  # left and right of a cell's text
    padding_v: float  # above and below it
    header_rule: float  # the weight of the rule below the header row
    end_rule: float  # and below the last row

    @property
    def h(self) -> float:
        return sum(self.row_heights)


@dataclass(frozen=True)
class PictureBox:
    x: float
    y: float
    w: float
    h: float
    path: str
    alt: str


@dataclass(frozen=True)
class Watermark:
    """A word set large and translucent across the slide, over everything else (DRAFT); ``angle`` in
    degrees, rising to the right; the alphas are opacities of the letters and of their outline."""

    x: float
    y: float
    w: float
    h: float
    text: str
    family: str
    size: float
    bold: bool
    color: str
    angle: float
    fill_alpha: float
    line_alpha: float
    line_width: float
    name: str = "Draft"


Box = Union[TextBox, Rect, ChartBox, TableBox, PictureBox, Watermark]


@dataclass
class PlannedSlide:
    """One slide: what kind it is, its boxes in drawing order, its speaker notes.

    ``kind`` is one of title, agenda, divider, points (a section's key points, facts or text),
    chart, table, image and sources. The drawing order is also the reading order: the first box
    that is not decoration (a Rect) is the slide's title (``TextBox.role`` TITLE), then what the
    slide says, then its furniture."""

    kind: str
    title: str
    boxes: list[Box] = field(default_factory=list)
    notes: str = ""
    section_id: str | None = None


@dataclass
class SlidePlan:
    """The whole deck as data: geometry, theme palette and fonts, slides."""

    width: float
    height: float
    slides: list[PlannedSlide]
    title: str
    author: str
    subject: str
    keywords: str
    date: object
    theme_colors: dict[str, str]
    heading_family: str
    body_family: str
    notes_family: str
    lang: str = DEFAULT_LANG  # the language of the deck's text (a BCP 47 tag)
