"""The printed briefing: the document model and a Theme into PDF bytes (reportlab platypus).

One ``render_<block>`` method per model node; every size, colour and font comes
from the Theme. Fonts are TrueType files from the style, embedded as subsets;
the output is byte-identical for identical input (reportlab's invariant mode,
with the briefing's own date as the creation date).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.charts.piecharts import Pie
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors as rl_colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (BaseDocTemplate, Flowable, Frame, Image as RLImage, Indenter, KeepTogether,
                                ListFlowable, ListItem as RLListItem, NextPageTemplate, PageTemplate, Paragraph,
                                Spacer, Table as RLTable, TableStyle)

from ...errors import RenderError
from ...load.fonts import FALLBACK_ROLE, metrics
from ...model import (Block, Briefing, BulletList, Chart, CodeBlock, Heading, Image, Inline, ListItem,
                     Paragraph as MParagraph, Quote, Run, Section, Table)
from ...theme import PAGE_SIZES, TextStyle, Theme
from ..common import (column_alignments, format_number, needs_total, number_format, running_text, share_widths,
                     wrap_words)

_ALIGN = {"left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT, "justify": TA_JUSTIFY}
_WHITESPACE = frozenset("\n\t \u00a0")
LIST_CHUNK = 40  # list items per ListFlowable (see render_bulletlist)
_FACES = (("regular", False, False), ("bold", True, False), ("italic", False, True), ("bold_italic", True, True))


@dataclass(frozen=True)
class PdfOptions:
    """How to print: page size override, bleed with crop marks, CMYK colours, a DRAFT watermark."""

    page_size: str | None = None
    bleed: bool = False
    cmyk: bool = False
    draft: bool = False


def render_pdf(briefing: Briefing, theme: Theme, options: PdfOptions = PdfOptions()) -> bytes:
    """The briefing as PDF bytes."""
    return _PdfBuilder(briefing, theme, options).build()


# -- fonts ------------------------------------------------------------------------------------
def _font_name(path) -> str:
    return "bg-" + path.stem


def _needed_faces(briefing: Briefing, theme: Theme) -> set[tuple[str, bool, bool]]:
    """The (role, bold, italic) faces this PDF can draw with; parsing a TrueType file costs ~10 ms, so only
    these are registered."""
    faces = {(ts.font, ts.bold, ts.italic) for name, ts in theme.text.items()
             if not name.startswith("slide_") and name != "code"}
    faces.add((theme.text["chart_label"].font, theme.text["chart_label"].bold, True))  # chart units
    combos: set[tuple[bool, bool]] = set()
    code = False

    def walk(blocks):
        nonlocal code
        for blk in blocks:
            runs = getattr(blk, "runs", None)
            if runs:
                yield runs
            for item in getattr(blk, "items", ()):
                yield from walk(item.blocks)
            yield from walk(getattr(blk, "blocks", ()))
            if isinstance(blk, Table):
                yield from blk.header
                yield from (cell for row in blk.rows for cell in row)
            if isinstance(blk, CodeBlock):
                code = True

    for section in briefing.sections:
        for runs in [*walk(section.blocks), *section.key_points]:
            for r in runs:
                combos.add((r.bold, r.italic))
                code = code or r.code
    for name in ("body", "bullet", "key_point", "table_cell", "table_header", "quote", "h2", "h3", "toc_entry"):
        ts = theme.text[name]
        faces.update((ts.font, ts.bold or b, ts.italic or i) for b, i in combos)
    if code:
        ts = theme.text["code"]
        faces.update((ts.font, ts.bold or b, ts.italic or i) for b, i in combos | {(False, False)})
    if FALLBACK_ROLE in theme.fonts:
        faces.add((FALLBACK_ROLE, False, False))  # key-point squares and characters the text fonts lack
    return faces


def _register_fonts(theme: Theme, needed: set[tuple[str, bool, bool]]) -> dict[str, dict[tuple[bool, bool], str]]:
    """reportlab names for every role and face; each needed TrueType file is registered once per process.

    A face that is not needed (and was not registered before) stands in as its
    role's regular face, so that every name handed out is usable.
    """
    from reportlab.lib.fonts import addMapping

    registered = set(pdfmetrics.getRegisteredFontNames())
    names: dict[str, dict[tuple[bool, bool], str]] = {}
    for role, font in theme.fonts.items():
        want = {(b, i) for r, b, i in needed if r == role}
        if not want:
            continue
        want.add((False, False))
        faces = {}
        for attr, bold, italic in _FACES:
            path = getattr(font, attr)
            name = _font_name(path)
            if name not in registered and (bold, italic) in want:
                try:
                    pdfmetrics.registerFont(TTFont(name, str(path)))
                except Exception as exc:
                    raise RenderError(f"{path}: cannot use this font file: {exc}") from None
                registered.add(name)
            faces[(bold, italic)] = name
        regular = faces[(False, False)]
        faces = {k: (v if v in registered else regular) for k, v in faces.items()}
        for face in set(faces.values()):
            # each face maps back to its family, so <b> and <i> inside a run find the right file
            for (b, i), target in faces.items():
                addMapping(face, b, i, target)
        names[role] = faces
    return names


# -- canvas with "Page X of Y" -------------------------------------------------------------------
class _DeferredCanvas(Canvas):
    """A canvas that holds pages back until the end, so footers can name the page count."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._held: list[dict] = []
        self.deferred: list = []  # callables(canvas, total) for the current page

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
        Canvas.save(self)


