"""The deck writer: a SlidePlan serialised with python-pptx. No layout decisions are made here.

Every size, colour and font comes from the plan (which took them from the Theme);
text boxes get explicit sizes with autofit off, because the planner has already
measured them. The style's palette and fonts are written into the deck's theme so
that a person editing the deck picks them from PowerPoint's theme palette. The
package is byte-stable: fixed zip timestamps and fixed document dates.
"""

from __future__ import annotations

import datetime as dt
import io
from xml.sax.saxutils import escape, quoteattr

from lxml import etree
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.chart import (
    XL_CHART_TYPE,
    XL_LABEL_POSITION,
    XL_LEGEND_POSITION,
)
from pptx.enum.text import MSO_ANCHOR
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.oxml import parse_xml
from pptx.oxml.ns import qn
from pptx.util import Emu

from ...units import emu
from ..plan import (
    TITLE,
    ChartBox,
    PictureBox,
    Rect,
    SlidePlan,
    TableBox,
    TextBox,
    TextPara,
    Watermark,
)
from .package import (
    StableChartData,
    StableWriter,
    count_partnames,
    cross_at_last_category,
    freeze,
    notes_adder,
    slide_adder,
)

_CHART_TYPES = {"bar": XL_CHART_TYPE.BAR_CLUSTERED, "column": XL_CHART_TYPE.COLUMN_CLUSTERED,
                "line": XL_CHART_TYPE.LINE_MARKERS, "pie": XL_CHART_TYPE.PIE}
_NO_STYLE_TABLE = "{2D5ABB26-0587-4C30-8999-92F81FD0307C}"  # PowerPoint's "No Style, No Grid"
# every slide is made on a layout with a title placeholder, and its title is that placeholder, so that
# PowerPoint, its accessibility checker and screen readers find it (the placeholders are not cloned: the
# planner has placed and sized every box, and the writer writes each one's position and text properties)
_TITLE_SLIDE_LAYOUT = 0  # python-pptx's default template: "Title Slide" (a centred title)
_TITLE_ONLY_LAYOUT = 5  # "Title Only"
_DECORATIVE = ('<a:extLst><a:ext uri="{C183D7F6-B498-43B3-948B-1728B52AA6E4}"><adec:decorative '
               'xmlns:adec="http://schemas.microsoft.com/office/drawing/2017/decorative" val="1"/></a:ext></a:extLst>')
_CENTI = 100  # DrawingML sizes and spacings are in hundredths of a point
_FIELD_ID = "{B6F15528-21DE-4FAA-801E-634DDDAF4B2B}"  # the id PowerPoint gives its slide-number field
_WHOLE_TICKS = 10  # a value axis reaching this far shows whole numbers on its ticks
_PROPERTY_LENGTH = 255  # characters a document property may hold
_NO_DATE = dt.datetime(2000, 1, 1)  # the documents' date when the briefing has none


