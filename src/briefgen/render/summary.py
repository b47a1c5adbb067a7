"""The one-page summary ("bottom line up front"): the title block, the marking, and for each section its
title, key points and figures, set in balanced columns and fitted to the page by measurement.

Each section becomes a run of pieces (its title, each key point, each figure) that
are measured with the style's fonts and never split. The pieces are packed into
the columns in reading order, a title always with the piece after it, and the last
page's columns are balanced. What does not fit at the style's sizes is tried again
with all of the summary's type shrunk in bounded steps, never below a floor; what
does not fit even then is refused with the number of lines over and the sections
to leave out. Nothing is written by this module: :func:`render_summary` returns
bytes, and :class:`SummarySheet` can draw its pages onto any canvas (a book draws
one sheet per briefing onto its own).
"""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Callable
from dataclasses import dataclass
from itertools import pairwise
from types import SimpleNamespace

from reportlab.lib.enums import TA_LEFT
from reportlab.platypus import Flowable, Paragraph

from ..errors import Problem, RenderError
from ..model import Briefing
from ..theme import FALLBACK_ROLE, PAGE_SIZES, MetricsLookup, Theme
from .pdf.blocks import Blocks
from .pdf.page import CropMarks, DeferredCanvas, PageFurniture
from .pdf.styles import PdfStyles, needed_faces, register_fonts
from .pdf.tagged_flowables import ARTIFACT, StructureBuilding, tag_sections
from .pdf.tagging import StructureTree

KEY_POINT_MARK = "\u25a0"  # the square of the key-points panel
BALANCE_PRECISION = 0.5  # pt: how closely the last page's column height is searched
MAX_STEPS = 100  # shrink steps at most, whatever the style's step
TITLE_STYLES = ("issuer", "title", "subtitle", "date")  # the text styles of the title block


@dataclass(frozen=True)
class SummaryOptions:
    """How to print the summary: page size override, page count allowed, bleed, CMYK, a DRAFT watermark;
    ``tagged`` writes a tagged PDF (PDF/UA-1)."""

    page_size: str | None = None
    pages: int = 1
    bleed: bool = False
    cmyk: bool = False
    draft: bool = False
    tagged: bool = True


class SummaryTooLong(RenderError):
    """A summary that does not fit its pages even with its type at the floor."""


def render_summary(briefing: Briefing, theme: Theme, options: SummaryOptions, *, metrics: MetricsLookup,
                   on_note: Callable[[str], None] | None = None) -> bytes:
    """The summary as PDF bytes; raises :class:`SummaryTooLong` when it cannot fit ``options.pages`` pages.

    ``metrics`` gives each font file's measurements (read by the loader); ``on_note``
    hears about shrunk type and sections with nothing to summarise.
    """
    sheet = SummarySheet(briefing, theme, options, metrics)
    fit = sheet.fit()
    for note in sheet.notes(fit):
        if on_note:
            on_note(note)
    return sheet.write(fit)


@dataclass
class Piece:
    """One unbreakable piece of a column: a section title, a key point or a figure, measured."""

    flowable: Flowable
    height: float
    before: float  # space above, dropped at the top of a column
    after: float
    keep_with_next: bool
    section: int  # index into the summarised sections
    lines: int
    cont: Piece | None = None  # the section's title marked "(cont.)", set above this piece atop a column
    kind: str = "title"  # title, point or fact: what the piece is in the structure of a tagged PDF


@dataclass
class Fit:
    """A summary fitted to its pages: the type scale, and each page's columns of piece indices."""

    scale: float
    pieces: list[Piece]
    pages: list[list[list[int]]]


