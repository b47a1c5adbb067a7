"""One render_* method per model block, and the title block, key-points panel, fact callouts and sources."""

from __future__ import annotations

from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.platypus import (
    Flowable,
    Indenter,
    KeepTogether,
    ListFlowable,
    Paragraph,
    Spacer,
)
from reportlab.platypus import Image as RLImage
from reportlab.platypus import ListItem as RLListItem
from reportlab.platypus import Table as RLTable

from ...model import (
    Block,
    BulletList,
    CodeBlock,
    Heading,
    Image,
    ListItem,
    Quote,
    Run,
    Section,
    Table,
    Visitor,
)
from ...model import Paragraph as MParagraph
from ...theme import FALLBACK_ROLE
from ..common import column_alignments, share_widths
from .contents import SOURCES_KEY, HeadingRoom, Mark, MarkedHeading
from .tagged_flowables import ARTIFACT, label_item, tag_list, tag_table

LIST_CHUNK = 40  # list items per ListFlowable (see render_bulletlist)
_TINY = 1e-6  # keeps a division by a measured width finite
FIT_ALLOWANCE = 0.98  # a value is sized to this share of its callout: reportlab breaks a line at the exact width


class Blocks(Visitor):
    """The story's flowables for each node of the model (a part of the PDF builder): ``render_<node>``."""

    prefix = "render_"

    def sources(self) -> list:
        """The closing list of sources: the briefing's own, then those of the built sections."""
        sources = self.b.all_sources
        if not sources:
            return []
        title = self.b.labels["sources"]
        with self.inside(self.struct("Sect")):
            out: list = self.tagged_heading(self.text_markup(title, "h1"), "h1", Mark(SOURCES_KEY, title, 0))
            items = [MParagraph(runs=(Run(s.title, href=s.url),)) for s in sources]
            out.extend(self.render_bulletlist(BulletList(items=tuple(ListItem(blocks=(p,)) for p in items)), None))
        return out

    def title_block(self) -> list:
        b, t = self.b, self.t
        items = []
        if t.logo:
            items.append(self.tag(self.logo(), ARTIFACT))  # the issuer is named in words beside it
        if b.issuer:
            items.append(self.tag(self.text_para(b.issuer, "issuer"), "P"))
        items.append(self.tag(self.text_para(b.title, "title"), "H1"))
        if b.subtitle:
            items.append(self.tag(self.text_para(b.subtitle, "subtitle"), "P"))
        if b.date:
            items.append(self.tag(self.text_para(b.date_text, "date"), "P"))
        lay = t.page.layout
        if t.page.cover == "block":
            pad = t.key_points_box.padding * lay.cover_block_padding
            inner = self.frame_w - 2 * pad
            content_h = sum(p.wrap(inner, self.page_h)[1] + p.getSpaceBefore() + p.getSpaceAfter() for p in items)
            top = max(pad, t.page.cover_band - content_h - pad / 2)
            table = tag_table(RLTable([[items]], colWidths=[self.frame_w]), tree_on=self.tree is not None)
            table.setStyle(self.table_style([
                ("BACKGROUND", (0, 0), (-1, -1), self.color("primary")),
                ("LEFTPADDING", (0, 0), (-1, -1), pad), ("RIGHTPADDING", (0, 0), (-1, -1), pad),
                ("TOPPADDING", (0, 0), (-1, -1), top), ("BOTTOMPADDING", (0, 0), (-1, -1), pad / 2),
            ]))
            return [table, Spacer(1, t.text["date"].space_after * lay.cover_gap)]
        rule = self.tag(Rule(self.frame_w, t.page.rule_width * lay.title_rule_weight, self.color("primary")), ARTIFACT)
        return [*items, rule, Spacer(1, t.text["date"].space_after)]

    def heading(self, markup: str, style: str, mark: Mark) -> list:
        """A heading kept with what follows it, marking its place for the outline, links and contents.

        A heading taller than ``heading_keep_share`` of the frame is not kept with what follows: it could
        never move whole, and reportlab retries a heading taller than the frame in front of a list, a
        chart or the end of the story frame after frame, without end."""
        head = MarkedHeading(markup, self.pstyle(style, keepWithNext=1), mark=mark, pages=self.section_pages)
        # never more than the frame, whatever a style asks: a heading kept with what follows must fit one
        room = (self.page_h - self.m["top"] - self.m["bottom"]) * min(self.t.page.layout.heading_keep_share, 1)
        if head.wrap(self.frame_w, room)[1] > room:
            head = MarkedHeading(markup, self.pstyle(style), mark=mark, pages=self.section_pages)
        return [HeadingRoom(), head]

    def tagged_heading(self, markup: str, style: str, mark: Mark, role: str = "H2") -> list:
        """:meth:`heading`, the heading tagged at ``role``, its level in the structure tree (the title is the
        H1, a section's title an H2)."""
        out = self.heading(markup, style, mark)
        self.tag(out[-1], role)
        return out

    def logo(self) -> Flowable:
        """The style's logo at the style's logo height, aligned like the title block."""
        w, h = self.t.logo_size
        height = self.t.page.logo_height
        img = RLImage(str(self.t.logo), width=w * height / h, height=height)
        img.hAlign = "CENTER" if self.t.page.cover == "centered" else "LEFT"
        img.spaceAfter = self.t.text["issuer"].space_after
        return img

    # -- sections and blocks ----------------------------------------------------------------------
    def render_section(self, section: Section) -> list:
        with self.inside(self.struct("Sect")):
            self._h3_seen = False
            out: list = self.tagged_heading(self.text_markup(section.title, "h1"), "h1",
                                            Mark(section.id, section.title, 0))
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
        return self.visit(block, section)

    def render_paragraph(self, block: MParagraph, section: Section) -> list:
        return [self.tag(self.para(block.runs, "body"), "P")]

    def render_heading(self, block: Heading, section: Section) -> list:
        style = {1: "h2", 2: "h2"}.get(block.level, "h3")
        text = "".join(r.text for r in block.runs)
        self._subheadings += 1
        mark = Mark(f"{section.id}.{self._subheadings}", text, 1)  # '.' is never in a section id
        # an H4 only below an H3 of its section: heading levels are never skipped
        role = "H4" if style == "h3" and getattr(self, "_h3_seen", False) else "H3"
        self._h3_seen = self._h3_seen or role == "H3"
        return self.tagged_heading(self.markup(block.runs, style), style, mark, role)

    def render_bulletlist(self, block: BulletList, section: Section, depth: int = 0) -> list:
        ts = self.t.text["bullet"]
        items = []
        self._contained += 1
        listing = self.struct("L", attrs={"O": "List", "ListNumbering": "Decimal" if block.ordered else "Disc"})
        with self.inside(listing):
            for item in block.items:
                flow = []
                with self.inside(self.struct("LI")):
                    label = self.struct("Lbl")
                    with self.inside(self.struct("LBody")):
                        for sub in item.blocks:
                            if isinstance(sub, BulletList):
                                flow.extend(self.render_bulletlist(sub, section, depth + 1))
                            elif isinstance(sub, MParagraph):
                                flow.append(self.tag(self.para(sub.runs, "bullet"), "P"))
                            else:
                                flow.extend(self.render_block(sub, section))
                        if not flow:  # an empty item still holds its number or bullet
                            flow.append(self.tag(Paragraph("", self.pstyle("bullet")), "P"))
                label_item(flow[0], label)
                items.append(flow)
        self._contained -= 1
        kwargs = dict(bulletFontName=self.font(ts, bold=False, italic=False), bulletFontSize=ts.size,
                      bulletColor=self.color("primary"),
                      leftIndent=ts.size * self.t.page.layout.list_indent + self._quote_indent)
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
            if listing is not None:
                tag_list(out[-1])
        return out

    def render_quote(self, block: Quote, section: Section) -> list:
        """The quote's blocks, indented: by moving the frame's edge, or, inside a list item (where nothing
        can move the frame), by indenting its paragraphs and lists themselves."""
        indent = self.t.text["quote"].size * self.t.page.layout.quote_indent
        contained = self._contained > 0
        if contained:
            self._quote_indent += indent
        out: list = []
        with self.inside(self.struct("BlockQuote")):
            for sub in block.blocks:
                if isinstance(sub, MParagraph):
                    extra = {"leftIndent": self._quote_indent} if contained else {}
                    out.append(self.tag(self.para(sub.runs, "quote", **extra), "P"))
                else:
                    out.extend(self.render_block(sub, section))
        if contained:
            self._quote_indent -= indent
            return out
        return [Indenter(left=indent), *out, Indenter(left=-indent)]

    def render_codeblock(self, block: CodeBlock, section: Section) -> list:
        text = escape(block.text).replace(" ", "\u00a0").replace("\n", "<br/>")
        return [self.tag(Paragraph(text, self.pstyle("code")), "Code")]

    def render_table(self, block: Table, section: Section) -> list:
        t = self.t
        ncols = max(len(block.header), 1)
        align = column_alignments(block)
        aligns = {"left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT}
        header = [self.para(cell, "table_header", alignment=aligns[align[c]]) for c, cell in enumerate(block.header)]
        rows = [[self.para(cell, "table_cell", alignment=aligns[align[c]]) for c, cell in enumerate(row)]
                for row in block.rows]
        widths = self.column_widths(block, ncols)
        lay = t.page.layout
        pad = t.fact_box.padding * lay.table_padding
        pad_v = pad * lay.table_padding_vertical
        style = [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), pad), ("RIGHTPADDING", (0, 0), (-1, -1), pad),
            ("TOPPADDING", (0, 0), (-1, -1), pad_v), ("BOTTOMPADDING", (0, 0), (-1, -1), pad_v),
            ("LINEBELOW", (0, 0), (-1, 0), t.page.rule_width * lay.table_header_rule, self.color(t.page.table_rule)),
            ("LINEBELOW", (0, -1), (-1, -1), t.page.rule_width, self.color(t.page.table_rule)),
        ]
        if t.page.table_header_fill:
            style.append(("BACKGROUND", (0, 0), (-1, 0), self.color(t.page.table_header_fill)))
        if t.page.table_zebra and len(rows) > 2:
            style.append(("ROWBACKGROUNDS", (0, 1), (-1, -1), [None, self.color(t.page.table_zebra)]))
        table = RLTable([header] + rows, colWidths=widths, repeatRows=1, splitByRow=1, splitInRow=1, hAlign="LEFT")
        table.setStyle(self.table_style(style))
        tag_table(table, self.struct("Table"), header_rows=1, tree_on=self.tree is not None)
        return [table, Spacer(1, t.text["body"].space_after)]

    def column_widths(self, block: Table, ncols: int) -> list[float]:
        """Each column as wide as its widest cell, measured in the face and size it is set in (the header
        row in the header style), where the frame allows; see :func:`share_widths`."""
        cell, head = self.t.text["table_cell"], self.t.text["table_header"]
        cell_m = self.metrics(self.t.fonts[cell.font].file(cell.bold, cell.italic))
        head_m = self.metrics(self.t.fonts[head.font].file(head.bold, head.italic))
        allowance = self.t.fact_box.padding * self.t.page.layout.table_width_allowance + 2
        natural = []
        for c in range(ncols):
            widths = [head_m.width("".join(r.text for r in block.header[c]), head.size)] if c < len(block.header) else []
            widths += [cell_m.width("".join(r.text for r in row[c]), cell.size) for row in block.rows if c < len(row)]
            natural.append(max(widths, default=0) + allowance)
        return share_widths(natural, self.frame_w)

    def render_image(self, block: Image, section: Section) -> list:
        w, h = block.pixels
        upscale = w <= self.t.page.layout.image_upscale_below
        scale = min(self.frame_w / w, self.t.page.image_max_height / h, self.frame_w / w if upscale else 1.0)
        img = RLImage(str(block.path), width=w * scale, height=h * scale)
        img.hAlign = "CENTER"
        out: list = [self.tag(img, "Figure", alt=block.alt or block.title or "")]
        caption = block.title or ""
        if caption:
            out.append(self.tag(self.text_para(caption, "caption", alignment=TA_CENTER), "P"))
        return [KeepTogether(out)]

    # -- key points, facts, charts -----------------------------------------------------------------
    def key_points_box(self, section: Section) -> Flowable:
        """The key points in a panel: one table row per point, so that a long list splits across pages."""
        t = self.t
        box = t.key_points_box
        ts = t.text["key_point"]
        bullet_font = self.fonts[FALLBACK_ROLE][(False, False)] if FALLBACK_ROLE in self.fonts else self.font(ts)
        lay = t.page.layout
        indent = ts.size * lay.key_point_indent
        style = self.pstyle("key_point", leftIndent=indent, bulletIndent=0, bulletFontName=bullet_font,
                            bulletFontSize=ts.size * lay.key_point_marker, bulletColor=self.color("primary"),
                            bulletOffsetY=ts.size * lay.key_point_marker_rise)
        with self.inside(self.struct("Div")):  # the panel: its title, then its points as a list
            rows = [[self.tag(self.text_para(self.b.labels["key_points"], "key_points_title"), "P")]]
            with self.inside(self.struct("L", attrs={"O": "List", "ListNumbering": "Square"})):
                for kp in section.key_points:
                    with self.inside(self.struct("LI")):
                        label = self.struct("Lbl")
                        para = Paragraph(self.markup(kp, "key_point"), style, bulletText="\u25a0")
                        rows.append([self.tag(para, "LBody", label=label)])
        table = tag_table(RLTable(rows, colWidths=[self.frame_w], splitByRow=1, splitInRow=1), tree_on=self.tree is not None)
        pad = box.padding
        title_pad = pad * lay.panel_title_padding
        commands = [("LEFTPADDING", (0, 0), (-1, -1), pad + box.accent_width),
                    ("RIGHTPADDING", (0, 0), (-1, -1), pad),
                    ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), ts.space_after),
                    ("TOPPADDING", (0, 0), (-1, 0), title_pad), ("BOTTOMPADDING", (0, -1), (-1, -1), pad),
                    ("TOPPADDING", (0, "splitfirst"), (-1, "splitfirst"), title_pad),
                    ("BOTTOMPADDING", (0, "splitlast"), (-1, "splitlast"), pad)]
        if box.fill:
            commands.append(("BACKGROUND", (0, 0), (-1, -1), self.color(box.fill)))
        if box.accent_width and box.border:
            commands.append(("LINEBEFORE", (0, 0), (0, -1), box.accent_width, self.color(box.border)))
        if box.border_width and box.border:
            commands.append(("BOX", (0, 0), (-1, -1), box.border_width, self.color(box.border)))
        table.setStyle(self.table_style(commands))
        table.spaceAfter = t.text["body"].space_after * lay.block_gap
        table.spaceBefore = lay.panel_gap_above
        return table

    def facts_row(self, section: Section) -> Flowable:
        """The section's facts as callouts in rows of at most ``facts_per_row`` (see :meth:`fact_sizes`).

        Every value is set at one size. Across a row the values start at one top (a value on two lines
        runs on downwards) and the labels start at one top, below the row's tallest value."""
        t = self.t
        box = t.fact_box
        lay = t.page.layout
        facts = list(section.facts)
        per_row, size = self.fact_sizes(facts)
        gap = box.padding * lay.fact_gap
        cell_w = (self.frame_w - gap * (per_row - 1)) / per_row
        vs = t.text["fact_value"]
        value_style = {"fontSize": size, "leading": vs.leading * size / vs.size}
        label_gap = box.padding * lay.fact_label_gap
        rows, style = [], []
        for r0 in range(0, len(facts), per_row):
            row_facts = facts[r0:r0 + per_row]
            values = [self.text_para(f.value, "fact_value", **value_style) for f in row_facts]
            heights = [v.wrap(cell_w - 2 * box.padding, self.page_h)[1] for v in values]
            row = []
            for i, (fact, value, h) in enumerate(zip(row_facts, values, heights)):
                if i:
                    row.append("")
                with self.inside(self.struct("Div")):  # a fact: its figure, then what the figure counts
                    row.append([self.tag(value, "P"), Spacer(1, label_gap + max(heights) - h),
                                self.tag(self.text_para(fact.label, "fact_label"), "P")])
            while len(row) < per_row * 2 - 1:
                row.append("")
            rows.append(row)
        widths = []
        for i in range(per_row):
            if i:
                widths.append(gap)
            widths.append(cell_w)
        table = tag_table(RLTable(rows, colWidths=widths, splitByRow=1, splitInRow=1), tree_on=self.tree is not None)
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
        table.spaceAfter = t.text["body"].space_after * lay.block_gap
        return table

    def fact_sizes(self, facts: list) -> tuple[int, float]:
        """How many callouts go to a row, and the one size of their values.

        The size is the style's ``fact_value`` size, or smaller so that the longest value takes at most two
        lines with no word broken: one line when that keeps ``fact_one_line`` of the style's size, else two;
        never below the body size. When a row of ``facts_per_row`` cannot hold that, fewer callouts go to a
        row (rows as even as that allows), down to one."""
        t = self.t
        box, lay = t.fact_box, t.page.layout
        vs = t.text["fact_value"]
        m = self.metrics(t.fonts[vs.font].file(vs.bold, vs.italic))
        floor = t.text["body"].size
        texts = [f.value.upper() if vs.upper else f.value for f in facts]
        one = max(m.width(x, 1.0) for x in texts)  # the widest value on one line, at 1 pt
        two = max(_two_lines(x.split(), lambda w: m.width(w, 1.0)) for x in texts)
        gap = box.padding * lay.fact_gap
        tried = set()
        for most in range(min(lay.facts_per_row, len(facts)), 0, -1):
            per = -(-len(facts) // -(-len(facts) // most))  # as many rows as ``most`` needs, evened out
            if per in tried:
                continue
            tried.add(per)
            inner = ((self.frame_w - gap * (per - 1)) / per - 2 * box.padding) * FIT_ALLOWANCE
            size = min(vs.size, inner / max(one, _TINY))
            if size < vs.size * lay.fact_one_line:
                size = min(vs.size, inner / max(two, _TINY))
            if size >= floor:
                return per, size
        return 1, floor


def _two_lines(words: list[str], width) -> float:
    """The width of ``words`` set on at most two lines, broken where the wider line is narrowest."""
    if len(words) < 2:
        return width(" ".join(words))
    return min(max(width(" ".join(words[:k])), width(" ".join(words[k:]))) for k in range(1, len(words)))


class Rule(Flowable):
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