def render_pptx(plan: SlidePlan) -> bytes:
    """The deck as .pptx bytes."""
    prs = Presentation()
    count_partnames(prs.part.package)
    prs.slide_width = Emu(emu(plan.width))
    prs.slide_height = Emu(emu(plan.height))
    _write_theme(prs, plan)
    _write_properties(prs, plan)
    layouts = {True: prs.slide_layouts[_TITLE_SLIDE_LAYOUT], False: prs.slide_layouts[_TITLE_ONLY_LAYOUT]}
    add_slide = slide_adder(prs)
    add_notes = notes_adder(prs, plan.lang)
    scheme = _scheme(plan)
    first_of: dict[str, int] = {}  # section id -> index of its first slide, for '#id' links
    for index, planned in enumerate(plan.slides):
        if planned.section_id:
            first_of.setdefault(planned.section_id, index)
    parts: list = []  # each slide's part, as added
    waiting: dict[int, object] = {}  # slides added ahead of their turn, because a link points to them

    def add_up_to(index: int) -> None:
        while len(parts) <= index:
            cover = plan.slides[len(parts)].kind == "title"
            new = add_slide(layouts[cover])
            new._briefgen_scheme = scheme
            new._briefgen_section_part = section_part
            new._briefgen_lang = plan.lang
            new._briefgen_title = "ctrTitle" if cover else "title"
            waiting[len(parts)] = new
            parts.append(new.part)

    def section_part(section_id: str):
        """The part of a section's first slide (added now if a link points ahead), or None."""
        if section_id not in first_of:
            return None
        add_up_to(first_of[section_id])
        return parts[first_of[section_id]]

    for index, planned in enumerate(plan.slides):
        add_up_to(index)
        slide = waiting.pop(index)  # finished slides are not kept: freeze() leaves only their bytes
        for box in planned.boxes:
            _DRAW[type(box)](slide, box)
        if planned.notes:
            add_notes(slide, planned.notes)
        freeze(slide)
    buf = io.BytesIO()
    package = prs.part.package
    StableWriter.write(buf, package._rels, tuple(package.iter_parts()))
    return buf.getvalue()


# -- shapes ------------------------------------------------------------------------------------
def _rgb(hexv: str) -> RGBColor:
    return RGBColor.from_string(hexv.lstrip("#"))


def _set_alt(shape, text: str) -> None:
    shape._element.xpath("./*[1]/p:cNvPr")[0].set("descr", text)


# Shapes are written as XML in one piece: python-pptx's property setters cost about a millisecond per
# paragraph, most of the deck's time. The XML is what those setters would have produced.
_NS = ('xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" '
       'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
       'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"')
_ALGN = {"left": "l", "center": "ctr", "right": "r", "justify": "just"}
_ANCHOR_XML = {"top": "t", "middle": "ctr", "bottom": "b"}


def _next_shape_id(slide) -> int:
    counter = getattr(slide, "_briefgen_ids", None)
    if counter is None:
        counter = slide._briefgen_ids = [max([1] + [int(i) for i in slide.shapes._spTree.xpath("//p:cNvPr/@id")])]
    counter[0] += 1
    return counter[0]


def _xfrm(x: float, y: float, w: float, h: float) -> str:
    return f'<a:xfrm><a:off x="{emu(x)}" y="{emu(y)}"/><a:ext cx="{emu(w)}" cy="{emu(h)}"/></a:xfrm>'


_SLIDE_SLOT = {"dk2": "tx2", "dk1": "tx1", "lt1": "bg1", "lt2": "bg2", **{f"accent{i}": f"accent{i}" for i in range(1, 7)}}


def _scheme(plan: SlidePlan) -> dict[str, str]:
    """Hex colour -> the theme slot a slide refers to it by (first slot wins when two slots share a colour)."""
    out: dict[str, str] = {}
    for slot, name in _SLIDE_SLOT.items():
        hexv = plan.theme_colors.get(slot)
        if hexv:
            out.setdefault(hexv.upper(), name)
    return out


def _clr(slide, color: str) -> str:
    """A colour as a theme reference when the theme has it, so that changing the theme recolours the deck."""
    slot = slide._briefgen_scheme.get(color.upper())
    return f'<a:schemeClr val="{slot}"/>' if slot else f'<a:srgbClr val="{color.lstrip("#")}"/>'


def _fill(slide, color: str | None) -> str:
    return f"<a:solidFill>{_clr(slide, color)}</a:solidFill>" if color else "<a:noFill/>"


def _draw_rect(slide, box: Rect) -> None:
    xml = (f'<p:sp {_NS}><p:nvSpPr><p:cNvPr id="{_next_shape_id(slide)}" name={quoteattr(box.name)}>'
           f'{_DECORATIVE}</p:cNvPr><p:cNvSpPr/><p:nvPr/></p:nvSpPr><p:spPr>{_xfrm(box.x, box.y, box.w, box.h)}<a:prstGeom prst="rect"><a:avLst/>'
           f'</a:prstGeom>{_fill(slide, box.fill)}<a:ln><a:noFill/></a:ln></p:spPr></p:sp>')
    slide.shapes._spTree.append(parse_xml(xml))


