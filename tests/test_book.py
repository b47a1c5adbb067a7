"""The briefing book (``briefgen book``), read back from its files and compared with where things are printed
and with the content files: a book of the default briefing (a preset) and a briefing written here.

The truth for the PDF is the page on which each heading is printed (tests/pdf_truth.py);
for the deck, what python-pptx reads back. Each check has a test showing that it fails
on a book that is wrong in the way it checks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pdfplumber
import pypdf
import pytest
from pptx import Presentation

import briefgen
from briefgen.api import prepare
from briefgen.markings import book_marking
from briefgen.model import Heading, plain, walk

from conftest import write_briefing
from pdf_truth import Printed, contents_entries, find_headings, lines_at_sizes, outline_pages
from test_pdf_truth import RGB_OPERATORS, colour_operators, pages_saying, slides_saying

STYLES = ("formal", "modern", "print")
ALL_FORMATS = "pdf,pptx,slides-pdf,handout,summary"

WATER_META = """\
    title: Shared Waters of the Rio Grande
    subtitle: Meeting with the International Boundary and Water Commission
    issuer: Office of Water Affairs
    date: 2019-03-05
    marking: CONFIDENTIAL
    sections: [summary, treaty, funding, outlook]
    sources:
      - title: Water Treaty of 1944
        url: https://example.org/treaty
