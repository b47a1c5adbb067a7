"""A slide's chart drawn with reportlab.graphics from its ChartBox: the chart definition, palette, font,
colours and number format the deck writes into its native chart, laid out the way PowerPoint lays out that
chart (data labels at the bars' ends, gridlines and no value-axis line, the unit as the value axis's title,
a legend at the bottom when there are several series or slices, the first category on top)."""

from __future__ import annotations

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.charts.piecharts import Pie
from reportlab.graphics.shapes import Drawing, Group, Rect, String
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.lib.colors import HexColor

from ..common import keep_inside, wrap_words
from ..plan import ChartBox
from .fonts import Faces

# How PowerPoint sets out the deck's chart; plans that carry these numbers (ChartBox.gap_width, ...) win.
GAP_WIDTH = 60.0  # % of a bar's width between categories
SERIES_GAP = 10.0  # % of a bar's width between the bars of one category
LINE_WIDTH = 2.25  # pt
GRID_WIDTH = 0.5  # pt
AXIS_WIDTH = 0.75  # pt: the category axis
LEADING = 1.2  # x label size: a line of chart text
GAP = 0.5  # x label size: between a label and what it labels
CATEGORY_SHARE = 0.4  # of the chart's width at most, for a bar chart's category labels
CATEGORY_WRAP = 0.9  # of a category's slot: the width a column chart's category label wraps to
PIE_SHARE = 0.6  # of the chart's width at most, for a pie's diameter
PIE_LABEL_RADIUS = 1.15  # x the pie's radius: where slice labels stand
HEADROOM = 1.05  # x the largest value: the value axis reaches at least this far
MARKER = 0.6  # x label size: a line chart's point markers
SWATCH = 0.7  # x label size: a legend key


def _python_format(excel: str) -> str:
    """The deck's number format ("#,##0.0") as a Python format ("{:,.1f}")."""
    decimals = len(excel.split(".")[1]) if "." in excel else 0
    return "{:,.%df}" % decimals


