"""The printed book: a cover, one contents, then each briefing from a page of its own, in one PDF.

The book is laid out by the briefing's own PDF builder (:class:`PdfBuilder`), told a
few things more: its story is the book's, its headings sit one level deeper in the
outline (under their briefing's title), the closing sources of each briefing have a
destination of their own, and the running header and footer name the briefing whose
pages they are on. Pages are numbered through the whole book ("Page X of Y").
"""

from __future__ import annotations

import dataclasses

from reportlab.platypus import Flowable, NextPageTemplate, PageBreak, Paragraph, Spacer
from reportlab.platypus.flowables import PageBreakIfNotEmpty

from ...model import Book, Briefing
from ...theme import MetricsLookup, Theme
from ..pdf.contents import SOURCES_KEY, Contents, HeadingRoom, Mark, MarkedHeading
from ..pdf.document import PdfBuilder, PdfOptions
from ..pdf.styles import needed_faces, register_fonts
from .parts import bound, briefing_key, front, prefix

CONTENTS_KEY = "briefgen.contents"  # the contents' own destination
BOOK_LEVEL = -1  # a mark one level above a section: a briefing's title, the contents (outline level 0)


def render_book_pdf(book: Book, theme: Theme, options: PdfOptions, *, metrics: MetricsLookup) -> bytes:
    """The book as PDF bytes; ``metrics`` gives each font file's measurements (read by the loader)."""
    return BookBuilder(book, theme, options, metrics).build()


class BookHeading(MarkedHeading):
    """A marked heading set one level deeper in the outline than in a briefing of its own, under its
    briefing's title. The mark itself keeps its level: the running header follows sections by it."""

    def draw(self):
        mark = self.mark
        if mark is not None:
            self.mark = Mark(mark.key, mark.title, mark.level + 1)
        try:
            super().draw()
        finally:
            self.mark = mark


class PagesOf(Flowable):
    """Nothing to see: where a briefing's pages begin. The pages from here on carry its title, issuer and
    date in their running header and footer."""

    width = height = 0

    def __init__(self, builder: "BookBuilder", briefing: Briefing):
        super().__init__()
        self.builder, self.briefing = builder, briefing

    def wrap(self, aw, ah):
        return 0, 0

    def draw(self):
        self.builder.on_page = self.briefing


class BookContents(Contents):
    """A briefing's entries in the book's contents: its title, then its sections indented. It is never split
    right after the briefing's title (unless it starts a page)."""

    def split(self, aw, ah):
        parts = super().split(aw, ah)
        b = self.builder
        at_top = ah >= b.page_h - b.m["top"] - b.m["bottom"] - 1
        if len(parts) == 2 and len(parts[0].entries) == 1 and not at_top:
            return []
        return parts


class BookBuilder(PdfBuilder):
    """The PDF builder laying out a whole book (see the module's description)."""

    def __init__(self, book: Book, theme: Theme, options: PdfOptions, metrics: MetricsLookup):
        self.book = book
        self.parts = bound(book)
        self.front = front(book, self.parts)
        super().__init__(self.front, theme, options, metrics)
        faces = needed_faces(self.front, theme).union(*(needed_faces(b, theme) for b in self.parts))
        toc = theme.text["toc_entry"]
        faces.add((toc.font, True, toc.italic))  # a briefing's line in the contents
        self.fonts = register_fonts(theme, faces)
        self.on_page: Briefing = self.front  # the briefing whose pages are being laid out
        self.id_prefix = ""  # the section ids' prefix of the briefing whose story is being made
        self._title_mark: Mark | None = None

    def briefing_on_page(self, doc) -> Briefing:
        return self.on_page

    def subject(self) -> str:
        names = ", ".join(b.title for b in self.parts)
        return f"{self.book.subtitle + ': ' if self.book.subtitle else ''}{names}"

    # -- the story ----------------------------------------------------------------------------------
    def story(self) -> list:
        lay = self.t.page.layout
        story: list = [NextPageTemplate("body"), *self.cover(), PageBreak()]
        label = self.front.labels["contents"]
        story.append(self.tag(BookHeading(self.text_markup(label, "toc_title"),
                                          self.pstyle("toc_title", keepWithNext=1),
                                          mark=Mark(CONTENTS_KEY, label, BOOK_LEVEL), pages=self.section_pages), "P"))
        toc = self.t.text["toc_entry"]
        element = self.struct("TOC")  # one contents for the book; each entry is tagged as it is drawn
        for n, briefing in enumerate(self.parts, start=1):
            if n > 1:
                story.append(Spacer(1, toc.leading * lay.book_contents_gap))
            part = self.contents_of(n, briefing)
            part.element = element
            story.append(part)
        for n, briefing in enumerate(self.parts, start=1):
            self.b, self.id_prefix = briefing, prefix(n)
            story += [PageBreakIfNotEmpty("first"), PagesOf(self, briefing)]
            self._title_mark = Mark(briefing_key(n), briefing.title, BOOK_LEVEL)
            story += self.title_block()
            story.append(NextPageTemplate("body"))
            for section in briefing.sections:
                story.extend(self.render_section(section))
            story.extend(self.sources())
        self.b, self.id_prefix = self.front, ""
        return story

    def cover(self) -> list:
        """The book's title block, lower on the page than a briefing's: below a space, or at the foot of a
        colour block made that much taller."""
        t = self.t
        drop = (self.page_h - self.m["top"] - self.m["bottom"]) * t.page.layout.book_cover_drop
        if t.page.cover != "block":
            return [Spacer(1, drop), *self.title_block()]
        self.t = dataclasses.replace(t, page=dataclasses.replace(t.page, cover_band=t.page.cover_band + drop))
        try:
            return self.title_block()
        finally:
            self.t = t

    def contents_of(self, number: int, briefing: Briefing) -> BookContents:
        """One briefing's lines of the contents: its title (bold), its sections and its sources, indented."""
        toc = self.t.text["toc_entry"]
        lead = self.pstyle("toc_entry", fontName=self.font(toc, bold=True))
        under = self.pstyle("toc_entry", leftIndent=toc.size * self.t.page.layout.book_contents_indent)
        entries = [(briefing_key(number), briefing.title, lead)]
        entries += [(s.id, s.title, under) for s in briefing.sections]
        if briefing.all_sources:
            entries.append((prefix(number) + SOURCES_KEY, briefing.labels["sources"], under))
        paragraphs = [Paragraph(self.text_markup(title, "toc_entry"), style) for _, title, style in entries]
        return BookContents(self, [(key, title) for key, title, _ in entries], paragraphs)

    # -- what the briefing's builder makes, adjusted for the book -----------------------------------
    def heading(self, markup: str, style: str, mark: Mark) -> list:
        """A heading marked under its briefing; the briefing's closing sources get a destination of their own."""
        if mark.key == SOURCES_KEY:
            mark = Mark(self.id_prefix + SOURCES_KEY, mark.title, mark.level)
        return [HeadingRoom(), BookHeading(markup, self.pstyle(style, keepWithNext=1), mark=mark,
                                           pages=self.section_pages)]

    def text_para(self, text: str, style: str, **overrides) -> Paragraph:
        """As the builder's, but a briefing's title marks where the briefing starts (outline, contents)."""
        if style == "title" and self._title_mark is not None:
            mark, self._title_mark = self._title_mark, None
            return BookHeading(self.text_markup(text, style), self.pstyle(style, **overrides), mark=mark,
                               pages=self.section_pages)
        return super().text_para(text, style, **overrides)
