"""The slides PDF and the speaker handout, checked against the deck built from the same input (python-pptx
reads what each slide says), the fact sheet's own sentences, and real PDF clients (pdfplumber, pypdf,
pdffonts, qpdf). Each check has a twin that feeds it a broken output and sees it fail."""

from __future__ import annotations

import io
import math
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pdfplumber
import pypdf
import pytest
from pptx import Presentation
from pptx.oxml.ns import qn
from reportlab.pdfgen.canvas import Canvas

import briefgen
from briefgen.api import prepare
from briefgen.load.fonts import metrics
from briefgen.render.deckpdf import HandoutOptions, SlidesPdfOptions, render_handout, render_slides_pdf
from briefgen.render.plan import TextBox
from briefgen.render.slides import plan_slides

from conftest import ROOT, need, run, source_sentences, squash

EMU_PER_PT = 12700


@pytest.fixture(scope="session")
def deck(tmp_path_factory) -> dict[str, Path]:
    """The default briefing as a deck, a slides PDF and a handout, from one build."""
    out = tmp_path_factory.mktemp("deckpdf")
    result = briefgen.build(ROOT / "content" / "us-mexico", format="pptx,slides-pdf,handout", output_dir=out)
    return {p.name.split(".", 1)[1]: p for p in result.files}


# -- what each slide says, read from the deck ------------------------------------------------------
def _slide_number_shape(shape, number: int) -> bool:
    """A text box holding only the slide number (as text or as PowerPoint's slide-number field)."""
    if not shape.has_text_frame:
        return False
    if shape.text_frame._txBody.xpath(".//a:fld[@type='slidenum']"):
        return True
    return shape.text_frame.text.strip() == str(number)


def _paragraph_words(paragraph, numbering: dict) -> list[str]:
    """A paragraph's words as PowerPoint shows them: its bullet character or automatic number first."""
    ppr = paragraph._p.pPr
    marker = []
    char = ppr.find(qn("a:buChar")) if ppr is not None else None
    auto = ppr.find(qn("a:buAutoNum")) if ppr is not None else None
    if char is not None:
        marker = [char.get("char")]
        numbering.clear()
    elif auto is not None:
        # consecutive numbered paragraphs count on from the first one's start
        numbering["n"] = numbering["n"] + 1 if "n" in numbering else int(auto.get("startAt", "1"))
        marker = [f"{numbering['n']}."]
    else:
        numbering.clear()
    words = paragraph.text.split()
    return marker + words if words else []


def _excel(value: float, fmt: str) -> str:
    decimals = len(fmt.split(".")[1]) if "." in fmt else 0
    return f"{value:,.{decimals}f}"


def _chart_words(chart) -> list[str]:
    """What PowerPoint shows of a chart besides its axis numbers: category labels (a pie's are in its legend),
    the data labels in the chart's number format, the legend and the value axis's title."""
    plot = chart.plots[0]
    pie = "PIE" in str(chart.chart_type)
    fmt = plot.data_labels.number_format
    words = [_excel(v, fmt) for s in plot.series for v in s.values]
    if not pie:
        words += [w for c in plot.categories for w in str(c).split()]
        if chart.value_axis.has_title:
            words += chart.value_axis.axis_title.text_frame.text.split()
    if chart.has_legend:
        names = [str(c) for c in plot.categories] if pie else [s.name for s in plot.series]
        words += [w for name in names for w in name.split()]
    return words


def deck_words(pptx: Path) -> list[tuple[Counter, bool]]:
    """Per slide: the words it shows (slide number left out), whether it shows a number, whether it holds a
    chart."""
    out = []
    for number, slide in enumerate(Presentation(pptx).slides, start=1):
        words: list[str] = []
        chart = numbered = False
        for shape in slide.shapes:
            if _slide_number_shape(shape, number):
                numbered = True
                continue
            if shape.has_text_frame:
                numbering: dict = {}
                for p in shape.text_frame.paragraphs:
                    words += _paragraph_words(p, numbering)
            elif getattr(shape, "has_table", False) and shape.has_table:
                for row in shape.table.rows:
                    for cell in row.cells:
                        numbering = {}
                        for p in cell.text_frame.paragraphs:
                            words += _paragraph_words(p, numbering)
            elif getattr(shape, "has_chart", False) and shape.has_chart:
                chart = True
                words += _chart_words(shape.chart)
        out.append((Counter(words), numbered, chart))
    return out


