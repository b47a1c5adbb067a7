"""The speaker handout: printed pages (Letter or A4) holding each planned slide drawn small, with its speaker
notes set in the body style beneath it (one slide a page) or beside it (two or three a page).

Pages are laid out as slots, ``per_page`` to a page, before anything is drawn,
so every page knows the page count. Notes too long for their slot go on in the
next slot under the slide's title and the 'continued' label.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from xml.sax.saxutils import escape

from reportlab.lib.colors import HexColor
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph

from ...formats import HANDOUT_PER_PAGE as PER_PAGE
from ...model import Briefing
from ...theme import PAGE_SIZES, MetricsLookup, Theme
from ..common import fit_text, marking_lines, running_text
from ..plan import SlidePlan
from .deck import new_canvas, watermark
from .draw import SlideDrawer
from .fonts import Faces

_ALIGN = {"left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT, "justify": TA_JUSTIFY}


@dataclass(frozen=True)
class HandoutOptions:
    """How to print the handout: slides per page (1, 2 or 3), a page size override, a DRAFT watermark."""

    per_page: int = 1
    page_size: str | None = None
    draft: bool = False


@dataclass
class _Slot:
    """One place on a page: a slide (or, when ``with_slide`` is false, the continuation of its notes) and
    the notes set in it as (flowable, x, y, height), x and y from the slot's top-left corner."""

    index: int
    with_slide: bool
    notes: list


def handout_key(index: int) -> str:
    return f"handout-slide-{index + 1}"


def render_handout(plan: SlidePlan, briefing: Briefing, theme: Theme, options: HandoutOptions, *,
                   metrics: MetricsLookup) -> bytes:
    """The handout as PDF bytes, from the same plan the deck is written from."""
    return _Handout(plan, briefing, theme, options, metrics).build()


