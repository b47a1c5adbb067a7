"""The speaker handout: printed pages (Letter or A4) holding each planned slide drawn small, with its speaker
notes set in the body style beneath it (one slide a page) or beside it (two or three a page).

Pages are laid out as slots, ``per_page`` to a page, before anything is drawn,
so every page knows the page count. A section's notes are shared by the slides that carry them (a
section spread over "(1 of 2)" and "(2 of 2)" gives each its part, evened out between paragraphs).
Notes that overflow their slot by a little are set a little closer (leading and spacing, within
``handout_leading_floor`` and ``handout_space_floor``) rather than leave a few lines on a page of their
own; notes still too long for their slot go on in the next slot under the slide's title and the
'continued' label. List items in the notes are set as bulleted paragraphs.
"""

from __future__ import annotations

import io
import re
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
_ITEM = re.compile(r"((?:  )*)- (.*)")  # a list item of the notes' text: '- ', two spaces a level
BULLET = "\u2022"
SHARE_STEPS = 8  # halvings of a slot's height when evening out the notes that slides share
TIGHTEN_STEPS = 8  # steps from the body's leading and spacing down to their floors


@dataclass(frozen=True)
class HandoutOptions:
    """How to print the handout: slides per page (1, 2 or 3), a page size override, a DRAFT watermark."""

    per_page: int = 1
    page_size: str | None = None
    draft: bool = False


@dataclass(frozen=True)
class _Piece:
    """One paragraph of a slide's notes: its text, and its list level when it is a list item (else None)."""

    text: str
    level: int | None = None
    label: bool = False  # the 'continued' label over notes carried from a slide before


def note_pieces(notes: str) -> list[_Piece]:
    """Speaker notes as paragraphs: blank lines part them, and a list's items are paragraphs of their own."""
    out: list[_Piece] = []
    for chunk in notes.split("\n\n"):
        chunk = chunk.strip("\n")
        if chunk.strip():
            items = _list_items(chunk)
            out.extend(items if items is not None else [_Piece(chunk)])
    return out