"""
WATER_SECTIONS = {
    "summary": """\
        ---
        title: Summary of the Water Question
        key_points:
          - The 1944 treaty allots the waters of the Rio Grande and the Colorado.
          - Deliveries run in five-year cycles.
        facts:
          - {value: "1944", label: Water treaty signed}
          - {value: 5 years, label: Delivery cycle}
        ---

        The two countries share the rivers along the border. See [the funding section](#funding) for money.
        """,
    "treaty": """\
        ---
        title: The 1944 Water Treaty
        key_points:
          - Mexico delivers water from six tributaries to the Rio Grande.
        ---

        The treaty sets the shares of each country.

        ## Minutes of the commission

        The commission adopts minutes that interpret the treaty.
        """,
    "funding": """\
        ---
        title: Funding for Infrastructure
        facts:
          - {value: $30 million, label: Joint projects this year}
        ---

        Both governments fund dams, levees and treatment plants.
        """,
    "outlook": """\
        ---
        title: Outlook for the Next Cycle
        ---

        Drought makes the next cycle hard. The commission meets twice a year.
        """,
}
BOOK = """\
title: North America Visit
subtitle: Briefing book
issuer: Office of the Under Secretary
date: 2018-04-10
briefings:
  - briefing: us-mexico
    preset: trade
  - briefing: water
    sections: [summary, funding, treaty]
"""
LEFT_OUT = ("Outlook for the Next Cycle", "Education Exchange", "U.S. Security Cooperation with Mexico")


@pytest.fixture(scope="module")
def book_dir(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("book")
    write_briefing(folder / "water", WATER_META, WATER_SECTIONS)
    (folder / "trip.yaml").write_text(BOOK, encoding="utf-8")
    return folder


@dataclass
class Part:
    """One briefing as the book should show it: its title, and each section's heading with its subheadings
    (the closing sources last), from the content files as the loader reads them."""

    title: str
    sections: list[tuple[str, list[str]]]


@pytest.fixture(scope="module")
def parts(book_dir) -> list[Part]:
    out = []
    for ref, pick in (("us-mexico", dict(preset="trade")), (book_dir / "water", dict(sections="summary,funding,treaty"))):
        chosen, _ = prepare(ref, **pick)
        sections = [(s.title, [plain(b.runs) for b in walk(s.blocks) if isinstance(b, Heading)])
                    for s in chosen.sections]
        out.append(Part(chosen.title, sections + [(chosen.labels["sources"], [])]))
    return out


@pytest.fixture(scope="module")
def built(book_dir, tmp_path_factory):
    """The book built once per style (every format in the default style, the PDF in the others)."""
    done: dict[str, dict[str, Path]] = {}

    def get(style: str) -> dict[str, Path]:
        if style not in done:
            out = tmp_path_factory.mktemp(f"out-{style}")
            result = briefgen.build_book(book_dir / "trip.yaml", style=style, output_dir=out,
                                         format=ALL_FORMATS if style == "formal" else "pdf")
            done[style] = {p.name.split(".", 1)[1]: p for p in result.files}
            done[style]["theme"] = result.theme
        return done[style]

    return get


# -- the truth about the PDF -----------------------------------------------------------------------------
def _after(lines: list[Printed], title: str, after: tuple[int, float]) -> Printed | None:
    """The first line printing ``title`` after the place ``after`` (page, -top), in reading order."""
    later = [line for line in lines if (line.page, -line.top) > after]
    return find_headings(later, [title]).get(title)


def book_problems(pdf: Path, parts: list[Part], theme) -> list[str]:
    """Every disagreement between where the book's headings are printed (briefing titles at the title size,
    sections and subsections at theirs, in book order) and what the contents and the outline say."""
    t = theme.text
    title_size, h1, subs = t["title"].size, t["h1"].size, (t["h2"].size, t["h3"].size)
    lines = lines_at_sizes(pdf, {title_size, h1, *subs})
    problems: list[str] = []
    printed: list[tuple[str, int, Printed | None]] = []  # (heading, outline level, where), in book order
    at = (0, 0.0)
    for part in parts:
        where = _after(lines[title_size], part.title, at)
        printed.append((part.title, 0, where))
        at = (where.page, -where.top) if where else at
        for section, subheadings in part.sections:
            where = _after(lines[h1], section, at)
            printed.append((section, 1, where))
            at = (where.page, -where.top) if where else at
            for sub in subheadings:
                found = [w for w in (_after(lines[s], sub, at) for s in subs) if w]
                where = min(found, key=lambda w: (w.page, -w.top)) if found else None
                printed.append((sub, 2, where))
                at = (where.page, -where.top) if where else at
    for title, _, where in printed:
        if where is None:
            problems.append(f"'{title}' is not printed at its heading size after the heading before it")
    listed = [(title, where) for title, level, where in printed if level < 2]
    entries = contents_entries(pdf)[:len(listed)]
    if [e.text for e in entries] != [title for title, _ in listed]:
        problems.append(f"contents: {[e.text for e in entries]} != {[title for title, _ in listed]}")
    for entry, (title, where) in zip(entries, listed):
        if where is None:
            continue
        if entry.number != where.page:
            problems.append(f"contents: '{title}' says page {entry.number}, printed on page {where.page}")
        if entry.link_page != where.page or entry.link_fit != "/XYZ":
            problems.append(f"contents: link of '{title}' opens page {entry.link_page} ({entry.link_fit}), "
                            f"printed on page {where.page}")
    outline = outline_pages(pdf)
    if outline and outline[0][:2] == ("Contents", 0):  # the contents' own entry comes first
        outline = outline[1:]
    if [(o[0], o[1]) for o in outline] != [(title, level) for title, level, _ in printed]:
        problems.append(f"outline: {[(o[0], o[1]) for o in outline]} != "
                        f"{[(title, level) for title, level, _ in printed]}")
    for (title, level, where), (_, _, page, fit, top) in zip(printed, outline):
        if where is None:
            continue
        size = title_size if level == 0 else h1
        if page != where.page:
            problems.append(f"outline: '{title}' opens page {page}, printed on page {where.page}")
        elif fit != "/XYZ" or top is None or not (where.top <= top <= where.top + size * 2):
            problems.append(f"outline: '{title}' opens at {fit} {top}, its line is at {where.top:.1f}")
    return problems


def page_number_problems(pdf: Path) -> list[str]:
    """Each page must print "Page k of N", k its place in the file and N the file's page count."""
    problems = []
    with pdfplumber.open(pdf) as doc:
        total = len(doc.pages)
        for k, page in enumerate(doc.pages, start=1):
            said = re.findall(r"Page (\d+) of (\d+)", page.extract_text() or "")
            if said != [(str(k), str(total))]:
                problems.append(f"page {k} of {total} says {said}")
    return problems