class _Handout:
    def __init__(self, plan: SlidePlan, briefing: Briefing, theme: Theme, options: HandoutOptions,
                 metrics: MetricsLookup):
        if options.per_page not in PER_PAGE:
            raise ValueError(f"per_page must be one of {PER_PAGE}")
        self.plan, self.b, self.t, self.o = plan, briefing, theme, options
        self.faces = Faces(theme, metrics)
        self.W, self.H = PAGE_SIZES[options.page_size] if options.page_size else theme.page_size
        m = theme.margins
        self.x0, self.top = m["left"], m["top"]
        self.frame_w = self.W - m["left"] - m["right"]
        frame_h = self.H - m["top"] - m["bottom"]
        layout = theme.page.layout
        body = theme.text["body"]
        k = options.per_page
        self.gap = body.leading * layout.handout_gap
        self.slot_gap = body.leading * layout.handout_slot_gap
        self.slot_h = (frame_h - (k - 1) * self.slot_gap) / k
        aspect = plan.height / plan.width
        # notes go in up to two areas of a slot: (x, y from the slot's top, width, height)
        if k == 1:  # the slide across the frame, its notes beneath
            self.slide_w = self.frame_w
            self.slide_h = self.slide_w * aspect
            below = self.slide_h + self.gap
            self.areas = [(0.0, below, self.frame_w, self.slot_h - below)]
        else:  # the slide on the left, its notes beside it and then on under it
            self.slide_w = min(self.frame_w * layout.handout_slide_share, self.slot_h / aspect)
            self.slide_h = self.slide_w * aspect
            beside = self.slide_w + self.gap
            below = self.slide_h + self.gap
            self.areas = [(beside, 0.0, self.frame_w - beside, self.slide_h),
                          (0.0, below, self.frame_w, self.slot_h - below)]
        self.drawer = SlideDrawer(plan, self.faces, handout_key)
        self.body_style = self._style("body")
        self.cont_style = self._style("caption")

    # -- text ----------------------------------------------------------------------------------------
    def _style(self, name: str) -> ParagraphStyle:
        ts = self.t.text[name]
        font = self.faces.name(self.t.fonts[ts.font].family, ts.bold, ts.italic)
        return ParagraphStyle(name=f"handout-{name}", fontName=font, fontSize=ts.size, leading=ts.leading,
                              textColor=HexColor(ts.color), spaceAfter=ts.space_after, alignment=_ALIGN[ts.align],
                              allowWidows=0, allowOrphans=0, splitLongWords=1)

    def _para(self, text: str, style: ParagraphStyle) -> Paragraph:
        """Plain text as a paragraph: author text escaped, line breaks kept, missing glyphs from the fallback."""
        out = []
        for font, piece in self.faces.pieces(text, style.fontName):
            piece = escape(piece).replace("\n", "<br/>")
            out.append(piece if font == style.fontName else f'<font face="{font}">{piece}</font>')
        return Paragraph("".join(out), style)

    def _notes(self, notes: str) -> list[Paragraph]:
        return [self._para(chunk.strip("\n"), self.body_style) for chunk in notes.split("\n\n") if chunk.strip()]

    # -- layout --------------------------------------------------------------------------------------
    def slots(self) -> list[_Slot]:
        """Every slot in page order: each slide with the notes that fit beside or under it, then any slots
        its notes continue into. Notes the slide before carries too (a section's prose behind each of its
        slides) are printed once, with the first of them."""
        out: list[_Slot] = []
        previous = None
        for i, slide in enumerate(self.plan.slides):
            rest = self._notes(slide.notes) if slide.notes != previous else []
            previous = slide.notes
            placed = []
            for x, y, w, h in self.areas:
                if h >= self.body_style.leading:
                    placed += [(f, x, y + fy, fh) for f, fy, fh in _fill(rest, w, h)]
            out.append(_Slot(i, True, placed))
            while rest:
                label = self._para(f"{slide.title} {self.b.labels['continued']}", self.cont_style)
                head = [(f, 0.0, y, h) for f, y, h in _fill([label], self.frame_w, self.slot_h)]
                used = sum(h for *_, h in head) + label.getSpaceAfter()
                body = [(f, 0.0, used + y, h) for f, y, h in _fill(rest, self.frame_w, self.slot_h - used, force=True)]
                out.append(_Slot(i, False, head + body))
        return out

    def build(self) -> bytes:
        buf = io.BytesIO()
        c = new_canvas(buf, (self.W, self.H), self.plan, self.faces)
        slots = self.slots()
        k = self.o.per_page
        pages = [slots[n:n + k] for n in range(0, len(slots), k)]
        titles = {s.id: s.title for s in self.b.sections}
        for number, page in enumerate(pages, start=1):
            if self.o.draft:
                watermark(c, self.b.labels["draft"], self.t, self.faces, self.W, self.H)
            for j, slot in enumerate(page):
                self._slot(c, slot, self.top + j * (self.slot_h + self.slot_gap))
            self._marking(c)
            section = next((s.section_id for s in (self.plan.slides[p.index] for p in page) if s.section_id), None)
            self._running(c, number, len(pages), titles.get(section, ""))
            c.showPage()
        c.showOutline()
        c.save()
        return buf.getvalue()

    def _slot(self, c, slot: _Slot, top: float) -> None:
        x0 = self.x0
        if slot.with_slide:
            slide = self.plan.slides[slot.index]
            scale = self.slide_w / self.plan.width
            c.bookmarkPage(handout_key(slot.index), fit="XYZ", left=x0, top=self.H - top)
            c.addOutlineEntry(slide.title or str(slot.index + 1), handout_key(slot.index), level=0)
            c.saveState()
            c.translate(x0, self.H - top - self.slide_h)
            c.scale(scale, scale)
            clip = c.beginPath()
            clip.rect(0, 0, self.plan.width, self.plan.height)
            c.clipPath(clip, stroke=0, fill=0)
            self.drawer.draw(c, slide, slot.index + 1)
            c.restoreState()
            c.setStrokeColor(HexColor(self.t.color("rule")))
            c.setLineWidth(self.t.page.rule_width)
            c.rect(x0, self.H - top - self.slide_h, self.slide_w, self.slide_h, stroke=1, fill=0)
        for flowable, x, y, h in slot.notes:
            flowable.drawOn(c, x0 + x, self.H - top - y - h)

    # -- page furniture --------------------------------------------------------------------------------
    def _marking(self, c) -> None:
        text = self.b.marking
        if not text:
            return
        t = self.t
        ts = t.text["marking"]
        layout = t.page.layout
        font = self.faces.name(t.fonts[ts.font].family, ts.bold, ts.italic)
        label = text.upper() if ts.upper else text
        # as on the printed briefing's pages: shrunk to one line across the text area, or over several
        size, lines = marking_lines(label, self.frame_w, ts.size, ts.size * layout.marking_floor, ts.tracking,
                                    lambda s, sz: self.faces.width(s, font, sz))
        leading = ts.leading * size / ts.size
        band = ts.leading + (len(lines) - 1) * leading + ts.size * layout.marking_band
        fill = t.color(t.page.marking_fill)
        c.saveState()  # the letter spacing below is text state, which would outlive the text object
        for y in (self.H - band, 0.0):
            if fill:
                c.setFillColor(HexColor(fill))
                c.rect(0, y, self.W, band, stroke=0, fill=1)
            c.setFillColor(HexColor(t.color(ts.color) if fill else t.color("text")))
            baseline = y + (band - size - (len(lines) - 1) * leading) / 2 + size * layout.baseline_rise
            for k, line in enumerate(lines):
                width = self.faces.width(line, font, size) + ts.tracking * max(len(line) - 1, 0)
                tx = c.beginText((self.W - width) / 2, baseline + (len(lines) - 1 - k) * leading)
                tx.setFont(font, size)
                tx.setCharSpace(ts.tracking)
                tx.textOut(line)
                c.drawText(tx)
        c.restoreState()

    def _running(self, c, page: int, pages: int, section: str) -> None:
        """The style's running header and footer, as on the printed briefing's pages."""
        t = self.t
        layout = t.page.layout
        m = t.margins
        x0, x1 = m["left"], self.W - m["right"]
        for spec, style, y, rule in (
                (t.page.header, "header", self.H - m["top"] + m["top"] * layout.header_rise, -1),
                (t.page.footer, "footer", m["bottom"] * layout.footer_rise, 1)):
            if not (spec.left or spec.center or spec.right):
                continue
            ts = t.text[style]
            font = self.faces.name(t.fonts[ts.font].family, ts.bold, ts.italic)
            available = (x1 - x0) / (2 if spec.center else layout.running_share)
            c.setFont(font, ts.size)
            c.setFillColor(HexColor(ts.color))
            for where, template in (("left", spec.left), ("center", spec.center), ("right", spec.right)):
                if not template:
                    continue
                text = running_text(template, self.b, section=section, page=page, pages=pages)
                text = fit_text(text, available, lambda s: self.faces.width(s, font, ts.size))
                if where == "left":
                    c.drawString(x0, y, text)
                elif where == "center":
                    c.drawCentredString((x0 + x1) / 2, y, text)
                else:
                    c.drawRightString(x1, y, text)
            if t.page.rule_width:
                rule_y = y - ts.size * layout.header_rule_drop if rule < 0 else y + ts.leading
                c.setStrokeColor(HexColor(t.color("rule")))
                c.setLineWidth(t.page.rule_width * layout.running_rule_weight)
                c.line(x0, rule_y, x1, rule_y)


def _fill(flowables: list, width: float, height: float, force: bool = False) -> list[tuple[object, float, float]]:
    """Take from the front of ``flowables`` what fits ``height``, splitting a paragraph between lines; returns
    (flowable, offset from the top, height) and leaves the rest in the list. ``force`` sets the first
    paragraph even when not one of its lines fits (a whole slot that cannot hold a line would otherwise
    be passed on for ever)."""
    placed: list[tuple[object, float, float]] = []
    y = 0.0
    while flowables:
        f = flowables[0]
        _, h = f.wrap(width, height - y)
        if y + h <= height:
            placed.append((f, y, h))
            y += h + f.getSpaceAfter()
            flowables.pop(0)
            continue
        parts = f.split(width, height - y)
        if len(parts) > 1:
            _, h = parts[0].wrap(width, height - y)
            placed.append((parts[0], y, h))
            flowables[0:1] = parts[1:]
        elif force and not placed:
            _, h = f.wrap(width, height)  # split() may have dropped the wrapped lines
            placed.append((f, y, h))
            flowables.pop(0)
        break
    return placed
