"""The python-pptx internals the deck writer relies on, fenced off in one module.

Each function here replaces a python-pptx code path that is quadratic in the deck or not
byte-stable (part naming, slide adding, notes pages, kept XML trees, zip timestamps, the chart
workbook's date) and reaches private names to do it. python-pptx is pinned to the range these are
tested with; tests/test_deck.py fails loudly if one of them moves."""

from __future__ import annotations

import datetime as dt
import zipfile
from copy import deepcopy

from pptx.chart.data import CategoryChartData
from pptx.chart.xlsx import CategoryWorkbookWriter
from pptx.opc.constants import CONTENT_TYPE as CT
from pptx.opc.constants import RELATIONSHIP_TARGET_MODE as RTM
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.opc.package import _Relationship
from pptx.opc.serialized import PackageWriter
from pptx.oxml.ns import qn
from pptx.parts.slide import NotesSlidePart, SlidePart

_FIXED_ZIP_TIME = (2000, 1, 1, 0, 0, 0)
_FIXED_DATE = dt.datetime(*_FIXED_ZIP_TIME)
_FIRST_SLIDE_ID = 256  # the lowest id a slide may have (ECMA-376 ST_SlideId)
_MEMBER_MODE = 0o644 << 16  # rw-r--r--, in the zip entry's external attributes


def freeze(slide) -> None:
    """Serialise a finished slide (and its notes) now and keep only the bytes.

    python-pptx keeps every slide as a live lxml tree until the deck is saved,
    about 100 KB a slide; the XML it will write is a tenth of that. A finished
    slide is never touched again, so its part becomes a plain part holding the
    serialised XML, exactly what saving would have produced from the tree. Its
    relationships stay as they are.
    """
    from pptx.opc.oxml import serialize_part_xml
    from pptx.opc.package import Part

    parts = [slide.part]
    if slide.has_notes_slide:
        parts.append(slide.notes_slide.part)
    for part in parts:
        blob = serialize_part_xml(part._element)
        keep = {k: v for k, v in part.__dict__.items() if k in ("_partname", "_content_type", "_package", "_rels")}
        part.__dict__.clear()  # also drops cached views of the tree (the Slide object, its shapes)
        part.__dict__.update(keep)
        part.__class__ = Part
        part._blob = blob


def notes_adder(prs, lang: str):
    """A function that gives a slide its speaker notes, as python-pptx would, in a fraction of the time.

    python-pptx builds each notes page by searching the notes master for its
    placeholders and cloning them one by one, a quarter of the deck's time. The
    first notes page is built that way; later ones start as a copy of its empty
    page, related to the notes master and the slide exactly as python-pptx
    relates them, so the package is the same byte for byte. Every run of the notes is in ``lang``.
    """
    package = prs.part.package
    blank = None

    def add(slide, text: str) -> None:
        nonlocal blank
        if blank is None:
            notes = slide.notes_slide
            blank = deepcopy(notes._element)
        else:
            part = NotesSlidePart(package.next_partname("/ppt/notesSlides/notesSlide%d.xml"), CT.PML_NOTES_SLIDE,
                                  package, deepcopy(blank))
            part.relate_to(package.presentation_part.notes_master_part, RT.NOTES_MASTER)
            part.relate_to(slide.part, RT.SLIDE)
            slide.part.relate_to(part, RT.NOTES_SLIDE)
            notes = part.notes_slide
        frame = notes.notes_text_frame
        frame.text = text
        for run in frame._txBody.iter(qn("a:r")):  # the notes are read in the deck's language too
            run.get_or_add_rPr().set("lang", lang)

    return add


def count_partnames(package) -> None:
    """Give this package a part-name counter in place of python-pptx's search.

    python-pptx names each new part (slide, notes slide, chart, workbook) by walking
    every relationship of the whole package to collect the names in use, so adding
    n slides costs O(n^2). Within one render parts are only ever added, so a counter
    per name template, seeded once from the parts present, hands out the same names
    in constant time.
    """
    from pptx.opc.packuri import PackURI

    used = {str(part.partname) for part in package.iter_parts()}
    counters: dict[str, int] = {}

    def next_partname(tmpl: str) -> PackURI:
        n = counters.get(tmpl, 1)
        while tmpl % n in used:
            n += 1
        name = tmpl % n
        used.add(name)
        counters[tmpl] = n + 1
        return PackURI(name)

    package.next_partname = next_partname


def slide_adder(prs):
    """A function that adds a slide in constant time; python-pptx's add_slide is linear in the deck.

    python-pptx looks for an existing relationship to the new slide part among all
    of the presentation's relationships (rebuilding an index each time), and finds
    the next slide id by reading every id in the list. A new slide part has no
    relationship yet and ids only grow here, so both are counted instead. The layout's
    placeholders are not cloned: the writer writes the title placeholder itself.
    """
    part = prs.part
    rels = part.rels
    id_list = prs.slides._sldIdLst
    next_id = max([_FIRST_SLIDE_ID - 1] + [int(s.get("id")) for s in id_list]) + 1
    next_rid = len(rels) + 1

    def add(layout):
        nonlocal next_id, next_rid
        slide_part = SlidePart.new(part._next_slide_partname, part.package, layout.part)
        while f"rId{next_rid}" in rels:
            next_rid += 1
        rid = f"rId{next_rid}"
        rels._rels[rid] = _Relationship(rels._base_uri, rid, RT.SLIDE, RTM.INTERNAL, slide_part)
        id_list._add_sldId(id=next_id, rId=rid)
        next_id += 1
        return slide_part.slide

    return add


def cross_at_last_category(value_axis) -> None:
    """Make a chart's value axis cross its category axis at the last category.

    The setting is stored on the value axis (``c:valAx/c:crosses``), where python-pptx offers no
    property: its ``crosses`` writes the other axis's element."""
    value_axis._element.get_or_add_crosses().set("val", "max")


class StableWorkbookWriter(CategoryWorkbookWriter):
    """The embedded chart workbook with a fixed creation date, so identical input gives identical bytes."""

    def _open_worksheet(self, xlsx_file):
        from contextlib import contextmanager

        from xlsxwriter import Workbook

        @contextmanager
        def opened():
            workbook = Workbook(xlsx_file, {"in_memory": True})
            workbook.set_properties({"created": _FIXED_DATE})
            worksheet = workbook.add_worksheet()
            yield workbook, worksheet
            workbook.close()

        return opened()


class StableChartData(CategoryChartData):
    @property
    def _workbook_writer(self):
        return StableWorkbookWriter(self)


class FixedTimeZip:
    """python-pptx's zip writer, but every member gets the same fixed time and permissions."""

    def __init__(self, file) -> None:
        self._zip = zipfile.ZipFile(file, "w", zipfile.ZIP_DEFLATED)

    def __enter__(self) -> FixedTimeZip:
        return self

    def __exit__(self, *exc) -> None:
        self._zip.close()

    def write(self, pack_uri, blob: bytes) -> None:
        info = zipfile.ZipInfo(pack_uri.membername, date_time=_FIXED_ZIP_TIME)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = _MEMBER_MODE
        self._zip.writestr(info, blob)


class StableWriter(PackageWriter):
    """Writes the package as python-pptx does, through a zip whose members carry no clock time, so
    identical decks are identical bytes (python-pptx stamps each member with the time it is written;
    re-zipping its output afterwards cost a second full compression)."""

    def _write(self) -> None:
        with FixedTimeZip(self._pkg_file) as phys_writer:
            self._write_content_types_stream(phys_writer)
            self._write_pkg_rels(phys_writer)
            self._write_parts(phys_writer)