def header_problems(pdf: Path, parts: list[Part], theme) -> list[str]:
    """The running header of each page names the book (cover and contents) or the briefing the page belongs
    to, and the section in force at the page's top (the one the page opens with, else the last before)."""
    t = theme.text
    lines = lines_at_sizes(pdf, {t["title"].size, t["h1"].size, t["header"].size})
    starts = {}  # page -> the briefing whose title block opens it
    headings = []  # (page, -top, section title)
    at = (0, 0.0)
    for part in parts:
        where = _after(lines[t["title"].size], part.title, at)
        starts[where.page] = part
        at = (where.page, -where.top)
        for section, _ in part.sections:
            w = _after(lines[t["h1"].size], section, at)
            headings.append((w.page, -w.top, section))
            at = (w.page, -w.top)
    page_top = max(line.top for line in lines[t["h1"].size])
    reader = pypdf.PdfReader(pdf)
    frame_top = float(reader.pages[0].mediabox.height) - theme.margins["top"]
    header = {line.page: line for line in lines[t["header"].size] if line.top > frame_top}  # above the text
    problems, current, first = [], None, min(starts)
    for page in range(1, len(reader.pages) + 1):
        if page == 1 and page in header:
            problems.append(f"the cover has a running header: '{header[page].text}'")
        if page == 1:
            continue
        if page in starts:
            current = starts[page]
            if page in header:
                problems.append(f"page {page} opens '{current.title}' and has a running header")
            continue
        text = header[page].text if page in header else ""
        if page < first:  # the contents
            if text != "North America Visit":
                problems.append(f"page {page}: header '{text}', not the book's title")
            continue
        opening = [s for p, top, s in headings if p == page and -top == page_top]
        before = [s for p, _, s in headings if p < page]
        section = opening[0] if opening else before[-1]
        if not (text.startswith(current.title) and text.endswith(section)):
            problems.append(f"page {page}: header '{text}', expected '{current.title}' … '{section}'")
    return problems


# -- the PDF ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("style", STYLES)
def test_contents_and_bookmarks_open_the_page_each_heading_is_printed_on(style, built, parts):
    files = built(style)
    assert book_problems(files["pdf"], parts, files["theme"]) == []


@pytest.mark.parametrize("options", [dict(bleed=True), dict(page_size="a4", style="print")], ids=["bleed", "a4"])
def test_the_contents_tell_the_truth_with_bleed_and_on_other_paper(options, book_dir, parts, tmp_path):
    """Crop marks move the content, and other paper moves the page breaks: destinations move with them."""
    result = briefgen.build_book(book_dir / "trip.yaml", format="pdf", output_dir=tmp_path, **options)
    assert book_problems(result.files[0], parts, result.theme) == []
    assert page_number_problems(result.files[0]) == []


def test_the_bookmarks_nest_briefing_then_section_then_subsection(built, parts):
    outline = outline_pages(built("formal")["pdf"])
    expected = [("Contents", 0)]
    for part in parts:
        expected.append((part.title, 0))
        for section, subs in part.sections:
            expected += [(section, 1)] + [(sub, 2) for sub in subs]
    assert [(o[0], o[1]) for o in outline] == expected
    assert ("Minutes of the commission", 2) in expected  # a subsection is there to nest


def test_the_truth_check_fails_on_a_contents_that_is_off_by_one(monkeypatch, book_dir, parts, tmp_path):
    from briefgen.render.pdf.contents import Contents

    real = Contents.page_label
    monkeypatch.setattr(Contents, "page_label", lambda self, key: str(int(real(self, key)) + 1))
    result = briefgen.build_book(book_dir / "trip.yaml", format="pdf", output_dir=tmp_path)
    problems = book_problems(result.files[0], parts, result.theme)
    listed = sum(1 + len(p.sections) for p in parts)
    assert len([p for p in problems if "says page" in p]) == listed, problems