def chart_drawing(box: ChartBox, faces: Faces, background: str) -> Drawing:
    """The chart as a Drawing the size of its box."""
    chart = box.chart
    font = faces.name(box.family)
    size = box.label_size
    lead = size * LEADING
    gap = size * GAP
    fmt = _python_format(box.number_format)
    values = [v for s in chart.series for v in s.values]
    # the deck's value axis shows whole numbers once values reach 10 (decimals there only add noise)
    tick_fmt = "{:,.0f}" if max(abs(v) for v in values) >= 10 else fmt
    measure = lambda text: faces.width(text, font, size)  # noqa: E731
    muted, ink, grid = HexColor(box.label_color), HexColor(box.text_color), HexColor(box.grid_color)
    colors = [HexColor(c) for c in box.colors] or [ink]
    d = Drawing(box.w, box.h)
    d.initialFontName, d.initialFontSize = font, size
    multi = len(chart.series) > 1
    legend = [(colors[i % len(colors)], name) for i, name in enumerate(chart.categories)] if chart.type == "pie" \
        else [(colors[i % len(colors)], s.name) for i, s in enumerate(chart.series)] if multi else []
    legend_h = 2 * lead if legend else 0.0
    if legend:
        _legend(d, legend, box.w, lead * GAP, font, size, muted, measure)

    def text(x, y, s, anchor="start", color=muted):
        return String(x, y, s, fontName=font, fontSize=size, fillColor=color, textAnchor=anchor)

    if chart.type == "pie":
        pie = Pie()
        diameter = min(box.h - legend_h - 4 * lead, box.w * PIE_SHARE)
        pie.width = pie.height = diameter
        pie.x, pie.y = (box.w - diameter) / 2, legend_h + (box.h - legend_h - diameter) / 2
        pie.data = list(chart.series[0].values)
        pie.labels = [fmt.format(v) for v in pie.data]
        pie.simpleLabels = 1
        pie.slices.labelRadius = PIE_LABEL_RADIUS
        pie.slices.fontName, pie.slices.fontSize, pie.slices.fontColor = font, size, ink
        pie.slices.strokeColor, pie.slices.strokeWidth = HexColor(background), 1
        for i in range(len(pie.data)):
            pie.slices[i].fillColor = colors[i % len(colors)]
        d.add(pie)
        return d

    unit = chart.unit or ""
    top = lead / 2
    if chart.type == "bar":
        c = HorizontalBarChart()
        cat_w = min(max(measure(x) for x in chart.categories), box.w * CATEGORY_SHARE)
        names = ["\n".join(wrap_words(x, cat_w, measure)) for x in chart.categories]
        ticks_h = lead + gap
        unit_h = lead if unit else 0.0
        c.x = cat_w + gap
        c.y = legend_h + unit_h + ticks_h
        c.width = box.w - c.x - measure(fmt.format(max(values))) - 2 * gap
        c.height = box.h - c.y - top
        c.categoryAxis.labels.textAnchor = "end"
        c.categoryAxis.labels.boxAnchor = "e"
        c.categoryAxis.labels.dx = -gap
        c.valueAxis.labels.dy = -gap / 2
        c.barLabels.boxAnchor, c.barLabels.dx = "w", gap / 2
        # reportlab stacks categories upwards; the deck shows the first one on top
        c.data = [list(s.values)[::-1] for s in chart.series]
        names = names[::-1]
        if unit:
            d_unit = text(c.x + c.width / 2, legend_h + lead * (1 - LEADING + GAP), unit, "middle")
    else:
        c = VerticalBarChart() if chart.type == "column" else HorizontalLineChart()
        ticks_w = max(measure(tick_fmt.format(v)) for v in (max(values), min(0, min(values)))) + gap
        unit_w = lead + gap if unit else 0.0
        c.x = unit_w + ticks_w
        c.width = box.w - c.x - gap
        slot = c.width / max(len(chart.categories), 1)
        names = ["\n".join(wrap_words(x, slot * CATEGORY_WRAP, measure)) for x in chart.categories]
        lines = max(n.count("\n") + 1 for n in names)
        c.y = legend_h + lines * lead + gap
        c.height = box.h - c.y - top - (lead if chart.type == "line" else 0.0)
        c.categoryAxis.labels.boxAnchor = "n"
        c.categoryAxis.labels.dy = -gap / 2
        c.valueAxis.labels.dx = -gap / 2
        c.data = [list(s.values) for s in chart.series]
        if unit:
            d_unit = Group(text(0, 0, unit, "middle"))
            d_unit.translate(lead * (1 - GAP / 2), c.y + c.height / 2)
            d_unit.rotate(90)
    c.categoryAxis.categoryNames = names
    for axis in (c.categoryAxis, c.valueAxis):
        axis.labels.fontName, axis.labels.fontSize, axis.labels.fillColor = font, size, muted
        axis.visibleTicks = 0
    c.categoryAxis.strokeColor, c.categoryAxis.strokeWidth = muted, AXIS_WIDTH
    c.valueAxis.visibleAxis = 0
    c.valueAxis.valueMin = min(0, min(values))
    if max(values) > 0:  # room above the largest value, and the axis ends on a tick, as PowerPoint's does
        c.valueAxis.valueMax = max(values) * HEADROOM
    c.valueAxis.rangeRound = "ceiling"
    c.valueAxis.visibleGrid = 1
    c.valueAxis.gridStrokeColor = grid
    c.valueAxis.gridStrokeWidth = getattr(box, "grid_width", GRID_WIDTH)
    c.valueAxis.labelTextFormat = lambda v: tick_fmt.format(v)
    label = lambda v: fmt.format(v)  # noqa: E731
    if chart.type == "line":
        c.joinedLines = 1
        for i in range(len(chart.series)):
            c.lines[i].strokeColor = colors[i % len(colors)]
            c.lines[i].strokeWidth = getattr(box, "line_width", LINE_WIDTH)
            c.lines[i].symbol = makeMarker("Circle", size=size * MARKER, fillColor=colors[i % len(colors)],
                                           strokeColor=colors[i % len(colors)])
        c.lineLabelFormat = label
        c.lineLabels.fontName, c.lineLabels.fontSize, c.lineLabels.fillColor = font, size, ink
        c.lineLabels.boxAnchor, c.lineLabels.dy = "s", gap
    else:
        c.barWidth = 100  # so that the gaps below read as PowerPoint's percentages of a bar
        c.groupSpacing = getattr(box, "gap_width", GAP_WIDTH)
        c.barSpacing = getattr(box, "series_gap", SERIES_GAP) if multi else 0
        for i in range(len(chart.series)):
            c.bars[i].fillColor = colors[i % len(colors)]
            c.bars[i].strokeColor = None
        c.barLabelFormat = label
        c.barLabels.fontName, c.barLabels.fontSize, c.barLabels.fillColor = font, size, ink
        if chart.type == "column":
            c.barLabels.boxAnchor, c.barLabels.dy = "s", gap / 2
    if chart.type == "bar":  # the value labels side by side: ticks no closer than the widest of them
        c.valueAxis.minimumTickSpacing = max(measure(tick_fmt.format(v)) for v in (min(0, min(values)), max(values)))
        c.valueAxis.minimumTickSpacing += 2 * gap
    keep_inside(c, box.w, box.h)
    d.add(c)
    if unit:
        d.add(d_unit)
    return d


def _legend(d: Drawing, items, width: float, y: float, font: str, size: float, color, measure) -> None:
    """A row of colour keys and names, centred at the bottom of the chart."""
    key = size * SWATCH
    gap = size * GAP
    widths = [key + gap + measure(name) for _, name in items]
    x = (width - sum(widths) - 2 * gap * (len(items) - 1)) / 2
    for (fill, name), w in zip(items, widths):
        d.add(Rect(x, y, key, key, fillColor=fill, strokeColor=None))
        d.add(String(x + key + gap, y, name, fontName=font, fontSize=size, fillColor=color))
        x += w + 2 * gap