class SummarySheet(PdfStyles, Blocks, PageFurniture, StructureBuilding):
    """One briefing's summary: measured, fitted (:meth:`fit`) and drawn (:meth:`draw`, :meth:`write`); its
    structure goes into ``tree`` (a book's, say), or a tree of its own, unless ``options.tagged`` is off."""

    def __init__(self, briefing: Briefing, theme: Theme, options: SummaryOptions, metrics: MetricsLookup,
                 tree: StructureTree | None = None):
        self.metrics = metrics
        if options.tagged:
            self.use_tree(tree or StructureTree(briefing.lang, briefing.title))
        self.b = briefing
        self.t = theme = _title_scaled(theme, theme.page.summary.title_scale)
        self.o = options
        self.lay = theme.page.summary
        self.page_w, self.page_h = PAGE_SIZES[options.page_size] if options.page_size else theme.page_size
        self.m = {side: v * self.lay.margin_scale for side, v in theme.margins.items()}
        self.frame_w = self.page_w - self.m["left"] - self.m["right"]
        self.bleed_w = theme.bleed if options.bleed else 0.0
        self.fonts = register_fonts(theme, needed_faces(briefing, theme))
        self.fallback_name = self.fonts[FALLBACK_ROLE][(False, False)] if FALLBACK_ROLE in self.fonts else None
        self.styles = {}
        self.sections = [s for s in briefing.sections if s.key_points or s.facts]
        self.ncols = max(1, int(self.lay.columns))
        self.col_gap = theme.text["h2"].size * self.lay.column_gap
        self.col_w = (self.frame_w - self.col_gap * (self.ncols - 1)) / self.ncols
        self.title = self.title_block()
        self.title_h = _stack_height(self.title, self.frame_w, self.page_h)
        top = self.page_h - self.m["top"]
        self.first_top = top - self.title_h - theme.text["h2"].size * self.lay.title_gap
        self.area_h = top - self.m["bottom"]  # a column's height on pages after the first
        self.first_h = self.first_top - self.m["bottom"]

    # -- fitting --------------------------------------------------------------------------------------
    def floor(self) -> float:
        """The smallest size any of the summary's type may take."""
        return max(self.lay.min_size, self.t.text["footer"].size)

    def scales(self) -> list[float]:
        """The type scales to try, largest first: 1, then bounded steps down to where key points hit the floor."""
        lowest = min(1.0, self.floor() / self.t.text["key_point"].size)
        step = max(self.lay.shrink_step, (1.0 - lowest) / MAX_STEPS, 1e-3)
        out = [1.0]
        while out[-1] - step > lowest + 1e-9:
            out.append(round(out[-1] - step, 6))
        if out[-1] > lowest:
            out.append(lowest)
        return out

    def capacities(self, pages: int) -> list[float]:
        return [self.first_h] * self.ncols + [self.area_h] * self.ncols * (pages - 1)

    def fit(self) -> Fit:
        """The largest type on the fewest pages that holds every piece; :class:`SummaryTooLong` if none does.

        The style's sizes on as few pages as allowed come first; the type shrinks
        only when even the allowed pages cannot hold the summary at those sizes.
        """
        if not self.sections:
            raise RenderError(Problem(f"summary of '{self.b.id}': none of the selected sections has key points "
                                      "or facts; nothing to summarise"))
        if self.first_h <= 0:
            raise SummaryTooLong(Problem(f"summary of '{self.b.id}': the title block leaves no room on the page"))
        pieces = self.pieces(1.0)
        if _pack(pieces, self.capacities(self.o.pages)) is not None:
            lo, hi = 0, self.o.pages  # the fewest pages that hold it: more than lo, at most hi
            while hi - lo > 1:
                mid = (lo + hi) // 2
                lo, hi = (lo, mid) if _pack(pieces, self.capacities(mid)) is not None else (mid, hi)
            return self._balanced(1.0, pieces, hi)
        # the largest step that fits, searched by halving; the first guess assumes the height goes with the
        # square of the scale (lines get both taller and more numerous), then its neighbour is tried
        scales, caps = self.scales(), self.capacities(self.o.pages)
        tried: dict[int, tuple[list[Piece], bool]] = {0: (pieces, False)}
        guess = _guess(scales, _height(pieces) / sum(caps))
        lo, hi = 0, len(scales)  # scales[lo] does not fit; scales[hi] does (len: none known to)
        while hi - lo > 1:
            if guess is not None and lo < guess < hi:
                mid = guess
            else:
                mid, guess = (lo + hi) // 2, None
            if mid not in tried:
                trial = self.pieces(scales[mid])
                tried[mid] = (trial, _pack(trial, caps) is not None)
            lo, hi = (lo, mid) if tried[mid][1] else (mid, hi)
            if guess is not None:  # the next probe: the step just above a fit, or just below a miss
                guess = guess - 1 if tried[mid][1] else guess + 1
        if hi == len(scales):
            raise SummaryTooLong(self._too_long(tried[lo][0], scales[lo]))
        return self._balanced(scales[hi], tried[hi][0], self.o.pages)

    def _balanced(self, scale: float, pieces: list[Piece], pages: int) -> Fit:
        """The pieces on ``pages`` pages, the last page's columns made as short, and so as even, as they can be."""
        caps = self.capacities(pages)
        last = caps[-1]
        lo, hi = 0.0, last  # columns of height lo hold nothing; of height hi, everything
        while hi - lo > BALANCE_PRECISION:
            mid = (lo + hi) / 2
            if _pack(pieces, caps[:-self.ncols] + [mid] * self.ncols) is not None:
                hi = mid
            else:
                lo = mid
        columns = _pack(pieces, caps[:-self.ncols] + [hi] * self.ncols)
        return Fit(scale, pieces, [columns[k:k + self.ncols] for k in range(0, len(columns), self.ncols)])

    def _too_long(self, pieces: list[Piece], scale: float) -> Problem:
        """What to tell the user when the summary cannot fit: lines over, sections to leave out, pages needed."""
        caps = self.capacities(self.o.pages)
        placed = _placed(pieces, caps)
        over = sum(p.lines for p in pieces[placed:])
        size = self.t.text["key_point"].size * scale
        pages = self.o.pages
        where = "one page" if pages == 1 else f"{pages} pages"
        how = f"even with its type shrunk to {size:.1f} pt" if scale < 1.0 else f"at {size:g} pt"
        text = f"summary of '{self.b.id}': does not fit on {where} {how}: {over} line{'s' if over != 1 else ''} over"
        weight: dict[int, float] = {}
        for p in pieces:
            weight[p.section] = weight.get(p.section, 0.0) + p.height + p.before
        dropped: list[int] = []
        for index in sorted(weight, key=lambda i: (-weight[i], i))[:-1]:  # one section must stay
            dropped.append(index)
            if _pack([p for p in pieces if p.section not in dropped], caps) is not None:
                ids = ",".join(self.sections[i].id for i in dropped)
                n = len(dropped)
                text += (f"; leave out {'the largest section' if n == 1 else f'the {n} largest sections'}"
                         f" (--exclude {ids})")
                break
        else:
            text += "; shorten the key points"
        more = next((n for n in range(pages + 1, pages + 50) if _pack(pieces, self.capacities(n)) is not None), None)
        if more:
            text += f", or allow {more} pages with --pages {more}"
        return Problem(text)

    def notes(self, fit: Fit) -> list[str]:
        """What a build should say about this summary: shrunk type, pages used, sections left out."""
        out = []
        skipped = [s.id for s in self.b.sections if not (s.key_points or s.facts)]
        if skipped:
            out.append(f"summary: left out {', '.join(skipped)} (no key points or facts)")
        if fit.scale < 1.0:
            size = self.t.text["key_point"].size
            out.append(f"summary: type shrunk to fit, key points {size:g} pt -> {size * fit.scale:.1f} pt")
        if len(fit.pages) > 1:
            out.append(f"summary: {len(fit.pages)} pages")
        return out

    # -- the pieces -----------------------------------------------------------------------------------
    def pieces(self, scale: float) -> list[Piece]:
        """Every section's title, key points and figures at ``scale`` times the style's sizes, measured."""
        t, lay, pl = self.t, self.lay, self.t.page.layout
        floor = self.floor()
        h2, kp, fv, fl = (t.text[n] for n in ("h2", "key_point", "fact_value", "fact_label"))

        def sized(ts, size):
            size = max(floor, size * scale)
            return size, ts.leading * size / ts.size

        h_size, h_lead = sized(h2, h2.size)
        k_size, k_lead = sized(kp, kp.size)
        v_size, v_lead = sized(fv, fv.size * lay.fact_value_scale)
        l_size, l_lead = sized(fl, fl.size)
        title_style = self.pstyle("h2", fontSize=h_size, leading=h_lead, spaceBefore=0, spaceAfter=0)
        kp_style = self.pstyle(
            "key_point", fontSize=k_size, leading=k_lead, spaceBefore=0, spaceAfter=0, bulletIndent=0,
            leftIndent=k_size * pl.key_point_indent, bulletFontSize=k_size * pl.key_point_marker,
            bulletOffsetY=k_size * pl.key_point_marker_rise, bulletColor=self.color("primary"),
            bulletFontName=self.fonts.get(FALLBACK_ROLE, self.fonts[kp.font])[(False, False)])
        fact_style = self.pstyle("fact_label", fontSize=l_size, leading=max(l_lead, v_lead), alignment=TA_LEFT,
                                 spaceBefore=0, spaceAfter=0)
        value_font = f'<font face="{self.font(fv)}" size="{v_size:.2f}" color="{self.color_markup(fv.color)}">'
        rule = t.page.rule_width * lay.section_rule
        out: list[Piece] = []
        for index, section in enumerate(self.sections):
            titles = [SectionTitle(Paragraph(self.text_markup(text, "h2"), title_style), rule,
                                   h_size * lay.section_rule_gap, self.color("rule"))
                      for text in (section.title, f"{section.title} {self.b.labels['continued']}")]
            title, cont = (self._piece(f, h2.space_before * scale, h2.space_after * scale, True, index)
                           for f in titles)
            out.append(title)
            for point in section.key_points:
                para = Paragraph(self.markup(point, "key_point"), kp_style, bulletText=KEY_POINT_MARK)
                out.append(self._piece(para, 0.0, kp.space_after * scale, False, index, cont, "point"))
            for k, fact in enumerate(section.facts):
                # a figure runs into its label on one baseline: "$623 billion  Two-way trade in ..."
                para = Paragraph(f"{value_font}{self.text_markup(fact.value, 'fact_value')}</font>\u00a0 "
                                 f"{self.text_markup(fact.label, 'fact_label')}", fact_style)
                before = k_lead * lay.facts_gap if k == 0 and section.key_points else 0.0
                keep = k in (0, len(section.facts) - 2)  # no figure alone at a column's foot or head
                out.append(self._piece(para, before, kp.space_after * scale, keep, index, cont, "fact"))
        return out

    def _piece(self, flowable: Flowable, before: float, after: float, keep: bool, section: int,
               cont: Piece | None = None, kind: str = "title") -> Piece:
        _, height = flowable.wrap(self.col_w, self.page_h)
        return Piece(flowable, height, before, after, keep, section, _lines(flowable), cont, kind)

    # -- drawing --------------------------------------------------------------------------------------
    def write(self, fit: Fit) -> bytes:
        """The fitted summary as a PDF of its own, fonts embedded, byte-identical for identical input."""
        buf = io.BytesIO()
        canv = self.canvas(buf)
        canv.setTitle(self.b.title)
        canv.setAuthor(self.b.issuer or "")
        canv.setSubject(self.subject())
        canv.setKeywords(", ".join(s.title for s in self.sections))
        self.draw(canv, fit)
        canv.save()
        return buf.getvalue()

    def canvas(self, buf) -> DeferredCanvas:
        """A byte-stable canvas for the summary's pages (the briefing's date as the document's), with crop
        marks and trim and bleed boxes when printing with bleed; the caller sets the document's metadata."""
        kwargs = {}
        if self.o.bleed:
            pl = self.t.page.layout
            border = self.t.bleed + pl.crop_mark_room
            w, h = self.page_w, self.page_h
            bleed = self.bleed_w
            kwargs = {"cropMarks": CropMarks(border, pl.crop_mark_weight, pl.crop_mark_length, 0),
                      "trimBox": (border, border, border + w, border + h),
                      "bleedBox": (border - bleed, border - bleed, border + w + bleed, border + h + bleed)}
        body = self.t.text["body"]
        canv = DeferredCanvas(buf, pagesize=(self.page_w, self.page_h), invariant=1, pageCompression=1,
                              initialFontName=self.fonts["body"][(False, False)], initialFontSize=body.size,
                              lang=self.b.lang, **kwargs)
        stamp = f"D:{self.b.date:%Y%m%d}000000+00'00'" if self.b.date else None
        if stamp:
            canv.setDateFormatter(lambda *parts: stamp)
        if self.tree is not None:
            canv.start_tagging(self.tree, self.subject(), self.b.issuer or "", stamp)
        canv.setCreator("briefgen")
        return canv

    def subject(self) -> str:
        names = ", ".join(s.title for s in self.sections)
        return f"Summary: {names}"

    def color_markup(self, ref: str) -> str:
        """A colour as paragraph markup takes it: hex, or ``cmyk(c,m,y,k)`` when the PDF is printed in CMYK."""
        color = self.color(ref)
        if self.o.cmyk:
            return f"cmyk({color.cyan:g},{color.magenta:g},{color.yellow:g},{color.black:g})"
        return self.t.color(ref)

    def tag_pieces(self, fit: Fit) -> None:
        """The structure of a tagged summary, in reading order (a title repeated "(cont.)" is an artifact)."""
        tag_sections(self, [(p.section, p.kind, p.flowable) for p in fit.pieces])
        for p in fit.pieces:
            self.tag(p.cont.flowable if p.cont else None, ARTIFACT)

    def draw(self, canv, fit: Fit) -> None:
        """Draw the fitted pages onto ``canv``, each ended with ``showPage`` (tagged when the canvas is)."""
        self.tag_pieces(fit)
        doc = SimpleNamespace(page_section="")  # the running header and footer name no section
        for number, columns in enumerate(fit.pages):
            self._watermark(canv)
            self._marking(canv)
            if number == 0:
                _draw_stack(canv, self.title, self.m["left"], self.page_h - self.m["top"], self.frame_w, self.page_h)
                top = self.first_top
            else:
                self._header(canv, doc)
                top = self.page_h - self.m["top"]
            for c, column in enumerate(columns):
                x = self.m["left"] + c * (self.col_w + self.col_gap)
                y = top
                previous = None
                heads = [fit.pieces[column[0]].cont] if column and fit.pieces[column[0]].cont else []
                for piece in heads + [fit.pieces[i] for i in column]:
                    if previous is not None:
                        y -= max(previous.after, piece.before)
                    piece.flowable.drawOn(canv, x, y - piece.height)
                    y -= piece.height
                    previous = piece
            self._footer(canv, doc)
            canv.showPage()


