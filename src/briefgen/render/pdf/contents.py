"""The contents page, and the section marks that the contents, the outline and the running header follow."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .document import PdfBuilder


from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Flowable, Paragraph


class SectionMark(Flowable):
    """An invisible flowable that records where a section or subsection starts (outline, TOC, header)."""

    def __init__(self, key: str, title: str, level: int, section_title: str | None):
        super().__init__()
        self.key, self.title, self.level, self.section_title = key, title, level, section_title
        self.width = self.height = 0

    def wrap(self, aw, ah):
        return 0, 0

    def draw(self):
        canv = self.canv
        canv.bookmarkPage(self.key)
        canv.addOutlineEntry(self.title, self.key, level=self.level, closed=self.level > 0)


class Contents(Flowable):
    """The table of contents in a single layout pass.

    Its height is known before any page number is (one line per entry, titles
    wrapped to the column), so the space is reserved while the pages are laid out
    and the entries, dot leaders, page numbers and links are drawn into the held
    first page when the document is saved. reportlab's own TableOfContents needs
    a second full layout pass for the same result.
    """

    def __init__(self, builder: "PdfBuilder", entries: list[tuple[str, str]], paragraphs: list | None = None,
                 heights: tuple[float, list[float]] | None = None):
        super().__init__()
        # (text width, heights) of the last wrap: a long contents is split page after page, and each
        # part would otherwise wrap every remaining entry again
        self._wrapped = heights
        self.builder = builder
        ts = builder.t.text["toc_entry"]
        self.style = builder.pstyle("toc_entry")
        self.number_font = builder.font(ts)
        self.size = ts.size
        self.layout = builder.t.page.layout
        self.number_w = pdfmetrics.stringWidth("0" * int(self.layout.toc_number_room), self.number_font, ts.size)
        self.titles = entries
        self.entries = list(zip((k for k, _ in entries), paragraphs)) if paragraphs is not None else [
            (key, Paragraph(builder.text_markup(title, "toc_entry"), self.style)) for key, title in entries]

    def split(self, aw, ah):
        """The entries that fit in ``ah``, then the rest: a long contents runs over several pages."""
        self.wrap(aw, ah)
        used, k = 0.0, 0
        while k < len(self.heights) and used + self.heights[k] <= ah:
            used += self.heights[k]
            k += 1
        if k == 0 or k == len(self.entries):
            return [] if k == 0 else [self]
        paras = [p for _, p in self.entries]
        w, hs = self._wrapped
        return [Contents(self.builder, self.titles[:k], paras[:k], (w, hs[:k])),
                Contents(self.builder, self.titles[k:], paras[k:], (w, hs[k:]))]

    def wrap(self, aw, ah):
        self.width = aw
        self.text_w = aw - self.number_w - self.size
        if self._wrapped is None or self._wrapped[0] != self.text_w:
            # an entry's height depends on the column width only, never on the space left
            self._wrapped = (self.text_w, [p.wrap(self.text_w, ah)[1] for _, p in self.entries])
        self.heights = self._wrapped[1]
        self.height = sum(self.heights)
        return aw, self.height

    def draw(self):
        canv = self.canv
        ax, ay = canv.absolutePosition(0, 0)
        canv.deferred.append(lambda c, total: self._draw_entries(c, ax, ay + self.height))

    def _draw_entries(self, c, x, top):
        b = self.builder
        dots = b.color("muted")
        for (key, para), h in zip(self.entries, self.heights):
            y = top - h
            para.drawOn(c, x, y)
            page = b.section_pages.get(key)
            label = str(page) if page else ""
            base = y + h - self.style.leading + (self.style.leading - self.size) / 2 + self.size * self.layout.baseline_rise
            c.saveState()
            c.setFont(self.number_font, self.size)
            c.setFillColor(b.color(b.t.text["toc_entry"].color))
            c.drawRightString(x + self.width, base, label)
            last = para.blPara.lines[-1]
            spare = last[0] if isinstance(last, tuple) else getattr(last, "extraSpace", 0)
            start = x + self.text_w - spare + self.size * 0.5
            end = x + self.width - self.number_w  # every leader ends at the same place
            step = self.size * self.layout.toc_leader_step
            n = int((end - start) // step)
            if n > 0:  # a dot leader: one run of dots, spaced by character spacing
                tx = c.beginText()
                tx.setFont(self.number_font, self.size)
                tx.setFillColor(dots)
                tx.setCharSpace(step - pdfmetrics.stringWidth(".", self.number_font, self.size))
                tx.setTextOrigin(end - n * step, base)
                tx.textOut("." * n)
                c.drawText(tx)
            c.restoreState()
            c.linkAbsolute("", key, Rect=(x, y, x + self.width, y + h), name=f"contents-{key}")
            top = y
