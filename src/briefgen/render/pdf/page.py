"""Page furniture: the canvas that holds pages for 'Page X of Y', the doc template, running header and
footer, marking banners, the DRAFT watermark and crop marks."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .document import PdfBuilder


from reportlab.lib import colors as rl_colors
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Spacer
from reportlab.platypus.doctemplate import ActionFlowable

from ..common import fit_text, marking_lines, needs_total, running_text
from .contents import HeadingRoom
from .tagging import LAYOUT, PAGINATION, TaggingCanvas, artifact

_FILL_AND_STROKE = 2  # a PDF text rendering mode


# -- canvas with "Page X of Y" -------------------------------------------------------------------
class DeferredCanvas(TaggingCanvas):
    """A canvas that holds pages back until the end, so footers can name the page count (and tags what it
    draws once given a structure tree, see :mod:`.tagging`)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._held: list[dict] = []
        self.deferred: list = []  # callables(canvas, total) for the current page

    def bookmarkPage(self, key, fit="Fit", left=None, top=None, bottom=None, right=None, zoom=None):
        """A destination on this page, bound when the page is written.

        reportlab names a destination's page by the number of pages written so
        far; a held page is written only at save, so binding now would point every
        destination at the first page.
        """
        shift = self._getCmShift() or 0  # crop marks move the content, as reportlab does for link areas
        args = dict(fit=fit, left=left, top=top, bottom=bottom, right=right, zoom=zoom)
        for name in ("left", "top", "bottom", "right"):
            if args[name] is not None:
                args[name] += shift
        self.deferred.append(lambda c, total: Canvas.bookmarkPage(c, key, **args))

    def showPage(self):
        self._held.append(dict(self.__dict__))
        self._startPage()
        self.deferred = []

    def save(self):
        total = len(self._held)
        for state in self._held:
            self.__dict__.update(state)
            for draw in self.deferred:
                draw(self, total)
            Canvas.showPage(self)
        super().save()


class BriefingTemplate(BaseDocTemplate):
    def __init__(self, *args, builder: "PdfBuilder", **kwargs):
        super().__init__(*args, **kwargs)
        self.builder = builder
        self.current_section = ""  # the section in force
        self.page_section = ""  # the section the header names: the one at the top of the page
        self.page_has_content = False

    def handle_pageBegin(self):
        super().handle_pageBegin()
        self.page_section = self.current_section
        self.page_has_content = False

    def afterFlowable(self, flowable):
        mark = getattr(flowable, "mark", None)
        if mark is not None and mark.level == 0:
            self.current_section = mark.title
            if not self.page_has_content:
                self.page_section = mark.title
        # what is not drawn (spaces, page and frame actions) leaves the page without content
        if not isinstance(flowable, (Spacer, ActionFlowable, HeadingRoom)):
            self.page_has_content = True