def _draw_text(slide, box: TextBox) -> None:
    paragraphs = "".join(_paragraph_xml(slide, para) for para in box.paragraphs)
    if box.role == TITLE:  # the layout's title placeholder, at the planned place with the planned text
        kind = '<p:cNvSpPr><a:spLocks noGrp="1"/></p:cNvSpPr><p:nvPr><p:ph type="%s"/></p:nvPr>' % slide._briefgen_title
    else:
        kind = '<p:cNvSpPr txBox="1"/><p:nvPr/>'
    xml = (f'<p:sp {_NS}><p:nvSpPr><p:cNvPr id="{_next_shape_id(slide)}" name={quoteattr(box.name)}/>'
           f'{kind}</p:nvSpPr><p:spPr>{_xfrm(box.x, box.y, box.w, box.h)}'
           f'<a:prstGeom prst="rect"><a:avLst/></a:prstGeom>{_fill(slide, box.fill)}</p:spPr>'
           f'<p:txBody><a:bodyPr wrap="square" lIns="0" tIns="0" rIns="0" bIns="0" anchor="{_ANCHOR_XML[box.anchor]}"'
           f' rtlCol="0"><a:noAutofit/></a:bodyPr><a:lstStyle/>{paragraphs}</p:txBody></p:sp>')
    slide.shapes._spTree.append(parse_xml(xml))


def _paragraph_xml(slide, para: TextPara) -> str:
    """One ``<a:p>``: explicit size, line spacing and spacing after, bullet or none, one run per model run
    (or a field PowerPoint keeps up to date, such as the slide number)."""
    spacing = (f'<a:lnSpc><a:spcPts val="{round(para.line_height * _CENTI)}"/></a:lnSpc>'
               f'<a:spcBef><a:spcPts val="0"/></a:spcBef>'
               f'<a:spcAft><a:spcPts val="{round(para.space_after * _CENTI)}"/></a:spcAft>')
    margins = ""
    if para.margin or para.indent:
        margins = f' marL="{emu(para.margin + para.indent)}" indent="{-emu(para.indent)}"'
    marker = "<a:buNone/>"
    if para.bullet:
        marker = f'<a:buChar char={quoteattr(para.bullet)}/>'
    elif para.number is not None:
        marker = f'<a:buAutoNum type="arabicPeriod" startAt="{para.number}"/>'
    if marker != "<a:buNone/>":
        marker = f'<a:buClr>{_clr(slide, para.color)}</a:buClr><a:buFont typeface={quoteattr(para.family)}/>{marker}'
    ppr = f'<a:pPr{margins} algn="{_ALGN[para.align]}">{spacing}{marker}</a:pPr>'
    size = round(para.size * _CENTI)
    runs = []
    for run in para.runs:
        text = run.text.upper() if para.upper else run.text
        attrs = (f'lang="{slide._briefgen_lang}" sz="{size}" b="{int(para.bold or run.bold)}"'
                 f' i="{int(para.italic or run.italic)}"')
        if run.strike:
            attrs += ' strike="sngStrike"'
        link = ""
        if run.href and not run.href.startswith("#"):
            rid = slide.part.relate_to(run.href, RT.HYPERLINK, is_external=True)
            link = f'<a:hlinkClick r:id="{rid}"/>'
        elif run.href:  # a link to a section: a jump to the section's first slide
            target = slide._briefgen_section_part(run.href[1:])
            if target is not None:
                rid = slide.part.relate_to(target, RT.SLIDE)
                link = f'<a:hlinkClick r:id="{rid}" action="ppaction://hlinksldjump"/>'
        face = quoteattr(para.family)
        props = f'<a:rPr {attrs} dirty="0">{_fill(slide, para.color)}<a:latin typeface={face}/><a:cs typeface={face}/>'
        if para.field:
            runs.append(f'<a:fld id="{_FIELD_ID}" type="{para.field}">{props}</a:rPr><a:t>{escape(text)}</a:t></a:fld>')
        else:
            runs.append(f'<a:r>{props}{link}</a:rPr><a:t>{escape(text)}</a:t></a:r>')
    end = f'<a:endParaRPr lang="{slide._briefgen_lang}" sz="{size}" dirty="0"/>'
    return f"<a:p>{ppr}{''.join(runs)}{end}</a:p>"