def test_the_truth_check_fails_on_bookmarks_bound_to_the_first_page(monkeypatch, book_dir, parts, tmp_path):
    from reportlab.pdfgen.canvas import Canvas

    from briefgen.render.pdf.page import DeferredCanvas

    monkeypatch.setattr(DeferredCanvas, "bookmarkPage", Canvas.bookmarkPage)
    result = briefgen.build_book(book_dir / "trip.yaml", format="pdf", output_dir=tmp_path)
    problems = book_problems(result.files[0], parts, result.theme)
    assert any(f"outline: '{parts[1].title}' opens page 1" in p for p in problems), problems


@pytest.mark.parametrize("style", STYLES)
def test_pages_are_numbered_through_the_whole_book(style, built):
    pdf = built(style)["pdf"]
    assert page_number_problems(pdf) == []
    assert len(pypdf.PdfReader(pdf).pages) >= 7


def test_the_page_number_check_fails_on_briefings_numbered_apart(tmp_path, book_dir):
    """Two briefings' PDFs put one after the other restart at 'Page 1'."""
    writer = pypdf.PdfWriter()
    for ref, pick in (("us-mexico", dict(preset="trade")), (book_dir / "water", {})):
        result = briefgen.build(ref, format="pdf", output_dir=tmp_path, **pick)
        for page in pypdf.PdfReader(result.files[0]).pages:
            writer.add_page(page)
    joined = tmp_path / "joined.pdf"
    with joined.open("wb") as fh:
        writer.write(fh)
    problems = page_number_problems(joined)
    assert problems and all("says" in p for p in problems)


@pytest.mark.parametrize("style", STYLES)
def test_the_running_header_names_the_briefing_and_the_section(style, built, parts):
    files = built(style)
    assert header_problems(files["pdf"], parts, files["theme"]) == []


def test_the_header_check_fails_when_every_page_names_the_book(monkeypatch, book_dir, parts, tmp_path):
    from briefgen.render.book.pdf import BookBuilder

    monkeypatch.setattr(BookBuilder, "briefing_on_page", lambda self, doc: self.front)
    result = briefgen.build_book(book_dir / "trip.yaml", format="pdf", output_dir=tmp_path)
    problems = header_problems(result.files[0], parts, result.theme)
    assert len(problems) >= 4 and all("expected" in p for p in problems), problems


def test_each_briefing_opens_on_a_page_of_its_own_with_its_title_block(built, parts):
    pdf = built("formal")["pdf"]
    theme = built("formal")["theme"]
    lines = lines_at_sizes(pdf, {theme.text["title"].size})[theme.text["title"].size]
    titles = [(line.page, line.text) for line in lines]
    assert titles[0] == (1, "North America Visit")  # the cover
    opening = [page for page, text in titles if text in {p.title for p in parts}]
    assert len(opening) == len(parts) and opening == sorted(set(opening)) and opening[0] > 2
    with pdfplumber.open(pdf) as doc:
        for page in opening:  # the title block is the first thing under the marking
            words = doc.pages[page - 1].extract_text().split("\n")
            assert any(p.title in "\n".join(words[:4]) for p in parts)


def test_only_the_picked_sections_are_in_the_book(built, parts):
    pdf = built("formal")["pdf"]
    theme = built("formal")["theme"]
    h1 = theme.text["h1"].size
    printed = [line.text for line in lines_at_sizes(pdf, {h1})[h1]]
    expected = [section for part in parts for section, _ in part.sections]
    assert printed == expected
    with pdfplumber.open(pdf) as doc:
        text = " ".join(page.extract_text() or "" for page in doc.pages)
    for title in LEFT_OUT:
        assert title not in text
    assert "Drought makes the next cycle hard" not in text


