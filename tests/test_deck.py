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

from conftest import soffice_to_pdf, source_sentences, squash

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
    assert not [s for s in prs.slides if any(sh.name == "Section title" for sh in s.shapes)]  # no dividers
    b = briefgen.load_briefing()
    for section in b.sections:  # each section's first slide carries its notes
        first = next(s for s in prs.slides if _title(s).startswith(section.title))
        assert first.has_notes_slide and first.notes_slide.notes_text_frame.text, section.id
    charts = [s for s in prs.slides if any(sh.has_chart for sh in s.shapes)]
    assert all("87.6" in s.notes_slide.notes_text_frame.text for s in charts[:1])


def _title(slide) -> str:
    return next((sh.text_frame.text for sh in slide.shapes if sh.name == "Title"), "")


def test_the_chart_is_a_native_chart_with_its_data_and_alt_text(built):
    prs = Presentation(built["pptx"])
    charts = [sh for slide in prs.slides for sh in slide.shapes if sh.has_chart]
    assert len(charts) == 2
    fdi = charts[0]
    values = list(fdi.chart.plots[0].series[0].values)
    assert values == [87.6, 16.8]
    assert fdi.chart.part.chart_workbook.xlsx_part is not None
    descr = fdi._element.xpath("./p:nvGraphicFramePr/p:cNvPr")[0].get("descr")
    # the alt text tells the chart in words: its kind and title, then its values by category
    assert descr.startswith("Bar chart: Stock of foreign direct investment between the United States and Mexico")
    assert "87.6" in descr and "16.8" in descr


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


def assert_nothing_overflows(pptx_path, tmp_path, pdf=None) -> int:
    """Every character LibreOffice draws (in ``pdf``, else a fresh conversion) lies inside the box of a
    text-holding shape; returns the slide count."""
    pdf = pdf or soffice_to_pdf(pptx_path, tmp_path)
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


def test_a_long_section_is_split_evenly_onto_numbered_slides_and_nothing_overflows(make_briefing, tmp_path):
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
    titles = [_title(s) for s in prs.slides]
    parts = [t for t in titles if t.startswith("A long section")]
    n = len(parts)
    assert n >= 2 and parts == [f"A long section ({k} of {n})" for k in range(1, n + 1)]
    assert sum(t.startswith("Prose only (") for t in titles) >= 2
    assert len([t for t in titles if t]) == len({t for t in titles if t})  # every title is unique
    counts = [len(sh.text_frame.paragraphs) for s in prs.slides if _title(s).startswith("A long section")
              for sh in s.shapes if sh.name == "Body"]
    assert min(counts) >= max(counts) / 2  # even slides: never a bullet or two after a full slide
    assert any(f"'A long section' continues over {n} slides" == m for m in notes)
    assert any("split a long paragraph" in m for m in notes)
    assert_nothing_overflows(res.files[0], tmp_path)


# shapes that hold the deck's running text, set at their own styles' sizes (which may be below the minimum)
FURNITURE = {"Footer", "Slide number", "Marking", "Chart source"}


def test_the_plan_never_sets_text_below_the_style_minimum(make_briefing):
    """Titles, bullets, facts and tables shrink to fit, but never below the style's min_font_size."""
    long_points = "\n".join(f"  - '{'Point with many words in it. ' * (i + 3)}'" for i in range(9))
    rows = "\n".join(f"| {'cell text ' * 12} | {i} |" for i in range(40))
    root = make_briefing("title: T\nmarking: Secret\nsections: [a, b]\n", {
        "a": "---\ntitle: " + "Very long title words " * 12 + "\nkey_points:\n" + long_points
             + "\nfacts:\n  - {value: " + "123456789 " * 6 + ", label: " + "a long label " * 30 + "}\n---\nBody.\n",
        "b": "---\ntitle: Table\n---\n| name | n |\n| - | - |\n" + rows + "\n"})
    theme = load_theme("formal")
    from briefgen.load.fonts import metrics

    notes: list[str] = []
    plan = plan_slides(briefgen.load_briefing(root), theme, notes.append, metrics=metrics)
    minimum = theme.slide.min_font_size
    assert minimum == 14
    seen = set()
    for slide in plan.slides:
        for box in slide.boxes:
            cells = [c for row in (getattr(box, "header", ()), *getattr(box, "rows", ())) for c in row]
            for p in [*getattr(box, "paragraphs", ()), *cells]:
                if getattr(box, "name", "Table") in FURNITURE:
                    continue
                seen.add(getattr(box, "name", "Table"))
                assert p.size >= minimum, (slide.title, getattr(box, "name", "Table"), p.size)
    assert {"Title", "Body", "Fact value", "Fact label", "Table"} <= seen
    assert any("shrank" in n for n in notes)  # the input did force shrinking