class _SectionMark(Flowable):
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


class _Doc(BaseDocTemplate):
    def __init__(self, *args, builder: "_PdfBuilder", **kwargs):
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
        if isinstance(flowable, _SectionMark):
            if flowable.level == 0:
                self.current_section = flowable.title
                if not self.page_has_content:
                    self.page_section = flowable.title
                self.builder.section_pages[flowable.key] = self.page
        elif not isinstance(flowable, (Spacer, NextPageTemplate)):
            self.page_has_content = True


class _PdfBuilder:
    def __init__(self, briefing: Briefing, theme: Theme, options: PdfOptions):
        self.b = briefing
        self.t = theme
        self.o = options
        self.page_w, self.page_h = PAGE_SIZES[options.page_size] if options.page_size else theme.page_size
        self.m = theme.margins
        self.frame_w = self.page_w - self.m["left"] - self.m["right"]
        self.fonts = _register_fonts(theme, _needed_faces(briefing, theme))
        self.body_metrics = metrics(theme.fonts["body"].regular)
        self.fallback_name = self.fonts[FALLBACK_ROLE][(False, False)] if FALLBACK_ROLE in self.fonts else None
        self.styles: dict[str, ParagraphStyle] = {}
        self._subheadings = 0
        self.section_pages: dict[str, int] = {}  # bookmark key -> page, filled in as the pages are laid out

    # -- colours, fonts and styles from the theme --------------------------------------------
    def color(self, ref: str | None):
        if ref is None:
            return None
        hexv = self.t.color(ref)
        if hexv is None:
            return None
        if self.o.cmyk:
            name = next((n for n, v in self.t.colors.items() if v == hexv and n in self.t.cmyk), None)
            if name:
                c, m, y, k = (v / 100 for v in self.t.cmyk[name])
                return rl_colors.CMYKColor(c, m, y, k)
            r, g, b = (int(hexv[i:i + 2], 16) / 255 for i in (1, 3, 5))
            k = 1 - max(r, g, b)
            if k >= 1:
                return rl_colors.CMYKColor(0, 0, 0, 1)
            return rl_colors.CMYKColor((1 - r - k) / (1 - k), (1 - g - k) / (1 - k), (1 - b - k) / (1 - k), k)
        return rl_colors.HexColor(hexv)

    def font(self, ts: TextStyle, bold: bool | None = None, italic: bool | None = None) -> str:
        return self.fonts[ts.font][(ts.bold if bold is None else bold, ts.italic if italic is None else italic)]

    def pstyle(self, name: str, **overrides) -> ParagraphStyle:
        key = name + repr(sorted(overrides.items()))
        if key in self.styles:
            return self.styles[key]
        ts = self.t.text[name]
        style = ParagraphStyle(
            name=key, fontName=self.font(ts), fontSize=ts.size, leading=ts.leading,
            textColor=self.color(ts.color), spaceBefore=ts.space_before, spaceAfter=ts.space_after,
            alignment=_ALIGN[ts.align], allowWidows=0, allowOrphans=0, splitLongWords=1,
            bulletFontName=self.font(ts, bold=False, italic=False), bulletFontSize=ts.size,
            linkUnderline=0,
        )
        for k, v in overrides.items():
            setattr(style, k, v)
        self.styles[key] = style
        return style

    # -- text into reportlab markup (author text is always escaped) ----------------------------------
    def markup(self, runs: Inline, style: str) -> str:
        ts = self.t.text[style]
        out = []
        for r in runs:
            text = r.text.upper() if ts.upper else r.text
            piece = self._escape_with_fallback(text, "mono" if r.code else ts.font)
            if r.code:
                piece = f'<font face="{self.fonts["mono"][(False, False)]}">{piece}</font>'
            if r.strike:
                piece = f"<strike>{piece}</strike>"
            if r.italic:
                piece = f"<i>{piece}</i>"
            if r.bold:
                piece = f"<b>{piece}</b>"
            if r.href:
                link_color = self.t.color("primary")
                piece = f'<a href={quoteattr(r.href)} color="{link_color}">{piece}</a>'
            out.append(piece)
        return "".join(out)

    def text_markup(self, text: str, style: str) -> str:
        ts = self.t.text[style]
        return self._escape_with_fallback(text.upper() if ts.upper else text, ts.font)

    def _escape_with_fallback(self, text: str, role: str) -> str:
        face = metrics(self.t.fonts[role].regular)  # read when a role is first used
        if self.fallback_name is None or not (set(text) - face.charset - _WHITESPACE):
            return escape(text).replace("\n", "<br/>")
        out = []
        for c in text:
            if c == "\n":
                out.append("<br/>")
            elif face.covers(c) or c.isspace():
                out.append(escape(c))
            else:
                out.append(f'<font face="{self.fallback_name}">{escape(c)}</font>')
        return "".join(out)

    def table_style(self, commands: list) -> TableStyle:
        """A TableStyle whose cell font is the body font (reportlab's default would be Helvetica)."""
        body = self.t.text["body"]
        return TableStyle([("FONT", (0, 0), (-1, -1), self.font(body), body.size, body.leading), *commands])

    def para(self, runs: Inline, style: str, **overrides) -> Paragraph:
        return Paragraph(self.markup(runs, style), self.pstyle(style, **overrides))

    def text_para(self, text: str, style: str, **overrides) -> Paragraph:
        return Paragraph(self.text_markup(text, style), self.pstyle(style, **overrides))

    # -- the document -------------------------------------------------------------------------------
    def build(self) -> bytes:
        buf = io.BytesIO()
        b, t = self.b, self.t
        canvas_kwargs = {}
        bw = 0.0
        if self.o.bleed:
            bleed = t.bleed
            bw = bleed + 24.0  # room for the crop marks outside the bleed
            W, H = self.page_w, self.page_h
            canvas_kwargs = dict(
                cropMarks={"borderWidth": bw, "markWidth": 0.25, "markLength": 18, "bleedWidth": 0},
                trimBox=(bw, bw, bw + W, bw + H), bleedBox=(bw - bleed, bw - bleed, bw + W + bleed, bw + H + bleed))
        self.bleed_w = t.bleed if self.o.bleed else 0.0
        date = b.date
        stamp = f"D:{date:%Y%m%d}000000+00'00'" if date else None
        doc = _Doc(
            buf, builder=self, pagesize=(self.page_w, self.page_h), leftMargin=self.m["left"],
            rightMargin=self.m["right"], topMargin=self.m["top"], bottomMargin=self.m["bottom"],
            title=b.title, author=b.issuer or "", subject=self.subject(), creator="briefgen",
            keywords=[s.title for s in b.sections], invariant=1, pageCompression=1,
            initialFontName=self.fonts["body"][(False, False)], initialFontSize=t.text["body"].size,
            lang="en", **({"cropMarks": _CropMarks(**canvas_kwargs["cropMarks"])} if canvas_kwargs else {}))
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
            canv = _DeferredCanvas(*args, **kwargs)
            if stamp:
                canv.setDateFormatter(lambda *parts: stamp)
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
                entries.append(("briefgen-sources", b.labels["sources"]))
            toc = _Contents(self, entries)
            story.append(self.text_para(b.labels["contents"], "toc_title"))
            story.append(toc)
            story.append(Spacer(1, t.text["h1"].space_before / 2))
        for section in b.sections:
            story.extend(self.render_section(section))
        story.extend(self.sources())
        return story

    def sources(self) -> list:
        """The closing list of sources: the briefing's own, then those of the built sections."""
        sources = self.b.all_sources
        if not sources:
            return []
        title = self.b.labels["sources"]
        out: list = [_SectionMark("briefgen-sources", title, 0, title),
                     self.text_para(title, "h1", keepWithNext=1)]
        items = [MParagraph(runs=(Run(s.title, href=s.url),)) for s in sources]
        out.extend(self.render_bulletlist(BulletList(items=tuple(ListItem(blocks=(p,)) for p in items)), None))
        return out

    def title_block(self) -> list:
        b, t = self.b, self.t
        items = []
        if t.logo:
            items.append(self.logo())
        if b.issuer:
            items.append(self.text_para(b.issuer, "issuer"))
        items.append(self.text_para(b.title, "title"))
        if b.subtitle:
            items.append(self.text_para(b.subtitle, "subtitle"))
        if b.date:
            items.append(self.text_para(b.date_text, "date"))
        if t.page.cover == "block":
            pad = t.key_points_box.padding * 2
            inner = self.frame_w - 2 * pad
            content_h = sum(p.wrap(inner, self.page_h)[1] + p.getSpaceBefore() + p.getSpaceAfter() for p in items)
            top = max(pad, t.page.cover_band - content_h - pad / 2)
            table = RLTable([[items]], colWidths=[self.frame_w])
            table.setStyle(self.table_style([
                ("BACKGROUND", (0, 0), (-1, -1), self.color("primary")),
                ("LEFTPADDING", (0, 0), (-1, -1), pad), ("RIGHTPADDING", (0, 0), (-1, -1), pad),
                ("TOPPADDING", (0, 0), (-1, -1), top), ("BOTTOMPADDING", (0, 0), (-1, -1), pad / 2),
            ]))
            return [table, Spacer(1, t.text["date"].space_after * 1.5)]
        rule = _Rule(self.frame_w, t.page.rule_width * 3, self.color("primary"))
        return [*items, rule, Spacer(1, t.text["date"].space_after)]

    def logo(self) -> Flowable:
        """The style's logo at the style's logo height, aligned like the title block."""
        from PIL import Image as PILImage

        with PILImage.open(self.t.logo) as im:
            w, h = im.size
        height = self.t.page.logo_height
        img = RLImage(str(self.t.logo), width=w * height / h, height=height)
        img.hAlign = "CENTER" if self.t.page.cover == "centered" else "LEFT"
        img.spaceAfter = self.t.text["issuer"].space_after
        return img

    # -- sections and blocks ----------------------------------------------------------------------
    def render_section(self, section: Section) -> list:
        heading = self.text_para(section.title, "h1", keepWithNext=1)
        out: list = [_SectionMark(section.id, section.title, 0, section.title), heading]
        if section.key_points:
            out.append(self.key_points_box(section))
        if section.facts:
            out.append(self.facts_row(section))
        for block in section.blocks:
            out.extend(self.render_block(block, section))
        if section.chart:
            out.append(self.render_chart(section.chart))
        return out

    def render_block(self, block: Block, section: Section) -> list:
        method = getattr(self, "render_" + type(block).__name__.lower(), None)
        if method is None:
            raise RenderError(f"the PDF renderer has no rule for {type(block).__name__}")
        return method(block, section)

    def render_paragraph(self, block: MParagraph, section: Section) -> list:
        return [self.para(block.runs, "body")]

    def render_heading(self, block: Heading, section: Section) -> list:
        style = {1: "h2", 2: "h2"}.get(block.level, "h3")
        text = "".join(r.text for r in block.runs)
        self._subheadings += 1
        key = f"{section.id}--{self._subheadings}"
        return [_SectionMark(key, text, 1, None), self.para(block.runs, style, keepWithNext=1)]

    def render_bulletlist(self, block: BulletList, section: Section, depth: int = 0) -> list:
        ts = self.t.text["bullet"]
        items = []
        for item in block.items:
            flow = []
            for sub in item.blocks:
                if isinstance(sub, BulletList):
                    flow.extend(self.render_bulletlist(sub, section, depth + 1))
                elif isinstance(sub, MParagraph):
                    flow.append(self.para(sub.runs, "bullet"))
                else:
                    flow.extend(self.render_block(sub, section))
            if not flow:  # an empty item still holds its number or bullet
                flow.append(Paragraph("", self.pstyle("bullet")))
            items.append(flow)
        kwargs = dict(bulletFontName=self.font(ts, bold=False, italic=False), bulletFontSize=ts.size,
                      bulletColor=self.color("primary"), leftIndent=ts.size * 1.4)
        # reportlab splits one ListFlowable over pages by copying what is left: quadratic in the list's
        # length, so a long list goes down as a run of short ones that number on from each other
        out = []
        for k in range(0, len(items), LIST_CHUNK):
            chunk = [RLListItem(f if len(f) != 1 else f[0]) for f in items[k:k + LIST_CHUNK]]
            last = k + LIST_CHUNK >= len(items)
            extra = dict(spaceAfter=ts.space_after * 2 if depth == 0 and last else 0)
            if block.ordered:
                out.append(ListFlowable(chunk, bulletType="1", start=block.start + k, bulletFormat="%s.", **kwargs,
                                        **extra))
            else:
                out.append(ListFlowable(chunk, bulletType="bullet", start="\u2022" if depth % 2 == 0 else "\u2013",
                                        **kwargs, **extra))
        return out

    def render_quote(self, block: Quote, section: Section) -> list:
        indent = self.t.text["quote"].size * 1.5
        out: list = [Indenter(left=indent)]
        for sub in block.blocks:
            if isinstance(sub, MParagraph):
                out.append(self.para(sub.runs, "quote"))
            else:
                out.extend(self.render_block(sub, section))
        out.append(Indenter(left=-indent))
        return out

    def render_codeblock(self, block: CodeBlock, section: Section) -> list:
        text = escape(block.text).replace(" ", "\u00a0").replace("\n", "<br/>")
        return [Paragraph(text, self.pstyle("code"))]

    def render_table(self, block: Table, section: Section) -> list:
        t = self.t
        ncols = max(len(block.header), 1)
        align = column_alignments(block)
        aligns = {"left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT}
        header = [self.para(cell, "table_header", alignment=aligns[align[c]]) for c, cell in enumerate(block.header)]
        rows = [[self.para(cell, "table_cell", alignment=aligns[align[c]]) for c, cell in enumerate(row)]
                for row in block.rows]
        widths = self.column_widths(block, ncols)
        pad = t.fact_box.padding * 0.75
        style = [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), pad), ("RIGHTPADDING", (0, 0), (-1, -1), pad),
            ("TOPPADDING", (0, 0), (-1, -1), pad * 0.6), ("BOTTOMPADDING", (0, 0), (-1, -1), pad * 0.6),
            ("LINEBELOW", (0, 0), (-1, 0), t.page.rule_width * 2, self.color(t.page.table_rule)),
            ("LINEBELOW", (0, -1), (-1, -1), t.page.rule_width, self.color(t.page.table_rule)),
        ]
        if t.page.table_header_fill:
            style.append(("BACKGROUND", (0, 0), (-1, 0), self.color(t.page.table_header_fill)))
        if t.page.table_zebra and len(rows) > 2:
            style.append(("ROWBACKGROUNDS", (0, 1), (-1, -1), [None, self.color(t.page.table_zebra)]))
        table = RLTable([header] + rows, colWidths=widths, repeatRows=1, splitByRow=1, splitInRow=1, hAlign="LEFT")
        table.setStyle(self.table_style(style))
        return [table, Spacer(1, t.text["body"].space_after)]

    def column_widths(self, block: Table, ncols: int) -> list[float]:
        ts = self.t.text["table_cell"]
        m = self.body_metrics
        natural = []
        for c in range(ncols):
            texts = ["".join(r.text for r in block.header[c])] + [
                "".join(r.text for r in row[c]) for row in block.rows if c < len(row)]
            natural.append(max((m.width(x, ts.size) for x in texts), default=0) + self.t.fact_box.padding * 1.5 + 2)
        return share_widths(natural, self.frame_w)

    def render_image(self, block: Image, section: Section) -> list:
        from PIL import Image as PILImage

        with PILImage.open(block.path) as im:
            w, h = im.size
        scale = min(self.frame_w / w, self.t.page.image_max_height / h, 1.0 if w > 300 else self.frame_w / w)
        img = RLImage(str(block.path), width=w * scale, height=h * scale)
        img.hAlign = "CENTER"
        out: list = [img]
        caption = block.title or ""
        if caption:
            out.append(self.text_para(caption, "caption", alignment=TA_CENTER))
        return [KeepTogether(out)]

    # -- key points, facts, charts -----------------------------------------------------------------
    def key_points_box(self, section: Section) -> Flowable:
        """The key points in a panel: one table row per point, so that a long list splits across pages."""
        t = self.t
        box = t.key_points_box
        ts = t.text["key_point"]
        bullet_font = self.fonts[FALLBACK_ROLE][(False, False)] if FALLBACK_ROLE in self.fonts else self.font(ts)
        indent = ts.size * 1.2
        style = self.pstyle("key_point", leftIndent=indent, bulletIndent=0, bulletFontName=bullet_font,
                            bulletFontSize=ts.size * 0.55, bulletColor=self.color("primary"),
                            bulletOffsetY=ts.size * 0.1)
        rows = [[self.text_para(self.b.labels["key_points"], "key_points_title")]]
        rows += [[Paragraph(self.markup(kp, "key_point"), style, bulletText="\u25a0")] for kp in section.key_points]
        table = RLTable(rows, colWidths=[self.frame_w], splitByRow=1)
        pad = box.padding
        commands = [("LEFTPADDING", (0, 0), (-1, -1), pad + box.accent_width),
                    ("RIGHTPADDING", (0, 0), (-1, -1), pad),
                    ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), ts.space_after),
                    ("TOPPADDING", (0, 0), (-1, 0), pad * 0.8), ("BOTTOMPADDING", (0, -1), (-1, -1), pad),
                    ("TOPPADDING", (0, "splitfirst"), (-1, "splitfirst"), pad * 0.8),
                    ("BOTTOMPADDING", (0, "splitlast"), (-1, "splitlast"), pad)]
        if box.fill:
            commands.append(("BACKGROUND", (0, 0), (-1, -1), self.color(box.fill)))
        if box.accent_width and box.border:
            commands.append(("LINEBEFORE", (0, 0), (0, -1), box.accent_width, self.color(box.border)))
        if box.border_width and box.border:
            commands.append(("BOX", (0, 0), (-1, -1), box.border_width, self.color(box.border)))
        table.setStyle(self.table_style(commands))
        table.spaceAfter = t.text["body"].space_after * 1.6
        table.spaceBefore = 2
        return table

    def facts_row(self, section: Section) -> Flowable:
        t = self.t
        box = t.fact_box
        facts = list(section.facts)
        per_row = 4 if len(facts) >= 4 else len(facts)
        gap = box.padding * 1.25
        cell_w = (self.frame_w - gap * (per_row - 1)) / per_row
        # one size for every value in the row, small enough that no word of any value has to break
        vs = t.text["fact_value"]
        m = metrics(t.fonts[vs.font].file(vs.bold, vs.italic))
        widest = max((m.width(w, 1.0) for f in facts for w in f.value.split()), default=0.0)
        size = min(vs.size, (cell_w - 2 * box.padding) / max(widest, 1e-6))
        size = max(size, t.text["body"].size)
        value_style = {"fontSize": size, "leading": vs.leading * size / vs.size}
        rows, style = [], []
        for r0 in range(0, len(facts), per_row):
            row = []
            for i, fact in enumerate(facts[r0:r0 + per_row]):
                if i:
                    row.append("")
                row.append([self.text_para(fact.value, "fact_value", **value_style),
                            Spacer(1, box.padding * 0.4), self.text_para(fact.label, "fact_label")])
            while len(row) < per_row * 2 - 1:
                row.append("")
            rows.append(row)
        widths = []
        for i in range(per_row):
            if i:
                widths.append(gap)
            widths.append(cell_w)
        table = RLTable(rows, colWidths=widths)
        style += [("VALIGN", (0, 0), (-1, -1), "TOP"),
                  ("LEFTPADDING", (0, 0), (-1, -1), box.padding), ("RIGHTPADDING", (0, 0), (-1, -1), box.padding),
                  ("TOPPADDING", (0, 0), (-1, -1), box.padding), ("BOTTOMPADDING", (0, 0), (-1, -1), box.padding)]
        for r in range(len(rows)):
            for c in range(0, per_row * 2 - 1, 2):
                if r * per_row + c // 2 >= len(facts):
                    continue
                if box.fill:
                    style.append(("BACKGROUND", (c, r), (c, r), self.color(box.fill)))
                if box.border and box.border_width:
                    style.append(("BOX", (c, r), (c, r), box.border_width, self.color(box.border)))
                if box.border and box.accent_width:
                    style.append(("LINEABOVE", (c, r), (c, r), box.accent_width, self.color(box.border)))
        if len(rows) > 1:
            style.append(("BOTTOMPADDING", (0, 0), (-1, -2), box.padding + gap))
        table.setStyle(self.table_style(style))
        table.spaceAfter = t.text["body"].space_after * 1.6
        return table

    def render_chart(self, chart: Chart) -> Flowable:
        t = self.t
        label = t.text["chart_label"]
        lab_font = self.font(label)
        palette = [self.color(c) for c in t.chart_palette]
        grid = self.color("grid") if "grid" in t.colors else self.color("rule")
        axis_color = self.color("muted")
        height = t.page.chart_height
        width = self.frame_w
        d = Drawing(width, height)
        d.initialFontName, d.initialFontSize = lab_font, label.size  # not reportlab's Helvetica default
        values = [v for s in chart.series for v in s.values]
        fmt = number_format(values)
        measure = lambda s: metrics(t.fonts[label.font].file(label.bold, label.italic)).width(s, label.size)  # noqa
        unit_text = chart.unit or ""
        legend_h = 0.0
        if len(chart.series) > 1 or chart.type == "pie":
            legend_h = label.leading * 1.8
        if chart.type == "pie":
            pie = Pie()
            size = min(height - 2 * label.leading - legend_h, width / 2)
            pie.x, pie.y, pie.width, pie.height = (width - size) / 2, legend_h + label.leading, size, size
            pie.data = list(chart.series[0].values)
            total = sum(pie.data)
            pie.labels = [f"{format_number(v, fmt)} ({v / total:.0%})" for v in pie.data]
            pie.slices.strokeColor = self.color("background")
            pie.slices.strokeWidth = 1
            pie.slices.fontName, pie.slices.fontSize = lab_font, label.size
            pie.slices.fontColor = self.color(label.color)
            pie.sideLabels = 1
            for i in range(len(pie.data)):
                pie.slices[i].fillColor = palette[i % len(palette)]
            d.add(pie)
            self._legend(d, [(palette[i % len(palette)], c) for i, c in enumerate(chart.categories)], width,
                         lab_font, label)
        else:
            if chart.type == "bar":
                c = HorizontalBarChart()
                cat_w = min(max(measure(x) for x in chart.categories) + 8, width * 0.38)
                c.x, c.y = cat_w, label.leading * (3.4 if unit_text else 2.2) + legend_h
                c.width = width - cat_w - measure(format_number(max(values), fmt)) - 12
                c.height = height - c.y - label.leading
                cat_labels = ["\n".join(wrap_words(x, cat_w - 8, measure)) for x in chart.categories]
                c.categoryAxis.labels.textAnchor = "end"
                c.categoryAxis.labels.boxAnchor = "e"
                c.barLabels.boxAnchor = "w"
                c.barLabels.dx = 3
            else:  # column and line charts share the vertical layout
                c = VerticalBarChart() if chart.type == "column" else HorizontalLineChart()
                val_w = measure(format_number(max(values), fmt)) + 10
                slot = (width - val_w) / len(chart.categories)
                cat_labels = ["\n".join(wrap_words(x, slot * 0.9, measure)) for x in chart.categories]
                lines = max(x.count("\n") + 1 for x in cat_labels)
                c.x, c.y = val_w, label.leading * (lines + 1) + legend_h
                c.width, c.height = width - val_w - 4, height - c.y - label.leading * 1.5
                c.categoryAxis.labels.boxAnchor = "n"
            if chart.type == "column":
                c.barLabels.boxAnchor = "s"
                c.barLabels.dy = 3
            elif chart.type == "line":
                for i in range(len(chart.series)):
                    c.lines[i].strokeColor = palette[i % len(palette)]
                    c.lines[i].strokeWidth = 2
                c.lineLabelFormat = lambda v: format_number(v, fmt)
                c.lineLabels.fontName, c.lineLabels.fontSize = lab_font, label.size
                c.lineLabels.fillColor = self.color(label.color)
                c.lineLabels.dy = 6
            c.data = [list(s.values) for s in chart.series]
            if chart.type == "bar":
                # reportlab stacks horizontal bars from the bottom; readers expect the first category on top
                c.data = [row[::-1] for row in c.data]
                cat_labels = cat_labels[::-1]
            c.categoryAxis.categoryNames = cat_labels
            for axis in (c.categoryAxis, c.valueAxis):
                axis.labels.fontName, axis.labels.fontSize = lab_font, label.size
                axis.labels.fillColor = self.color(label.color)
                axis.strokeColor = axis_color
                axis.strokeWidth = t.page.rule_width
            c.valueAxis.valueMin = min(0, min(values))
            c.valueAxis.visibleGrid = 1
            c.valueAxis.gridStrokeColor = grid
            c.valueAxis.gridStrokeWidth = t.page.rule_width * 0.6
            # ticks get only the decimals they need: 0, 20, 40 rather than 0.0, 20.0, 40.0
            c.valueAxis.labelTextFormat = lambda v: format_number(v, number_format([v]))
            c.valueAxis.visibleTicks = 0
            c.categoryAxis.visibleTicks = 0
            if chart.type in ("bar", "column"):
                c.valueAxis.strokeWidth = 0
                for i in range(len(chart.series)):
                    c.bars[i].fillColor = palette[i % len(palette)]
                    c.bars[i].strokeColor = None
                c.barLabelFormat = lambda v: format_number(v, fmt)
                c.barLabels.fontName, c.barLabels.fontSize = lab_font, label.size
                c.barLabels.fillColor = self.color(t.text["chart_title"].color)
                c.barSpacing = 2
                c.groupSpacing = 10
            d.add(c)
            if unit_text:
                s = String(c.x + c.width if chart.type == "bar" else c.x, c.y + c.height + label.leading * 0.4
                           if chart.type != "bar" else label.leading * 0.4 + legend_h, unit_text,
                           fontName=self.font(label, italic=True), fontSize=label.size,
                           fillColor=self.color(label.color), textAnchor="end" if chart.type == "bar" else "start")
                if chart.type != "bar":  # above the value axis, from the frame's left edge (never in the margin)
                    s.x = 0
                    s.textAnchor = "start"
                    s.y = c.y + c.height + label.leading * 0.5
                d.add(s)
            if len(chart.series) > 1:
                self._legend(d, [(palette[i % len(palette)], s.name) for i, s in enumerate(chart.series)], width,
                             lab_font, label)
        parts = [self.text_para(chart.title, "chart_title", keepWithNext=1), _DrawingFlowable(d)]
        if chart.source:
            parts.append(self.text_para(f"{self.b.labels['source']}: {chart.source}", "caption"))
        else:
            parts.append(Spacer(1, t.text["caption"].space_after))
        return KeepTogether(parts)

    def _legend(self, d: Drawing, items, width, font, label) -> None:
        legend = Legend()
        legend.alignment = "right"
        legend.x, legend.y = 0, label.leading * 1.2
        legend.columnMaximum = 1
        legend.deltax = width / max(len(items), 1)
        legend.dx, legend.dy = label.size, label.size
        legend.fontName, legend.fontSize = font, label.size
        legend.fillColor = self.color(label.color)
        legend.strokeColor = None
        legend.colorNamePairs = items
        d.add(legend)

    # -- page furniture ----------------------------------------------------------------------------
    def decorate_first(self, canv, doc):
        self._watermark(canv)
        self._marking(canv)

    def finish_first(self, canv, doc):
        self._footer(canv, doc)

    def decorate(self, canv, doc):
        self._watermark(canv)
        self._marking(canv)

    def finish_page(self, canv, doc):
        self._header(canv, doc)
        self._footer(canv, doc)

    def _running(self, canv, doc, spec, y, style, rule_y):
        t = self.t
        ts = t.text[style]
        font = self.font(ts)
        x0, x1 = self.m["left"], self.page_w - self.m["right"]
        section = doc.page_section
        available = (x1 - x0) / (2 if spec.center else 1.6)
        for pos, template in (("left", spec.left), ("center", spec.center), ("right", spec.right)):
            if not template:
                continue

            def draw(c, total, template=template, pos=pos):
                text = running_text(template, self.b, section=section, page=c.getPageNumber(), pages=total)
                text = _fit(text, available, lambda s: pdfmetrics.stringWidth(s, font, ts.size))
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
            canv.saveState()
            canv.setStrokeColor(self.color("rule"))
            canv.setLineWidth(t.page.rule_width * 0.5)
            canv.line(x0, rule_y, x1, rule_y)
            canv.restoreState()

    def _header(self, canv, doc):
        spec = self.t.page.header
        if not (spec.left or spec.center or spec.right):
            return
        top = self.page_h - self.m["top"]
        y = top + self.m["top"] * 0.38
        self._running(canv, doc, spec, y, "header", y - self.t.text["header"].size * 0.6)

    def _footer(self, canv, doc):
        spec = self.t.page.footer
        if not (spec.left or spec.center or spec.right):
            return
        y = self.m["bottom"] * 0.5
        self._running(canv, doc, spec, y, "footer", y + self.t.text["footer"].leading)

    def _marking(self, canv):
        text = self.b.marking
        if not text:
            return
        t = self.t
        ts = t.text["marking"]
        font = self.font(ts)
        label = text.upper() if ts.upper else text
        band_h = ts.leading + ts.size * 0.5
        fill = t.page.marking_fill
        bleed = self.bleed_w
        for y0 in (self.page_h - band_h, 0.0):
            canv.saveState()
            if fill:
                canv.setFillColor(self.color(fill))
                top_extra = bleed if y0 > 0 else 0
                bottom_extra = bleed if y0 == 0 else 0
                canv.rect(-bleed, y0 - bottom_extra, self.page_w + 2 * bleed, band_h + top_extra + bottom_extra,
                          stroke=0, fill=1)
            canv.setFillColor(self.color(ts.color))
            canv.setFont(font, ts.size)
            tx = canv.beginText()
            tx.setFont(font, ts.size)
            tx.setCharSpace(ts.tracking)
            w = pdfmetrics.stringWidth(label, font, ts.size) + ts.tracking * max(len(label) - 1, 0)
            tx.setTextOrigin((self.page_w - w) / 2, y0 + (band_h - ts.size) / 2 + ts.size * 0.22)
            tx.textOut(label)
            canv.drawText(tx)
            canv.restoreState()

    def _watermark(self, canv):
        if not self.o.draft:
            return
        ts = self.t.text["watermark"]
        canv.saveState()
        canv.setFillColor(self.color(ts.color))
        canv.setFont(self.font(ts), ts.size)
        canv.translate(self.page_w / 2, self.page_h / 2)
        canv.rotate(50)
        canv.drawCentredString(0, -ts.size / 3, self.b.labels["draft"])
        canv.restoreState()