def test_sources_close_each_briefing(built):
    pdf = built("formal")["pdf"]
    with pdfplumber.open(pdf) as doc:
        texts = [page.extract_text() or "" for page in doc.pages]
    treaty = [k for k, text in enumerate(texts) if "Water Treaty of 1944" in text]
    fact_sheet = [k for k, text in enumerate(texts) if "U.S. Relations With Mexico, Fact Sheet" in text]
    water_opens = next(k for k, text in enumerate(texts) if "Shared Waters of the Rio Grande" in text and k > 1)
    assert fact_sheet and max(fact_sheet) < water_opens  # the fact sheet's sources, before the next briefing
    assert treaty and min(treaty) > water_opens


def test_a_link_between_sections_stays_inside_its_briefing(built, parts):
    """'#funding' in the water briefing opens the page its 'Funding' heading is printed on."""
    pdf = built("formal")["pdf"]
    theme = built("formal")["theme"]
    h1 = theme.text["h1"].size
    funding = find_headings(lines_at_sizes(pdf, {h1})[h1], ["Funding for Infrastructure"])["Funding for Infrastructure"]
    reader = pypdf.PdfReader(pdf)
    with pdfplumber.open(pdf) as doc:
        for index, page in enumerate(reader.pages):
            for ref in page.get("/Annots") or []:
                annot = ref.get_object()
                x0, y0, x1, y1 = (float(v) for v in annot["/Rect"])
                h = float(doc.pages[index].height)
                words = doc.pages[index].crop((x0, h - y1, x1, h - y0), strict=False).extract_text() or ""
                if "funding section" in " ".join(words.split()):
                    target = reader.get_page_number(annot["/Dest"][0].get_object()) + 1
                    assert target == funding.page
                    return
    pytest.fail("no link on 'the funding section'")


# -- the marking ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("style", STYLES)
def test_the_most_restrictive_marking_is_on_every_page(style, built):
    """us-mexico has no marking, the water briefing is CONFIDENTIAL: every page of the book says so."""
    assert all(pages_saying(built(style)["pdf"], "CONFIDENTIAL"))


def test_the_marking_check_fails_on_a_book_without_one(tmp_path):
    book = tmp_path / "plain.yaml"
    book.write_text("title: Plain\nbriefings:\n  - briefing: us-mexico\n    preset: short\n", encoding="utf-8")
    result = briefgen.build_book(book, output_dir=tmp_path / "out")
    assert not any(pages_saying(result.files[0], "CONFIDENTIAL"))
    assert not any(_marked_slides(result.files[1], "CONFIDENTIAL"))


def _marked_slides(deck: Path, marking: str) -> list[bool]:
    return [any(s.has_text_frame and s.name == "Marking" and s.text_frame.text.upper() == marking
                for s in slide.shapes) for slide in Presentation(deck).slides]


@pytest.mark.parametrize(("given", "order", "markings", "chosen", "problem"), [
    (None, [], [("a", None), ("b", None)], None, None),
    (None, [], [("a", None), ("b", "Confidential")], "Confidential", None),
    (None, [], [("a", "SECRET"), ("b", "UNCLASSIFIED"), ("c", "top  secret")], "top  secret", None),
    (None, [], [("a", "SECRET"), ("b", "SECRET//NOFORN")], "SECRET//NOFORN", None),
    (None, [], [("a", "UNCLASSIFIED//FOUO"), ("b", "CONFIDENTIAL")], "CONFIDENTIAL", None),
    (None, [], [("a", "TOP SECRET"), ("b", "INTERNAL")], "INTERNAL", None),  # unknown: ranked highest
    (None, [], [("a", "SECRET//NOFORN"), ("b", "SECRET//REL TO MEX")], None, "cannot tell"),
    (None, [], [("a", "INTERNAL"), ("b", "RESTRICTED")], None, "cannot tell"),
    (None, ["PUBLIC", "INTERNAL", "RESTRICTED"], [("a", "restricted"), ("b", "INTERNAL")], "restricted", None),
    (None, ["PUBLIC", "INTERNAL"], [("a", "RESTRICTED")], None, "does not list"),
    ("SECRET", [], [("a", "TOP SECRET")], "SECRET", None),  # the book's own: kept (with a note)
])
def test_the_book_marking_is_the_most_restrictive(given, order, markings, chosen, problem):
    choice = book_marking(given, order, markings)
    assert choice.marking == chosen
    if problem:
        assert len(choice.problems) == 1 and problem in choice.problems[0]
    else:
        assert choice.problems == []


