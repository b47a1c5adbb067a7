"""The slide planner: the document model and a Theme into a SlidePlan, pure data.

Every text box is measured here with the style's TrueType metrics (the same
metric-compatible files the PDF embeds), so the deck is laid out before
python-pptx is touched. A block that does not fit its box continues on a
"(cont.)" slide; text shrinks only down to the style's minimum size. Each split
and shrink is reported through ``on_note``.

All positions and sizes are in points, measured from the slide's top-left corner.
"""

from __future__ import annotations

from typing import Callable

from ..model import (
    Briefing,
    BulletList,
    Chart,
    CodeBlock,
    Heading,
    Image,
    Inline,
    Paragraph,
    Quote,
    Run,
    Section,
    Table,
    plain,
)
from ..theme import MetricsLookup, TextStyle, Theme
from .common import column_alignments, share_widths, wrap_words
from .plan import (
    ChartBox,
    PictureBox,
    PlannedSlide,
    Rect,
    SlidePlan,
    TableBox,
    TextBox,
    TextPara,
    Watermark,
)

SHRINK_STEP = 1.0  # points per step when shrinking text toward the style's minimum
COVER_TITLE_SCALE = 1.4  # the title slide sets the briefing title this much larger than slide titles


# -- planning ---------------------------------------------------------------------------------
def plan_slides(briefing: Briefing, theme: Theme, on_note: Callable[[str], None] | None = None, *,
                metrics: MetricsLookup, draft: bool = False) -> SlidePlan:
    """The deck for a briefing, laid out and measured; ``draft`` sets DRAFT across every slide."""
    plan = _Planner(briefing, theme, on_note or (lambda _m: None), metrics).plan()
    if draft:
        mark = draft_mark(briefing, theme)
        for slide in plan.slides:
            slide.boxes.append(mark)
    return plan


def draft_mark(briefing: Briefing, theme: Theme) -> Watermark:
    """The DRAFT mark of a slide: the briefing's draft label in the watermark style, across the middle."""
    ts = theme.text["watermark"]
    lay = theme.slide.layout
    w, h = theme.slide_size
    size = h * lay.watermark_size
    label = briefing.labels["draft"]
    return Watermark(0.0, (h - size * 2) / 2, w, size * 2, label.upper() if ts.upper else label,
                     theme.fonts[ts.font].family, size, ts.bold, theme.color(ts.color), lay.watermark_angle,
                     lay.watermark_fill_alpha, lay.watermark_line_alpha, size * lay.watermark_line_weight)