def test_the_deck_sets_every_bullet_at_one_size(built):
    prs = Presentation(built["pptx"])
    sizes = {r.font.size.pt for s in prs.slides for sh in s.shapes if sh.name in ("Body", "Sources")
             for p in sh.text_frame.paragraphs for r in p.runs}
    assert len(sizes) == 1
    size = sizes.pop()
    theme = load_theme("formal")
    assert max(theme.slide.min_font_size, theme.text["slide_body"].size * theme.slide.layout.body_floor) <= size
    assert size <= theme.text["slide_body"].size


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
        overview = z.read("ppt/slides/slide3.xml").decode()  # the first section's slide
    assert '<a:schemeClr val="tx2"/>' in overview  # the primary colour of the title
    assert '<a:schemeClr val="tx1"/>' in overview  # body text


def test_agenda_and_numbered_lists_use_native_numbering(make_briefing, tmp_path):
    root = make_briefing("title: T\nsections: [a, b]\n", {
        "a": "---\ntitle: A section whose title is long enough to wrap onto a second line of the agenda column\n"
             "---\n1. first step\n2. second step\n",
        "b": "---\ntitle: B\n---\nBody.\n"})
    res = briefgen.build(root, format="pptx", output_dir=tmp_path)
    with zipfile.ZipFile(res.files[0]) as z:
        agenda = z.read("ppt/slides/slide2.xml").decode()
        steps = z.read("ppt/slides/slide3.xml").decode()  # a section without key points shows its list
    assert agenda.count("<a:buAutoNum") == 2 and 'startAt="2"' in agenda
    assert 'startAt="1"' in steps and 'startAt="2"' in steps and "1. first" not in steps
    assert_nothing_overflows(res.files[0], tmp_path)


# -- slide numbers, bar charts, dividers ----------------------------------------------------------------
def numbers_shown(pdf) -> list[str]:
    """The slide number LibreOffice prints at the bottom right of each page ('' where there is none)."""
    out = []
    with pdfplumber.open(pdf) as doc:
        for page in doc.pages:
            words = [w for w in page.extract_words() if w["top"] > page.height - 45 and w["x0"] > page.width * 0.8]
            out.append(words[-1]["text"] if words else "")
    return out


def _drop_slide(prs, index: int) -> None:
    id_list = prs.slides._sldIdLst
    id_list.remove(list(id_list)[index])


def test_slide_numbers_are_fields_that_follow_a_deleted_slide(built, tmp_path):
    with zipfile.ZipFile(built["pptx"]) as z:
        slides = sorted((n for n in z.namelist() if n.startswith("ppt/slides/slide")),
                        key=lambda n: int(n[len("ppt/slides/slide"):-4]))
        xml = [z.read(n).decode() for n in slides]
    assert 'type="slidenum"' not in xml[0]  # none on the title slide
    assert all(x.count('type="slidenum"') == 1 for x in xml[1:])
    prs = Presentation(built["pptx"])
    _drop_slide(prs, 2)  # as a presenter deleting a slide in PowerPoint
    edited = tmp_path / "edited.pptx"
    prs.save(edited)
    shown = numbers_shown(soffice_to_pdf(edited, tmp_path))
    assert shown[1:] == [str(n) for n in range(2, len(shown) + 1)]


def test_numbers_typed_as_text_fail_the_slide_number_check(built, tmp_path):
    """The check above is only worth something if typed numbers fail it."""
    typed = tmp_path / "typed.pptx"
    with zipfile.ZipFile(built["pptx"]) as src, zipfile.ZipFile(typed, "w") as out:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename.startswith("ppt/slides/slide"):
                text = data.decode()
                start = text.find("<a:fld ")
                if start >= 0:
                    end = text.index("</a:fld>", start) + len("</a:fld>")
                    body = text[start:end]
                    props = body[body.index("<a:rPr"):body.index("</a:rPr>") + len("</a:rPr>")]
                    number = body[body.index("<a:t>"):body.index("</a:t>") + len("</a:t>")]
                    text = text[:start] + f"<a:r>{props}{number}</a:r>" + text[end:]
                data = text.encode()
            out.writestr(item, data)
    prs = Presentation(typed)
    _drop_slide(prs, 2)
    prs.save(typed)
    shown = numbers_shown(soffice_to_pdf(typed, tmp_path))
    assert shown[1:] != [str(n) for n in range(2, len(shown) + 1)]


def bar_chart_reads_down(pdf, page_index: int, first: str, second: str) -> bool:
    """On a horizontal bar chart: the first category above the second, and the value axis's labels
    below both."""
    with pdfplumber.open(pdf) as doc:
        words = doc.pages[page_index].extract_words()
    top = {w["text"]: w["top"] for w in words}
    ticks = [w["top"] for w in words if w["text"] in ("0", "20", "40", "60", "80", "100")]
    return bool(ticks) and top[first] < top[second] < min(ticks)


