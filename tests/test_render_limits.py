"""What the renderers do with input at the edge of what is allowed: text measured in time that grows with its
length, big pies grouped, long markings kept whole on the page, chart labels kept inside the page.

The hostile cases beside this file (``tests/hostile/``) hold the inputs that once hung a build, took minutes or
failed with an internal error, with a time limit; the tests here read the outputs back (pdfplumber,
python-pptx, LibreOffice) and compare them with the input. Each check is shown to fail on an output that has
the fault it looks for.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import pdfplumber
import pytest
from pptx import Presentation
from reportlab.pdfgen.canvas import Canvas

import briefgen
from briefgen.render import common

from conftest import write_briefing

HOSTILE = Path(__file__).parent / "hostile"
MARKING = "SECRET//NOFORN " * 10 + "X"  # the 151 characters of tests/hostile/marking-of-151-characters
EDGE = 0.5  # points a glyph's box may reach past an edge (rounding)


# -- measuring: a few measures per line, never one per character of the whole text ------------------
class Counted:
    """A measure (one point per character) that counts the characters it was asked to measure."""

    def __init__(self):
        self.calls = self.chars = 0

    def __call__(self, text: str) -> float:
        self.calls += 1
        self.chars += len(text)
        return float(len(text))


def _cut_one_character_at_a_time(text: str, width: float, measure) -> str:
    """The running header's fit before: one character cut, then measured again (for the checks below)."""
    if measure(text) <= width:
        return text
    while text and measure(text + "\u2026") > width:
        text = text[:-1]
    return text.rstrip() + "\u2026"


def _measure_calls(fit, text: str, width: float) -> tuple[str, int]:
    measure = Counted()
    return fit(text, width, measure), measure.calls


def test_cutting_a_long_header_measures_a_few_dozen_times():
    text = "x" * 14_000
    cut, calls = _measure_calls(common.fit_text, text, 80)
    assert cut == "x" * 79 + "\u2026"  # the longest prefix that fits with its ellipsis
    assert calls <= 2 * math.log2(len(text)) + 2, calls


def test_the_measure_count_check_fails_on_cutting_a_character_at_a_time():
    cut, calls = _measure_calls(_cut_one_character_at_a_time, "x" * 14_000, 80)
    assert cut == "x" * 79 + "\u2026"
    assert not calls <= 2 * math.log2(14_000) + 2


@pytest.mark.parametrize("width", [1, 7, 80, 13_999, 14_000])
def test_fit_text_keeps_the_longest_prefix_that_fits(width):
    text = "ab " * 4_000 + "c" * 2_000
    assert common.fit_text(text, width, len) == _cut_one_character_at_a_time(text, width, len)


def _wrap_words_before(text: str, width: float, measure) -> list[str]:
    """Line breaking before: the rest of a long word measured whole for every line cut from it."""
    lines: list[str] = []
    for para in text.split("\n"):
        line = ""
        for word in para.split(" "):
            candidate = word if not line else f"{line} {word}"
            if measure(candidate) <= width:
                line = candidate
                continue
            if line:
                lines.append(line)
                line = ""
            while measure(word) > width and len(word) > 1:
                lo, hi = 1, len(word)
                while lo < hi:
                    mid = (lo + hi + 1) // 2
                    lo, hi = (mid, hi) if measure(word[:mid]) <= width else (lo, mid - 1)
                lines.append(word[:lo])
                word = word[lo:]
            line = word
        lines.append(line)
    return lines


def _measured_per_character(wrap, text: str, width: float) -> tuple[list[str], float]:
    measure = Counted()
    return wrap(text, width, measure), measure.chars / len(text)


LONG_WORD = "w" * 14_000 + " tail"
PER_CHARACTER = 40  # characters measured per character of the text, at most


def test_breaking_a_long_word_measures_each_character_a_few_times():
    lines, per_char = _measured_per_character(common.wrap_words, LONG_WORD, 60)
    assert lines == _wrap_words_before(LONG_WORD, 60, len)
    assert lines[-1] == "w" * (14_000 % 60) + " tail"
    assert all(len(line) <= 60 for line in lines[:-1]) and "".join(lines[:-1]) == "w" * (14_000 - 14_000 % 60)
    assert per_char <= PER_CHARACTER, per_char