def page_words(pdf) -> list[list[str]]:
    """Every page's words as pdfplumber reads them (upright and turned text alike)."""
    with pdfplumber.open(pdf) as doc:
        # turned text (a value axis's title) reads from the bottom up, as it was set
        return [[w["text"] for w in page.extract_words(char_dir_rotated="btt")] for page in doc.pages]


def _numeric(word: str) -> bool:
    return re.fullmatch(r"-?[\d,]+(\.\d+)?", word) is not None


def word_problems(pdf, pptx: Path) -> list[str]:
    """Where the PDF's pages and the deck's slides disagree: a page count, or words missing or extra on a page.

    The slide number is the one word left out of the comparison (the PDF must
    still show it); a chart page may also show the value axis's numbers,
    which PowerPoint computes and the deck does not store."""
    slides = deck_words(pptx)
    pages = page_words(pdf)
    if len(pages) != len(slides):
        return [f"{len(pages)} pages for {len(slides)} slides"]
    problems = []
    for number, (page, (expected, numbered, chart)) in enumerate(zip(pages, slides), start=1):
        shown = Counter(page)
        if numbered:
            if shown[str(number)] < 1:
                problems.append(f"page {number}: no slide number")
            shown[str(number)] -= 1
        missing = expected - shown
        extra = shown - expected
        if chart:
            extra = Counter({w: n for w, n in extra.items() if not _numeric(w)})
        if missing or extra:
            problems.append(f"page {number}: missing {sorted(missing.elements())}, extra {sorted(extra.elements())}")
    return problems


# -- the slides PDF ----------------------------------------------------------------------------------
def test_one_page_per_slide_each_holding_that_slides_words(deck):
    assert len(pypdf.PdfReader(deck["slides.pdf"]).pages) == len(Presentation(deck["pptx"]).slides) >= 10
    assert word_problems(deck["slides.pdf"], deck["pptx"]) == []


def test_the_word_comparison_fails_when_a_slides_text_is_missing(deck):
    briefing, theme = prepare(ROOT / "content" / "us-mexico")
    plan = plan_slides(briefing, theme, metrics=metrics)
    victim = next(i for i, s in enumerate(plan.slides) if any(getattr(b, "name", "") == "Body" for b in s.boxes))
    plan.slides[victim].boxes = [b for b in plan.slides[victim].boxes
                                 if not (isinstance(b, TextBox) and b.name == "Body")]
    broken = render_slides_pdf(plan, theme, SlidesPdfOptions(), metrics=metrics)
    problems = word_problems(io.BytesIO(broken), deck["pptx"])
    assert len(problems) == 1 and problems[0].startswith(f"page {victim + 1}: missing ["), problems


def test_the_word_comparison_fails_on_a_page_too_many(deck, tmp_path):
    writer = pypdf.PdfWriter(clone_from=deck["slides.pdf"])
    writer.add_blank_page()
    extra = tmp_path / "extra.pdf"
    writer.write(extra)
    assert word_problems(extra, deck["pptx"])[0].endswith("slides")


def unembedded_fonts(pdf: Path) -> list[str]:
    res = run(need("pdffonts"), str(pdf))
    rows = res.stdout.splitlines()[2:]
    assert res.returncode == 0 and rows, res.stderr
    return [row for row in rows if row.split()[-5] != "yes"]


def qpdf_ok(pdf: Path) -> bool:
    return run(need("qpdf"), "--check", str(pdf)).returncode == 0


@pytest.mark.parametrize("name", ["slides.pdf", "handout.pdf"])
def test_fonts_are_embedded_and_qpdf_finds_no_fault(deck, name):
    assert unembedded_fonts(deck[name]) == []
    assert qpdf_ok(deck[name])