class SectionTitle(Flowable):
    """A section's title with a hairline beneath it."""

    def __init__(self, para: Paragraph, rule: float, gap: float, color):
        super().__init__()
        self.para, self.rule, self.gap, self.rule_color = para, rule, gap, color

    def wrap(self, aw, ah):
        self.width = aw
        _, h = self.para.wrap(aw, ah)
        self.height = h + (self.gap + self.rule if self.rule else 0.0)
        return aw, self.height

    def draw(self):
        self.para.drawOn(self.canv, 0, self.height - self.para.height)
        if self.rule:
            self.canv.saveState()
            self.canv.setStrokeColor(self.rule_color)
            self.canv.setLineWidth(self.rule)
            self.canv.line(0, self.rule / 2, self.width, self.rule / 2)
            self.canv.restoreState()


def _title_scaled(theme: Theme, scale: float) -> Theme:
    """The theme with the title block scaled for the summary: its text styles, logo and colour-block band."""
    if scale == 1.0:
        return theme
    text = dict(theme.text)
    for name in TITLE_STYLES:
        ts = text[name]
        text[name] = dataclasses.replace(ts, size=ts.size * scale, leading=ts.leading * scale,
                                         space_before=ts.space_before * scale, space_after=ts.space_after * scale,
                                         tracking=ts.tracking * scale)
    page = dataclasses.replace(theme.page, cover_band=theme.page.cover_band * scale,
                               logo_height=theme.page.logo_height * scale)
    return dataclasses.replace(theme, text=text, page=page)


