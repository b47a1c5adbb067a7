"""The resolved style both renderers read: frozen, typed values with every length in points and every
colour as hex; no schema.

:mod:`briefgen.load.style` validates style files and builds these; keeping them
apart means reading a cached Theme, or rendering one, never builds a validation
schema. Every visual decision a renderer takes comes from here: text styles,
colour roles, page and slide geometry, and the layout numbers of
:class:`PdfLayout` and :class:`DeckLayout` (ratios and gaps a style may change
under ``page.layout`` and ``slide.layout``).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from itertools import repeat
from pathlib import Path
from typing import Callable

from .units import Length

FALLBACK_ROLE = "fallback"  # the font role drawing characters the text fonts lack

PAGE_SIZES = {"letter": (612.0, 792.0), "a4": (595.2756, 841.8898), "legal": (612.0, 1008.0)}
SLIDE_SIZES = {"16:9": (960.0, 540.0), "4:3": (720.0, 540.0)}


@dataclass
class FontMetrics:
    """Advance widths (in units of the em) and the character map of one TrueType file."""

    path: Path
    widths: dict[int, float] = field(repr=False)
    default_width: float = 0.5
    ascent: float = 0.9
    descent: float = -0.25

    def covers(self, ch: str) -> bool:
        return ord(ch) in self.widths

    @property
    def charset(self) -> frozenset[str]:
        """Every character the font maps, for set arithmetic over whole strings."""
        cached = self.__dict__.get("_charset")
        if cached is None:
            cached = self.__dict__["_charset"] = frozenset(map(chr, self.widths))
        return cached

    def width(self, text: str, size: float) -> float:
        """The advance width of ``text`` set at ``size`` points, in points (no kerning)."""
        return sum(map(self.widths.get, map(ord, text), repeat(self.default_width))) * size


# what renderers are handed to measure text: a font file to its metrics (briefgen.load.fonts.metrics)
MetricsLookup = Callable[[Path], FontMetrics]


@dataclass(frozen=True)
class FontRole:
    """A font role: the Office family name written into decks and the TrueType files behind it."""

    role: str
    family: str
    regular: Path
    bold: Path
    italic: Path
    bold_italic: Path

    def file(self, bold: bool, italic: bool) -> Path:
        return {(False, False): self.regular, (True, False): self.bold, (False, True): self.italic,
                (True, True): self.bold_italic}[(bold, italic)]


@dataclass(frozen=True)
class TextStyle:
    """A fully resolved text style: every field set, colours as hex."""

    name: str
    font: str  # role name
    size: float
    leading: float  # absolute, in points
    bold: bool
    italic: bool
    color: str
    space_before: float
    space_after: float
    align: str
    upper: bool
    tracking: float


# The colour roles the renderers draw with; a style names each in `colors:` (``grid`` falls back to ``rule``).
COLOR_ROLES: dict[str, str] = {
    "primary": "headings, accents, links, the cover block",
    "secondary": "a second accent (visited links, deck palette)",
    "text": "body text",
    "muted": "axis labels, dot leaders, quiet text",
    "background": "the page and slide background, pie slice borders",
    "panel": "tinted panels (the deck theme's light colour)",
    "rule": "rules and table lines",
    "on_primary": "text set on the primary colour",
}
OPTIONAL_COLOR_ROLES: dict[str, str] = {"grid": "chart gridlines (default: the rule colour)"}


@dataclass(frozen=True)
class Running:
    """A running header or footer: a template for each third of the line ({title}, {section}, {page}, …)."""

    left: str = ""
    center: str = ""
    right: str = ""


@dataclass(frozen=True)
class PdfLayout:
    """Design numbers of the printed briefing that are not text styles. Ratios multiply the size named in
    their comment; other values are points. A style changes any of them under ``page.layout``."""

    cover_block_padding: float = 2.0  # x key-points padding: inside the colour-block cover
    cover_gap: float = 1.5  # x the date style's space after: below a colour-block cover
    title_rule_weight: float = 3.0  # x rule_width: the rule under a centred or left title block
    heading_keep_share: float = 0.5  # of the frame height: a taller heading is not kept with what follows it
    list_indent: float = 1.4  # x bullet size
    quote_indent: float = 1.5  # x quote size
    table_padding: float = 0.75  # x fact-box padding: table cells, left and right
    table_padding_vertical: float = 0.6  # x table cell padding: top and bottom
    table_header_rule: float = 2.0  # x rule_width: the rule under a table's header row
    table_width_allowance: float = 1.5  # x fact-box padding: added to a column's measured width
    image_upscale_below: float = 300.0  # px: narrower images are scaled up to the frame's width
    key_point_indent: float = 1.2  # x key point size: text indent after the square
    key_point_marker: float = 0.55  # x key point size: the square
    key_point_marker_rise: float = 0.1  # x key point size: the square's rise from the baseline
    panel_title_padding: float = 0.8  # x panel padding: above the panel's title
    block_gap: float = 1.6  # x body space after: below the key-points panel and the fact row
    panel_gap_above: float = 2.0  # pt above the key-points panel
    facts_per_row: int = 4  # fact callouts in one row at most
    fact_gap: float = 1.25  # x fact-box padding: between callouts
    fact_label_gap: float = 0.4  # x fact-box padding: between a value and its label
    fact_one_line: float = 0.75  # x fact_value size: callout values stay on one line down to here, else take two
    chart_legend_height: float = 1.8  # x chart label leading
    chart_category_share: float = 0.38  # of the chart width at most, for bar chart category labels
    chart_label_gap: float = 8.0  # pt between category labels and bars
    chart_value_gap: float = 12.0  # pt kept for a bar's value label beyond the longest bar
    chart_axis_room: float = 2.2  # x label leading: below a bar chart
    chart_axis_room_unit: float = 3.4  # x label leading: below a bar chart with a unit line
    chart_bar_label_offset: float = 3.0  # pt between a bar and its value label
    chart_value_axis_gap: float = 10.0  # pt between value-axis labels and the plot
    chart_category_wrap: float = 0.9  # of a category's slot: the width its label wraps to
    chart_top_room: float = 1.5  # x label leading: above the plot
    chart_right_room: float = 4.0  # pt right of the plot
    chart_line_width: float = 2.0  # pt
    chart_line_label_offset: float = 6.0  # pt above a line chart's points
    chart_grid_weight: float = 0.6  # x rule_width
    chart_bar_spacing: float = 2.0  # pt between the bars of one category
    chart_group_spacing: float = 10.0  # pt between categories
    chart_unit_rise: float = 0.4  # x label leading: the unit line above the plot
    chart_legend_rise: float = 1.2  # x label leading: the legend above the bottom
    pie_slices: int = 12  # slices of a pie at most: the smallest beyond are drawn as one "Other" slice
    toc_number_room: float = 4.0  # digits of room for page numbers in the contents
    toc_leader_step: float = 0.5  # x contents size: the spacing of leader dots
    baseline_rise: float = 0.22  # x size: from a centred line's middle to its baseline
    running_share: float = 1.6  # a running-text third may use the measure / this, when no centre text
    header_rise: float = 0.38  # x top margin: the header's baseline above the frame
    header_rule_drop: float = 0.6  # x header size: the header rule below its baseline
    footer_rise: float = 0.5  # x bottom margin: the footer's baseline
    running_rule_weight: float = 0.5  # x rule_width: header and footer rules
    marking_band: float = 0.5  # x marking size: added to its leading for the band's height
    marking_floor: float = 0.75  # x marking size: a marking too wide for a line shrinks to here, then wraps
    watermark_angle: float = 50.0  # degrees
    watermark_drop: float = 1 / 3  # x watermark size: its baseline below the page centre
    watermark_fill_alpha: float = 0.12  # opacity of the DRAFT letters (drawn over the page's text)
    watermark_line_alpha: float = 0.55  # opacity of their outline
    watermark_line_weight: float = 0.012  # x watermark size: the outline's width
    crop_mark_room: float = 24.0  # pt outside the bleed for crop marks
    crop_mark_length: float = 18.0  # pt
    crop_mark_weight: float = 0.25  # pt
    # the slides PDF and the handout
    slide_watermark_opacity: float = 0.4  # the DRAFT watermark laid over a slide (slide backgrounds would hide it)
    handout_slide_share: float = 0.5  # of the frame width at most: a slide with its notes beside it
    handout_gap: float = 1.0  # x body leading: between a slide and its notes
    handout_slot_gap: float = 1.5  # x body leading: between the slides of one page
    handout_leading_floor: float = 0.9  # x body leading: notes a little too long for their slot close up to here
    handout_space_floor: float = 0.5  # x body space after: and their paragraphs to here
    # the briefing book
    book_cover_drop: float = 0.25  # of the frame's height: the space above the title block on the book's cover
    book_contents_indent: float = 1.5  # x contents size: a briefing's sections indented under its title
    book_contents_gap: float = 0.6  # x contents leading: between one briefing's entries and the next's


@dataclass(frozen=True)
class DeckLayout:
    """Design numbers of the deck that are not text styles (see :class:`PdfLayout`); ``slide.layout``.

    The slide grid (margin, title and footer heights) and the text sizes are the style's own settings;
    these numbers place things on that grid."""

    # the grid
    marking_band: float = 0.6  # x slide marking size: added to its leading for the band's height
    marking_floor: float = 0.75  # x slide marking size: a marking too wide for a line shrinks to here, then wraps
    title_gap: float = 0.6  # x margin: above the title and between title and content
    footer_gap: float = 0.3  # x margin: between content and footer
    footer_share: float = 0.8  # of the content width: the footer's title; the slide number takes the rest
    footer_rule: float = 0.75  # pt: the rule above the footer
    # text
    fit_allowance: float = 0.97  # measured lines are broken at this share of a box's width
    bullet_indent: float = 0.9  # x bullet size: the hanging indent after a bullet
    number_gap: float = 0.5  # x size: after the widest number of a numbered list
    level_indent: float = 1.2  # x bullet size: each level of a nested list
    list_spacing: float = 0.5  # x slide_body space after: between the items of a list set in two columns
    body_floor: float = 0.8  # x slide_body size: the smallest bullet size the whole deck may be set at
    title_lines: int = 2  # lines a slide title may take
    title_one_line: float = 0.85  # x slide_title size: chart, table and image titles shrink to one line to here
    title_rule_length: float = 0.12  # x slide width: the accent rule under a title
    title_rule: float = 2.5  # pt: its weight
    title_rule_drop: float = 4.0  # pt: between the title and its rule
    # composing a section's slide
    block_gap: float = 0.5  # x margin: between bullets and the fact cards below them
    column_gap: float = 1.0  # x margin: between two columns (bullets, bullets beside cards)
    beside_share: float = 0.6  # of the content width: the bullets' column when fact cards stand beside them
    bullets_leeway: int = 2  # a slide may hold this many bullets over max_bullets when that saves a slide
    visual_join: float = 0.3  # of the content height: points no taller share the slide with their chart or image
    facts_per_row: int = 4  # fact cards in one row at most
    card_gap: float = 0.5  # x margin: between fact cards
    card_padding: float = 1.0  # x fact-box padding: inside a fact card
    card_value_gap: float = 0.35  # x value size: between a fact's value and its label
    card_value_floor: float = 0.6  # x slide_fact_value size: the deck's one value size shrinks no further
    card_label_share: float = 0.4  # of the content height: a fact label at most, shrinking to fit
    card_grow: float = 1.5  # x a card's measured height: cards grow this far into free space
    card_alone: float = 0.75  # of the content height: fact cards with no bullets are at least this tall
    card_rule: float = 3.0  # pt: the rule atop a fact card in a style without a card fill
    dividers_after: int = 8  # sections: with ``dividers: auto``, longer decks get section dividers
    # charts, tables, images
    chart_label_scale: float = 1.75  # x chart_label size, never below the minimum size
    chart_source_gap: float = 4.0  # pt between a chart and its source line
    chart_gap_width: float = 60.0  # % of a bar's width between categories
    chart_series_gap: float = 10.0  # % of a bar's width between the bars of one category
    chart_line_width: float = 2.25  # pt
    chart_grid: float = 0.5  # pt: gridlines
    pie_slices: int = 12  # slices of a pie at most: the smallest beyond are drawn as one "Other" slice
    table_padding: float = 0.8  # x fact-box padding: table cells, left and right
    table_padding_vertical: float = 0.6  # x table cell padding: top and bottom
    table_allowance: float = 4.0  # pt added to a column's measured width
    table_header_rule: float = 1.5  # pt: below the header row
    table_end_rule: float = 0.75  # pt: below the last row
    # the title slide and section dividers
    cover_title_scale: float = 1.4  # x slide_title size: the briefing title on the title slide
    cover_title_share: float = 0.4  # of the slide height: the cover title at most
    cover_title_lines: int = 3  # lines the cover title, or a divider's title, may take
    cover_block_share: float = 0.62  # of the slide width: the colour block of a block cover
    cover_inset: float = 1.5  # x margin: the text's inset on a left or block cover
    cover_issuer_gap: float = 14.0  # pt below the issuer
    cover_title_gap: float = 12.0  # pt below the title (and above its rule)
    cover_subtitle_gap: float = 18.0  # pt below the subtitle
    logo_gap: float = 0.5  # x margin: below the logo
    divider_inset: float = 2.0  # x margin: a divider's title from the left edge
    divider_share: float = 0.8  # of the content width: a divider's title
    divider_rule: float = 3.0  # pt: the rule under a divider's title
    divider_rule_drop: float = 14.0  # pt between a divider's title and its rule
    dark_below: float = 140.0  # luma (0-255): a section fill darker than this takes light text
    # the DRAFT mark
    watermark_size: float = 0.3  # x slide height: the DRAFT letters' size
    watermark_angle: float = 30.0  # degrees, rising to the right
    watermark_fill_alpha: float = 0.12  # opacity of the DRAFT letters
    watermark_line_alpha: float = 0.55  # opacity of their outline
    watermark_line_weight: float = 0.012  # x watermark size: the outline's width


@dataclass(frozen=True)
class SummaryLayout:
    """Design numbers of the one-page summary (``--format summary``), which sets each section's title, key
    points and figures in columns with the printed briefing's text styles; a style changes them under
    ``page.summary``. Ratios multiply the size named in their comment; other values are points."""

    columns: int = 2  # columns of sections on the page
    margin_scale: float = 0.7  # x the page margins: a one-pager uses more of the sheet than the briefing
    title_scale: float = 0.8  # x the title block's sizes and spaces (issuer, title, subtitle, date, cover band)
    column_gap: float = 1.6  # x section title size: between columns
    title_gap: float = 0.9  # x section title size: below the title block, above the columns
    section_rule: float = 1.0  # x rule_width: the hairline under each section title (0: none)
    section_rule_gap: float = 0.25  # x section title size: between a section title and its hairline
    fact_value_scale: float = 0.5  # x fact_value size: a figure, run into its label (fact_label) on one line
    facts_gap: float = 0.5  # x key point leading: above a section's first figure
    shrink_step: float = 0.04  # of the style's sizes: each step the type shrinks by when the summary is too long
    min_size: float = 7.5  # pt: no type is shrunk below this (nor below the style's footer size)


@dataclass(frozen=True)
class PageSettings:
    """The printed page: running header and footer, cover, rules, panels and sizes."""

    header: Running
    footer: Running
    rule_width: float
    cover: str  # centered, left or block
    cover_band: float
    table_rule: str
    table_header_fill: str | None
    table_zebra: str | None
    marking_fill: str | None
    toc_min_sections: int
    chart_height: float
    image_max_height: float
    logo_height: float
    layout: PdfLayout = PdfLayout()
    summary: SummaryLayout = SummaryLayout()


@dataclass(frozen=True)
class SlideSettings:
    """The deck's grid and choices, lengths in points."""

    size: str  # 16:9 or 4:3
    margin: float
    title_height: float
    footer_height: float
    min_font_size: float
    max_bullets: int  # bullets on a slide at most (a list set in two columns is bounded by their height)
    max_words: int  # accepted for older style files; slides are composed by measured fit
    cover: str
    dividers: str  # auto, always or never: section divider slides
    title_rule: str | None
    section_fill: str
    fact_fill: str | None
    footer_rule: str | None
    logo_height: float
    layout: DeckLayout = DeckLayout()