def test_the_font_and_structure_checks_fail_on_a_faulty_pdf(tmp_path):
    plain = tmp_path / "helvetica.pdf"
    c = Canvas(str(plain))
    c.drawString(72, 72, "standard font, not embedded")
    c.save()
    assert unembedded_fonts(plain)
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(plain.read_bytes()[:-200])
    assert not qpdf_ok(cut)


def page_sizes(pdf: Path) -> set[tuple[float, float]]:
    return {(round(float(p.mediabox.width), 2), round(float(p.mediabox.height), 2))
            for p in pypdf.PdfReader(pdf).pages}


@pytest.mark.parametrize("size", ["16:9", "4:3"])
def test_each_page_is_the_size_of_the_slide(tmp_path, size):
    files = briefgen.build(format="pptx,slides-pdf", slide_size=size, output_dir=tmp_path).files
    prs = Presentation(files[0])
    slide = (round(prs.slide_width / EMU_PER_PT, 2), round(prs.slide_height / EMU_PER_PT, 2))
    assert page_sizes(files[1]) == {slide}
    assert page_sizes(files[1]) != {(960.0, 540.0) if size == "4:3" else (720.0, 540.0)}  # the check can fail


def test_every_slide_has_a_bookmark_to_its_page_and_the_agenda_links_to_each_section(deck):
    reader = pypdf.PdfReader(deck["slides.pdf"])
    pages = [squash(p.extract_text()) for p in reader.pages]
    outline = reader.outline
    assert len(outline) == len(pages)
    for i, entry in enumerate(outline):
        assert reader.get_destination_page_number(entry) == i
        assert squash(entry.title) in pages[i], (i, entry.title)
    with pdfplumber.open(deck["slides.pdf"]) as doc:
        agenda = next(i for i, p in enumerate(pages) if p.startswith("Agenda"))
        page = doc.pages[agenda]
        links = [a for a in reader.pages[agenda].get("/Annots", []) if a.get_object()["/Subtype"] == "/Link"]
        assert len(links) == len(briefgen.load_briefing("us-mexico").sections)
        for annot in links:
            annot = annot.get_object()
            x0, y0, x1, y1 = (float(v) for v in annot["/Rect"])
            entry = squash(page.crop((x0, page.height - y1, x1, page.height - y0)).extract_text())
            title = entry.split(" ", 1)[1]  # "3. U.S.-Mexico Border"
            target = reader.get_destination_page_number(reader.named_destinations[annot["/Dest"]]) \
                if isinstance(annot["/Dest"], str) else reader.get_page_number(annot["/Dest"][0].get_object())
            # the section's first slide: the first page after the agenda that shows its title
            first = next(i for i in range(agenda + 1, len(pages)) if pages[i].startswith(title))
            assert target == first, (entry, target, first)


def test_draft_marks_every_page_of_both(tmp_path):
    def texts(pdf):  # pypdf reads the watermark's slanted line as one
        return [p.extract_text() for p in pypdf.PdfReader(pdf).pages]

    files = briefgen.build(format="slides-pdf,handout", draft=True, output_dir=tmp_path).files
    for pdf in files:
        assert all("DRAFT" in text for text in texts(pdf))
    plain = briefgen.build(format="slides-pdf", output_dir=tmp_path / "plain").files[0]
    assert not any("DRAFT" in text for text in texts(plain))


# -- the handout ----------------------------------------------------------------------------------------
def notes_text(pdf, body_size: float) -> str:
    """The handout's notes in reading order: only text set at the body size (slides are drawn smaller or
    larger, running heads and continuation labels smaller), so a sentence running over a page or slot break
    reads on without the page furniture between its halves."""
    with pdfplumber.open(pdf) as doc:
        parts = [page.filter(lambda o: o.get("object_type") != "char" or abs(o["size"] - body_size) < 0.01)
                 .extract_text() for page in doc.pages]
    return squash(" ".join(parts))