def test_the_per_character_check_fails_on_measuring_the_whole_rest_for_every_line():
    _, per_char = _measured_per_character(_wrap_words_before, LONG_WORD, 60)
    assert not per_char <= PER_CHARACTER


@pytest.mark.parametrize("text", ["", "a", "a b", "abcdefghij", "ab cdefghijklmnop q", "x" * 129 + " y\nz"])
@pytest.mark.parametrize("width", [1, 3, 8, 64, 200])
def test_wrap_words_breaks_as_before(text, width):
    assert common.wrap_words(text, width, len) == _wrap_words_before(text, width, len)


# -- the marking: whole, and on the page, in every output -------------------------------------------
BAND = 25.0  # points from the top or bottom edge of a briefgen PDF: the marking bands' text, and nothing else


def marking_problems(pdf: Path, marking: str, band: float = BAND) -> list[str]:
    """What is wrong with the marking on each page of ``pdf``: a character past an edge of the page, one
    that straddles the edge of a band (``band`` points from the top and from the bottom edge), or a band
    whose text does not read as the marking, whole."""
    want = re.sub(r"\s+", "", marking.upper())
    problems = []
    with pdfplumber.open(pdf) as doc:
        for number, page in enumerate(doc.pages, start=1):
            w, h = float(page.width), float(page.height)
            for ch in page.chars:
                if ch["x0"] < -EDGE or ch["x1"] > w + EDGE or ch["top"] < -EDGE or ch["bottom"] > h + EDGE:
                    problems.append(f"page {number}: {ch['text']!r} at ({ch['x0']:.0f}, {ch['top']:.0f}) is off the "
                                    f"page ({w:.0f} x {h:.0f})")
                    break
            for name, edge in (("top", band), ("bottom", h - band)):
                if any(c["top"] < edge - EDGE and c["bottom"] > edge + EDGE for c in page.chars if c["text"].strip()):
                    problems.append(f"page {number}: the marking reaches past the {name} band")
            for name, inside in (("top", lambda c: c["bottom"] <= band + EDGE),
                                 ("bottom", lambda c: c["top"] >= h - band - EDGE)):
                chars = sorted((c for c in page.chars if inside(c)), key=lambda c: (round(c["top"]), c["x0"]))
                got = re.sub(r"\s+", "", "".join(c["text"] for c in chars))
                if got != want:
                    problems.append(f"page {number}: the {name} band reads {got[:60]!r}…, not the marking")
    return problems