def test_a_book_marked_below_a_briefing_says_so(book_dir, tmp_path):
    book = book_dir / "low.yaml"
    book.write_text(BOOK.replace("date: 2018-04-10", "date: 2018-04-10\nmarking: UNCLASSIFIED"), encoding="utf-8")
    result = briefgen.build_book(book, format="pdf", output_dir=tmp_path)
    assert any("'water' is marked 'CONFIDENTIAL', above the book's marking 'UNCLASSIFIED'" in n for n in result.notes)
    assert all(pages_saying(result.files[0], "UNCLASSIFIED"))


# -- the deck ----------------------------------------------------------------------------------------
def _title(slide) -> str:
    """The slide's title: its title placeholder, as PowerPoint and screen readers find it."""
    title = slide.shapes.title
    return " ".join(title.text_frame.text.split()) if title is not None else ""


def _jumps(prs, slide) -> list[tuple[str, int]]:
    """(words, 1-based number of the slide it jumps to) for each internal link on a slide."""
    index = {s.part: n for n, s in enumerate(prs.slides, start=1)}
    out = []
    for shape in slide.shapes:
        if not shape.has_text_frame:
            continue
        for para in shape.text_frame.paragraphs:
            for run in para.runs:
                click = run._r.find(".//{http://schemas.openxmlformats.org/drawingml/2006/main}hlinkClick")
                rid = None if click is None else click.get(
                    "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")
                if rid and "hlinksldjump" in (click.get("action") or ""):
                    out.append((run.text, index[slide.part.related_part(rid)]))
    return out


def slide_number_problems(deck: Path) -> list[str]:
    """Every slide but the title slides shows its own place in the deck as its number."""
    problems = []
    for n, slide in enumerate(Presentation(deck).slides, start=1):
        shown = [s.text_frame.text for s in slide.shapes if s.has_text_frame and s.name == "Slide number"]
        if shown and shown != [str(n)]:
            problems.append(f"slide {n} shows {shown}")
    return problems


def test_the_deck_holds_both_briefings_in_order(built, parts):
    deck = built("formal")["pptx"]
    prs = Presentation(deck)
    titles = [_title(s) for s in prs.slides]
    assert "North America Visit" in titles[0] and titles[1] == "Agenda"
    starts = [next(n for n, t in enumerate(titles) if part.title in t and n > 1) for part in parts]
    assert starts == sorted(starts) and starts[0] == 2
    bounds = starts + [len(titles)]
    for k, part in enumerate(parts):
        own = titles[bounds[k]:bounds[k + 1]]
        assert own[1] == "Agenda"
        firsts = [next((n for n, t in enumerate(own) if t == s or t.startswith(s + " (1 of")), None)
                  for s, _ in part.sections]
        assert None not in firsts and firsts == sorted(firsts), (part.title, own)
        assert own[-1] == "Sources"
    for title in LEFT_OUT:
        assert not any(title in t for t in titles)
    assert slide_number_problems(deck) == []


def test_the_agendas_lead_to_their_own_briefing(built, parts):
    prs = Presentation(built("formal")["pptx"])
    slides = list(prs.slides)
    titles = [_title(s) for s in slides]
    book_agenda = _jumps(prs, slides[1])
    assert [words for words, _ in book_agenda] == [p.title for p in parts]
    for (words, target) in book_agenda:
        assert slides[target - 1].shapes and words in titles[target - 1] and target > 2
    water_agenda = next(n for n, t in enumerate(titles) if t == "Agenda" and n > book_agenda[1][1] - 1)
    for words, target in _jumps(prs, slides[water_agenda]):
        assert titles[target - 1] == words and target > water_agenda + 1