def _draw_picture(slide, box: PictureBox) -> None:
    pic = slide.shapes.add_picture(box.path, emu(box.x), emu(box.y), emu(box.w), emu(box.h))
    _set_alt(pic, box.alt)


def _draw_table(slide, box: TableBox) -> None:
    nrows, ncols = len(box.rows) + 1, len(box.col_widths)
    gf = slide.shapes.add_table(nrows, ncols, emu(box.x), emu(box.y), emu(box.w), emu(box.h))
    table = gf.table
    tbl_pr = table._tbl.tblPr
    tbl_pr.set("bandRow", "0")
    tbl_pr.set("firstRow", "1")
    style_id = tbl_pr.find(qn("a:tableStyleId"))
    if style_id is None:
        style_id = etree.SubElement(tbl_pr, qn("a:tableStyleId"))
    style_id.text = _NO_STYLE_TABLE
    for c, w in enumerate(box.col_widths):
        table.columns[c].width = Emu(emu(w))
    for r, h in enumerate(box.row_heights):
        table.rows[r].height = Emu(emu(h))
    for r, cells in enumerate([box.header, *box.rows]):
        for c in range(ncols):
            cell = table.cell(r, c)
            cell.margin_left = cell.margin_right = Emu(emu(box.padding))
            cell.margin_top = cell.margin_bottom = Emu(emu(box.padding_v))
            cell.vertical_anchor = MSO_ANCHOR.TOP
            fill = box.header_fill if r == 0 else (box.zebra if r % 2 == 0 else None)
            if fill:
                cell.fill.solid()
                cell.fill.fore_color.rgb = _rgb(fill)
            else:
                cell.fill.background()
            tf = cell.text_frame
            tf.word_wrap = True
            if c < len(cells):
                body = tf._txBody
                for old in body.findall(qn("a:p")):
                    body.remove(old)
                body.append(parse_xml(f"<a:txBody {_NS}>{_paragraph_xml(slide, cells[c])}</a:txBody>")[0])
            if r == 0 or r == nrows - 1:
                _cell_rule(cell, box.rule, box.header_rule if r == 0 else box.end_rule)


def _cell_rule(cell, color: str, width_pt: float) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    ln = etree.Element(qn("a:lnB"), w=str(emu(width_pt)), cap="flat", cmpd="sng", algn="ctr")
    fill = etree.SubElement(ln, qn("a:solidFill"))
    etree.SubElement(fill, qn("a:srgbClr")).set("val", color.lstrip("#"))
    tc_pr.insert(0, ln)  # line properties come before the cell fill in the schema