def missing_sentences(pdf, body_size: float) -> list[str]:
    notes = notes_text(pdf, body_size)
    with pdfplumber.open(pdf) as doc:
        everything = squash(" ".join(p.extract_text() for p in doc.pages))
    return [s for s in source_sentences() if squash(s) not in notes and squash(s) not in everything]


def test_the_handout_holds_every_sentence_of_the_fact_sheet(deck):
    body = prepare()[1].text["body"].size
    assert missing_sentences(deck["handout.pdf"], body) == []


@pytest.mark.parametrize("style,size,per_page", [("print", "4:3", 3), ("modern", "16:9", 2)])
def test_every_sentence_whatever_the_style_slide_size_and_slides_per_page(tmp_path, style, size, per_page):
    """Notes run on beside, beneath and after their slide (a 4:3 slide leaves less than a line beneath it
    when three share a page)."""
    handout = briefgen.build(format="handout", style=style, slide_size=size, handout_per_page=per_page,
                             output_dir=tmp_path).files[0]
    assert missing_sentences(handout, prepare(style=style)[1].text["body"].size) == []
    assert page_x_of_y_problems(handout) == []


def test_the_sentence_check_fails_when_notes_are_missing(deck):
    briefing, theme = prepare(ROOT / "content" / "us-mexico")
    plan = plan_slides(briefing, theme, metrics=metrics)
    for slide in plan.slides:
        if slide.section_id == "economy":
            slide.notes = ""
    broken = render_handout(plan, briefing, theme, HandoutOptions(), metrics=metrics)
    missing = missing_sentences(io.BytesIO(broken), theme.text["body"].size)
    assert any("third-largest trading partner" in s for s in missing)


def page_x_of_y_problems(pdf) -> list[str]:
    pages = [squash(p.extract_text()) for p in pypdf.PdfReader(pdf).pages]
    return [f"page {i}" for i, text in enumerate(pages, start=1) if f"Page {i} of {len(pages)}" not in text]


def test_handout_pages_say_page_x_of_y(deck, tmp_path):
    assert page_x_of_y_problems(deck["handout.pdf"]) == []
    wrong = tmp_path / "wrong.pdf"
    c = Canvas(str(wrong))
    for i in (1, 2):
        c.drawString(72, 72, f"Page {i} of 3")
        c.showPage()
    c.save()
    assert page_x_of_y_problems(wrong) == ["page 1", "page 2"]


SHORT = {
    "one": "---\ntitle: First Part\nkey_points: [\"Alpha point.\"]\n---\nThe first part says one thing.\n",
    "two": "---\ntitle: Second Part\nkey_points: [\"Beta point.\"]\n---\nThe second part says another.\n",
    "three": "---\ntitle: Third Part\nkey_points: [\"Gamma point.\"]\n---\nThe third part says a third.\n",
}


@pytest.mark.parametrize("per_page", [1, 2, 3])
def test_slides_per_page_gives_the_page_count(make_briefing, tmp_path, per_page):
    folder = make_briefing("title: Short\nsections: [one, two, three]\n", SHORT)
    files = briefgen.build(folder, format="slides-pdf,handout", handout_per_page=per_page,
                           output_dir=tmp_path).files
    slides = len(pypdf.PdfReader(files[0]).pages)
    handout = len(pypdf.PdfReader(files[1]).pages)
    assert slides >= 5
    assert handout == math.ceil(slides / per_page)
    assert handout != math.ceil(slides / (per_page % 3 + 1))  # the count tells the layouts apart
    assert page_x_of_y_problems(files[1]) == []
    assert "The second part says another." in notes_text(files[1], prepare(folder)[1].text["body"].size)


def test_a4_handout_and_marking_on_every_page(make_briefing, tmp_path):
    folder = make_briefing("title: Marked\nmarking: unclassified\nsections: [one, two]\n",
                           {k: SHORT[k] for k in ("one", "two")})
    files = briefgen.build(folder, format="slides-pdf,handout", page_size="a4", output_dir=tmp_path).files
    assert page_sizes(files[1]) == {(595.28, 841.89)}
    for pdf in files:
        for words in page_words(pdf):
            assert " ".join(words).count("UNCLASSIFIED") >= 2  # the banner at the top and at the bottom


