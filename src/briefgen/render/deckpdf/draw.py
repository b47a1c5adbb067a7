"""One planned slide drawn onto a reportlab canvas: one function per box type of the SlidePlan.

The drawer works in the plan's own units (points from the slide's top-left
corner); the caller places and scales the slide with the canvas transform, so
the same code draws a full-size page and a handout's miniature. Text is set
line by line from the lines the planner measured (``TextPara.lines``), so every
line breaks where it breaks in the deck.
"""

from __future__ import annotations

from typing import Callable

from reportlab.graphics import renderPDF
from reportlab.lib.colors import HexColor

from ...errors import RenderError
from ...model import plain
from ..pdf.tagging import LAYOUT, PAGINATION, Element, artifact, marked
from ..plan import (
    FURNITURE,
    TITLE,
    ChartBox,
    PictureBox,
    PlannedSlide,
    Rect,
    SlidePlan,
    TableBox,
    TextBox,
    TextPara,
    Watermark,
)
from .charts import chart_drawing
from .fonts import Faces

# Exact line spacing puts a line's baseline this many times the font size above the bottom of its line
# (what PowerPoint and LibreOffice do with the deck's fixed line heights).
BASELINE_DROP = 0.2
STRIKE_RISE = 0.3  # x size: a strike-through line above the baseline
UNDERLINE_DROP = 0.1  # x size: a link's underline below the baseline
RULE_WEIGHT = 0.05  # x size: strike-through and underline
TABLE_HEADER_RULE = 1.5  # pt, for plans that do not carry their table rules
TABLE_END_RULE = 0.75  # pt
SLIDE_NUMBER_FIELD = "slidenum"  # TextPara.field of a slide number PowerPoint fills in

Style = tuple[bool, bool, bool, "str | None"]  # bold, italic, strike, href


class Targets:
    """Where a slide's internal links lead: a section's first slide, by section id or by its agenda entry."""

    def __init__(self, slides: list[PlannedSlide]):
        self.first: dict[str, int] = {}
        self._titles: dict[str, str] = {}
        for i, slide in enumerate(slides):
            if slide.section_id:
                self.first.setdefault(slide.section_id, i)
                self._titles.setdefault(_norm(slide.title), slide.section_id)
        self._order = list(self.first)

    def for_href(self, href: str | None) -> int | None:
        if href and href.startswith("#"):
            return self.first.get(href[1:])
        return None

    def for_entry(self, para: TextPara) -> int | None:
        """The slide an agenda entry (a numbered paragraph of an agenda slide) names: where its own link leads,
        else the section whose slides carry its text as title, else by number; None for any other paragraph."""
        linked = next((r.href for r in para.runs if r.href and r.href.startswith("#")), None)
        if linked:
            return self.for_href(linked)
        if para.number is None:  # the slide's title, footer or marking
            return None
        section = self._titles.get(_norm(plain(para.runs)))
        if section is None and para.number is not None and 0 < para.number <= len(self._order):
            section = self._order[para.number - 1]
        return self.first.get(section) if section else None


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