def _list_items(chunk: str) -> list[_Piece] | None:
    """A chunk written as a list ('- ' items, nested by two spaces, an item's further lines indented) as its
    items; None for any other text."""
    items: list[list] = []
    for line in chunk.split("\n"):
        m = _ITEM.fullmatch(line)
        if m:
            items.append([len(m.group(1)) // 2, m.group(2)])
        elif items and line.startswith("  "):
            items[-1][1] += "\n" + line.strip()
        else:
            return None
    return [_Piece(text, level) for level, text in items]


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
        self._note_styles: dict[tuple, ParagraphStyle] = {}
        self._placed: dict[tuple, tuple[list, list]] = {}  # a slide's notes, placed (see _place)
        self._measured: dict[tuple, Paragraph] = {}  # paragraphs made to measure what fits (see _flowables)

    # -- text ----------------------------------------------------------------------------------------
    def _style(self, name: str) -> ParagraphStyle:
        ts = self.t.text[name]
        font = self.faces.name(self.t.fonts[ts.font].family, ts.bold, ts.italic)
        return ParagraphStyle(name=f"handout-{name}", fontName=font, fontSize=ts.size, leading=ts.leading,
                              textColor=HexColor(ts.color), spaceAfter=ts.space_after, alignment=_ALIGN[ts.align],
                              allowWidows=0, allowOrphans=0, splitLongWords=1)

    def _para(self, text: str, style: ParagraphStyle, bullet: str | None = None) -> Paragraph:
        """Plain text as a paragraph: author text escaped, line breaks kept, missing glyphs from the fallback."""
        out = []
        for font, piece in self.faces.pieces(text, style.fontName):
            piece = escape(piece).replace("\n", "<br/>")
            out.append(piece if font == style.fontName else f'<font face="{font}">{piece}</font>')
        return Paragraph("".join(out), style, bulletText=bullet)

    def _flowables(self, pieces: list[_Piece], tight: float = 0.0, reuse: bool = False) -> list[Paragraph]:
        """The pieces of notes as paragraphs in the body style; list items bulleted and indented by level.
        ``tight`` (0 to 1) sets them closer, from the body's leading and spacing to their floors. With
        ``reuse``, paragraphs made before are handed out again: only for measuring, never to be drawn (a
        paragraph draws the lines of the last width it was wrapped to)."""
        out = []
        for n, piece in enumerate(pieces):
            in_list = n + 1 < len(pieces) and pieces[n + 1].level is not None
            key = (piece, in_list, tight)
            if reuse and key in self._measured:
                out.append(self._measured[key])
                continue
            if piece.label:
                para = self._para(piece.text, self.cont_style)
            else:
                para = self._para(piece.text, self._note_style(piece.level, in_list, tight),
                                  bullet=BULLET if piece.level is not None else None)
            if reuse:
                self._measured[key] = para
            out.append(para)
        return out

    def _note_style(self, level: int | None, in_list: bool, tight: float) -> ParagraphStyle:
        """The body style for notes: closer by ``tight``; for a list item at ``level``, indented, with the
        bullet style's spacing before a further item of the list."""
        key = (level, in_list, tight)
        if key not in self._note_styles:
            lay = self.t.page.layout
            body = self.body_style
            after = body.spaceAfter
            extra = {}
            if level is not None:
                indent = body.fontSize * lay.list_indent
                extra = dict(leftIndent=indent * (level + 1), bulletIndent=indent * level,
                             bulletFontName=body.fontName, bulletFontSize=body.fontSize,
                             bulletColor=HexColor(self.t.color("primary")))
                after = self.t.text["bullet"].space_after if in_list else after
            self._note_styles[key] = ParagraphStyle(
                name=f"handout-notes-{level}-{in_list}-{tight}", parent=body,
                leading=body.leading * (1 - tight * (1 - lay.handout_leading_floor)),
                spaceAfter=after * (1 - tight * (1 - lay.handout_space_floor)), **extra)
        return self._note_styles[key]

    # -- layout --------------------------------------------------------------------------------------
    def slots(self) -> list[_Slot]:
        """Every slot in page order: each slide with the notes that fit beside or under it, then any slots
        its notes continue into. Notes the slide before carries too are printed once, with the first of
        them; a section's notes are shared with its next slides that carry none of their own (the parts of
        a section spread over slides), and what those cannot hold goes on below the notes of the section's
        next slides (its chart, table or image) where it fits there."""
        out: list[_Slot] = []
        slides = self.plan.slides
        shares: dict[int, list[_Piece]] = {}
        runs = []
        previous = None
        for i, slide in enumerate(slides):
            if slide.notes and slide.notes != previous:
                run = [i]
                while (run[-1] + 1 < len(slides) and not slides[run[-1] + 1].notes and slide.section_id
                       and slides[run[-1] + 1].section_id == slide.section_id):
                    run.append(run[-1] + 1)
                for j, group in zip(run, self._share(note_pieces(slide.notes), len(run))):
                    shares[j] = group
                runs.append(run)
            previous = slide.notes
        for run in runs:
            self._carry(run[-1], shares)
        for i, slide in enumerate(slides):
            placed, rest = self._place(shares.get(i, []))
            out.append(_Slot(i, True, placed))
            while rest:
                label = self._para(f"{slide.title} {self.b.labels['continued']}", self.cont_style)
                head = [(f, 0.0, y, h) for f, y, h in _fill([label], self.frame_w, self.slot_h)]
                used = sum(h for *_, h in head) + label.getSpaceAfter()
                body = [(f, 0.0, used + y, h) for f, y, h in _fill(rest, self.frame_w, self.slot_h - used, force=True)]
                out.append(_Slot(i, False, head + body))
        return out

    def _carry(self, last: int, shares: dict[int, list[_Piece]]) -> None:
        """The paragraphs slide ``last`` cannot hold, moved below the notes of the section's next slides
        that have notes of their own, under the slide's title and the 'continued' label, as far as they fit
        there whole; when they do not all fit, they stay and run on into continuation slots."""
        slides = self.plan.slides
        section = slides[last].section_id
        later = []
        for j in range(last + 1, len(slides)):
            if not section or slides[j].section_id != section:
                break
            if shares.get(j):
                later.append(j)
        group = shares.get(last, [])
        if not later or not self._place(group)[1]:
            return
        keep = self._whole(group, 1.0)
        if not keep:
            return
        carry = group[keep:]
        label = _Piece(f"{slides[last].title} {self.b.labels['continued']}", label=True)
        moved = {}
        for j in later:
            own = shares[j]
            n = self._whole([*own, label, *carry], 1.0) - len(own) - 1
            if n > 0:
                moved[j] = [*own, label, *carry[:n]]
                carry = carry[n:]
            if not carry:
                shares[last] = group[:keep]
                shares.update(moved)
                return

    def _areas(self, rest: list, scale: float = 1.0) -> list:
        """Fill a slot's note areas (their heights times ``scale``) from ``rest``: (flowable, x, y, height)."""
        placed = []
        for x, y, w, h in self.areas:
            if h * scale >= self.body_style.leading:
                placed += [(f, x, y + fy, fh) for f, fy, fh in _fill(rest, w, h * scale)]
        return placed

    def _whole(self, pieces: list[_Piece], scale: float) -> int:
        """How many of ``pieces``, from the first, a slot's note areas (times ``scale``) hold whole."""
        rest = self._flowables(pieces, reuse=True)
        self._areas(rest, scale)
        return len(pieces) - len(rest)

    def _share(self, pieces: list[_Piece], k: int) -> list[list[_Piece]]:
        """A section's notes cut between paragraphs into ``k`` parts, one for each slide that carries them:
        as even as lets each part fit its slot; when they do not all fit, each slide holds what it can and
        the last runs on."""

        def parts(scale: float) -> list[list[_Piece]]:
            out, at = [], 0
            for _ in range(k - 1):
                n = self._whole(pieces[at:], scale)
                out.append(pieces[at:at + n])
                at += n
            return out + [pieces[at:]]

        full = parts(1.0)
        if k == 1 or self._whole(full[-1], 1.0) < len(full[-1]):
            return full
        lo, hi = 0.0, 1.0  # the smallest share of a slot each part may take, as far as halving finds it
        for _ in range(SHARE_STEPS):
            mid = (lo + hi) / 2
            last = parts(mid)[-1]
            if self._whole(last, mid) == len(last):
                hi = mid
            else:
                lo = mid
        return parts(hi)

    def _place(self, pieces: list[_Piece]) -> tuple[list, list]:
        """A slide's notes placed in its slot, and the paragraphs left over for continuation slots. Notes a
        little too long are set closer, as little as leaves nothing over, when the floors do."""
        key = tuple(pieces)
        if key not in self._placed:
            tried = {}

            def attempt(step: int) -> tuple[list, list]:
                if step not in tried:
                    rest = self._flowables(pieces, step / TIGHTEN_STEPS)
                    tried[step] = (self._areas(rest), rest)
                return tried[step]

            best = 0
            if attempt(0)[1] and not attempt(TIGHTEN_STEPS)[1]:
                lo, best = 0, TIGHTEN_STEPS  # halving: closer set notes never need more room
                while best - lo > 1:
                    mid = (lo + best) // 2
                    if attempt(mid)[1]:
                        lo = mid
                    else:
                        best = mid
            self._placed[key] = attempt(best)
        placed, rest = self._placed[key]
        return list(placed), list(rest)  # continuation slots take from ``rest``

    def build(self) -> bytes:
        buf = io.BytesIO()
        c = new_canvas(buf, (self.W, self.H), self.plan, self.faces)
        slots = self.slots()
        k = self.o.per_page
        pages = [slots[n:n + k] for n in range(0, len(slots), k)]
        titles = {s.id: s.title for s in self.b.sections}
        for number, page in enumerate(pages, start=1):
            for j, slot in enumerate(page):
                self._slot(c, slot, self.top + j * (self.slot_h + self.slot_gap))
            self._marking(c)
            if self.o.draft:  # over everything, translucent, as on the printed briefing's pages
                watermark(c, self.b.labels["draft"], self.t, self.faces, self.W, self.H)
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
            self.drawer.draw(c, slide, slot.index + 1, marks=False)
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
