"""Charts drawn with reportlab.graphics from the model's chart definition, in the style's palette."""

from __future__ import annotations

import math

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.charts.piecharts import Pie
from reportlab.graphics.shapes import Drawing, String
from reportlab.platypus import Flowable, KeepTogether, Spacer

from ...model import Chart
from ..common import chart_in_words, format_number, grouped_note, keep_inside, number_format, pie_slices, wrap_words


class Charts:
    """Vector charts (a part of the PDF builder)."""

    def render_chart(self, chart: Chart) -> Flowable:
        t = self.t
        drawn = pie_slices(chart, t.page.layout.pie_slices, self.b.labels["other"])
        message = grouped_note(chart, drawn, "the PDF", "page.layout.pie_slices")
        if message:
            self.note(message)
        chart = drawn
        label = t.text["chart_label"]
        lab_font = self.font(label)
        palette = [self.color(c) for c in t.chart_palette]
        grid = self.color("grid") if "grid" in t.colors else self.color("rule")
        axis_color = self.color("muted")
        lay = t.page.layout
        height = t.page.chart_height
        width = self.frame_w
        d = Drawing(width, height)
        d.initialFontName, d.initialFontSize = lab_font, label.size  # not reportlab's Helvetica default
        values = [v for s in chart.series for v in s.values]
        fmt = number_format(values)
        measure = lambda s: self.metrics(t.fonts[label.font].file(label.bold, label.italic)).width(s, label.size)  # noqa
        unit_text = chart.unit or ""
        legend_h = 0.0
        rows = 0
        if len(chart.series) > 1 or chart.type == "pie":
            rows = _legend_rows(chart.categories if chart.type == "pie" else [s.name for s in chart.series], width,
                                measure, label.size)
            legend_h = label.leading * (lay.chart_legend_height + rows - 1)
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
                         lab_font, label, rows)
        else:
            if chart.type == "bar":
                c = HorizontalBarChart()
                cat_w = min(max(measure(x) for x in chart.categories) + lay.chart_label_gap,
                            width * lay.chart_category_share)
                room = lay.chart_axis_room_unit if unit_text else lay.chart_axis_room
                c.x, c.y = cat_w, label.leading * room + legend_h
                c.width = width - cat_w - measure(format_number(max(values), fmt)) - lay.chart_value_gap
                c.height = height - c.y - label.leading
                cat_labels = ["\n".join(wrap_words(x, cat_w - lay.chart_label_gap, measure))
                              for x in chart.categories]
                c.categoryAxis.labels.textAnchor = "end"
                c.categoryAxis.labels.boxAnchor = "e"
                c.barLabels.boxAnchor = "w"
                c.barLabels.dx = lay.chart_bar_label_offset
            else:  # column and line charts share the vertical layout
                c = VerticalBarChart() if chart.type == "column" else HorizontalLineChart()
                val_w = measure(format_number(max(values), fmt)) + lay.chart_value_axis_gap
                slot = (width - val_w) / len(chart.categories)
                cat_labels = ["\n".join(wrap_words(x, slot * lay.chart_category_wrap, measure))
                              for x in chart.categories]
                lines = max(x.count("\n") + 1 for x in cat_labels)
                c.x, c.y = val_w, label.leading * (lines + 1) + legend_h
                c.width = width - val_w - lay.chart_right_room
                c.height = height - c.y - label.leading * lay.chart_top_room
                c.categoryAxis.labels.boxAnchor = "n"
            if chart.type == "column":
                c.barLabels.boxAnchor = "s"
                c.barLabels.dy = lay.chart_bar_label_offset
            elif chart.type == "line":
                for i in range(len(chart.series)):
                    c.lines[i].strokeColor = palette[i % len(palette)]
                    c.lines[i].strokeWidth = lay.chart_line_width
                c.lineLabelFormat = lambda v: format_number(v, fmt)
                c.lineLabels.fontName, c.lineLabels.fontSize = lab_font, label.size
                c.lineLabels.fillColor = self.color(label.color)
                c.lineLabels.dy = lay.chart_line_label_offset
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
            c.valueAxis.rangeRound = "both"  # the axis ends on a tick beyond the longest bar, as the deck's does
            c.valueAxis.visibleGrid = 1
            c.valueAxis.gridStrokeColor = grid
            c.valueAxis.gridStrokeWidth = t.page.rule_width * lay.chart_grid_weight
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
                c.barSpacing = lay.chart_bar_spacing
                c.groupSpacing = lay.chart_group_spacing
            if min(values) < 0:
                # category names at the low end of the values, not over the negative bars, and set off from it
                # by the room the labels of those bars take
                negative = [v for v in values if v < 0]
                if chart.type == "bar":
                    room = (max(measure(format_number(v, fmt)) for v in negative) + lay.chart_bar_label_offset
                            + lay.chart_label_gap)
                    c.categoryAxis.joinAxisMode = "left"
                    c.categoryAxis.labels.dx = -room
                    c.x, c.width = c.x + room, c.width - room
                else:
                    room = label.leading + lay.chart_bar_label_offset
                    c.categoryAxis.joinAxisMode = "bottom"
                    c.categoryAxis.labels.dy = -room
                    c.y, c.height = c.y + room, c.height - room
            if chart.type == "bar":  # the value labels side by side: ticks no closer than the widest of them
                c.valueAxis.minimumTickSpacing = max(measure(format_number(v, number_format([v])))
                                                     for v in (min(0, min(values)), max(values))) + lay.chart_label_gap
            keep_inside(c, width, height)
            d.add(c)
            if unit_text:
                s = String(c.x + c.width if chart.type == "bar" else c.x, c.y + c.height + label.leading
                           * lay.chart_unit_rise if chart.type != "bar" else label.leading * lay.chart_unit_rise
                           + legend_h, unit_text,
                           fontName=self.font(label, italic=True), fontSize=label.size,
                           fillColor=self.color(label.color), textAnchor="end" if chart.type == "bar" else "start")
                if chart.type != "bar":  # above the value axis, from the frame's left edge (never in the margin)
                    s.x = 0
                    s.textAnchor = "start"
                    s.y = c.y + c.height + label.leading * 0.5
                d.add(s)
            if len(chart.series) > 1:
                self._legend(d, [(palette[i % len(palette)], s.name) for i, s in enumerate(chart.series)], width,
                             lab_font, label, rows)
        parts = [self.tag(self.text_para(chart.title, "chart_title", keepWithNext=1), "P"),
                 self.tag(DrawingFlowable(d), "Figure", alt=chart_in_words(chart))]
        if chart.source:
            parts.append(self.tag(self.text_para(f"{self.b.labels['source']}: {chart.source}", "caption"), "P"))
        else:
            parts.append(Spacer(1, t.text["caption"].space_after))
        return KeepTogether(parts)

    def _legend(self, d: Drawing, items, width, font, label, rows: int = 1) -> None:
        """The colour keys and names along the bottom, in ``rows`` rows (see :func:`_legend_rows`)."""
        legend = Legend()
        legend.alignment = "right"
        legend.x, legend.y = 0, label.leading * (self.t.page.layout.chart_legend_rise + rows - 1)
        legend.columnMaximum = rows
        legend.deltax = width / max(math.ceil(len(items) / rows), 1)
        legend.dx, legend.dy = label.size, label.size
        legend.fontName, legend.fontSize = font, label.size
        legend.fillColor = self.color(label.color)
        legend.strokeColor = None
        legend.colorNamePairs = items
        d.add(legend)


def _legend_rows(names, width: float, measure, size: float) -> int:
    """The rows a legend of ``names`` takes: as few as let each column hold its widest name. reportlab widens
    a legend's columns to their widest name, so a single row of a dozen names ran off the page."""
    key = Legend()
    room = max((measure(n) for n in names), default=0.0) + size + key.dxTextSpace + key.autoXPadding
    for rows in range(1, len(names)):
        if math.ceil(len(names) / rows) * room <= width:
            return rows
    return max(len(names), 1)


class DrawingFlowable(Flowable):
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