@pytest.fixture(scope="module")
def marked(tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("marked")
    result = briefgen.build(HOSTILE / "marking-of-151-characters", output_dir=out,
                            format="pdf,pptx,slides-pdf,handout,summary")
    return {p.name.split(".", 1)[1]: p for p in result.files}


@pytest.mark.parametrize("kind", ["pdf", "slides.pdf", "handout.pdf", "summary.pdf"])
def test_a_long_marking_is_whole_and_on_the_page(marked, kind):
    assert marking_problems(marked[kind], MARKING) == []


def test_the_marking_check_fails_on_a_marking_that_runs_off_the_page(tmp_path):
    pdf = tmp_path / "broken.pdf"
    c = Canvas(str(pdf), pagesize=(612, 792))
    for y in (780, 5):  # one line, centred: wider than the page, as the marking was drawn before
        c.setFont("Helvetica-Bold", 8.5)
        c.drawCentredString(306, y, MARKING)
    c.showPage()
    c.save()
    problems = marking_problems(pdf, MARKING)
    assert problems and "off the page" in problems[0]


def test_the_marking_check_fails_on_a_marking_cut_short(tmp_path):
    pdf = tmp_path / "cut.pdf"
    c = Canvas(str(pdf), pagesize=(612, 792))
    for y in (780, 5):
        c.setFont("Helvetica-Bold", 5)
        c.drawCentredString(306, y, MARKING[:100])
    c.showPage()
    c.save()
    assert [p for p in marking_problems(pdf, MARKING) if "not the marking" in p]


def _deck_band(pptx: Path) -> float:
    """The height of the deck's marking bands, as the deck gives it: its boxes named Marking."""
    heights = {round(sh.height / 12700, 2) for s in Presentation(pptx).slides for sh in s.shapes if sh.name == "Marking"}
    assert len(heights) == 1, heights
    return heights.pop()


@pytest.mark.parametrize("length", [151, 200])
def test_a_long_marking_fits_its_band_on_every_slide_as_libreoffice_draws_it(tmp_path, length):
    """The deck's marking as LibreOffice sets it; at the longest allowed (200 characters), where even
    LibreOffice breaks it, its two lines once spilled out of a band one line high."""
    from conftest import soffice_to_pdf

    marking = (MARKING + " " + MARKING)[:length]
    root = write_briefing(tmp_path / "b", f"title: T\nmarking: '{marking}'\nsections: [a]\n",
                          {"a": "---\ntitle: A\nkey_points: [One point]\n---\nBody.\n"})
    (pptx,) = briefgen.build(root, output_dir=tmp_path / "out", format="pptx").files
    for slide in Presentation(pptx).slides:
        shown = [sh.text_frame.text for sh in slide.shapes if sh.name == "Marking"]
        assert shown == [marking.upper()] * 2
    assert marking_problems(soffice_to_pdf(pptx, tmp_path), marking, _deck_band(pptx)) == []


def test_the_band_check_fails_on_a_marking_that_wraps_out_of_its_band(tmp_path):
    """The deck before: the marking broken over two lines in a box one line high, as LibreOffice draws it."""
    pdf = tmp_path / "wrapped.pdf"
    c = Canvas(str(pdf), pagesize=(960, 540))
    half = MARKING.rindex(" ", 0, 110)
    for top in (0.0, 540 - 19.8):  # two lines of 11 pt at 13.2 pt leading, centred on a 19.8 pt band
        for k, line in enumerate((MARKING[:half], MARKING[half + 1:])):
            c.setFont("Helvetica-Bold", 11)
            c.drawCentredString(480, 540 - top - 9.9 + 6.6 - 3.7 - k * 13.2, line)
    c.showPage()
    c.save()
    assert [p for p in marking_problems(pdf, MARKING, 19.8) if "reaches past" in p or "off the page" in p]


def test_a_marking_longer_than_the_limit_is_refused_with_its_line(tmp_path):
    from typer.testing import CliRunner

    from briefgen.cli import app

    root = write_briefing(tmp_path / "b", f"title: T\nsections: [a]\nmarking: '{'X' * 201}'\n",
                          {"a": "---\ntitle: A\n---\nBody.\n"})
    res = CliRunner().invoke(app, ["check", str(root)])
    assert res.exit_code == 1
    assert res.output.startswith("error: ") and "briefing.yaml:3" in res.output and "at most 200" in res.output


# -- big pies: the largest slices and one for the rest ------------------------------------------------
def pie_problems(categories: list[str], values: list[float], source: list[tuple[str, float]], other: str,
                 most: int) -> list[str]:
    """What is wrong with a drawn pie against its ``source`` slices: more than ``most`` slices; not the
    largest of them, in their order, then ``other`` holding exactly the rest."""
    if len(source) <= most:
        return [] if list(zip(categories, values)) == source else ["the pie is not drawn as written"]
    problems = []
    if len(categories) > most:
        problems.append(f"{len(categories)} slices drawn, more than {most}")
    largest = sorted(sorted(range(len(source)), key=lambda i: -source[i][1])[:most - 1])
    if list(zip(categories[:-1], values[:-1])) != [source[i] for i in largest]:
        problems.append("the slices drawn are not the largest, in their order")
    rest = math.fsum(v for i, (_, v) in enumerate(source) if i not in set(largest))
    if categories[-1:] != [other] or not math.isclose(values[-1], rest):
        problems.append(f"the last slice is not '{other}' holding the rest ({rest:g})")
    return problems


def _pie_source(n: int) -> list[tuple[str, float]]:
    return [(f"s{i}", float(1 + i % 97)) for i in range(n)]


def _deck_pie(pptx: Path) -> tuple[list[str], list[float]]:
    (chart,) = [sh.chart for s in Presentation(pptx).slides for sh in s.shapes if sh.has_chart]
    plot = chart.plots[0]
    return list(plot.categories), list(plot.series[0].values)


def test_a_pie_of_ten_thousand_slices_shows_the_eleven_largest_and_the_rest_as_other(tmp_path):
    notes = []
    result = briefgen.build(HOSTILE / "pie-of-ten-thousand-slices", output_dir=tmp_path, on_note=notes.append,
                            format="pdf,pptx")
    files = {p.suffix: p for p in result.files}
    categories, values = _deck_pie(files[".pptx"])
    assert pie_problems(categories, values, _pie_source(10_000), "Other", 12) == []
    with pdfplumber.open(files[".pdf"]) as doc:
        words = {w["text"] for page in doc.pages for w in page.extract_words()}
    assert {w for w in words if re.fullmatch(r"s\d+", w)} == set(categories[:-1]) and "Other" in words
    assert [n for n in notes if "9,989 smallest are drawn as one 'Other' slice in the PDF" in n]
    assert [n for n in notes if "9,989 smallest are drawn as one 'Other' slice in the deck" in n]


def test_the_pie_check_fails_on_a_pie_drawn_with_every_slice(tmp_path):
    """A style that allows 1,000 slices draws all 40 of a pie: the check sees more than 12."""
    cats = ", ".join(f"s{i}" for i in range(40))
    vals = ", ".join(str(1 + i % 97) for i in range(40))
    root = write_briefing(tmp_path / "b", "title: T\nsections: [a]\n", {"a": (
        f"---\ntitle: A\nchart: {{type: pie, title: P, categories: [{cats}], series: [{{name: S, values: [{vals}]}}]}}\n"
        "---\nBody.\n")})
    style = tmp_path / "all-slices.yaml"
    style.write_text("extends: formal\nslide:\n  layout: {pie_slices: 1000}\n", encoding="utf-8")
    (pptx,) = briefgen.build(root, output_dir=tmp_path / "out", format="pptx", style=style).files
    categories, values = _deck_pie(pptx)
    assert len(categories) == 40
    assert pie_problems(categories, values, _pie_source(40), "Other", 12)


def test_the_other_slice_takes_the_briefings_label(tmp_path):
    cats = ", ".join(f"s{i}" for i in range(20))
    vals = ", ".join(str(i + 1) for i in range(20))
    root = write_briefing(tmp_path / "b", "title: T\nsections: [a]\nlabels: {other: Autres}\n", {"a": (
        f"---\ntitle: A\nchart: {{type: pie, title: P, categories: [{cats}], series: [{{name: S, values: [{vals}]}}]}}\n"
        "---\nBody.\n")})
    (pptx,) = briefgen.build(root, output_dir=tmp_path / "out", format="pptx").files
    categories, values = _deck_pie(pptx)
    assert pie_problems(categories, values, [(f"s{i}", float(i + 1)) for i in range(20)], "Autres", 12) == []


# -- chart labels inside the page ---------------------------------------------------------------------------
def chars_outside(pdf: Path, left: float, right: float) -> list[str]:
    """Every character of ``pdf`` that reaches left of ``left`` or right of ``page width - right``."""
    out = []
    with pdfplumber.open(pdf) as doc:
        for number, page in enumerate(doc.pages, start=1):
            out += [f"page {number}: {c['text']!r} at x {c['x0']:.1f}-{c['x1']:.1f}" for c in page.chars
                    if c["x0"] < left - EDGE or c["x1"] > page.width - right + EDGE]
    return out


def test_chart_labels_at_the_value_limit_stay_inside_the_margins_and_the_slide(tmp_path):
    from briefgen.load.style import load_theme

    result = briefgen.build(HOSTILE / "chart-values-at-the-limit", output_dir=tmp_path,
                            format="pdf,slides-pdf")
    files = {p.name.split(".", 1)[1]: p for p in result.files}
    m = load_theme("formal").margins
    assert chars_outside(files["pdf"], m["left"], m["right"]) == []
    assert chars_outside(files["slides.pdf"], 0, 0) == []
    with pdfplumber.open(files["pdf"]) as doc:
        text = "\n".join(page.extract_text() for page in doc.pages)
    assert text.count("-1,000,000,000,000,000") >= 2 and text.count("1,000,000,000,000,000") >= 4


def test_a_legend_of_twelve_names_stays_inside_the_margins(tmp_path):
    """A grouped pie has a dozen names under it: in one row, as they were set before, they ran off the page."""
    from briefgen.load.style import load_theme

    names = ["Mexico", "Canada", "China", "Japan", "Germany", "United Kingdom", "South Korea", "France", "India",
             "Italy", "Brazil", "Netherlands", "Switzerland", "Taiwan", "Ireland", "Vietnam"]
    chart = (f"chart: {{type: pie, title: Partners, categories: [{', '.join(names)}], "
             f"series: [{{name: S, values: [{', '.join(str(20 - i) for i in range(len(names)))}]}}]}}\n")
    root = write_briefing(tmp_path / "b", "title: T\nsections: [a]\n", {"a": f"---\ntitle: A\n{chart}---\nBody.\n"})
    (pdf,) = briefgen.build(root, output_dir=tmp_path / "out", format="pdf").files
    m = load_theme("formal").margins
    assert chars_outside(pdf, m["left"], m["right"]) == []
    with pdfplumber.open(pdf) as doc:
        text = doc.pages[0].extract_text()
    assert all(name in text for name in names[:11]) and "Other" in text


def test_the_margin_check_fails_on_a_label_past_the_edge(tmp_path):
    pdf = tmp_path / "broken.pdf"
    c = Canvas(str(pdf), pagesize=(612, 792))
    c.setFont("Helvetica", 8)
    c.drawRightString(70, 400, "-1,000,000,000,000,000")  # a negative bar's label, ending left of the margin
    c.showPage()
    c.save()
    assert chars_outside(pdf, 68.4, 68.4)


# -- text taller than a page: built, every word printed -------------------------------------------------------
@pytest.mark.parametrize("case, stem, count", [
    ("key-point-of-800-words", "point", 800), ("fact-label-of-2000-words", "label", 2000),
    ("fact-value-of-1200-words", "value", 1200), ("section-title-of-1200-words", "title", 1200)])
def test_text_taller_than_a_page_is_printed_whole(tmp_path, case, stem, count):
    """Before, these failed with reportlab's LayoutError (an internal error); now every word is printed, in
    order (a section title once in the contents and once as the heading; the running header, which
    names it cut short, is left out)."""
    from briefgen.load.style import load_theme

    (pdf,) = briefgen.build(HOSTILE / case, output_dir=tmp_path, format="pdf").files
    m = load_theme("formal").margins
    with pdfplumber.open(pdf) as doc:
        words = [w["text"] for page in doc.pages for w in page.extract_words() if w["text"].startswith(stem)
                 and m["top"] - EDGE <= w["top"] and w["bottom"] <= page.height - m["bottom"] + EDGE]
    numbers = [int(w[len(stem):]) for w in words if w[len(stem):].isdigit()]
    expected = list(range(count))
    assert numbers in (expected, expected * 2), (len(numbers), numbers[:5])


def test_a_contents_entry_of_two_lines_ends_in_its_page_number(tmp_path):
    """The number and the dot leader stand on the entry's last line, after its words (they stood on the
    first, over the words of a title that wraps)."""
    from pdf_truth import contents_entries, truth_problems

    from briefgen.load.style import load_theme

    long_title = " ".join(["Cooperation on water, energy, migration and the shared border"] * 3)
    sections = {sid: f"---\ntitle: {title}\n---\nBody of {sid}.\n"
                for sid, title in (("a", "Alpha"), ("b", long_title), ("c", "Gamma"), ("d", "Delta"))}
    root = write_briefing(tmp_path / "b", "title: T\nsections: [a, b, c, d]\n", sections)
    (pdf,) = briefgen.build(root, output_dir=tmp_path / "out", format="pdf").files
    titles = ["Alpha", long_title, "Gamma", "Delta"]
    assert truth_problems(pdf, titles, load_theme("formal").text["h1"].size) == []
    entry = [e for e in contents_entries(pdf) if e.text.startswith("Cooperation")][0]
    assert entry.text == long_title and entry.number == entry.link_page