def _bar_chart_slide(prs) -> int:
    return next(i for i, s in enumerate(prs.slides) for sh in s.shapes if sh.has_chart)


def test_a_horizontal_bar_chart_reads_top_down_with_its_value_axis_below(built, tmp_path):
    index = _bar_chart_slide(Presentation(built["pptx"]))
    pdf = soffice_to_pdf(built["pptx"], tmp_path)
    assert bar_chart_reads_down(pdf, index, "companies'", "Mexican")


def test_a_bar_chart_with_its_value_axis_on_top_fails_the_check(built, tmp_path):
    broken = tmp_path / "axis-on-top.pptx"
    with zipfile.ZipFile(built["pptx"]) as src, zipfile.ZipFile(broken, "w") as out:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "ppt/charts/chart1.xml":
                data = data.replace(b'<c:crosses val="max"/>', b'<c:crosses val="autoZero"/>')
            out.writestr(item, data)
    pdf = soffice_to_pdf(broken, tmp_path)
    assert not bar_chart_reads_down(pdf, _bar_chart_slide(Presentation(broken)), "companies'", "Mexican")


SECTIONS9 = {f"s{i}": f"---\ntitle: Section {i}\nkey_points: [Point {i}]\n---\nText {i}.\n" for i in range(9)}


@pytest.mark.parametrize("setting, sections, dividers", [
    ("", 8, 0), ("", 9, 9), ("dividers: always", 2, 2), ("dividers: never", 9, 0)])
def test_section_dividers_only_where_the_style_asks_or_the_deck_is_long(make_briefing, tmp_path, setting, sections,
                                                                        dividers):
    ids = list(SECTIONS9)[:sections]
    root = make_briefing(f"title: T\nsections: [{', '.join(ids)}]\n", {k: SECTIONS9[k] for k in ids})
    style = tmp_path / "s.yaml"
    style.write_text(f"extends: formal\nslide:\n  {setting or 'dividers: auto'}\n", encoding="utf-8")
    prs = Presentation(briefgen.build(root, format="pptx", style=str(style), output_dir=tmp_path / "o").files[0])
    assert sum(any(sh.name == "Section title" for sh in s.shapes) for s in prs.slides) == dividers


# -- nothing lost --------------------------------------------------------------------------------------
def deck_text(pptx) -> tuple[str, str]:
    """Everything a deck shows (text boxes and table cells) and everything in its notes, whitespace folded."""
    prs = Presentation(pptx)
    shown, notes = [], []
    for slide in prs.slides:
        for sh in slide.shapes:
            if sh.has_text_frame:
                shown.append(sh.text_frame.text)
            if sh.has_table:
                shown.extend(c.text for row in sh.table.rows for c in row.cells)
        if slide.has_notes_slide:
            notes.append(slide.notes_slide.notes_text_frame.text)
    return squash(" ".join(shown)), squash(" ".join(notes))


@pytest.mark.parametrize("style", ["formal", "modern", "print"])
def test_every_sentence_of_the_source_is_on_a_slide_or_in_the_notes(style, tmp_path):
    deck = briefgen.build(format="pptx", style=style, output_dir=tmp_path).files[0]
    shown, notes = deck_text(deck)
    sentences = source_sentences()
    missing = [s for s in sentences if s not in shown and s not in notes]
    assert missing == [] and len(sentences) > 60


def test_the_sentence_check_fails_when_the_notes_are_dropped(built, tmp_path):
    prs = Presentation(built["pptx"])
    for slide in prs.slides:
        if slide.has_notes_slide:
            slide.notes_slide.notes_text_frame.text = ""
    bare = tmp_path / "bare.pptx"
    prs.save(bare)
    shown, notes = deck_text(bare)
    assert [s for s in source_sentences() if s not in shown and s not in notes]


def test_every_key_point_and_fact_value_is_on_a_slide(built):
    shown, _ = deck_text(built["pptx"])
    for section in briefgen.load_briefing().sections:
        for kp in section.key_points:
            assert squash("".join(r.text for r in kp)) in shown
        for fact in section.facts:
            assert fact.value in shown and squash(fact.label) in shown


