"""The contents page, and the marked headings that the contents, the outline and the running header follow."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Flowable, Paragraph

from .tagging import LAYOUT, artifact, marked

if TYPE_CHECKING:
    from .document import PdfBuilder

SOURCES_KEY = "briefgen.sources"  # the closing sources' destination ('.' is never in a section id)


@dataclass(frozen=True)
class Mark:
    """Where a section or subsection starts: its destination name, its outline title and level."""

    key: str
    title: str
    level: int  # 0 a section, 1 a subsection


class HeadingRoom(Flowable):
    """Nothing, set just before a heading: reportlab lets a flowable's space above overlap the space below
    the one before it; with this in between, a heading's space above is added to it instead (the
    rhythm the styles are drawn for)."""

    width = height = 0

    def wrap(self, aw, ah):
        return 0, 0

    def draw(self):
        pass


class MarkedHeading(Paragraph):
    """A heading that marks the place it is drawn at: a destination at its top, an outline entry, and its
    page for the contents (``pages``, key -> page number).

    The mark is made by the heading itself, at drawing time, so it lands where the
    heading is printed even when the heading is kept with what follows it and moves
    to the next page. When a long heading is split over two pages, the first part
    keeps the mark.
    """

    def __init__(self, text, style=None, bulletText=None, frags=None, caseSensitive=1, encoding="utf8",
                 mark: Mark | None = None, pages: dict[str, int] | None = None):
        super().__init__(text, style, bulletText=bulletText, frags=frags, caseSensitive=caseSensitive,
                         encoding=encoding)
        self.mark, self.pages = mark, pages

    def split(self, aw, ah):
        parts = super().split(aw, ah)
        for i, part in enumerate(parts):
            part.mark, part.pages = (self.mark if i == 0 else None), self.pages
        return parts

    def draw(self):
        mark = self.mark
        if mark is not None:
            canv = self.canv
            canv.bookmarkHorizontal(mark.key, 0, self.height)
            canv.addOutlineEntry(mark.title, mark.key, level=mark.level, closed=mark.level > 0)
            self.pages[mark.key] = canv.getPageNumber()
        super().draw()


class Contents(Flowable):
    """The table of contents in a single layout pass.

    Its height is known before any page number is (one line per entry, titles
    wrapped to the column), so the space is reserved while the pages are laid out
    and the entries, dot leaders, page numbers and links are drawn into the held
    first page when the document is saved. reportlab's own TableOfContents needs
    a second full layout pass for the same result.
    """

    def __init__(self, builder: "PdfBuilder", entries: list[tuple[str, str]], paragraphs: list | None = None,
                 heights: tuple[float, list[float]] | None = None, cut: bool = False):
        super().__init__()
        self.element = None  # the TOC element of a tagged PDF, whose entries are made as they are drawn
        self.cut = cut  # the last entry goes on in the next part: its page number is printed there
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
        paras = [p for _, p in self.entries]
        if k == 0:
            # an entry taller than a whole page (a very long title) is split between its lines; any other
            # waits for the next page
            b = self.builder
            if self.heights[0] <= b.page_h - b.m["top"] - b.m["bottom"]:
                return []
            parts = paras[0].split(self.text_w, ah)
            if len(parts) < 2:
                return []
            return [Contents(self.builder, self.titles[:1], parts[:1], cut=True),
                    Contents(self.builder, self.titles, parts[1:2] + paras[1:], cut=self.cut)]
        if k == len(self.entries):
            return [self]
        w, hs = self._wrapped
        parts = [Contents(self.builder, self.titles[:k], paras[:k], (w, hs[:k])),
                 Contents(self.builder, self.titles[k:], paras[k:], (w, hs[k:]), cut=self.cut)]
        for part in parts:
            part.element = self.element
        return parts

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

    def page_label(self, key: str) -> str:
        """The page number printed for an entry: the page its heading was drawn on (known once laid out)."""
        page = self.builder.section_pages.get(key)
        return str(page) if page else ""

    def _draw_entries(self, c, x, top):
        b = self.builder
        dots = b.color("muted")
        for n, ((key, para), h, (_, title)) in enumerate(zip(self.entries, self.heights, self.titles)):
            y = top - h
            # an entry is a link to its section: its title and page number, and the link annotation
            link = self.element.add("TOCI").add("Link", contents=title) if self.element is not None else None
            cut_here = self.cut and n == len(self.entries) - 1  # its number and leader end its last part
            with marked(c, link):
                para.drawOn(c, x, y)
                if cut_here:
                    c.linkAbsolute("", key, Rect=(x, y, x + self.width, y + h),
                                   name=f"contents-{key}-{c.getPageNumber()}")
                else:
                    label = self.page_label(key)
                    # the number and its leader on the entry's last line, where its words end
                    base = y + (self.style.leading - self.size) / 2 + self.size * self.layout.baseline_rise
                    c.saveState()
                    c.setFont(self.number_font, self.size)
                    c.setFillColor(b.color(b.t.text["toc_entry"].color))
                    c.drawRightString(x + self.width, base, label)
                    c.restoreState()
                    c.linkAbsolute("", key, Rect=(x, y, x + self.width, y + h), name=f"contents-{key}")
            if cut_here:
                break
            last = para.blPara.lines[-1]
            spare = last[0] if isinstance(last, tuple) else getattr(last, "extraSpace", 0)
            start = x + self.text_w - spare + self.size * 0.5
            end = x + self.width - self.number_w  # every leader ends at the same place
            step = self.size * self.layout.toc_leader_step
            dots_n = int((end - start) // step)
            if dots_n > 0:  # a dot leader: one run of dots, spaced by character spacing
                c.saveState()
                tx = c.beginText()
                tx.setFont(self.number_font, self.size)
                tx.setFillColor(dots)
                tx.setCharSpace(step - pdfmetrics.stringWidth(".", self.number_font, self.size))
                tx.setTextOrigin(end - dots_n * step, base)
                tx.textOut("." * dots_n)
                with artifact(c, LAYOUT):
                    c.drawText(tx)
                c.restoreState()
            top = y