def test_the_slide_number_check_fails_on_numbers_that_restart(monkeypatch, book_dir, tmp_path):
    import briefgen.render.book.deck as deck

    monkeypatch.setattr(deck, "_renumber", lambda slide, number: None)
    result = briefgen.build_book(book_dir / "trip.yaml", format="pptx", output_dir=tmp_path)
    assert slide_number_problems(result.files[0])


def test_the_deck_and_its_pdf_forms_hold_the_same_slides(built):
    files = built("formal")
    slides = len(Presentation(files["pptx"]).slides)
    assert len(pypdf.PdfReader(files["slides.pdf"]).pages) == slides
    assert len(pypdf.PdfReader(files["handout.pdf"]).pages) >= slides
    assert all(_marked_slides(files["pptx"], "CONFIDENTIAL"))


# -- the summaries ------------------------------------------------------------------------------------
def test_the_summary_has_a_page_per_briefing(built, parts):
    pdf = built("formal")["summary.pdf"]
    with pdfplumber.open(pdf) as doc:
        texts = [" ".join((page.extract_text() or "").split()) for page in doc.pages]
    assert len(texts) == len(parts)
    for text, part in zip(texts, parts):
        assert part.title in text and "CONFIDENTIAL" in text
    assert "Mexico delivers water from six tributaries" in texts[1]
    assert page_number_problems(pdf) == []


# -- print options ----------------------------------------------------------------------------------
def test_draft_and_cmyk_work_as_for_one_briefing(book_dir, tmp_path):
    result = briefgen.build_book(book_dir / "trip.yaml", output_dir=tmp_path, cmyk=True, draft=True, bleed=True)
    pdf, deck = result.files
    assert all(pages_saying(pdf, "DRAFT")) and all(slides_saying(deck, "DRAFT"))
    ops = colour_operators(pdf)
    assert not RGB_OPERATORS & set(ops), ops


# -- bad book files --------------------------------------------------------------------------------
def _run(*args) -> tuple[int, str]:
    from typer.testing import CliRunner

    from briefgen.cli import app

    res = CliRunner().invoke(app, list(args))
    assert "Traceback" not in res.output and "internal error" not in res.output, res.output
    return res.exit_code, res.output


def test_every_problem_of_a_book_is_reported_together_and_nothing_is_written(book_dir, tmp_path):
    broken = tmp_path / "broken"
    write_briefing(broken, WATER_META, {**WATER_SECTIONS, "funding": WATER_SECTIONS["funding"].replace(
        "facts:", "factz:")})
    book = tmp_path / "bad.yaml"
    book.write_text(f"title: Trip\nsubtitel: Book\nbriefings:\n  - briefing: us-mexico\n    preset: trde\n"
                    f"  - briefing: nowhere\n  - briefing: {broken}\n", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "bad.pdf").write_bytes(b"earlier")
    code, output = _run("book", str(book), "-o", str(out))
    assert code == 1
    lines = [line for line in output.splitlines() if line.startswith("error:")]
    assert len(lines) == 4, output
    assert re.search(r"bad\.yaml:2:1: subtitel: unknown key 'subtitel'; did you mean 'subtitle'\?", lines[0])
    assert re.search(r"bad\.yaml:5:\d+: briefings\[0\]\.preset: unknown preset 'trde'; did you mean 'trade'\?",
                     lines[1])
    assert re.search(r"bad\.yaml:6:\d+: briefings\[1\]\.briefing: no briefing 'nowhere'", lines[2])
    assert re.search(r"broken/sections/funding\.md:\d+(:\d+)?: factz: unknown key 'factz'", lines[3])
    assert sorted(p.name for p in out.iterdir()) == ["bad.pdf"] and (out / "bad.pdf").read_bytes() == b"earlier"