def _draw_chart(slide, box: ChartBox) -> None:
    chart = box.chart
    data = StableChartData(number_format=box.number_format)
    data.categories = list(chart.categories)
    for s in chart.series:
        data.add_series(s.name, list(s.values))
    gf = slide.shapes.add_chart(_CHART_TYPES[chart.type], emu(box.x), emu(box.y), emu(box.w), emu(box.h), data)
    gf.name = "Chart"
    _set_alt(gf, box.alt)
    c = gf.chart
    c.has_title = bool(box.title)
    if box.title:
        c.chart_title.text_frame.text = box.title
        run = c.chart_title.text_frame.paragraphs[0].runs[0]
        run.font._rPr.set("lang", slide._briefgen_lang)
        run.font.size = Emu(emu(box.label_size))
        run.font.name = box.family
        run.font.color.rgb = _rgb(box.text_color)
    c.font.name = box.family
    c.font.size = Emu(emu(box.label_size))
    c.font.color.rgb = _rgb(box.label_color)
    plot = c.plots[0]
    plot.has_data_labels = True
    labels = plot.data_labels
    labels.number_format = box.number_format
    labels.number_format_is_linked = False
    labels.font.size = Emu(emu(box.label_size))
    labels.font.color.rgb = _rgb(box.text_color)
    labels.font.name = box.family
    multi = len(chart.series) > 1
    c.has_legend = multi or chart.type == "pie"
    if c.has_legend:
        c.legend.position = XL_LEGEND_POSITION.BOTTOM
        c.legend.include_in_layout = False
        c.legend.font.size = Emu(emu(box.label_size))
        c.legend.font.name = box.family
    if chart.type == "pie":
        plot.vary_by_categories = True
        labels.position = XL_LABEL_POSITION.OUTSIDE_END
        for i, point in enumerate(plot.series[0].points):
            point.format.fill.solid()
            point.format.fill.fore_color.rgb = _rgb(box.colors[i % len(box.colors)])
        return
    if chart.type in ("bar", "column"):
        plot.gap_width = round(box.gap_width)
        plot.overlap = -round(box.series_gap) if multi else 0
        labels.position = XL_LABEL_POSITION.OUTSIDE_END
    else:
        labels.position = XL_LABEL_POSITION.ABOVE
    for i, series in enumerate(plot.series):
        color = _rgb(box.colors[i % len(box.colors)])
        if chart.type == "line":
            series.format.line.color.rgb = color
            series.format.line.width = Emu(emu(box.line_width))
            series.smooth = False
            series.marker.format.fill.solid()
            series.marker.format.fill.fore_color.rgb = color
        else:
            series.format.fill.solid()
            series.format.fill.fore_color.rgb = color
    va, ca = c.value_axis, c.category_axis
    va.has_major_gridlines = True
    va.major_gridlines.format.line.color.rgb = _rgb(box.grid_color)
    va.major_gridlines.format.line.width = Emu(emu(box.grid_width))
    va.format.line.fill.background()
    # ticks of a 0-100 axis are whole numbers; decimals there only add noise
    values = [v for s in chart.series for v in s.values]
    va.tick_labels.number_format = "#,##0" if max(abs(v) for v in values) >= _WHOLE_TICKS else box.number_format
    va.tick_labels.number_format_is_linked = False
    va.tick_labels.font.size = Emu(emu(box.label_size))
    ca.tick_labels.font.size = Emu(emu(box.label_size))
    ca.format.line.color.rgb = _rgb(box.label_color)
    if chart.type == "bar":
        # first category on top, as it is read; the value axis then crosses at the last category,
        # which keeps it at the bottom
        ca.reverse_order = True
        cross_at_last_category(va)
    if chart.unit:
        va.has_title = True
        va.axis_title.text_frame.text = chart.unit
        run = va.axis_title.text_frame.paragraphs[0].runs[0]
        run.font._rPr.set("lang", slide._briefgen_lang)
        run.font.size = Emu(emu(box.label_size))
        run.font.bold = False
        run.font.name = box.family
        run.font.color.rgb = _rgb(box.label_color)


