"""The deck, reopened by python-pptx and laid out by a real client (LibreOffice headless)."""

from __future__ import annotations

import hashlib
import posixpath
import zipfile
from xml.etree import ElementTree as ET

import pdfplumber
import pytest
from pptx import Presentation
from pptx.util import Emu

import briefgen
from briefgen.render.slides import plan_slides
from briefgen.load.style import load_theme

from conftest import soffice_to_pdf

EMU_PER_PT = 12700


def _rels_targets_exist(path) -> list[str]:
    missing = []
    with zipfile.ZipFile(path) as z:
        names = set(z.namelist())
        for name in names:
            if not name.endswith(".rels"):
                continue
            base = posixpath.dirname(posixpath.dirname(name))
            for rel in ET.fromstring(z.read(name)):
                if rel.get("TargetMode") == "External":
                    continue
                target = rel.get("Target")
                full = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
                    posixpath.join(base, target))
                if full not in names:
                    missing.append(f"{name} -> {target}")
    return missing


def test_python_pptx_reopens_the_deck_and_every_relationship_resolves(built):
    prs = Presentation(built["pptx"])
    assert len(prs.slides) > 10
    assert _rels_targets_exist(built["pptx"]) == []
    assert (prs.slide_width, prs.slide_height) == (Emu(960 * EMU_PER_PT), Emu(540 * EMU_PER_PT))


def test_no_text_box_relies_on_autofit(built):
    prs = Presentation(built["pptx"])
    for slide in prs.slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                xml = shape.text_frame._txBody.xml
                assert "normAutofit" not in xml and "spAutoFit" not in xml
                for run in (r for p in shape.text_frame.paragraphs for r in p.runs):
                    assert run.font.size is not None


def test_deck_has_the_slide_kinds_in_order(built):
    prs = Presentation(built["pptx"])
    texts = [" ".join(s.text_frame.text for s in slide.shapes if s.has_text_frame) for slide in prs.slides]
    assert "U.S. Relations With Mexico" in texts[0] and "April 1, 2018" in texts[0]
    assert texts[1].startswith("Agenda") or "Agenda" in texts[1]
    b = briefgen.load_briefing()
    for s in b.sections:
        assert any(s.title in t for t in texts[2:]), s.title
    assert "Sources" in texts[-1]


def test_speaker_notes_hold_the_section_prose(built):
    prs = Presentation(built["pptx"])
    notes = "\n".join(s.notes_slide.notes_text_frame.text for s in prs.slides if s.has_notes_slide)
    assert "Mexico is the United States’ second-largest export market" in notes
    assert "The Fulbright program, initiated in Mexico in 1948" in notes
    dividers = [s for s in prs.slides if any(sh.name == "Section title" for sh in s.shapes)]
    content = [s for s in list(prs.slides)[2:-1] if s not in dividers]
    assert len(dividers) == 8 and len(content) > 8
    assert all(s.has_notes_slide and s.notes_slide.notes_text_frame.text for s in content)


def test_the_chart_is_a_native_chart_with_its_data_and_alt_text(built):
    prs = Presentation(built["pptx"])
    charts = [sh for slide in prs.slides for sh in slide.shapes if sh.has_chart]
    assert len(charts) == 2
    fdi = charts[0]
    values = list(fdi.chart.plots[0].series[0].values)
    assert values == [87.6, 16.8]
    assert fdi.chart.part.chart_workbook.xlsx_part is not None
    descr = fdi._element.xpath("./p:nvGraphicFramePr/p:cNvPr")[0].get("descr")
    assert descr == "Stock of foreign direct investment between the United States and Mexico"


def test_theme_carries_the_style_colours_and_fonts(built):
    theme = load_theme("formal")
    with zipfile.ZipFile(built["pptx"]) as z:
        xml = z.read("ppt/theme/theme1.xml").decode()
    assert f'<a:dk2><a:srgbClr val="{theme.color("primary")[1:]}"/>' in xml
    assert f'<a:accent1><a:srgbClr val="{theme.chart_palette[0][1:]}"/>' in xml
    assert f'typeface="{theme.fonts["heading"].family}"' in xml
    assert f'typeface="{theme.fonts["body"].family}"' in xml


