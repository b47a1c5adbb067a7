"""The slides PDF: one page per planned slide, the page the size of the slide, with a bookmark per slide
title and links from the agenda to each section's first slide."""

from __future__ import annotations

import io
from dataclasses import dataclass

from reportlab.lib.colors import HexColor
from reportlab.pdfbase.pdfmetrics import stringWidth

from ...theme import MetricsLookup, Theme
from ..pdf.tagging import PAGINATION, StructureTree, TaggingCanvas, artifact
from ..plan import SlidePlan, Watermark
from .draw import SlideDrawer
from .fonts import Faces


@dataclass(frozen=True)
class SlidesPdfOptions:
    """How to print the deck: ``draft`` is the watermark's word (the briefing's 'draft' label), or None;
    ``tagged`` writes a tagged PDF (PDF/UA-1), one ``Sect`` per slide."""

    draft: str | None = None
    tagged: bool = True


def slide_key(index: int) -> str:
    """The PDF destination of a slide (0-based index)."""
    return f"slide-{index + 1}"


def new_canvas(buf, size: tuple[float, float], plan: SlidePlan, faces: Faces,
               tree: StructureTree | None = None) -> TaggingCanvas:
    """A byte-stable canvas (reportlab's invariant mode, the briefing's date as the document's date) carrying
    the deck's metadata; its initial font is the body font (reportlab's default would be an unembedded one).
    With ``tree`` it tags what is drawn on it."""
    c = TaggingCanvas(buf, pagesize=size, invariant=1, pageCompression=1, lang=plan.lang,
                      initialFontName=faces.name(plan.body_family))
    stamp = f"D:{plan.date:%Y%m%d}000000+00'00'" if plan.date else None
    if stamp:
        c.setDateFormatter(lambda *parts: stamp)
    if tree is not None:
        c.start_tagging(tree, plan.subject, plan.author, stamp)
    c.setTitle(plan.title)
    c.setAuthor(plan.author)
    c.setSubject(plan.subject)
    c.setKeywords(plan.keywords)
    c.setCreator("briefgen")
    return c


def watermark(c, word: str, theme: Theme, faces: Faces, width: float, height: float, opacity: float = 1.0) -> None:
    """The draft watermark across a page or slide, as the printed briefing draws it: the style's watermark
    text style at its angle, translucent letters with a stronger outline (``opacity`` scales both), drawn
    over what is already on the page so the text beneath stays readable; the word reads back whole. In a
    tagged PDF it is an artifact."""
    with artifact(c, PAGINATION, "Watermark"):
        _watermark(c, word, theme, faces, width, height, opacity)


def _watermark(c, word: str, theme: Theme, faces: Faces, width: float, height: float, opacity: float) -> None:
    ts = theme.text["watermark"]
    lay = theme.page.layout
    word = word.upper() if ts.upper else word
    font = faces.name(theme.fonts[ts.font].family, ts.bold, ts.italic)
    c.saveState()
    color = HexColor(ts.color)
    c.setFillColor(color)
    c.setStrokeColor(color)
    c.setFillAlpha(lay.watermark_fill_alpha * opacity)
    c.setStrokeAlpha(lay.watermark_line_alpha * opacity)
    c.setLineWidth(ts.size * lay.watermark_line_weight)
    c.translate(width / 2, height / 2)
    c.rotate(lay.watermark_angle)
    text = c.beginText()
    text.setTextRenderMode(_FILL_AND_STROKE)
    text.setFont(font, ts.size)
    text.setTextOrigin(-stringWidth(word, font, ts.size) / 2, -ts.size * lay.watermark_drop)
    text.textOut(word)
    c.addLiteral(f"/Span <</ActualText <FEFF{word.encode('utf-16-be').hex().upper()}>>> BDC")
    c.drawText(text)
    c.addLiteral("EMC")
    c.restoreState()


_FILL_AND_STROKE = 2  # a PDF text rendering mode


def render_slides_pdf(plan: SlidePlan, theme: Theme, options: SlidesPdfOptions, *, metrics: MetricsLookup) -> bytes:
    """The deck as PDF bytes, drawn from the same plan the PPTX writer serialises."""
    buf = io.BytesIO()
    faces = Faces(theme, metrics)
    tree = StructureTree(plan.lang, plan.title) if options.tagged else None
    c = new_canvas(buf, (plan.width, plan.height), plan, faces, tree)
    drawer = SlideDrawer(plan, faces, slide_key)
    opacity = theme.page.layout.slide_watermark_opacity
    for i, slide in enumerate(plan.slides):
        c.bookmarkPage(slide_key(i))
        c.addOutlineEntry(slide.title or str(i + 1), slide_key(i), level=0)
        drawer.parent = tree.root.add("Sect") if tree is not None else None  # one section per slide
        drawer.draw(c, slide, i + 1)
        if options.draft and not any(isinstance(b, Watermark) for b in slide.boxes):  # the plan's own, else this
            watermark(c, options.draft, theme, faces, plan.width, plan.height, opacity)
        c.showPage()
    c.showOutline()
    c.save()
    return buf.getvalue()