@dataclass(frozen=True)
class Box:
    fill: str | None
    border: str | None
    border_width: float
    accent_width: float
    padding: float


@dataclass(frozen=True)
class Theme:
    """A style, resolved: what both renderers read for every size, colour and font."""

    name: str
    description: str
    file: Path
    colors: dict[str, str]
    cmyk: dict[str, tuple[float, float, float, float]]
    chart_palette: tuple[str, ...]
    fonts: dict[str, FontRole]
    text: dict[str, TextStyle]
    page: PageSettings
    page_size: tuple[float, float]
    margins: dict[str, float]
    bleed: float
    key_points_box: Box
    fact_box: Box
    slide: SlideSettings
    slide_size: tuple[float, float]
    logo: Path | None
    logo_size: tuple[int, int] | None = None  # pixels, read with the style
    sources: tuple[Path, ...] = ()  # the style files read: this one, then each it extends

    def input_files(self) -> set[Path]:
        """Every file this theme was made from: its style files, each font face and the logo."""
        files = set(self.sources)
        files |= {p for role in self.fonts.values() for p in (role.regular, role.bold, role.italic, role.bold_italic)}
        if self.logo:
            files.add(self.logo)
        return files

    def color(self, ref: str | None) -> str | None:
        """A hex colour for a palette name or a hex value; ``None`` and ``"none"`` give ``None``."""
        if ref is None or ref == "none":
            return None
        return ref if ref.startswith("#") else self.colors[ref]

    def length(self, value: str) -> float:
        return Length.parse(value).pt

    def font_for(self, style: TextStyle) -> FontRole:
        return self.fonts[style.font]

    def with_page_size(self, size: str | None) -> Theme:
        if not size:
            return self
        return dataclasses.replace(self, page_size=PAGE_SIZES[size])

    def with_slide_size(self, size: str | None) -> Theme:
        if not size:
            return self
        return dataclasses.replace(self, slide_size=SLIDE_SIZES[size],
                                   slide=dataclasses.replace(self.slide, size=size))