def test_two_builds_are_byte_identical(tmp_path):
    a = briefgen.build(format="pptx", output_dir=tmp_path / "a").files[0].read_bytes()
    b = briefgen.build(format="pptx", output_dir=tmp_path / "b").files[0].read_bytes()
    assert hashlib.sha256(a).hexdigest() == hashlib.sha256(b).hexdigest()


def text_boxes(slide) -> list[tuple[float, float, float, float]]:
    """Boxes (pt) of every shape that holds text: text frames, tables and charts."""
    boxes = []
    for sh in slide.shapes:
        if sh.has_text_frame or sh.has_table or sh.has_chart:
            boxes.append((sh.left / EMU_PER_PT, sh.top / EMU_PER_PT, (sh.left + sh.width) / EMU_PER_PT,
                          (sh.top + sh.height) / EMU_PER_PT))
    return boxes


def assert_nothing_overflows(pptx_path, tmp_path) -> int:
    """Every character LibreOffice draws lies inside the box of a text-holding shape; returns the slide count."""
    pdf = soffice_to_pdf(pptx_path, tmp_path)
    prs = Presentation(pptx_path)
    tol = 1.5
    with pdfplumber.open(pdf) as doc:
        assert len(doc.pages) == len(prs.slides)
        for n, (page, slide) in enumerate(zip(doc.pages, prs.slides), start=1):
            boxes = text_boxes(slide)
            for ch in page.chars:
                if not ch["text"].strip():
                    continue
                # pdfminer's character cell is the font's full em box, taller than the ink and than a
                # tightly leaded line; a fifth of the size vertically still catches any line that spills
                ty = tol + 0.2 * ch["size"]
                inside = any(x0 - tol <= ch["x0"] and ch["x1"] <= x1 + tol and y0 - ty <= ch["top"]
                             and ch["bottom"] <= y1 + ty for x0, y0, x1, y1 in boxes)
                assert inside, f"slide {n}: {ch['text']!r} at ({ch['x0']:.0f}, {ch['top']:.0f}) is outside its box"
    return len(prs.slides)


def test_libreoffice_lays_out_the_default_deck_with_nothing_outside_its_box(built, tmp_path):
    assert assert_nothing_overflows(built["pptx"], tmp_path) > 10


def test_a_long_section_is_split_onto_continued_slides_and_nothing_overflows(make_briefing, tmp_path):
    long_points = "\n".join(f"  - \"Point {i}: " + "a fairly long statement about trade " * (i % 4 + 1) + "\""
                            for i in range(14))
    giant = "A single very long paragraph that cannot fit on one slide at any allowed size. " * 40
    root = make_briefing("title: Long\nmarking: Unclassified\nsections: [a, b]\n", {
        "a": f"---\ntitle: A long section\nkey_points:\n{long_points}\n---\nBody.\n",
        "b": f"---\ntitle: Prose only\n---\n{giant}\n\n- one\n- two\n",
    })
    notes: list[str] = []
    res = briefgen.build(root, format="pptx", output_dir=tmp_path / "out", on_note=notes.append)
    prs = Presentation(res.files[0])
    titles = [s.shapes.title.text if s.shapes.title else "" for s in prs.slides]
    all_text = [" ".join(sh.text_frame.text for sh in s.shapes if sh.has_text_frame) for s in prs.slides]
    assert sum("A long section (cont.)" in t for t in all_text) >= 2
    assert sum("Prose only (cont.)" in t for t in all_text) >= 1
    assert any("continues over" in n for n in notes)
    assert any("split a long paragraph" in n for n in notes)
    del titles
    assert_nothing_overflows(res.files[0], tmp_path)


def test_the_plan_never_sets_text_below_the_style_minimum(make_briefing):
    root = make_briefing("title: T\nsections: [a]\n", {
        "a": "---\ntitle: " + "Very long title words " * 12 + "\nfacts:\n  - {value: " + "123456789 " * 6
             + ", label: x}\n---\nBody.\n"})
    theme = load_theme("formal")
    from briefgen.load.fonts import metrics

    plan = plan_slides(briefgen.load_briefing(root), theme, metrics=metrics)
    minimum = theme.slide.min_font_size
    for slide in plan.slides:
        for box in slide.boxes:
            for p in getattr(box, "paragraphs", ()):
                if p.size < minimum:
                    assert p.size >= theme.text["slide_footer"].size - 0.01  # footers are set small by design