def _fit(text: str, width: float, measure) -> str:
    """The text, cut with an ellipsis if it is wider than ``width``."""
    if measure(text) <= width:
        return text
    while text and measure(text + "\u2026") > width:
        text = text[:-1]
    return text.rstrip() + "\u2026"


class _Contents(Flowable):
    """The table of contents in a single layout pass.

    Its height is known before any page number is (one line per entry, titles
    wrapped to the column), so the space is reserved while the pages are laid out
    and the entries, dot leaders, page numbers and links are drawn into the held
    first page when the document is saved. reportlab's own TableOfContents needs
    a second full layout pass for the same result.
    """

    def __init__(self, builder: "_PdfBuilder", entries: list[tuple[str, str]], paragraphs: list | None = None,
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
        self.number_w = pdfmetrics.stringWidth("0000", self.number_font, ts.size)
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
        return [_Contents(self.builder, self.titles[:k], paras[:k], (w, hs[:k])),
                _Contents(self.builder, self.titles[k:], paras[k:], (w, hs[k:]))]

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
            base = y + h - self.style.leading + (self.style.leading - self.size) / 2 + self.size * 0.22
            c.saveState()
            c.setFont(self.number_font, self.size)
            c.setFillColor(b.color(b.t.text["toc_entry"].color))
            c.drawRightString(x + self.width, base, label)
            last = para.blPara.lines[-1]
            spare = last[0] if isinstance(last, tuple) else getattr(last, "extraSpace", 0)
            start = x + self.text_w - spare + self.size * 0.5
            end = x + self.width - self.number_w  # every leader ends at the same place
            step = self.size * 0.5
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


class _CropMarks:
    def __init__(self, borderWidth, markWidth, markLength, bleedWidth):
        self.borderWidth, self.markWidth, self.markLength, self.bleedWidth = (borderWidth, markWidth, markLength,
                                                                              bleedWidth)
        self.markColor = rl_colors.black
        self.markLast = 1


class _Rule(Flowable):
    """A horizontal rule the width of the frame."""

    def __init__(self, width, thickness, color):
        super().__init__()
        self.width, self.thickness, self.color = width, thickness, color

    def wrap(self, aw, ah):
        return self.width, self.thickness

    def draw(self):
        self.canv.setStrokeColor(self.color)
        self.canv.setLineWidth(self.thickness)
        self.canv.line(0, self.thickness / 2, self.width, self.thickness / 2)


class _DrawingFlowable(Flowable):
    """A reportlab.graphics Drawing placed as a flowable."""

    def __init__(self, drawing: Drawing):
        super().__init__()
        self.drawing = drawing
        self.width, self.height = drawing.width, drawing.height

    def wrap(self, aw, ah):
        return self.width, self.height

    def draw(self):
        from reportlab.graphics import renderPDF

        renderPDF.draw(self.drawing, self.canv, 0, 0)