@pytest.mark.parametrize(("text", "expected"), [
    ("briefings:\n  - briefing: us-mexico\n", r"x\.yaml:1:1: title: required key 'title' is missing"),
    ("title: T\n", r"x\.yaml:1:1: briefings: required key 'briefings' is missing"),
    ("title: T\nbriefings: []\n", r"x\.yaml:2:\d+: briefings: .*at least 1"),
    ("title: T\nbriefings:\n  - briefing: us-mexico\n    preset: trade\n    sections: [overview]\n",
     r"x\.yaml:3:\d+: briefings\[0\]: give 'sections' or 'preset', not both"),
    ("title: T\nbriefings:\n  - briefing: us-mexico\n    sections: overview, nope\n",
     r"x\.yaml:4:\d+: briefings\[0\]\.sections: unknown section 'nope'"),
    ("title: T\nbriefings:\n  - briefing: us-mexico\n    exclude: [overview, economy, border, education, security, "
     "organizations, representation, further-information]\n",
     r"x\.yaml:4:\d+: briefings\[0\]\.exclude: the selection leaves no section to build"),
    ("title: T\nmarkings: [PUBLIC]\nbriefings:\n  - briefing: water\n",
     r"x\.yaml:2:\d+: markings: briefing 'water' is marked 'CONFIDENTIAL', which 'markings:' does not list"),
    ("title: [T]\nbriefings:\n  - briefing: us-mexico\n", r"x\.yaml:1:\d+: title: .*valid string"),
])
def test_a_bad_book_file_is_reported_with_its_line(text, expected, book_dir, tmp_path):
    book = book_dir / "x.yaml"
    book.write_text(text, encoding="utf-8")
    code, output = _run("book", str(book), "-o", str(tmp_path / "out"))
    assert code == 1, output
    assert re.search(expected, output), output
    assert not (tmp_path / "out").exists()


def test_sections_and_exclude_pick_as_on_the_command_line(book_dir, tmp_path):
    book = book_dir / "pick.yaml"
    book.write_text("title: T\nbriefings:\n  - briefing: water\n    exclude: treaty\n  - briefing: us-mexico\n"
                    "    preset: security\n    exclude: [border]\n", encoding="utf-8")
    result = briefgen.build_book(book, format="pdf", output_dir=tmp_path)
    assert [s.id for s in result.book.briefings[0].sections] == ["summary", "funding", "outlook"]
    assert [s.id for s in result.book.briefings[1].sections] == ["overview", "security"]
    assert result.files == [tmp_path / "pick.pdf"]


def test_the_command_writes_every_format_asked_for(book_dir, tmp_path):
    """From the command line the deck is written in a forked process beside the rest; what planning noticed is
    said once."""
    code, output = _run("book", str(book_dir / "trip.yaml"), "-o", str(tmp_path), "-f", "pdf,pptx,slides-pdf")
    assert code == 0, output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["trip.pdf", "trip.pptx", "trip.slides.pdf"]
    assert len(Presentation(tmp_path / "trip.pptx").slides) == len(pypdf.PdfReader(tmp_path / "trip.slides.pdf").pages)
    notes = [line for line in output.splitlines() if line.startswith("note:")]
    assert len(notes) == len(set(notes))


def test_the_book_command_takes_the_shared_build_options():
    import typer

    from briefgen.cli import app

    commands = typer.main.get_command(app).commands
    options = {name: {o for p in commands[name].params for o in p.opts if o.startswith("-")}
               for name in ("build", "book")}
    assert options["book"] <= options["build"]
    assert options["build"] - options["book"] == {"--all", "--jobs", "-j", "--pick", "--sections", "-s",
                                                  "--exclude", "-x", "--preset", "-p", "--output-file"}


@pytest.mark.parametrize("style", ["formal", "modern", "print"])
def test_the_book_is_a_tagged_pdf_the_checker_accepts(built, style):
    """Accessible by default, the book too: its cover, one contents and every briefing (pdfua finds nothing;
    an untagged PDF fails the same check in tests/test_accessibility.py)."""
    from test_accessibility import pdfua_findings

    assert pdfua_findings(built(style)["pdf"]) == []