@pytest.mark.parametrize("size, expected", [("16:9", (960, 540)), ("4:3", (720, 540))])
def test_slide_size_option(tmp_path, size, expected):
    res = briefgen.build(format="pptx", slide_size=size, sections="economy", output_dir=tmp_path)
    prs = Presentation(res.files[0])
    assert (prs.slide_width / EMU_PER_PT, prs.slide_height / EMU_PER_PT) == expected


def test_agenda_and_notes_follow_the_selection(tmp_path):
    res = briefgen.build(format="pptx", preset="security", output_dir=tmp_path)
    prs = Presentation(res.files[0])
    text = "\n".join(sh.text_frame.text for s in prs.slides for sh in s.shapes if sh.has_text_frame)
    notes = "\n".join(s.notes_slide.notes_text_frame.text for s in prs.slides if s.has_notes_slide)
    agenda = next(sh.text_frame.text for sh in prs.slides[1].shapes if sh.name == "Agenda")
    assert agenda.splitlines() == ["Overview", "U.S. Security Cooperation with Mexico", "U.S.-Mexico Border"]
    assert "Education Exchange" not in text and "Fulbright" not in notes


def test_the_overflow_check_catches_text_outside_its_box(built, tmp_path):
    """The checker above is only worth something if it fails on a deck that does overflow."""
    prs = Presentation(built["pptx"])
    body = next(sh for slide in prs.slides for sh in slide.shapes if sh.name == "Body")
    body.height = Emu(body.height // 6)  # the text now runs past the bottom of its box
    broken = tmp_path / "broken.pptx"
    prs.save(broken)
    with pytest.raises(AssertionError, match="outside its box"):
        assert_nothing_overflows(broken, tmp_path)


def test_marking_is_on_every_slide_top_and_bottom(make_briefing, tmp_path):
    root = make_briefing("title: Marked\nmarking: Unclassified\nsections: [a, b]\n",
                         {"a": "---\ntitle: A\nkey_points: [one, two]\nfacts: [{value: '1', label: x}]\n---\nBody.\n",
                          "b": "---\ntitle: B\n---\n| h | n |\n| - | - |\n| x | 1 |\n"})
    res = briefgen.build(root, format="pptx", output_dir=tmp_path)
    prs = Presentation(res.files[0])
    for n, slide in enumerate(prs.slides, start=1):
        marks = [sh for sh in slide.shapes if sh.has_text_frame and sh.text_frame.text == "UNCLASSIFIED"]
        tops = sorted(sh.top for sh in marks)
        assert len(marks) == 2, f"slide {n}"
        assert tops[0] == 0 and tops[1] + marks[1].height == prs.slide_height


def test_shapes_refer_to_theme_colours_so_editing_the_theme_recolours_the_deck(built):
    with zipfile.ZipFile(built["pptx"]) as z:
        divider = z.read("ppt/slides/slide3.xml").decode()  # the first section divider
        key_points = z.read("ppt/slides/slide4.xml").decode()
    assert '<a:schemeClr val="tx2"/>' in divider  # the primary fill behind the section title
    assert '<a:schemeClr val="tx1"/>' in key_points  # body text


def test_agenda_and_numbered_lists_use_native_numbering(make_briefing, tmp_path):
    root = make_briefing("title: T\nsections: [a, b]\n", {
        "a": "---\ntitle: A section whose title is long enough to wrap onto a second line of the agenda column\n"
             "---\n1. first step\n2. second step\n",
        "b": "---\ntitle: B\n---\nBody.\n"})
    res = briefgen.build(root, format="pptx", output_dir=tmp_path)
    with zipfile.ZipFile(res.files[0]) as z:
        agenda = z.read("ppt/slides/slide2.xml").decode()
        steps = z.read("ppt/slides/slide4.xml").decode()
    assert agenda.count("<a:buAutoNum") == 2 and 'startAt="2"' in agenda
    assert 'startAt="1"' in steps and 'startAt="2"' in steps and "1. first" not in steps
    assert_nothing_overflows(res.files[0], tmp_path)
