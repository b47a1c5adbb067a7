"""The python-pptx internals the deck writer reaches (src/briefgen/render/pptx/), each checked to exist
with the shape the writer relies on.

python-pptx is pinned to the range these were written against (pyproject.toml); when a new release
moves one of them, the matching case here fails by name, before a deck comes out wrong.
"""

from __future__ import annotations

import inspect

import pytest
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.chart.xlsx import CategoryWorkbookWriter
from pptx.enum.chart import XL_CHART_TYPE
from pptx.opc import oxml as opc_oxml
from pptx.opc import package as opc_package
from pptx.opc.serialized import PackageWriter
from pptx.oxml.chart.axis import CT_ValAx
from pptx.oxml.presentation import CT_SlideIdList
from pptx.parts.presentation import PresentationPart
from pptx.parts.slide import NotesSlidePart, SlidePart
from pptx.util import Pt


def params(fn) -> list[str]:
    return [p for p in inspect.signature(fn).parameters if p != "self"]


# (what the writer uses, a check that returns True while it is still there and shaped as expected)
SIGNATURES = {
    "_Relationship(base_uri, rId, reltype, target_mode, target)":
        lambda: params(opc_package._Relationship.__init__) == ["base_uri", "rId", "reltype", "target_mode", "target"],
    "PackageWriter.write(pkg_file, pkg_rels, parts)":
        lambda: params(PackageWriter.write) == ["pkg_file", "pkg_rels", "parts"],
    "PackageWriter(pkg_file, pkg_rels, parts)._write()":
        lambda: params(PackageWriter.__init__) == ["pkg_file", "pkg_rels", "parts"]
        and params(PackageWriter._write) == [],
    "PackageWriter._write_content_types_stream/_write_pkg_rels/_write_parts(phys_writer)":
        lambda: all(params(getattr(PackageWriter, m)) == ["phys_writer"]
                    for m in ("_write_content_types_stream", "_write_pkg_rels", "_write_parts")),
    "CategoryWorkbookWriter._open_worksheet(xlsx_file)":
        lambda: params(CategoryWorkbookWriter._open_worksheet) == ["xlsx_file"],
    "CategoryChartData._workbook_writer":
        lambda: "_workbook_writer" in vars(CategoryChartData),
    "SlidePart.new(partname, package, slide_layout_part)":
        lambda: params(SlidePart.new) == ["partname", "package", "slide_layout_part"],
    "NotesSlidePart(partname, content_type, package, element)":
        lambda: params(NotesSlidePart.__init__) == ["partname", "content_type", "package", "element"],
    "Part(partname, content_type, package, blob) keeps _partname, _content_type, _package, _blob":
        lambda: params(opc_package.Part.__init__) == ["partname", "content_type", "package", "blob"],
    "PresentationPart._next_slide_partname":
        lambda: isinstance(inspect.getattr_static(PresentationPart, "_next_slide_partname"), property),
    "OpcPackage.next_partname(tmpl)":
        lambda: params(opc_package.OpcPackage.next_partname) == ["tmpl"],
    "CT_SlideIdList._add_sldId(**attrs)":
        lambda: callable(getattr(CT_SlideIdList, "_add_sldId", None)),
    "serialize_part_xml(part_elm)":
        lambda: params(opc_oxml.serialize_part_xml) == ["part_elm"],
    "CT_ValAx.get_or_add_crosses()":
        lambda: callable(getattr(CT_ValAx, "get_or_add_crosses", None)),
}


@pytest.mark.parametrize("internal", list(SIGNATURES))
def test_a_python_pptx_internal_keeps_its_signature(internal):
    assert SIGNATURES[internal](), f"python-pptx moved {internal}: see src/briefgen/render/pptx/package.py"


@pytest.fixture(scope="module")
def deck():
    """A presentation with a slide, notes, a table and a chart: every object whose insides are used."""
    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    slide.notes_slide.notes_text_frame.text = "notes"
    table = slide.shapes.add_table(2, 2, 0, 0, Pt(200), Pt(100)).table
    data = CategoryChartData()
    data.categories = ["a", "b"]
    data.add_series("s", [1, 2])
    chart = slide.shapes.add_chart(XL_CHART_TYPE.BAR_CLUSTERED, 0, 0, Pt(300), Pt(200), data).chart
    return prs, slide, table, chart


INSTANCES = {
    "package._rels (the package's relationships)": lambda d: hasattr(d[0].part.package, "_rels"),
    "presentation part rels: _rels dict and _base_uri":
        lambda d: isinstance(d[0].part.rels._rels, dict) and isinstance(d[0].part.rels._base_uri, str),
    "prs.slides._sldIdLst is a CT_SlideIdList": lambda d: isinstance(d[0].slides._sldIdLst, CT_SlideIdList),
    "slide part __dict__ holds _partname, _content_type, _package, _rels, _element":
        lambda d: {"_partname", "_content_type", "_package", "_rels", "_element"} <= set(vars(d[1].part)),
    "notes page part: notes_slide, presentation_part.notes_master_part":
        lambda d: d[1].notes_slide.part.notes_slide is not None
        and d[0].part.package.presentation_part.notes_master_part is not None,
    "slide.shapes._spTree": lambda d: d[1].shapes._spTree.tag.endswith("spTree"),
    "shape._element": lambda d: d[1].shapes[0]._element is not None,
    "table._tbl.tblPr and cell._tc.get_or_add_tcPr()":
        lambda d: d[2]._tbl.tblPr is not None and d[2].cell(0, 0)._tc.get_or_add_tcPr() is not None,
    "text_frame._txBody": lambda d: d[2].cell(0, 0).text_frame._txBody is not None,
    "value_axis._element is a CT_ValAx": lambda d: isinstance(d[3].value_axis._element, CT_ValAx),
    "a theme part's _blob": lambda d: isinstance(d[0].slide_master.part.part_related_by(
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme")._blob, bytes),
}


@pytest.mark.parametrize("internal", list(INSTANCES))
def test_a_python_pptx_internal_is_where_the_writer_finds_it(deck, internal):
    assert INSTANCES[internal](deck), f"python-pptx moved {internal}: see src/briefgen/render/pptx/"


def test_the_internals_check_fails_on_a_moved_method(monkeypatch):
    """A renamed private method is caught: the checks above are not vacuous."""
    monkeypatch.delattr(PackageWriter, "_write_parts")
    with pytest.raises(AttributeError):
        SIGNATURES["PackageWriter._write_content_types_stream/_write_pkg_rels/_write_parts(phys_writer)"]()
    monkeypatch.setattr(SlidePart, "new", classmethod(lambda cls, partname, package: None))
    assert not SIGNATURES["SlidePart.new(partname, package, slide_layout_part)"]()