# -- the build ------------------------------------------------------------------------------------------
def test_names_follow_the_selection_and_the_output_file(tmp_path):
    files = briefgen.build(preset="trade", format="slides-pdf,handout", output_dir=tmp_path).files
    assert [p.name for p in files] == ["us-mexico--trade.slides.pdf", "us-mexico--trade.handout.pdf"]
    files = briefgen.build(format="pdf,handout", output_file=tmp_path / "mtg.handout.pdf").files
    assert [p.name for p in files] == ["mtg.pdf", "mtg.handout.pdf"]


def test_a_failing_format_writes_nothing(tmp_path, monkeypatch):
    from briefgen import api

    def broken(*args, **kwargs):
        raise RuntimeError("handout broke")

    monkeypatch.setitem(api._DECK_RENDERERS, "handout", broken)
    with pytest.raises(RuntimeError):
        briefgen.build(format="pdf,pptx,slides-pdf,handout", output_dir=tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_format_lists_and_their_errors():
    from briefgen.errors import UsageError
    from briefgen.formats import parse_formats

    assert parse_formats("all") == ("pdf", "pptx")
    assert parse_formats("handout, pdf,handout") == ("handout", "pdf")
    assert parse_formats(["all", "slides-pdf"]) == ("pdf", "pptx", "slides-pdf")
    assert parse_formats("PDF,Handout") == ("pdf", "handout")  # any letter case
    for bad in ("pdf,", "slides", "docx"):
        with pytest.raises(UsageError):
            parse_formats(bad)


def test_the_cli_writes_both_and_rejects_a_bad_per_page(tmp_path):
    env_args = [sys.executable, "-m", "briefgen", "build", "-q", "-o", str(tmp_path)]
    res = run(*env_args, "--format", "slides-pdf,handout", cwd=ROOT)
    assert res.returncode == 0, res.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["us-mexico.handout.pdf", "us-mexico.slides.pdf"]
    res = run(*env_args, "--format", "handout", "--handout-per-page", "4", cwd=ROOT)
    assert res.returncode == 2 and res.stderr.startswith("error: --handout-per-page"), res.stderr


def test_neither_format_imports_python_pptx(tmp_path):
    script = ("import sys, briefgen\n"
              f"briefgen.build(format='slides-pdf,handout', output_dir={str(tmp_path)!r}, processes=True)\n"
              "print(sorted(m for m in sys.modules if m == 'pptx' or m.startswith('pptx.')))\n")
    res = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=180)
    assert res.returncode == 0, res.stderr
    assert res.stdout.strip() == "[]"
    # and the check sees python-pptx when a build does load it
    res = subprocess.run([sys.executable, "-c", script.replace("slides-pdf,handout", "pptx")], capture_output=True,
                         text=True, cwd=ROOT, timeout=180)
    assert res.stdout.strip() != "[]"


def test_several_briefings_in_one_call_and_identical_bytes_on_a_rebuild(make_briefing, tmp_path):
    folder = make_briefing("title: Short\nsections: [one, two]\n", {k: SHORT[k] for k in ("one", "two")})
    files, failures = briefgen.build_many(["us-mexico", str(folder)], format="slides-pdf,handout",
                                          output_dir=tmp_path / "a")
    assert failures == [] and sorted(p.name for p in files) == [
        "sample.handout.pdf", "sample.slides.pdf", "us-mexico.handout.pdf", "us-mexico.slides.pdf"]
    again = briefgen.build(folder, format="slides-pdf,handout", output_dir=tmp_path / "b").files
    for path in again:
        assert path.read_bytes() == (tmp_path / "a" / path.name).read_bytes()


def test_a_draft_handout_page_carries_one_mark(tmp_path):
    """The page's own translucent DRAFT, over everything; the small slides do not add theirs."""
    files = briefgen.build(format="handout", draft=True, output_dir=tmp_path).files
    for page in pypdf.PdfReader(files[0]).pages:
        assert page.extract_text().count("DRAFT") == 1
