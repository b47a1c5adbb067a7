"""The PDF builder: the story of a briefing laid out on page templates and saved in one pass.

One ``render_<block>`` method per model node; every size, colour and font comes
from the Theme. Fonts are TrueType files from the style, embedded as subsets;
the output is byte-identical for identical input (reportlab's invariant mode,
with the briefing's own date as the creation date)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Callable

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Frame, NextPageTemplate, PageTemplate, Spacer

from ...model import Briefing
from ...theme import FALLBACK_ROLE, PAGE_SIZES, MetricsLookup, Theme
from .blocks import Blocks
from .charts import Charts
from .contents import SOURCES_KEY, Contents
from .page import BriefingTemplate, CropMarks, DeferredCanvas, PageFurniture
from .styles import PdfStyles, needed_faces, register_fonts
from .tagged_flowables import StructureBuilding
from .tagging import StructureTree


@dataclass(frozen=True)
class PdfOptions:
    """How to print: page size override, bleed with crop marks, CMYK colours, a DRAFT watermark; ``tagged``
    writes the structure tree and marked content of a tagged PDF (PDF/UA-1)."""

    page_size: str | None = None
    bleed: bool = False
    cmyk: bool = False
    draft: bool = False
    tagged: bool = True


def render_pdf(briefing: Briefing, theme: Theme, options: PdfOptions, *, metrics: MetricsLookup,
               on_note: Callable[[str], None] | None = None) -> bytes:
    """The briefing as PDF bytes; ``metrics`` gives each font file's measurements (read by the loader);
    ``on_note`` hears what the PDF shows otherwise than written (a pie's smallest slices grouped)."""
    return PdfBuilder(briefing, theme, options, metrics, on_note).build()

class PdfBuilder(PdfStyles, Blocks, Charts, PageFurniture, StructureBuilding):
    def __init__(self, briefing: Briefing, theme: Theme, options: PdfOptions, metrics: MetricsLookup,
                 on_note: Callable[[str], None] | None = None):
        self.metrics = metrics
        self.note = on_note or (lambda message: None)
        # the structure tree of the tagged PDF, filled in as the story is built (None: an untagged PDF)
        self.use_tree(StructureTree(briefing.lang, briefing.title) if options.tagged else None)
        self.b = briefing
        self.t = theme
        self.o = options
        self.page_w, self.page_h = PAGE_SIZES[options.page_size] if options.page_size else theme.page_size
        self.m = theme.margins
        self.frame_w = self.page_w - self.m["left"] - self.m["right"]
        self.fonts = register_fonts(theme, needed_faces(briefing, theme))
        self.body_metrics = self.metrics(theme.fonts["body"].regular)
        self.fallback_name = self.fonts[FALLBACK_ROLE][(False, False)] if FALLBACK_ROLE in self.fonts else None
        self.styles: dict[str, ParagraphStyle] = {}
        self._subheadings = 0
        self._contained = 0  # > 0 while rendering blocks that go inside a list item
        self._quote_indent = 0.0  # the indent of quotes inside a list item, which cannot move the frame
        self.section_pages: dict[str, int] = {}  # destination key -> page, filled in as headings are drawn

    # -- the document -------------------------------------------------------------------------------
    def build(self) -> bytes:
        buf = io.BytesIO()
        b, t = self.b, self.t
        canvas_kwargs = {}
        bw = 0.0
        lay = t.page.layout
        if self.o.bleed:
            bleed = t.bleed
            bw = bleed + lay.crop_mark_room  # room for the crop marks outside the bleed
            W, H = self.page_w, self.page_h
            canvas_kwargs = dict(
                cropMarks={"borderWidth": bw, "markWidth": lay.crop_mark_weight, "markLength": lay.crop_mark_length,
                           "bleedWidth": 0},
                trimBox=(bw, bw, bw + W, bw + H), bleedBox=(bw - bleed, bw - bleed, bw + W + bleed, bw + H + bleed))
        self.bleed_w = t.bleed if self.o.bleed else 0.0
        date = b.date
        stamp = f"D:{date:%Y%m%d}000000+00'00'" if date else None
        doc = BriefingTemplate(
            buf, builder=self, pagesize=(self.page_w, self.page_h), leftMargin=self.m["left"],
            rightMargin=self.m["right"], topMargin=self.m["top"], bottomMargin=self.m["bottom"],
            title=b.title, author=b.issuer or "", subject=self.subject(), creator="briefgen",
            keywords=[s.title for s in b.sections], invariant=1, pageCompression=1,
            initialFontName=self.fonts["body"][(False, False)], initialFontSize=t.text["body"].size,
            lang=b.lang, enforceColorSpace=self.as_cmyk if self.o.cmyk else None,
            **({"cropMarks": CropMarks(**canvas_kwargs["cropMarks"])} if canvas_kwargs else {}))
        if canvas_kwargs:
            doc.trimBox = canvas_kwargs["trimBox"]
            doc.bleedBox = canvas_kwargs["bleedBox"]
        frame = Frame(self.m["left"], self.m["bottom"], self.frame_w, self.page_h - self.m["top"] - self.m["bottom"],
                      id="body", leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        doc.addPageTemplates([
            PageTemplate(id="first", frames=[frame], onPage=self.decorate_first, onPageEnd=self.finish_first),
            PageTemplate(id="body", frames=[frame], onPage=self.decorate, onPageEnd=self.finish_page),
        ])
        story = self.story()

        def make_canvas(*args, **kwargs):
            if canvas_kwargs:
                kwargs["trimBox"] = canvas_kwargs["trimBox"]
                kwargs["bleedBox"] = canvas_kwargs["bleedBox"]
            canv = DeferredCanvas(*args, **kwargs)
            if stamp:
                canv.setDateFormatter(lambda *parts: stamp)
            if self.tree is not None:
                canv.start_tagging(self.tree, self.subject(), b.issuer or "", stamp)
            return canv

        # one pass: the page count and the contents' page numbers are drawn when the held pages are saved
        doc.build(story, canvasmaker=make_canvas)
        return buf.getvalue()

    def subject(self) -> str:
        names = ", ".join(s.title for s in self.b.sections)
        return f"{self.b.subtitle + ': ' if self.b.subtitle else ''}{names}"

    def story(self) -> list:
        b, t = self.b, self.t
        story: list = [NextPageTemplate("body")]
        story.extend(self.title_block())
        if len(b.sections) >= t.page.toc_min_sections:
            entries = [(s.id, s.title) for s in b.sections]
            if b.all_sources:
                entries.append((SOURCES_KEY, b.labels["sources"]))
            story.append(self.tag(self.text_para(b.labels["contents"], "toc_title"), "P"))
            toc = Contents(self, entries)
            toc.element = self.struct("TOC")  # its entries are tagged as they are drawn
            story.append(toc)
            story.append(Spacer(1, t.text["h1"].space_before / 2))
        for section in b.sections:
            story.extend(self.render_section(section))
        story.extend(self.sources())
        return story