def _lines(flowable) -> int:
    """The lines of text a measured piece holds."""
    if isinstance(flowable, Paragraph):
        return len(flowable.blPara.lines)
    if isinstance(flowable, SectionTitle):
        return _lines(flowable.para)
    return 1


def _height(pieces: list[Piece]) -> float:
    """The height of the pieces set in one column."""
    return sum(p.height for p in pieces) + sum(max(a.after, b.before) for a, b in pairwise(pieces))


def _guess(scales: list[float], ratio: float) -> int:
    """The index of the largest scale at which pieces ``ratio`` times too tall at scale 1 should fit."""
    target = ratio ** -0.5 if ratio > 0 else 1.0
    return next((i for i, s in enumerate(scales) if s <= target), len(scales) - 1)


def _pack(pieces: list[Piece], capacities: list[float]) -> list[list[int]] | None:
    """The pieces, in order, in columns of these heights (a title never last in its column, a section
    going on atop a column under its title marked "(cont.)"); None if some are left over."""
    columns: list[list[int]] = [[] for _ in capacities]
    placed = _placed(pieces, capacities, columns)
    return columns if placed == len(pieces) else None


def _placed(pieces: list[Piece], capacities: list[float], columns: list[list[int]] | None = None) -> int:
    """How many pieces, from the first, fit in columns of these heights, filled in turn; a piece kept with
    the next goes to the next column unless the whole run it starts fits (or could fit in no column)."""
    col, used, prev = 0, 0.0, None
    i = 0
    while i < len(pieces) and col < len(capacities):
        piece = pieces[i]
        if prev is not None:
            need = max(prev.after, piece.before) + piece.height
        elif piece.cont is not None:
            need = piece.cont.height + max(piece.cont.after, piece.before) + piece.height
        else:
            need = piece.height
        group = need
        if prev is None or not prev.keep_with_next:  # a run of pieces kept together starts here: all must fit
            j = i
            while pieces[j].keep_with_next and j + 1 < len(pieces):
                group += max(pieces[j].after, pieces[j + 1].before) + pieces[j + 1].height
                j += 1
        room = capacities[col] + 1e-6 - used
        if group <= room or (prev is None and need <= room):  # a run taller than a column breaks
            if columns is not None:
                columns[col].append(i)
            used += need
            prev = piece
            i += 1
        elif prev is None:
            return i  # taller than an empty column: it fits nowhere
        else:
            col, used, prev = col + 1, 0.0, None
    return i


def _stack_height(flowables: list, width: float, height: float) -> float:
    """The height a list of flowables takes set one under another, spaces between them collapsing to the
    larger (as reportlab's frames do), the last one's space after included."""
    total, prev_after = 0.0, None
    for f in flowables:
        _, h = f.wrap(width, height)
        if prev_after is not None:
            total += max(prev_after, f.getSpaceBefore())
        total += h
        prev_after = f.getSpaceAfter()
    return total + (prev_after or 0.0)


def _draw_stack(canv, flowables: list, x: float, top: float, width: float, height: float) -> None:
    """Draw flowables one under another from ``top``, spaced as :func:`_stack_height` measures them."""
    y, prev_after = top, None
    for f in flowables:
        w, h = f.wrap(width, height)
        if prev_after is not None:
            y -= max(prev_after, f.getSpaceBefore())
        align = getattr(f, "hAlign", "LEFT")
        dx = (width - w) / 2 if align == "CENTER" else (width - w if align == "RIGHT" else 0.0)
        f.drawOn(canv, x + dx, y - h)
        y -= h
        prev_after = f.getSpaceAfter()