class SlideDrawer:
    """Draws planned slides; ``destination(i)`` names the PDF destination of slide ``i`` (0-based) for links."""

    def __init__(self, plan: SlidePlan, faces: Faces, destination: Callable[[int], str]):
        self.plan = plan
        self.H = plan.height
        self.faces = faces
        self.targets = Targets(plan.slides)
        self.destination = destination
        self.background = plan.theme_colors.get("lt1", "#FFFFFF")
        self.link_color = plan.theme_colors.get("hlink")  # PowerPoint shows a web link in the theme's link colour
        self._colors: dict[str, HexColor] = {}
        self.parent: Element | None = None  # in a tagged PDF, the structure element of the slide being drawn

    def color(self, hexv: str) -> HexColor:
        found = self._colors.get(hexv)
        if found is None:
            found = self._colors[hexv] = HexColor(hexv)
        return found

    def draw(self, c, slide: PlannedSlide, number: int, marks: bool = True) -> None:
        """The slide's boxes in drawing order, in slide coordinates; ``number`` fills a slide-number field;
        ``marks=False`` leaves out the slide's DRAFT mark (a handout page carries its own).

        With ``self.parent`` set (a tagged PDF), the boxes' structure goes under it in the same order,
        which is the slide's reading order: its title a heading (the cover's an H1, others H2), text
        paragraphs and lists, tables, charts and pictures as figures; rectangles, marking, footer and
        slide number are artifacts."""
        self._number = number
        self._agenda = slide.kind == "agenda"
        self._heading = "H1" if slide.kind == "title" else "H2"
        for box in slide.boxes:
            if marks or not isinstance(box, Watermark):
                _drawer_for(box)(self, c, box)

    def _struct(self, role: str, parent: Element | None = None, **kw) -> Element | None:
        parent = parent or self.parent
        return parent.add(role, **kw) if parent is not None else None

    # -- boxes -------------------------------------------------------------------------------------
    def rect(self, c, box: Rect) -> None:
        self._fill(c, box.x, box.y, box.w, box.h, box.fill)

    def _fill(self, c, x: float, y: float, w: float, h: float, color: str | None) -> None:
        if not color:
            return
        with artifact(c, LAYOUT):  # a fill or a rule is decoration
            c.setFillColor(self.color(color))
            c.rect(x, self.H - y - h, w, h, stroke=0, fill=1)

    def text(self, c, box: TextBox) -> None:
        self._fill(c, box.x, box.y, box.w, box.h, getattr(box, "fill", None))
        role = getattr(box, "role", None)
        if role == FURNITURE:
            with artifact(c, PAGINATION):
                self.paragraphs(c, box.paragraphs, box.x, box.y, box.w, box.h, getattr(box, "anchor", "top"))
            return
        tags = None
        if self.parent is not None:
            heading = self._struct(self._heading) if role == TITLE else None
            tags, listing = [], None
            for p in box.paragraphs:
                if heading is not None:
                    tags.append((heading, None))
                elif p.bullet or p.number is not None:
                    listing = listing or self._struct("L", attrs={"O": "List",
                                                                  "ListNumbering": "Disc" if p.bullet else "Decimal"})
                    item = self._struct("LI", listing)
                    label = self._struct("Lbl", item)
                    tags.append((self._struct("LBody", item), label))
                else:
                    listing = None
                    tags.append((self._struct("P"), None))
        self.paragraphs(c, box.paragraphs, box.x, box.y, box.w, box.h, getattr(box, "anchor", "top"), tags)

    def paragraphs(self, c, paras, x: float, y: float, w: float, h: float, anchor: str = "top",
                   tags: list | None = None) -> None:
        """Paragraphs set from the top of a box (or centred in it, or at its foot); ``tags`` holds each one's
        (element, label element) in a tagged PDF."""
        total = sum(p.height for p in paras)
        top = y + {"top": 0.0, "middle": (h - total) / 2, "bottom": h - total}.get(anchor, 0.0)
        for k, p in enumerate(paras):
            element, label = tags[k] if tags else (None, None)
            self.paragraph(c, p, x, top, w, element, label)
            top += p.height

    def paragraph(self, c, p: TextPara, x: float, top: float, w: float, element: Element | None = None,
                  label: Element | None = None) -> None:
        """One measured paragraph: its marker, then each of its lines at its baseline, aligned in the box;
        in a tagged PDF the marker is ``label``'s content and the lines ``element``'s."""
        faces = self.faces
        size, lead = p.size, p.line_height
        marker = p.bullet or (f"{p.number}." if p.number is not None else None)
        left = x + getattr(p, "margin", 0.0)
        text_x = left + (p.indent if marker else 0.0)  # the deck indents only paragraphs with a marker
        width = x + w - text_x
        color = self.color(p.color)
        lines = self._styled_lines(p)
        target = self.targets.for_entry(p) if self._agenda else None
        extent = [None, None]
        if marker and lines:
            with marked(c, label):
                self._show(c, left, self.H - (top + lead - BASELINE_DROP * size),
                           faces.pieces(marker, faces.name(p.family, p.bold, p.italic)), size, color)
        with marked(c, element, self._link_texts(p, target)):
            self._lines(c, p, lines, top, text_x, width, color, target, extent)
            if target is not None and extent[0] is not None:  # an agenda entry leads to its section's slide
                self._link(c, None, target, left, top, extent[1], top + len(lines) * lead)

    def _link_texts(self, p: TextPara, target: int | None) -> dict[str, str]:
        """What each link of a paragraph says, by the destination or address its annotation is given."""
        out = {}
        for run in p.runs:
            if run.href:
                slide = self.targets.for_href(run.href)
                key = self.destination(slide) if slide is not None else run.href.lstrip("#")
                out[key] = (out.get(key, "") + run.text).strip()
        if target is not None:
            out[self.destination(target)] = plain(p.runs)
        return out

    def _lines(self, c, p: TextPara, lines, top: float, text_x: float, width: float, color, target, extent) -> None:
        faces, size, lead = self.faces, p.size, p.line_height
        for i, segments in enumerate(lines):
            baseline = top + i * lead + lead - BASELINE_DROP * size
            y = self.H - baseline
            pieces = []
            for text, (bold, italic, strike, href) in segments:
                for font, part in faces.pieces(text, faces.name(p.family, bold, italic)):
                    pieces.append((font, part, strike, href, faces.width(part, font, size)))
            used = sum(piece[4] for piece in pieces)
            gaps = 0.0
            if p.align == "center":
                cx = text_x + (width - used) / 2
            elif p.align == "right":
                cx = text_x + width - used
            else:
                cx = text_x
                if p.align == "justify" and i < len(lines) - 1:
                    spaces = sum(piece[1].count(" ") for piece in pieces)
                    gaps = (width - used) / spaces if spaces else 0.0
            start = cx
            for font, part, strike, href, pw in pieces:
                web = bool(href) and not href.startswith("#")
                ink = self.color(self.link_color) if web and self.link_color else color
                if gaps:
                    pw += gaps * part.count(" ")
                    self._justified(c, cx, y, font, part, size, ink, gaps)
                else:
                    self._show(c, cx, y, [(font, part)], size, ink)
                for on, rise in ((strike, STRIKE_RISE), (web, -UNDERLINE_DROP)):
                    if on:
                        c.setStrokeColor(ink)
                        c.setLineWidth(size * RULE_WEIGHT)
                        c.line(cx, y + size * rise, cx + pw, y + size * rise)
                if href and target is None:  # an agenda entry is one link, drawn below
                    self._link(c, href, None, cx, baseline - lead + BASELINE_DROP * size, cx + pw,
                               baseline + BASELINE_DROP * size)
                cx += pw
            if target is not None and pieces:
                extent[0] = start if extent[0] is None else min(extent[0], start)
                extent[1] = cx if extent[1] is None else max(extent[1], cx)

    def _show(self, c, x: float, y: float, pieces, size: float, color) -> None:
        text = c.beginText(x, y)
        text.setFillColor(color)
        for font, part in pieces:
            text.setFont(font, size)
            text.textOut(part)
        c.drawText(text)

    def _justified(self, c, x: float, y: float, font: str, part: str, size: float, color, gap: float) -> None:
        for word in part.split(" "):
            if word:
                self._show(c, x, y, self.faces.pieces(word, font), size, color)
            x += self.faces.width(word + " ", font, size) + gap

    def _link(self, c, href: str | None, slide: int | None, x0: float, top: float, x1: float, bottom: float) -> None:
        rect = (x0, self.H - bottom, x1, self.H - top)
        if slide is None:
            slide = self.targets.for_href(href)
            if slide is None and href and not href.startswith("#"):
                c.linkURL(href, rect, relative=1)
                return
        if slide is not None:
            c.linkRect("", self.destination(slide), rect, relative=1)

    def _styled_lines(self, p: TextPara) -> list[list[tuple[str, Style]]]:
        """Each measured line cut where the formatting of the runs changes.

        The planner broke the paragraph's plain text into lines at spaces (or
        inside a word too long for a line); each line is found again in that
        text, so a run's bold, italic, strike-through and link follow it onto
        whichever lines it spans.
        """
        base: Style = (p.bold, p.italic, False, None)
        if getattr(p, "field", None) == SLIDE_NUMBER_FIELD:
            return [[(str(self._number), base)]]
        if len(p.runs) == 1 and not (p.runs[0].bold or p.runs[0].italic or p.runs[0].strike or p.runs[0].href):
            return [[(line, base)] for line in p.lines]
        text_parts, styles = [], []
        for run in p.runs:
            t = run.text.upper() if p.upper else run.text
            text_parts.append(t)
            styles.extend([(p.bold or run.bold, p.italic or run.italic, run.strike, run.href)] * len(t))
        text = "".join(text_parts)
        out, pos = [], 0
        for line in p.lines:
            while pos < len(text) and not text.startswith(line, pos) and text[pos].isspace():
                pos += 1
            if not text.startswith(line, pos):
                out.append([(line, base)])  # the line is not in the runs' text (the planner rewrote it)
                continue
            segments: list[tuple[str, Style]] = []
            for k, ch in enumerate(line):
                style = styles[pos + k]
                if segments and segments[-1][1] == style:
                    segments[-1] = (segments[-1][0] + ch, style)
                else:
                    segments.append((ch, style))
            out.append(segments)
            pos += len(line)
        return out

    def picture(self, c, box: PictureBox) -> None:
        with marked(c, self._struct("Figure", alt=box.alt)):
            c.drawImage(box.path, box.x, self.H - box.y - box.h, box.w, box.h, mask="auto")

    def table(self, c, box: TableBox) -> None:
        """Cell fills (header, zebra rows), each cell's paragraph inside its padding, and the two rules."""
        rows = [box.header, *box.rows]
        last = len(rows) - 1
        header_rule = getattr(box, "header_rule", TABLE_HEADER_RULE)
        end_rule = getattr(box, "end_rule", TABLE_END_RULE)
        y = box.y
        table = self._struct("Table")
        for r, (cells, h) in enumerate(zip(rows, box.row_heights)):
            fill = box.header_fill if r == 0 else (box.zebra if r % 2 == 0 else None)
            self._fill(c, box.x, y, sum(box.col_widths), h, fill)
            row = self._struct("TR", table) if table is not None else None
            x = box.x
            for col, w in enumerate(box.col_widths):
                if col < len(cells):
                    pad = box.padding
                    cell = (self._struct("TH", row, attrs={"O": "Table", "Scope": "Column"}) if r == 0
                            else self._struct("TD", row)) if row is not None else None
                    self.paragraphs(c, (cells[col],), x + pad, y + pad, w - 2 * pad, h - 2 * pad,
                                    tags=[(cell, None)] if cell is not None else None)
                x += w
            y += h
            for weight in ((header_rule,) if r == 0 else ()) + ((end_rule,) if r == last else ()):
                with artifact(c, LAYOUT):
                    c.setStrokeColor(self.color(box.rule))
                    c.setLineWidth(weight)
                    c.line(box.x, self.H - y, box.x + sum(box.col_widths), self.H - y)

    def chart(self, c, box: ChartBox) -> None:
        drawing = chart_drawing(box, self.faces, self.background)
        with marked(c, self._struct("Figure", alt=box.alt)):
            renderPDF.draw(drawing, c, box.x, self.H - box.y - box.h)


    def watermark(self, c, box: Watermark) -> None:
        """The slide's DRAFT mark as the deck has it: translucent letters with a stronger outline, turned by
        the box's angle about its middle, over everything else on the slide."""
        with artifact(c, PAGINATION, "Watermark"):
            self._mark(c, box, self.faces.name(box.family, box.bold, False))

    def _mark(self, c, box: Watermark, font: str) -> None:
        from reportlab.pdfbase.pdfmetrics import stringWidth

        c.saveState()
        color = HexColor(box.color)
        c.setFillColor(color)
        c.setStrokeColor(color)
        c.setFillAlpha(box.fill_alpha)
        c.setStrokeAlpha(box.line_alpha)
        c.setLineWidth(box.line_width)
        c.translate(box.x + box.w / 2, self.H - box.y - box.h / 2)
        c.rotate(box.angle)
        text = c.beginText()
        text.setTextRenderMode(2)  # filled and outlined
        text.setFont(font, box.size)
        text.setTextOrigin(-stringWidth(box.text, font, box.size) / 2, -box.size / 3)
        text.textOut(box.text)
        c.drawText(text)
        c.restoreState()


_DRAW = {Rect: SlideDrawer.rect, TextBox: SlideDrawer.text, ChartBox: SlideDrawer.chart,
         TableBox: SlideDrawer.table, PictureBox: SlideDrawer.picture, Watermark: SlideDrawer.watermark}


def _drawer_for(box):
    """The drawing function of a box: by its type, else by its base type, else as text when it holds measured
    paragraphs; any other box is an error rather than a slide silently missing something."""
    for cls in type(box).__mro__:
        found = _DRAW.get(cls)
        if found:
            return found
    if hasattr(box, "paragraphs") and all(hasattr(box, a) for a in ("x", "y", "w", "h")):
        return SlideDrawer.text
    raise RenderError(f"the slides PDF cannot draw a {type(box).__name__} (a kind of box it does not know)")