class _Planner:
    def __init__(self, briefing: Briefing, theme: Theme, on_note, metrics: MetricsLookup):
        self.b, self.t, self.note, self.metrics = briefing, theme, on_note, metrics
        s = theme.slide
        self.W, self.H = theme.slide_size
        self.margin = s.margin
        self.title_h = s.title_height
        self.footer_h = s.footer_height
        self.min_size = s.min_font_size
        mark = theme.text["slide_marking"]
        self.mark_h = (mark.leading + mark.size * 0.6) if briefing.marking else 0.0
        self.content_x = self.margin
        self.content_w = self.W - 2 * self.margin
        self.title_y = self.mark_h + self.margin * 0.6
        self.body_y = self.title_y + self.title_h + self.margin * 0.6
        self.footer_y = self.H - self.mark_h - self.footer_h
        self.body_h = self.footer_y - self.margin * 0.3 - self.body_y
        self.slides: list[PlannedSlide] = []

    # -- text measurement -------------------------------------------------------------------
    def style(self, name: str) -> TextStyle:
        return self.t.text[name]

    def measure(self, ts: TextStyle, size: float, bold: bool | None = None, italic: bool | None = None):
        font = self.t.fonts[ts.font]
        m = self.metrics(font.file(ts.bold if bold is None else bold, ts.italic if italic is None else italic))
        return lambda s: m.width(s, size)

    def para(self, runs: Inline | str, style: str, width: float, size: float | None = None,
             bullet: str | int | None = None, color: str | None = None, space_after: float | None = None,
             align: str | None = None) -> TextPara:
        """A measured paragraph; ``bullet`` is a bullet character, or an int for a numbered item."""
        ts = self.style(style)
        size = size or ts.size
        if isinstance(runs, str):
            runs = (Run(runs),)
        text = plain(runs)
        if ts.upper:
            text = text.upper()
        any_bold = ts.bold or any(r.bold for r in runs)
        measure = self.measure(ts, size, bold=any_bold)
        number = bullet if isinstance(bullet, int) and not isinstance(bullet, bool) else None
        if number is not None:
            bullet = None
            # a hanging indent wide enough for the number, so wrapped lines align with the text
            indent = measure("0" * len(str(number)) + ".") + size * 0.5
        else:
            indent = size * 0.9 if bullet else 0.0
        # a 3% allowance: PowerPoint and LibreOffice kern a little differently from the raw advances
        lines = tuple(wrap_words(text, (width - indent) * 0.97, measure))
        scale = size / ts.size
        return TextPara(runs=runs, family=self.t.fonts[ts.font].family, size=size, line_height=ts.leading * scale,
                        bold=ts.bold, italic=ts.italic, color=color or ts.color, align=align or ts.align,
                        space_after=ts.space_after * scale if space_after is None else space_after, lines=lines,
                        bullet=bullet, number=number, indent=indent, upper=ts.upper)

    def fit_single(self, runs, style: str, width: float, height: float, max_lines: int | None = None,
                   what: str = "", start: float | None = None) -> TextPara:
        """A paragraph shrunk step by step until it fits ``height`` (and ``max_lines``), never below the minimum.

        ``start`` is the size to begin from (the style's size by default); only a
        shrink below the style's own size is reported.
        """
        ts = self.style(style)
        size = start or ts.size
        p = self.para(runs, style, width, size, space_after=0)
        while (p.height > height or (max_lines and len(p.lines) > max_lines)) and size - SHRINK_STEP >= min(
                self.min_size, ts.size):
            size -= SHRINK_STEP
            p = self.para(runs, style, width, size, space_after=0)
        if size < ts.size:
            self.note(f"shrank {what or style} from {ts.size:g} pt to {size:g} pt to fit")
        return p

    # -- slide furniture ---------------------------------------------------------------------
    def new_slide(self, kind: str, title: str, section: Section | None = None, notes: str = "") -> PlannedSlide:
        slide = PlannedSlide(kind=kind, title=title, notes=notes, section_id=section.id if section else None)
        self.slides.append(slide)
        return slide

    def furniture(self, slide: PlannedSlide, number: int, background_dark: bool = False) -> None:
        t = self.t
        b = self.b
        if b.marking:
            fill = t.color(t.page.marking_fill)
            for y in (0.0, self.H - self.mark_h):
                if fill:
                    slide.boxes.append(Rect(0, y, self.W, self.mark_h, fill, name="Marking band"))
                p = self.para(b.marking, "slide_marking", self.W - 2 * self.margin, space_after=0,
                              color=None if fill else t.color("text"))
                slide.boxes.append(TextBox(self.margin, y, self.W - 2 * self.margin, self.mark_h, (p,),
                                           anchor="middle", name="Marking"))
        if slide.kind in ("title",):
            return
        y = self.footer_y
        rule = t.color(t.slide.footer_rule)
        if rule and not background_dark:
            slide.boxes.append(Rect(self.margin, y, self.content_w, 0.75, rule, name="Footer rule"))
        color = t.color("on_primary") if background_dark else None
        left_w = self.content_w * 0.8
        left = self.para(b.title, "slide_footer", left_w, space_after=0, color=color)
        left = TextPara(**{**left.__dict__, "lines": left.lines[:1]})
        num = self.para(str(number), "slide_footer", self.content_w * 0.2, space_after=0, align="right", color=color)
        slide.boxes.append(TextBox(self.margin, y, left_w, self.footer_h, (left,), anchor="middle", name="Footer"))
        slide.boxes.append(TextBox(self.margin + left_w, y, self.content_w - left_w, self.footer_h, (num,),
                                   anchor="middle", name="Slide number"))

    def title_box(self, slide: PlannedSlide, title: str) -> None:
        p = self.fit_single(title, "slide_title", self.content_w, self.title_h, max_lines=2,
                            what=f"title '{_short(title)}'")
        slide.boxes.append(TextBox(self.content_x, self.title_y, self.content_w, self.title_h, (p,),
                                   anchor="bottom", name="Title"))
        rule = self.t.color(self.t.slide.title_rule)
        if rule:
            slide.boxes.append(Rect(self.content_x, self.title_y + self.title_h + 4, self.content_w * 0.12, 2.5, rule,
                                    name="Title rule"))

    # -- the deck ----------------------------------------------------------------------------
    def plan(self) -> SlidePlan:
        b, t = self.b, self.t
        self.title_slide()
        self.agenda_slides()
        for section in b.sections:
            self.section_slides(section)
        self.sources_slides()
        for i, slide in enumerate(self.slides, start=1):
            dark = slide.kind == "section" and self._section_fill_is_dark()
            self.furniture(slide, i, background_dark=dark)
        return SlidePlan(
            width=self.W, height=self.H, slides=self.slides, title=b.title, author=b.issuer or "",
            subject=", ".join(s.title for s in b.sections), keywords=", ".join(s.id for s in b.sections),
            date=b.date, theme_colors=self.theme_colors(), heading_family=t.fonts["heading"].family,
            body_family=t.fonts["body"].family, notes_family=t.fonts["body"].family)

    def theme_colors(self) -> dict[str, str]:
        t = self.t
        palette = list(t.chart_palette) + [t.color("secondary"), t.color("muted"), t.color("rule")] * 2
        return {"dk1": t.color("text"), "lt1": t.color("background"), "dk2": t.color("primary"),
                "lt2": t.color("panel"), **{f"accent{i + 1}": palette[i] for i in range(6)},
                "hlink": t.color("primary"), "folHlink": t.color("secondary")}

    def _section_fill_is_dark(self) -> bool:
        fill = self.t.color(self.t.slide.section_fill)
        r, g, b = (int(fill[i:i + 2], 16) for i in (1, 3, 5))
        return (0.299 * r + 0.587 * g + 0.114 * b) < 140

    def title_slide(self) -> None:
        b, t = self.b, self.t
        slide = self.new_slide("title", b.title)
        cover = t.slide.cover
        on = None
        if cover == "block":
            block_w = self.W * 0.62
            slide.boxes.append(Rect(0, self.mark_h, block_w, self.H - 2 * self.mark_h, t.color("primary"),
                                    name="Cover block"))
            x, w, align, on = self.margin * 1.5, block_w - self.margin * 3, "left", t.color("on_primary")
        elif cover == "left":
            x, w, align = self.margin * 1.5, self.W - self.margin * 3, "left"
        else:
            x, w, align = self.margin, self.W - 2 * self.margin, "center"
        paras = []
        if b.issuer:
            paras.append(self.para(b.issuer, "slide_issuer", w, align=align, color=on, space_after=14))
        # the cover title is set larger than slide titles, shrinking as far as three lines need
        title = self.fit_single(b.title, "slide_title", w, self.H * 0.4, max_lines=3, what="cover title",
                                start=self.style("slide_title").size * COVER_TITLE_SCALE)
        paras.append(TextPara(**{**title.__dict__, "align": align, "color": on or title.color, "space_after": 12}))
        if b.subtitle:
            paras.append(self.para(b.subtitle, "slide_subtitle", w, align=align, color=on, space_after=18))
        if b.date:
            paras.append(self.para(b.date_text, "slide_date", w, align=align, color=on, space_after=0))
        block_h = sum(p.height for p in paras)
        logo_h = 0.0
        if t.logo:
            lw, lh = t.logo_size
            logo_h = t.slide.logo_height
            logo_w = lw * logo_h / lh
            block_h += logo_h + self.margin * 0.5
        top = self.mark_h + (self.H - 2 * self.mark_h - block_h) / 2
        if t.logo:
            lx = x + (w - logo_w) / 2 if align == "center" else x
            slide.boxes.append(PictureBox(lx, top, logo_w, logo_h, str(t.logo), alt=f"{b.issuer or b.title} logo"))
            top += logo_h + self.margin * 0.5
            block_h -= logo_h + self.margin * 0.5
        if cover != "block" and t.color(t.slide.title_rule):
            rule_w = self.W * 0.12
            rx = (self.W - rule_w) / 2 if align == "center" else x
            slide.boxes.append(Rect(rx, top + block_h + 12, rule_w, 2.5, t.color(t.slide.title_rule),
                                    name="Title rule"))
        slide.boxes.append(TextBox(x, top, w, block_h + 2, tuple(paras), name="Cover"))

    def agenda_slides(self) -> None:
        b = self.b
        if len(b.sections) < 2:
            return
        per_col = self.t.slide.max_bullets
        titles = [s.title for s in b.sections]
        chunks = [titles[i:i + per_col * 2] for i in range(0, len(titles), per_col * 2)]
        for n, chunk in enumerate(chunks):
            label = b.labels["agenda"] + (f" {b.labels['continued']}" if n else "")
            slide = self.new_slide("agenda", label)
            self.title_box(slide, label)
            half = -(-len(chunk) // 2)  # two balanced columns when one would be too long
            cols = [chunk[:half], chunk[half:]] if len(chunk) > per_col else [chunk]
            col_w = (self.content_w - self.margin) / len(cols) if len(cols) > 1 else self.content_w
            start = n * per_col * 2
            for c, col in enumerate(cols):
                paras = []
                for i, title in enumerate(col):
                    number = start + c * len(cols[0]) + i + 1
                    paras.append(self.para(title, "slide_agenda", col_w, bullet=number))
                paras = self.fit_box(paras, "slide_agenda", col_w, self.body_h, "agenda")
                slide.boxes.append(TextBox(self.content_x + c * (col_w + self.margin), self.body_y, col_w,
                                           self.body_h, tuple(paras), name="Agenda"))

    def fit_box(self, paras: list[TextPara], style: str, width: float, height: float, what: str) -> list[TextPara]:
        """Paragraphs shrunk together until they fit, never below the minimum size."""
        ts = self.style(style)
        size = ts.size
        while sum(p.height for p in paras) > height and size - SHRINK_STEP >= self.min_size:
            size -= SHRINK_STEP
            paras = [self.para(p.runs, style, width, size, bullet=p.number or p.bullet) for p in paras]
        if size < ts.size:
            self.note(f"shrank {what} from {ts.size:g} pt to {size:g} pt to fit")
        return paras

    def section_slides(self, section: Section) -> None:
        notes = section.notes or _prose(section)
        t = self.t
        divider = self.new_slide("section", section.title, section)
        fill = t.color(t.slide.section_fill)
        divider.boxes.append(Rect(0, self.mark_h, self.W, self.H - 2 * self.mark_h, fill, name="Section background"))
        dark = self._section_fill_is_dark()
        p = self.fit_single(section.title, "slide_section", self.content_w * 0.8, self.H * 0.5, max_lines=3,
                            what=f"section title '{_short(section.title)}'")
        if not dark:
            p = TextPara(**{**p.__dict__, "color": t.color("text")})
        y = (self.H - p.height) / 2
        divider.boxes.append(TextBox(self.margin * 2, y, self.content_w * 0.8, p.height + 4, (p,), name="Section title"))
        if t.color(t.slide.title_rule):
            divider.boxes.append(Rect(self.margin * 2, y + p.height + 14, self.W * 0.12, 3,
                                      t.color(t.slide.title_rule), name="Title rule"))

        if section.key_points:
            items = [(kp, "\u2022") for kp in section.key_points]
            self.bullet_slides(section, section.title, items, notes, kind="key_points")
        else:
            items = []
            for block in section.blocks:
                if isinstance(block, Paragraph):
                    items.append((block.runs, None))
                elif isinstance(block, BulletList):
                    items.extend(_list_items(block))
                elif isinstance(block, Heading):
                    items.append((tuple(Run(r.text, True, r.italic, r.code, r.strike, r.href) for r in block.runs),
                                  None))
                elif isinstance(block, Quote):
                    items.extend((runs, None) for runs in _quote_runs(block))
                elif isinstance(block, CodeBlock):
                    items.append(((Run(block.text, code=True),), None))
            if items:
                self.bullet_slides(section, section.title, items, notes, kind="content")
        if section.facts:
            self.facts_slides(section, notes)
        if section.chart:
            self.chart_slide(section, section.chart, notes)
        for block in section.blocks:
            if isinstance(block, Table):
                self.table_slides(section, block)
            elif isinstance(block, Image):
                self.image_slide(section, block, notes)

    def bullet_slides(self, section: Section, title: str, items: list[tuple[Inline, str | None]], notes: str,
                      kind: str) -> None:
        """Bulleted slides, as many as the items need: max bullets, max words and measured height."""
        s = self.t.slide
        width, height = self.content_w, self.body_h
        chunks: list[list[TextPara]] = [[]]
        words = 0
        for runs, bullet in items:
            p = self.para(runs, "slide_body", width, bullet=bullet)
            n_words = len(plain(runs).split())
            current = chunks[-1]
            used = sum(q.height for q in current)
            if current and (len(current) >= s.max_bullets or words + n_words > s.max_words
                            or used + p.height > height):
                chunks.append([])
                current = chunks[-1]
                words = 0
                used = 0
            if p.height - p.space_after > height:
                # one paragraph taller than the whole box: shrink it, then cut it between lines
                p = self.fit_single(runs, "slide_body", width, height, what=f"a paragraph in '{_short(title)}'")
                p = self.para(runs, "slide_body", width, p.size, bullet=bullet)  # measured again with its marker
                if p.height > height:
                    pieces = self.split_lines(p, height)
                    self.note(f"split a long paragraph of '{_short(title)}' over {len(pieces)} slides")
                    for piece in pieces:
                        if current:
                            chunks.append([])
                            current = chunks[-1]
                        current.append(piece)
                    words = s.max_words  # close the chunk: the next item starts a new slide
                    continue
            current.append(p)
            words += n_words
        chunks = [c for c in chunks if c]
        if len(chunks) > 1:
            self.note(f"'{_short(title)}' continues over {len(chunks)} slides")
        for n, chunk in enumerate(chunks):
            label = title + (f" {self.b.labels['continued']}" if n else "")
            # a slide made from the prose itself carries the prose it shows, so notes grow with the text,
            # not with the text times the number of slides
            shown = notes if kind == "key_points" else "\n\n".join(plain(p.runs) for p in chunk)
            slide = self.new_slide(kind, label, section, notes=shown)
            self.title_box(slide, label)
            slide.boxes.append(TextBox(self.content_x, self.body_y, width, height, tuple(chunk), name="Body"))

    def split_lines(self, p: TextPara, height: float) -> list[TextPara]:
        """A measured paragraph cut into pieces that each fit ``height``; only the first keeps the bullet."""
        per = max(1, int(height // p.line_height))
        pieces = []
        for k in range(0, len(p.lines), per):
            lines = p.lines[k:k + per]
            runs = (Run(" ".join(lines)),)
            pieces.append(TextPara(**{**p.__dict__, "runs": runs, "lines": lines,
                                      "bullet": p.bullet if k == 0 else None,
                                      "number": p.number if k == 0 else None}))
        return pieces

    def facts_slides(self, section: Section, notes: str) -> None:
        s = self.t.slide
        facts = list(section.facts)
        per = 4 if len(facts) != 5 else 3
        groups = [facts[i:i + per] for i in range(0, len(facts), per)]
        gap = self.margin * 0.6
        for n, group in enumerate(groups):
            label = section.title + (f" {self.b.labels['continued']}" if n else "")
            slide = self.new_slide("facts", label, section, notes=notes)
            self.title_box(slide, label)
            k = len(group)
            card_w = (self.content_w - gap * (k - 1)) / k
            pad = self.t.fact_box.padding * 1.5
            inner = card_w - 2 * pad
            values = [self.fit_single(f.value, "slide_fact_value", inner, self.body_h * 0.45, max_lines=2,
                                      what=f"fact value '{_short(f.value)}'") for f in group]
            size = min(v.size for v in values)  # one size for every number on the slide
            values = [self.para(f.value, "slide_fact_value", inner, size=size, space_after=0) for f in group]
            labels = [self.para(f.label, "slide_fact_label", inner, space_after=0) for f in group]
            labels = [lb if lb.height <= self.body_h * 0.4 else self.fit_single(
                f.label, "slide_fact_label", inner, self.body_h * 0.4, what="fact label") for lb, f in
                zip(labels, group)]
            gap_v = values[0].size * 0.35
            card_h = max(v.height for v in values) + gap_v + max(lb.height for lb in labels) + 2 * pad
            y = self.body_y + (self.body_h - card_h) / 2
            fill = self.t.color(s.fact_fill)
            for i, (v, lb) in enumerate(zip(values, labels)):
                x = self.content_x + i * (card_w + gap)
                if fill:
                    slide.boxes.append(Rect(x, y, card_w, card_h, fill, name="Fact card"))
                else:
                    slide.boxes.append(Rect(x, y, card_w, 3, self.t.color("primary"), name="Fact rule"))
                vh = max(q.height for q in values)
                slide.boxes.append(TextBox(x + pad, y + pad, inner, vh, (v,), anchor="bottom", name="Fact value"))
                slide.boxes.append(TextBox(x + pad, y + pad + vh + gap_v, inner, lb.height + 2, (lb,),
                                           name="Fact label"))

    def chart_slide(self, section: Section, chart: Chart, notes: str) -> None:
        from .common import number_format

        slide = self.new_slide("chart", chart.title, section, notes=notes)
        self.title_box(slide, chart.title)
        label = self.style("chart_label")
        size = max(self.min_size, label.size * 1.75)
        src_h = 0.0
        if chart.source:
            src = self.para(f"{self.b.labels['source']}: {chart.source}", "slide_footer", self.content_w,
                            space_after=0)
            src_h = src.height + 4
            slide.boxes.append(TextBox(self.content_x, self.body_y + self.body_h - src.height, self.content_w,
                                       src.height, (src,), name="Chart source"))
        palette = self.t.chart_palette
        n = len(chart.categories) if chart.type == "pie" else len(chart.series)
        colors = tuple(palette[i % len(palette)] for i in range(n))
        values = [v for s in chart.series for v in s.values]
        slide.boxes.append(ChartBox(
            self.content_x, self.body_y, self.content_w, self.body_h - src_h, chart, colors,
            family=self.t.fonts[label.font].family, label_size=size, label_color=self.t.color("muted"),
            text_color=self.t.color("text"), grid_color=self.t.color("grid") if "grid" in self.t.colors
            else self.t.color("rule"), number_format=_excel_format(number_format(values)), alt=chart.title))

    def table_slides(self, section: Section, table: Table) -> None:
        t = self.t
        ncols = max(len(table.header), 1)
        pad = t.fact_box.padding * 0.8
        hs, cs = "slide_table_header", "slide_table_cell"
        widths = self._table_widths(table, ncols, pad)
        align = column_alignments(table)

        def row(cells, style):
            return tuple(self.para(c, style, widths[i] - 2 * pad, space_after=0, align=align[i])
                         for i, c in enumerate(cells))

        header = row(table.header, hs)
        rows = [row(r, cs) for r in table.rows]

        def height(cells):
            return max(p.height for p in cells) + 2 * pad

        head_h = height(header)
        chunks: list[list] = [[]]
        used = head_h
        for r in rows:
            h = height(r)
            if chunks[-1] and used + h > self.body_h:
                chunks.append([])
                used = head_h
            chunks[-1].append(r)
            used += h
        if len(chunks) > 1:
            self.note(f"table in '{_short(section.title)}' continues over {len(chunks)} slides")
        for n, chunk in enumerate(chunks):
            label = section.title + (f" {self.b.labels['continued']}" if n else "")
            shown = "\n".join(" | ".join(plain(c.runs) for c in row) for row in [header, *chunk])
            slide = self.new_slide("table", label, section, notes=shown)
            self.title_box(slide, label)
            slide.boxes.append(TableBox(
                self.content_x, self.body_y, sum(widths), tuple(widths),
                tuple([head_h] + [height(r) for r in chunk]), header, tuple(chunk),
                header_fill=t.color(t.page.table_header_fill), zebra=t.color(t.page.table_zebra),
                rule=t.color(t.page.table_rule), padding=pad))

    def _table_widths(self, table: Table, ncols: int, pad: float) -> list[float]:
        ts = self.style("slide_table_cell")
        measure = self.measure(ts, ts.size, bold=True)
        natural = []
        for c in range(ncols):
            texts = [plain(table.header[c])] + [plain(r[c]) for r in table.rows if c < len(r)]
            natural.append(max(measure(x) for x in texts) + 2 * pad + 4)
        return share_widths(natural, self.content_w)

    def image_slide(self, section: Section, image: Image, notes: str) -> None:
        w, h = image.pixels
        title = image.title or section.title
        slide = self.new_slide("image", title, section, notes=notes)
        self.title_box(slide, title)
        scale = min(self.content_w / w, self.body_h / h)
        iw, ih = w * scale, h * scale
        slide.boxes.append(PictureBox(self.content_x + (self.content_w - iw) / 2, self.body_y, iw, ih,
                                      str(image.path), alt=image.alt or image.title or section.title))

    def sources_slides(self) -> None:
        sources = self.b.all_sources
        if not sources:
            return
        items = [((Run(s.title, href=s.url),), "\u2022") for s in sources]
        self.bullet_slides(None, self.b.labels["sources"], items, "", kind="sources")  # type: ignore[arg-type]


def _excel_format(fmt: str) -> str:
    decimals = int(fmt.split(".")[1][0]) if "." in fmt else 0
    return "#,##0" + ("." + "0" * decimals if decimals else "")


def _short(text: str, n: int = 40) -> str:
    return text if len(text) <= n else text[: n - 1] + "\u2026"


def _list_items(block: BulletList):
    """(runs, marker) for every paragraph of a list: a bullet character, or the item's number."""
    for i, item in enumerate(block.items):
        marker: str | int | None = block.start + i if block.ordered else "\u2022"
        for sub in item.blocks:
            if isinstance(sub, Paragraph):
                yield sub.runs, marker
                marker = None  # later paragraphs of the same item continue it
            elif isinstance(sub, BulletList):
                yield from _list_items(sub)


def _quote_runs(block: Quote):
    for sub in block.blocks:
        if isinstance(sub, Paragraph):
            yield tuple(Run(r.text, r.bold, True, r.code, r.strike, r.href) for r in sub.runs)


def _prose(section: Section) -> str:
    """The section's text as speaker notes: paragraphs and list items, separated by blank lines."""
    parts: list[str] = []

    def walk(blocks, prefix=""):
        for b in blocks:
            if isinstance(b, (Paragraph, Heading)):
                parts.append(prefix + plain(b.runs))
            elif isinstance(b, BulletList):
                for i, item in enumerate(b.items):
                    mark = f"{b.start + i}. " if b.ordered else "- "
                    for sub in item.blocks:
                        if isinstance(sub, Paragraph):
                            parts.append(mark + plain(sub.runs))
                            mark = "  "
                        else:
                            walk([sub], "  ")
            elif isinstance(b, Quote):
                walk(b.blocks, "> ")
            elif isinstance(b, CodeBlock):
                parts.append(b.text)
            elif isinstance(b, Table):
                parts.append(" | ".join(plain(c) for c in b.header))
                parts.extend(" | ".join(plain(c) for c in row) for row in b.rows)
    walk(section.blocks)
    return "\n\n".join(parts)