class PageFurniture:
    """What every page carries besides its content (a part of the PDF builder)."""

    def decorate_first(self, canv, doc):
        self._marking(canv)

    def finish_first(self, canv, doc):
        self._footer(canv, doc)
        self._watermark(canv)

    def decorate(self, canv, doc):
        self._marking(canv)

    def finish_page(self, canv, doc):
        self._header(canv, doc)
        self._footer(canv, doc)
        self._watermark(canv)

    def briefing_on_page(self, doc):
        """The briefing whose title, issuer and date the running header and footer of this page name."""
        return self.b

    def _running(self, canv, doc, spec, y, style, rule_y):
        t = self.t
        ts = t.text[style]
        font = self.font(ts)
        x0, x1 = self.m["left"], self.page_w - self.m["right"]
        section = doc.page_section
        briefing = self.briefing_on_page(doc)
        available = (x1 - x0) / (2 if spec.center else t.page.layout.running_share)
        for pos, template in (("left", spec.left), ("center", spec.center), ("right", spec.right)):
            if not template:
                continue

            def draw(c, total, template=template, pos=pos):
                text = running_text(template, briefing, section=section, page=c.getPageNumber(), pages=total)
                text = fit_text(text, available, lambda s: pdfmetrics.stringWidth(s, font, ts.size))
                with artifact(c, PAGINATION, "Header" if style == "header" else "Footer"):
                    c.saveState()
                    c.setFont(font, ts.size)
                    c.setFillColor(self.color(ts.color))
                    if pos == "left":
                        c.drawString(x0, y, text)
                    elif pos == "center":
                        c.drawCentredString((x0 + x1) / 2, y, text)
                    else:
                        c.drawRightString(x1, y, text)
                    c.restoreState()

            if needs_total(template):
                canv.deferred.append(draw)
            else:
                draw(canv, 0)
        if rule_y is not None and t.page.rule_width:
            with artifact(canv, LAYOUT):
                canv.saveState()
                canv.setStrokeColor(self.color("rule"))
                canv.setLineWidth(t.page.rule_width * t.page.layout.running_rule_weight)
                canv.line(x0, rule_y, x1, rule_y)
                canv.restoreState()

    def _header(self, canv, doc):
        spec = self.t.page.header
        if not (spec.left or spec.center or spec.right):
            return
        lay = self.t.page.layout
        top = self.page_h - self.m["top"]
        y = top + self.m["top"] * lay.header_rise
        marking = self._marking_set()
        if marking:  # below a marking band grown to several lines
            y = min(y, self.page_h - marking[3] - self.t.text["header"].leading)
        self._running(canv, doc, spec, y, "header", y - self.t.text["header"].size * lay.header_rule_drop)

    def _footer(self, canv, doc):
        spec = self.t.page.footer
        if not (spec.left or spec.center or spec.right):
            return
        y = self.m["bottom"] * self.t.page.layout.footer_rise
        marking = self._marking_set()
        if marking:  # above a marking band grown to several lines
            y = max(y, marking[3] + self.t.text["footer"].leading / 2)
        self._running(canv, doc, spec, y, "footer", y + self.t.text["footer"].leading)

    def _marking_set(self) -> tuple[float, list[str], float, float] | None:
        """The marking's size, lines, leading and band height (None without a marking): whole and on the
        page, shrunk to one line across the text area, or broken over lines in a taller band."""
        text = self.b.marking
        if not text:
            return None
        ts = self.t.text["marking"]
        font = self.font(ts)
        lay = self.t.page.layout
        label = text.upper() if ts.upper else text
        size, lines = marking_lines(label, self.frame_w, ts.size, ts.size * lay.marking_floor, ts.tracking,
                                    lambda s, sz: pdfmetrics.stringWidth(s, font, sz))
        leading = ts.leading * size / ts.size
        return size, lines, leading, ts.leading + (len(lines) - 1) * leading + ts.size * lay.marking_band

    def _marking(self, canv):
        marking = self._marking_set()
        if marking is None:
            return
        size, lines, leading, band_h = marking
        t = self.t
        ts = t.text["marking"]
        font = self.font(ts)
        lay = t.page.layout
        fill = t.page.marking_fill
        bleed = self.bleed_w
        for y0 in (self.page_h - band_h, 0.0):
            with artifact(canv, PAGINATION):
                canv.saveState()
                if fill:
                    canv.setFillColor(self.color(fill))
                    top_extra = bleed if y0 > 0 else 0
                    bottom_extra = bleed if y0 == 0 else 0
                    canv.rect(-bleed, y0 - bottom_extra, self.page_w + 2 * bleed, band_h + top_extra + bottom_extra,
                              stroke=0, fill=1)
                canv.setFillColor(self.color(ts.color))
                canv.setFont(font, size)
                # the lines centred as a block in the band, the first baseline highest
                baseline = y0 + (band_h - size - (len(lines) - 1) * leading) / 2 + size * lay.baseline_rise
                for k, line in enumerate(lines):
                    tx = canv.beginText()
                    tx.setFont(font, size)
                    tx.setCharSpace(ts.tracking)
                    w = pdfmetrics.stringWidth(line, font, size) + ts.tracking * max(len(line) - 1, 0)
                    tx.setTextOrigin((self.page_w - w) / 2, baseline + (len(lines) - 1 - k) * leading)
                    tx.textOut(line)
                    canv.drawText(tx)
                canv.restoreState()

    def _watermark(self, canv):
        """DRAFT across the page, drawn over everything else on it (so it is queued after what the page
        still draws when it is written, such as the contents): translucent letters with a stronger
        outline, so that it shows on any page and the text beneath stays readable. It is real text, so
        a search finds it."""
        if self.o.draft:
            canv.deferred.append(lambda c, total: self._draw_watermark(c))

    def _draw_watermark(self, c):
        ts = self.t.text["watermark"]
        lay = self.t.page.layout
        label = self.b.labels["draft"]
        label = label.upper() if ts.upper else label
        font = self.font(ts)
        color = self.color(ts.color)
        with artifact(c, PAGINATION, "Watermark"):
            c.saveState()
            c.setFillColor(color)
            c.setStrokeColor(color)
            c.setFillAlpha(lay.watermark_fill_alpha)
            c.setStrokeAlpha(lay.watermark_line_alpha)
            c.setLineWidth(ts.size * lay.watermark_line_weight)
            c.translate(self.page_w / 2, self.page_h / 2)
            c.rotate(lay.watermark_angle)
            tx = c.beginText()
            tx.setTextRenderMode(_FILL_AND_STROKE)
            tx.setFont(font, ts.size)
            tx.setTextOrigin(-pdfmetrics.stringWidth(label, font, ts.size) / 2, -ts.size * lay.watermark_drop)
            tx.textOut(label)
            # text extractors split diagonal letters into pieces; the word as ActualText reads back whole
            c.addLiteral(f"/Span <</ActualText <FEFF{label.encode('utf-16-be').hex().upper()}>>> BDC")
            c.drawText(tx)
            c.addLiteral("EMC")
            c.restoreState()


class CropMarks:
    def __init__(self, borderWidth, markWidth, markLength, bleedWidth):
        self.borderWidth, self.markWidth, self.markLength, self.bleedWidth = (borderWidth, markWidth, markLength,
                                                                              bleedWidth)
        self.markColor = rl_colors.black
        self.markLast = 1
