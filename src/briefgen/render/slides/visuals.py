"""Chart, table and image slides: each fills the content area under a one-line title."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from ...model import Briefing, Chart, Image, Run, Table, Visitor, plain
from ...theme import Theme
from ..common import (
    chart_in_words,
    column_alignments,
    format_number,
    grouped_note,
    number_format,
    pie_slices,
    share_widths,
)
from ..plan import Box, ChartBox, PictureBox, TableBox, TextBox, TextPara
from .compose import balanced
from .content import table_notes
from .grid import Grid
from .text import SHRINK_STEP, Typesetter


@dataclass
class Visual:
    """One slide's worth of a chart, table or image: its title, boxes and speaker notes."""

    kind: str
    title: str
    boxes: list[Box]
    notes: str


def excel_format(fmt: str) -> str:
    """A Python number format ('{:,.1f}') as the spreadsheet format a chart's labels use."""
    decimals = int(fmt.split(".")[1][0]) if "." in fmt else 0
    return "#,##0" + ("." + "0" * decimals if decimals else "")


class VisualSlides(Visitor):
    """Slides for a chart, and (through ``visit``) for a table or an image of a section's body."""

    def __init__(self, briefing: Briefing, ts: Typesetter, grid: Grid, theme: Theme):
        self.b, self.ts, self.g, self.t = briefing, ts, grid, theme
        self.lay = theme.slide.layout

    # -- charts ------------------------------------------------------------------------------------
    def joins(self, page: list[Box] | None) -> float | None:
        """Where a chart or image may start on ``page``: below points short enough to share it."""
        if not page:
            return None
        top = max(b.y + b.h for b in page) + self.g.margin * self.lay.block_gap
        return top if top - self.g.y <= self.g.h * self.lay.visual_join else None

    def chart(self, chart: Chart, page: list[Box] | None = None) -> Visual:
        """A chart's slide; or, when it joins the short points on ``page``, a Visual with no boxes of
        its own (the chart, titled in itself, is added to the page)."""
        g, t, lay = self.g, self.t, self.lay
        top = self.joins(page)
        y = g.y if top is None else top
        label = self.ts.style("chart_label")
        boxes: list[Box] = []
        src_h = 0.0
        if chart.source:
            src = self.ts.para(f"{self.b.labels['source']}: {chart.source}", "slide_footer", g.w, space_after=0)
            src_h = src.height + lay.chart_source_gap
            boxes.append(TextBox(g.x, g.y + g.h - src.height, g.w, src.height, (src,), name="Chart source"))
        palette = t.chart_palette
        # a big pie shows its largest slices and one for the rest, on the slide and in its notes
        drawn = pie_slices(chart, lay.pie_slices, self.b.labels["other"])
        message = grouped_note(chart, drawn, "the deck", "slide.layout.pie_slices")
        if message:
            self.ts.note(message)
        n = len(drawn.categories) if chart.type == "pie" else len(chart.series)
        values = [v for s in chart.series for v in s.values]
        fmt = number_format(values)
        boxes.insert(0, ChartBox(
            g.x, y, g.w, g.y + g.h - y - src_h, drawn, tuple(palette[i % len(palette)] for i in range(n)),
            family=t.fonts[label.font].family, label_size=max(self.ts.min_size, label.size * lay.chart_label_scale),
            label_color=t.color("muted"), text_color=t.color("text"),
            grid_color=t.color("grid") if "grid" in t.colors else t.color("rule"),
            number_format=excel_format(fmt), alt=chart_in_words(chart), title=None if top is None else chart.title,
            gap_width=lay.chart_gap_width, series_gap=lay.chart_series_gap, line_width=lay.chart_line_width,
            grid_width=lay.chart_grid))
        if top is not None:
            page.extend(boxes)
            boxes = []
        unit = f" ({chart.unit})" if chart.unit else ""
        lines = [chart.title + unit]
        for s in drawn.series:  # the values as drawn: a grouped pie's notes stay as short as its slide
            pairs = "; ".join(f"{c}: {format_number(v, fmt)}" for c, v in zip(drawn.categories, s.values))
            lines.append(f"{s.name}: {pairs}" if len(chart.series) > 1 else pairs)
        if chart.source:
            lines.append(f"{self.b.labels['source']}: {chart.source}")
        return Visual("chart", chart.title, boxes, "\n".join(lines))

    # -- images ------------------------------------------------------------------------------------
    def visit_image(self, image: Image, section_title: str, largest: float, note, page=None) -> list[Visual]:
        """An image's slide, the picture as large as the content area allows; or none, when it joins
        the short points on ``page`` below them."""
        g = self.g
        top = self.joins(page)
        y = g.y if top is None else top
        w, h = image.pixels
        scale = min(g.w / w, (g.y + g.h - y) / h)
        iw, ih = w * scale, h * scale
        title = image.title or section_title
        box = PictureBox(g.x + (g.w - iw) / 2, y, iw, ih, str(image.path), alt=image.alt or title)
        if top is not None:
            page.append(box)
            return [Visual("image", title, [], image.alt)]
        return [Visual("image", title, [box], image.alt)]

    # -- tables ------------------------------------------------------------------------------------
    def visit_table(self, table: Table, title: str, largest: float, note,
                    page: list[Box] | None = None) -> list[Visual]:
        """A table's slides: none when it fits below the points on ``page`` (it joins them there);
        else across the content width, its text as large as lets it fit one slide (from ``largest``
        down to the table style's size); else at that size, its rows evened out over slides with the
        header on each."""
        g = self.g
        if page is not None:
            top = max(b.y + b.h for b in page) + g.margin * self.lay.block_gap
            box = self.sized(table, largest, g.y + g.h - top)
            if box is not None:
                page.append(dataclasses.replace(box, y=top))
                return []
        box = self.sized(table, largest, g.h)
        if box is not None:
            return [Visual("table", title, [box], table_notes(table, table.rows))]
        header, rows, widths = self.table_cells(table, self.ts.style("slide_table_cell").size)
        head_h = self.row_height(header)
        room = g.h - head_h
        rows = [self.clip(r, room) for r in rows]
        heights = [self.row_height(r) for r in rows]
        groups = balanced(heights, [0.0] * len(rows), [0] * len(rows), room, 1)
        note(f"table in '{title}' continues over {len(groups)} slides")
        return [Visual("table", title, [self.table_box(header, tuple(rows[i] for i in group), widths)],
                       table_notes(table, [table.rows[i] for i in group])) for group in groups]

    def sized(self, table: Table, largest: float, room: float) -> TableBox | None:
        """The table at the largest size from ``largest`` down to its style's size that fits ``room``."""
        cell = self.ts.style("slide_table_cell").size
        size = max(largest, cell)
        while size >= cell:
            header, rows, widths = self.table_cells(table, size)
            if self.rows_height([header, *rows]) <= room:
                return self.table_box(header, tuple(rows), widths)
            size -= SHRINK_STEP
        return None

    @property
    def pad(self) -> float:
        return self.t.fact_box.padding * self.lay.table_padding

    @property
    def pad_v(self) -> float:
        return self.pad * self.lay.table_padding_vertical

    def row_height(self, cells) -> float:
        return max((p.height for p in cells), default=0.0) + 2 * self.pad_v

    def rows_height(self, rows) -> float:
        return sum(self.row_height(r) for r in rows)

    def table_cells(self, table: Table, size: float):
        """The header and rows as paragraphs at ``size`` (the header scaled alike), in columns that fill
        the content width in proportion to what they hold."""
        ts, pad = self.ts, self.pad
        cell, head = ts.style("slide_table_cell"), ts.style("slide_table_header")
        head_size = head.size * size / cell.size
        ncols = max(len(table.header), 1)
        measure = ts.measure(cell, size, True)
        natural = []
        for c in range(ncols):
            texts = [plain(r[c]) for r in (table.header, *table.rows) if c < len(r)] or [""]
            natural.append(max(measure(x) for x in texts) + 2 * pad + self.lay.table_allowance)
        total = sum(natural)
        widths = [w * self.g.w / total for w in natural] if total <= self.g.w else share_widths(natural, self.g.w)
        align = column_alignments(table)

        def row(cells, style, sz):
            return tuple(ts.para(c, style, widths[i] - 2 * pad, size=sz, space_after=0, align=align[i])
                         for i, c in enumerate(cells))

        return row(table.header, "slide_table_header", head_size), [row(r, "slide_table_cell", size)
                                                                     for r in table.rows], widths

    def clip(self, row: tuple[TextPara, ...], room: float) -> tuple[TextPara, ...]:
        """A row taller than ``room`` with each cell cut to the lines that fit, ending in an ellipsis
        (the whole table is in the slide's notes)."""
        if self.row_height(row) <= room:
            return row
        out = []
        for p in row:
            keep = max(1, int((room - 2 * self.pad_v) // p.line_height))
            if len(p.lines) > keep:
                lines = p.lines[:keep - 1] + (p.lines[keep - 1].rsplit(" ", 1)[0] + "\u2026",)
                p = dataclasses.replace(p, runs=(Run(" ".join(lines)),), lines=lines)
            out.append(p)
        return tuple(out)

    def table_box(self, header, rows, widths) -> TableBox:
        t, g, lay = self.t, self.g, self.lay
        return TableBox(g.x, g.y, sum(widths), tuple(widths),
                        tuple(self.row_height(r) for r in [header, *rows]), header, rows,
                        header_fill=t.color(t.page.table_header_fill), zebra=t.color(t.page.table_zebra),
                        rule=t.color(t.page.table_rule), padding=self.pad, padding_v=self.pad_v,
                        header_rule=lay.table_header_rule,
                        end_rule=lay.table_end_rule)