def _draw_watermark(slide, box: Watermark) -> None:
    """A word across the slide: translucent letters with a stronger outline, turned by the box's angle.

    Each colour is also blended towards white by its opacity, so a program that draws text without its
    transparency (LibreOffice does) still shows light letters that leave the slide readable."""
    def color(alpha: float) -> str:
        rgb = (int(box.color[i:i + 2], 16) for i in (1, 3, 5))
        light = "".join(f"{round(_WHITE - (_WHITE - v) * alpha):02X}" for v in rgb)
        return (f'<a:solidFill><a:srgbClr val="{light}">'
                f'<a:alpha val="{round(alpha * _PERCENT_UNITS)}"/></a:srgbClr></a:solidFill>')

    face = quoteattr(box.family)
    turn = round((_FULL_TURN - box.angle) % _FULL_TURN * _ANGLE_UNITS)
    xfrm = _xfrm(box.x, box.y, box.w, box.h).replace("<a:xfrm>", f'<a:xfrm rot="{turn}">')
    xml = (f'<p:sp {_NS}><p:nvSpPr><p:cNvPr id="{_next_shape_id(slide)}" name={quoteattr(box.name)}/>'
           f'<p:cNvSpPr txBox="1"/><p:nvPr/></p:nvSpPr><p:spPr>{xfrm}<a:prstGeom prst="rect"><a:avLst/>'
           f'</a:prstGeom><a:noFill/></p:spPr><p:txBody><a:bodyPr wrap="none" lIns="0" tIns="0" rIns="0" bIns="0"'
           f' anchor="ctr" rtlCol="0"><a:noAutofit/></a:bodyPr><a:lstStyle/><a:p><a:pPr algn="ctr"/><a:r>'
           f'<a:rPr lang="{slide._briefgen_lang}" sz="{round(box.size * 100)}" b="{int(box.bold)}" dirty="0">'
           f'<a:ln w="{emu(box.line_width)}">{color(box.line_alpha)}</a:ln>{color(box.fill_alpha)}'
           f'<a:latin typeface={face}/><a:cs typeface={face}/></a:rPr><a:t>{escape(box.text)}</a:t></a:r></a:p>'
           f'</p:txBody></p:sp>')
    slide.shapes._spTree.append(parse_xml(xml))


_PERCENT_UNITS = 100000  # DrawingML percentages are in thousandths of a percent
_WHITE = 255  # an 8-bit colour channel at full
_ANGLE_UNITS = 60000  # DrawingML angles are in 60,000ths of a degree
_FULL_TURN = 360

_DRAW = {Rect: _draw_rect, TextBox: _draw_text, ChartBox: _draw_chart, TableBox: _draw_table,
         PictureBox: _draw_picture, Watermark: _draw_watermark}


# -- theme and package ------------------------------------------------------------------------------
_A = "http://schemas.openxmlformats.org/drawingml/2006/main"


def _write_theme(prs, plan: SlidePlan) -> None:
    """The style's colours and fonts as the deck's theme (what PowerPoint offers in its palette)."""
    part = prs.slide_master.part.part_related_by(RT.THEME)
    root = etree.fromstring(part.blob)
    ns = {"a": _A}
    scheme = root.find(".//a:clrScheme", ns)
    scheme.set("name", "briefgen")
    for slot, hexv in plan.theme_colors.items():
        el = scheme.find(f"a:{slot}", ns)
        if el is None:
            continue
        for child in list(el):
            el.remove(child)
        etree.SubElement(el, f"{{{_A}}}srgbClr").set("val", hexv.lstrip("#"))
    fonts = root.find(".//a:fontScheme", ns)
    fonts.set("name", "briefgen")
    fonts.find("a:majorFont/a:latin", ns).set("typeface", plan.heading_family)
    fonts.find("a:minorFont/a:latin", ns).set("typeface", plan.body_family)
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _write_properties(prs, plan: SlidePlan) -> None:
    cp = prs.core_properties
    cp.title = _prop(plan.title)
    cp.author = _prop(plan.author)
    cp.subject = _prop(plan.subject)
    cp.keywords = _prop(plan.keywords)
    cp.last_modified_by = "briefgen"
    cp.revision = 1
    when = dt.datetime.combine(plan.date, dt.time()) if plan.date else _NO_DATE
    cp.created = when
    cp.modified = when
    cp.last_printed = when


def _prop(text: str) -> str:
    """A document property cut to the 255 characters the format allows."""
    return text if len(text) <= _PROPERTY_LENGTH else text[:_PROPERTY_LENGTH - 1] + "…"