def test_blocks_nested_at_any_depth_reach_a_slide_or_the_notes(make_briefing, tmp_path):
    from PIL import Image as PILImage

    root = make_briefing("title: T\nsections: [a, b]\n", {
        "a": "---\ntitle: Nested\nkey_points: [The point]\nnotes: Words the author wrote for the speaker.\n---\n"
             "Opening prose.\n\n"
             "- An item holding a table:\n\n  | Name | Count |\n  | --- | --- |\n  | Alpha | 42 |\n\n"
             "- An item holding code:\n\n  ```\n  print('hello')\n  ```\n\n"
             "  - a nested item\n\n"
             "> A quoted remark.\n>\n> ![A seal](seal.png)\n",
        "b": "---\ntitle: Plain\n---\nOnly prose here.\n\n> Quoted in a prose section.\n"})
    PILImage.new("RGB", (300, 200), "#1B365D").save(root / "seal.png")
    deck = briefgen.build(root, format="pptx", output_dir=tmp_path).files[0]
    prs = Presentation(deck)
    tables = [sh.table for s in prs.slides for sh in s.shapes if sh.has_table]
    assert [[c.text for c in row.cells] for row in tables[0].rows] == [["Name", "Count"], ["Alpha", "42"]]
    pictures = [sh for s in prs.slides for sh in s.shapes if sh.shape_type == 13]
    assert len(pictures) == 1
    shown, notes = deck_text(deck)
    for words in ("print('hello')", "a nested item", "A quoted remark.", "Opening prose.", "An item holding code:",
                  "Quoted in a prose section."):
        assert words in notes
    assert "print('hello')" not in shown and "A quoted remark." not in shown  # code and quotes are read, not shown
    assert "Only prose here." in shown  # a section without key points shows its text
    first = next(s for s in prs.slides if _title(s).startswith("Nested"))
    text = first.notes_slide.notes_text_frame.text
    assert text.startswith("Words the author wrote for the speaker.")
    assert text.index("\u2014\u2014\u2014") < text.index("Opening prose.")


# -- composing, read off the plan ------------------------------------------------------------------------
def _plan(make_briefing, sections: dict[str, str], style: str = "formal"):
    from briefgen.load.fonts import metrics

    root = make_briefing(f"title: T\nsections: [{', '.join(sections)}]\n", sections)
    return plan_slides(briefgen.load_briefing(root), load_theme(style), metrics=metrics)


def _points(n: int) -> str:
    return "key_points:\n" + "".join(f"  - Point number {i}.\n" for i in range(n))


@pytest.mark.parametrize("n, per_slide", [(6, [6]), (7, [7]), (8, [8]), (9, [5, 4]), (16, [8, 8])])
def test_short_points_take_about_six_to_a_slide_split_evenly(make_briefing, n, per_slide):
    plan = _plan(make_briefing, {"a": f"---\ntitle: A\n{_points(n)}---\nBody.\n"})
    bodies = [len(b.paragraphs) for s in plan.slides if s.kind == "points" for b in s.boxes if b.name == "Body"]
    assert bodies == per_slide


def test_a_table_that_fits_joins_its_points_and_a_long_one_gets_slides_with_its_header(make_briefing):
    small = "| Name | N |\n| --- | --- |\n" + "".join(f"| row {i} | {i} |\n" for i in range(4))
    big = "| Name | N |\n| --- | --- |\n" + "".join(f"| row {i} | {i} |\n" for i in range(60))
    plan = _plan(make_briefing, {"a": f"---\ntitle: A\n{_points(2)}---\n{small}",
                                 "b": f"---\ntitle: B\n{_points(2)}---\n{big}"})
    a = [s for s in plan.slides if s.section_id == "a"]
    assert [s.kind for s in a] == ["points"] and any(type(b).__name__ == "TableBox" for b in a[0].boxes)
    b = [s for s in plan.slides if s.section_id == "b"]
    tables = [box for s in b for box in s.boxes if type(box).__name__ == "TableBox"]
    assert [s.kind for s in b][0] == "points" and len(tables) >= 3
    assert sum(len(t.rows) for t in tables) == 60 and all(t.header[0].runs[0].text == "Name" for t in tables)
    assert max(len(t.rows) for t in tables) - min(len(t.rows) for t in tables) <= 1  # evened out


def test_a_chart_shares_the_slide_of_short_points_and_has_its_own_after_long_ones(make_briefing):
    chart = "chart: {type: column, title: Growth, categories: [a, b], series: [{name: s, values: [1, 2]}]}\n"
    plan = _plan(make_briefing, {"a": f"---\ntitle: A\nkey_points: [Short.]\n{chart}---\nBody.\n",
                                 "b": f"---\ntitle: B\n{_points(6)}{chart}---\nBody.\n"})
    kinds = {sid: [s.kind for s in plan.slides if s.section_id == sid] for sid in "ab"}
    assert kinds == {"a": ["points"], "b": ["points", "chart"]}
    joined = next(box for s in plan.slides if s.section_id == "a" for box in s.boxes
                  if type(box).__name__ == "ChartBox")
    assert joined.title == "Growth"  # the chart names itself when the slide is titled by the section
    lone = next(box for s in plan.slides if s.kind == "chart" for box in s.boxes if type(box).__name__ == "ChartBox")
    assert lone.title is None and next(s for s in plan.slides if s.kind == "chart").title == "Growth"
