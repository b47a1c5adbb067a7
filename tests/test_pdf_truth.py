"""The PDF tells the truth: contents numbers, contents links and bookmarks open the page on which each
heading is printed, read back from the file (see tests/pdf_truth.py); and the checks fail on a PDF
that lies.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

import pytest

import briefgen
from briefgen.api import prepare
from pdf_truth import contents_entries, find_headings, lines_at_sizes, outline_pages, truth_problems

STYLES = ("formal", "modern", "print")
WORDS = ("trade border security migration energy water treaty investment commerce customs health "
         "education exchange cooperation agreement program bilateral dialogue regional partner "
         "infrastructure crossing port growth supply market labor standard policy review").split()


def long_briefing(folder: Path, count: int = 48, seed: int = 48) -> Path:
    """A briefing of ``count`` sections with fixed, varied text: short and long sections, key points on
    some, subheadings in some, so that headings fall at every height of a page and the contents runs
    over more than one page."""
    rng = random.Random(seed)
    (folder / "sections").mkdir(parents=True)
    ids = [f"s{n:02d}" for n in range(1, count + 1)]
    (folder / "briefing.yaml").write_text(
        "title: A Long Briefing\nissuer: Test Office\ndate: 2020-02-02\nsections: [" + ", ".join(ids) + "]\n",
        encoding="utf-8")

    def sentence(n: int) -> str:
        words = [rng.choice(WORDS) for _ in range(n)]
        return " ".join(words).capitalize() + "."

    for n, sid in enumerate(ids, start=1):
        title = f"{rng.choice(WORDS).capitalize()} and {rng.choice(WORDS)} {n}"
        front = [f"title: {title}"]
        if n % 3 == 0:
            front.append("key_points:")
            front += [f"  - {sentence(rng.randint(6, 14))}" for _ in range(rng.randint(2, 4))]
        body = []
        for p in range(rng.choice((1, 1, 2, 3, 5, 8))):
            body.append(" ".join(sentence(rng.randint(8, 18)) for _ in range(rng.randint(2, 6))))
            if n % 4 == 0 and p == 0:
                body.append(f"## Detail {n}")
        text = "---\n" + "\n".join(front) + "\n---\n\n" + "\n\n".join(body) + "\n"
        (folder / "sections" / f"{sid}.md").write_text(text, encoding="utf-8")
    return folder


CASES = {
    "default": dict(),
    "long": dict(briefing="long"),
    "selection": dict(sections="security,economy,border,representation"),
    "a4": dict(page_size="a4"),
    "bleed": dict(bleed=True),  # crop marks move the page's content: destinations move with it
}


@pytest.fixture(scope="module")
def long_folder(tmp_path_factory) -> Path:
    return long_briefing(tmp_path_factory.mktemp("long") / "long")


@dataclass
class Built:
    pdf: Path
    titles: list[str]  # section headings in order, then the sources heading
    subs: list[str]  # subsection headings in order
    theme: object


def _build(case: str, style: str, out: Path, long_folder: Path) -> Built:
    options = dict(CASES[case])
    ref = long_folder if options.pop("briefing", None) else None
    chosen, theme = prepare(ref, sections=options.get("sections"), style=style)
    result = briefgen.build(ref, format="pdf", style=style, output_dir=out, **options)
    titles = [s.title for s in chosen.sections] + ([chosen.labels["sources"]] if chosen.all_sources else [])
    subs = [text for s in chosen.sections for text in _subheadings(s)]
    return Built(result.files[0], titles, subs, theme)


@pytest.fixture(scope="module")
def built_pdf(tmp_path_factory, long_folder):
    """Each (case, style) built once for the module."""
    done: dict[tuple[str, str], Built] = {}

    def get(case: str, style: str) -> Built:
        if (case, style) not in done:
            done[case, style] = _build(case, style, tmp_path_factory.mktemp(f"{case}-{style}"), long_folder)
        return done[case, style]

    return get


def _subheadings(section) -> list[str]:
    from briefgen.model import Heading, plain, walk

    return [plain(b.runs) for b in walk(section.blocks) if isinstance(b, Heading)]


def _problems(built: Built) -> list[str]:
    t = built.theme.text
    return truth_problems(built.pdf, built.titles, t["h1"].size, built.subs, (t["h2"].size, t["h3"].size))


@pytest.mark.parametrize(("case", "style"), [(c, s) for c in sorted(CASES) for s in STYLES
                                              if c != "bleed" or s == "formal"])
def test_contents_links_and_bookmarks_open_the_page_each_heading_is_printed_on(case, style, built_pdf):
    built = built_pdf(case, style)
    assert _problems(built) == []
    entries = contents_entries(built.pdf)
    assert [e.text for e in entries[:len(built.titles)]] == built.titles
    outline = outline_pages(built.pdf)
    assert [o[0] for o in outline if o[1] == 0] == built.titles
    assert [o[0] for o in outline if o[1] == 1] == built.subs


@pytest.mark.parametrize("style", STYLES)
def test_the_long_briefing_has_a_contents_over_two_pages_and_headings_at_page_tops(style, built_pdf):
    """The 48-section case exercises what it is there for: a contents longer than a page, subsections, and
    headings that open a page (where a heading kept with what follows it lands)."""
    built = built_pdf("long", style)
    entries = contents_entries(built.pdf)
    assert {e.page for e in entries[:len(built.titles)]} == {1, 2}
    assert len(built.subs) >= 10
    h1 = built.theme.text["h1"]
    t = built.theme.text
    lines = lines_at_sizes(built.pdf, {t["h1"].size, t["h2"].size, t["h3"].size})[h1.size]
    page_top = max(line.top for line in lines)
    assert sum(1 for line in lines if line.top == page_top) >= 3


def test_a_heading_kept_with_its_panel_is_counted_on_the_page_it_moved_to(built_pdf):
    """The case reported: 'Education Exchange' does not fit under the Border section and opens page 5."""
    built = built_pdf("default", "formal")
    entry = next(e for e in contents_entries(built.pdf) if e.text == "Education Exchange")
    assert (entry.number, entry.link_page) == (5, 5)


@pytest.mark.parametrize("case", ["default", "long"])
def test_the_running_header_names_the_section_at_the_top_of_each_page(case, built_pdf):
    """The section a page opens with: the one whose heading is the page's first line, else the one whose
    heading came last before the page."""
    built = built_pdf(case, "formal")
    t = built.theme.text
    h1, small = t["h1"].size, t["header"].size
    lines = lines_at_sizes(built.pdf, {h1, t["h2"].size, t["h3"].size, small})
    headings = sorted((w.page, -w.top, title) for title, w in find_headings(lines[h1], built.titles).items())
    page_top = max(line.top for line in lines[h1])
    header: dict[int, str] = {}
    for line in lines[small]:
        if line.page not in header or line.top > header[line.page][0]:
            header[line.page] = (line.top, line.text)
    checked = 0
    for page in sorted(header):
        opening = [title for p, top, title in headings if p == page and -top == page_top]
        before = [title for p, _, title in headings if p < page]
        expected = opening[0] if opening else (before[-1] if before else None)
        if expected is None or page == 1:
            continue
        assert header[page][1].endswith(expected), (page, header[page][1], expected)
        checked += 1
    assert checked >= 6


def test_the_check_fails_on_a_contents_that_is_off_by_one(monkeypatch, tmp_path, long_folder):
    from briefgen.render.pdf.contents import Contents

    real = Contents.page_label
    monkeypatch.setattr(Contents, "page_label", lambda self, key: str(int(real(self, key)) + 1))
    built = _build("default", "formal", tmp_path, long_folder)
    problems = _problems(built)
    assert len([p for p in problems if "says page" in p]) == len(built.titles), problems


def test_the_check_fails_on_bookmarks_bound_to_the_first_page(monkeypatch, tmp_path, long_folder):
    """The fault this PDF had: destinations bound while pages were held all named the first page."""
    from reportlab.pdfgen.canvas import Canvas

    from briefgen.render.pdf.page import DeferredCanvas

    monkeypatch.setattr(DeferredCanvas, "bookmarkPage", Canvas.bookmarkPage)
    problems = _problems(_build("default", "formal", tmp_path, long_folder))
    assert any("outline: 'Education Exchange' opens page 1" in p for p in problems), problems
    assert any("link of 'Education Exchange' opens page 1" in p for p in problems), problems


# -- cross-references -------------------------------------------------------------------------------
CROSS = {
    "one": "---\ntitle: First Part\nkey_points: [\"The details are in [the second part](#two).\"]\n---\n"
           "Read [the second part](#two) and [the third part](#three).\n\n"
           "Pasted: [the report](/reports/a.html), [the page](page.html), [run me](javascript:alert(1)),\n"
           "[the file](file:///etc/passwd), [inline data](data:text/html,hi), [by ftp](ftp://example.org/x).\n",
    "two": "---\ntitle: Second Part\n---\n" + "Filler text for the second part. " * 150
           + "\n\nBack to [the first part](#one).\n",
    "three": "---\ntitle: Third Part\n---\nThe end.\n",
}


def _cross(tmp_path: Path) -> Path:
    folder = tmp_path / "cross"
    (folder / "sections").mkdir(parents=True)
    (folder / "briefing.yaml").write_text("title: Cross\nsections: [one, two, three]\n", encoding="utf-8")
    for sid, text in CROSS.items():
        (folder / "sections" / f"{sid}.md").write_text(text, encoding="utf-8")
    return folder


def pdf_links(pdf: Path) -> list[tuple[str, int | None, str | None]]:
    """Each link area of the PDF: (the words under it, the page an internal link opens, an external address)."""
    import pdfplumber
    import pypdf

    reader = pypdf.PdfReader(pdf)
    out = []
    with pdfplumber.open(pdf) as doc:
        for index, page in enumerate(reader.pages):
            for ref in page.get("/Annots") or []:
                annot = ref.get_object()
                if annot.get("/Subtype") != "/Link":
                    continue
                x0, y0, x1, y1 = (float(v) for v in annot["/Rect"])
                h = float(doc.pages[index].height)
                words = " ".join((doc.pages[index].crop((x0, h - y1, x1, h - y0), strict=False)
                                  .extract_text() or "").split())
                dest, action = annot.get("/Dest"), annot.get("/A")
                page_no = reader.get_page_number(dest[0].get_object()) + 1 if dest else None
                out.append((words, page_no, str(action["/URI"]) if action and "/URI" in action else None))
    return out


def _run(*args) -> tuple[int, str]:
    from typer.testing import CliRunner

    from briefgen.cli import app

    res = CliRunner().invoke(app, list(args))
    assert "Traceback" not in res.output and "internal error" not in res.output, res.output
    return res.exit_code, res.output


def test_a_link_to_a_section_in_the_build_opens_the_page_of_its_heading(tmp_path):
    folder = _cross(tmp_path)
    code, output = _run("build", str(folder), "-o", str(tmp_path / "out"))
    assert code == 0, output
    pdf = tmp_path / "out" / "cross.pdf"
    printed = find_headings(lines_at_sizes(pdf, [17.0])[17.0], ["Second Part", "First Part"])
    links = pdf_links(pdf)
    assert ("the second part", printed["Second Part"].page, None) in links
    assert ("the first part", printed["First Part"].page, None) in links
    assert printed["Second Part"].page != printed["First Part"].page  # the check can tell pages apart
    assert not [link for link in links if link[2] and not link[2].startswith(("http:", "https:", "mailto:"))]


def test_a_link_to_a_section_in_the_deck_jumps_to_the_sections_first_slide(tmp_path):
    from pptx import Presentation
    from pptx.opc.constants import RELATIONSHIP_TYPE as RT

    folder = _cross(tmp_path)
    assert _run("build", str(folder), "-o", str(tmp_path / "out"), "-f", "pptx", "-q")[0] == 0
    prs = Presentation(tmp_path / "out" / "cross.pptx")
    slides = list(prs.slides)

    def first_showing(title: str) -> int:
        return next(i for i, s in enumerate(slides)
                    if any(sh.has_text_frame and sh.text_frame.text.strip().startswith(title) for sh in s.shapes))

    jumps = []
    ns = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
    rel_id = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    for i, slide in enumerate(slides):
        for link in slide._element.iter(ns + "hlinkClick"):
            rel = slide.part.rels[link.get(rel_id)]
            assert rel.reltype != RT.HYPERLINK or rel.target_ref.startswith(("http:", "https:", "mailto:"))
            if link.get("action") == "ppaction://hlinksldjump":
                target = next(j for j, s in enumerate(slides) if s.part is rel.target_part)
                jumps.append((link.getparent().getparent().findtext(ns + "t"), target))
    assert ("the second part", first_showing("Second Part")) in jumps


def test_a_link_to_a_section_left_out_is_plain_text_with_a_note(tmp_path):
    folder = _cross(tmp_path)
    code, output = _run("build", str(folder), "-o", str(tmp_path / "out"), "--exclude", "two")
    assert code == 0, output
    notes = [line for line in output.splitlines() if line.startswith("note: ")]
    assert any("one.md:3: link to section 'two' kept as plain text" in n for n in notes), output
    assert any("one.md:5: link to section 'two' kept as plain text" in n for n in notes), output
    pdf = next((tmp_path / "out").glob("*.pdf"))
    words = [w for w, _, _ in pdf_links(pdf)]
    assert "the second part" not in words and "the third part" in words
    import pypdf

    assert "Read the second part and the third part." in " ".join(
        " ".join(p.extract_text().split()) for p in pypdf.PdfReader(pdf).pages)


def test_a_link_to_no_section_is_a_content_error_with_file_and_line(tmp_path):
    folder = _cross(tmp_path)
    (folder / "sections" / "three.md").write_text("---\ntitle: Third Part\n---\n\nSee [it](#fourth).\n")
    for command in (["check", str(folder)], ["build", str(folder), "-o", str(tmp_path / "out")]):
        code, output = _run(*command)
        assert code == 1
        assert output.strip().splitlines() == [
            f"error: {folder / 'sections' / 'three.md'}:5: link: link to '#fourth': there is no section 'fourth' "
            "(sections: one, two, three)"], output
    assert not (tmp_path / "out").exists()


def test_unusable_link_targets_keep_their_words_as_plain_text_with_a_note(tmp_path):
    folder = _cross(tmp_path)
    code, output = _run("build", str(folder), "-o", str(tmp_path / "out"))
    assert code == 0, output
    for target in ("/reports/a.html", "page.html", "javascript:alert(1)", "file:///etc/passwd",
                   "data:text/html,hi", "ftp://example.org/x"):
        assert f"one.md:7: link to '{target}' kept as plain text" in output, target
    pdf = tmp_path / "out" / "cross.pdf"
    words = [w for w, _, _ in pdf_links(pdf)]
    for kept in ("the report", "the page", "run me", "the file", "inline data", "by ftp"):
        assert kept not in words
    import pypdf

    text = " ".join(" ".join(p.extract_text().split()) for p in pypdf.PdfReader(pdf).pages)
    assert "Pasted: the report, the page, run me, the file, inline data, by ftp." in text
    code, output = _run("check", str(folder))
    assert code == 0 and "note: " in output and "javascript:alert(1)" in output


def test_the_link_check_fails_on_links_bound_to_the_first_page(monkeypatch, tmp_path):
    from reportlab.pdfgen.canvas import Canvas

    from briefgen.render.pdf.page import DeferredCanvas

    monkeypatch.setattr(DeferredCanvas, "bookmarkPage", Canvas.bookmarkPage)
    briefgen.build(_cross(tmp_path), format="pdf", output_dir=tmp_path / "out", cache=False)
    pdf = tmp_path / "out" / "cross.pdf"
    printed = find_headings(lines_at_sizes(pdf, [17.0])[17.0], ["Second Part"])
    assert ("the second part", printed["Second Part"].page, None) not in pdf_links(pdf)


# -- CMYK ------------------------------------------------------------------------------------------
def colour_operators(pdf: Path) -> dict[str, int]:
    """How often each colour operator is used in the PDF's content streams (pages and the forms they draw)."""
    import pypdf
    from pypdf.generic import ContentStream

    reader = pypdf.PdfReader(pdf)
    count: dict[str, int] = {}
    seen: set[int] = set()

    def visit(stream, resources):
        for _operands, op in ContentStream(stream, reader).operations:
            name = op.decode("latin-1")
            if name in ("rg", "RG", "g", "G", "k", "K", "sc", "SC", "scn", "SCN", "cs", "CS"):
                count[name] = count.get(name, 0) + 1
        for ref in ((resources or {}).get("/XObject") or {}).values():
            form = ref.get_object()
            if form.get("/Subtype") == "/Form" and id(form) not in seen:
                seen.add(id(form))
                visit(form, form.get("/Resources"))

    for page in reader.pages:
        visit(page.get_contents(), page.get("/Resources"))
    return count


RGB_OPERATORS = {"rg", "RG", "g", "G"}


@pytest.mark.parametrize("style", STYLES)
def test_cmyk_sets_every_colour_in_cmyk(style, tmp_path):
    """Text, rules, panels, charts and reportlab's own default black: no RGB or grey operator is left."""
    rich = _rich(tmp_path)
    for ref in (None, rich):
        result = briefgen.build(ref, format="pdf", style=style, cmyk=True, draft=True, bleed=True,
                                output_dir=tmp_path / "out")
        ops = colour_operators(result.files[0])
        assert not RGB_OPERATORS & set(ops), ops
        assert ops.get("k", 0) > 50 and ops.get("K", 0) > 10


def test_the_cmyk_check_fails_on_an_rgb_pdf(tmp_path):
    result = briefgen.build(format="pdf", output_dir=tmp_path)
    assert RGB_OPERATORS & set(colour_operators(result.files[0]))


def _rich(tmp_path: Path) -> Path:
    """Every kind of block and chart, for the colour checks."""
    folder = tmp_path / "rich"
    (folder / "sections").mkdir(parents=True)
    (folder / "briefing.yaml").write_text("title: Rich\nsections: [a, b, c, d]\nsources: [{title: S, url: "
                                          "'https://example.org'}]\n", encoding="utf-8")
    charts = {"a": ("bar", 2), "b": ("column", 1), "c": ("line", 2), "d": ("pie", 1)}
    for sid, (kind, series) in charts.items():
        lines = [f"    - {{name: S{n}, values: [3, 4, 5]}}" for n in range(series)]
        (folder / "sections" / f"{sid}.md").write_text(
            f"---\ntitle: Part {sid}\nkey_points: [One, Two]\nfacts: [{{value: '1', label: one}}]\nchart:\n"
            f"  type: {kind}\n  title: A {kind} chart\n  unit: n\n  categories: [x, y, z]\n  series:\n"
            + "\n".join(lines) + "\n---\nText with a [link](https://example.org).\n\n> A quote.\n\n"
            "| a | b |\n|---|--:|\n| x | 1 |\n| y | 2 |\n| z | 3 |\n\n```\ncode\n```\n", encoding="utf-8")
    return folder


# -- DRAFT -----------------------------------------------------------------------------------------
def pages_saying(pdf: Path, word: str) -> list[bool]:
    """For each page, whether pdftotext (a real client) finds ``word`` on it."""
    import subprocess

    from conftest import need

    pages = len(__import__("pypdf").PdfReader(pdf).pages)
    return [word in subprocess.run([need("pdftotext"), "-f", str(n), "-l", str(n), str(pdf), "-"],
                                   capture_output=True, text=True, timeout=60).stdout for n in range(1, pages + 1)]


def slides_saying(deck: Path, word: str) -> list[bool]:
    """For each slide, whether python-pptx reads a shape whose text is ``word``, drawn last (over the rest)."""
    from pptx import Presentation

    out = []
    for slide in Presentation(deck).slides:
        shapes = list(slide.shapes)
        out.append(bool(shapes) and shapes[-1].has_text_frame and shapes[-1].text_frame.text == word)
    return out


@pytest.mark.parametrize("style", STYLES)
def test_draft_marks_every_page_and_every_slide(style, tmp_path):
    result = briefgen.build(style=style, draft=True, output_dir=tmp_path)
    files = {p.suffix: p for p in result.files}
    assert all(pages_saying(files[".pdf"], "DRAFT"))
    assert all(slides_saying(files[".pptx"], "DRAFT"))


def test_the_draft_mark_is_drawn_over_the_page(tmp_path):
    """The DRAFT letters are the last text on each page (over the contents and the body, not beneath)."""
    import pdfplumber

    result = briefgen.build(format="pdf", draft=True, output_dir=tmp_path)
    with pdfplumber.open(result.files[0]) as doc:
        for page in doc.pages:
            assert "".join(c["text"] for c in page.chars[-5:]) == "DRAFT"
            assert all(abs(c["matrix"][1]) > 0.5 for c in page.chars[-5:])  # set diagonally


def test_the_draft_checks_fail_without_draft(tmp_path):
    result = briefgen.build(output_dir=tmp_path)
    files = {p.suffix: p for p in result.files}
    assert not any(pages_saying(files[".pdf"], "DRAFT"))
    assert not any(slides_saying(files[".pptx"], "DRAFT"))


def test_a_quote_inside_a_list_item_is_printed_indented(tmp_path):
    """No input reaches an internal error: a quote in a list item cannot move the frame's edge (which
    crashed), so its paragraphs are indented themselves."""
    import pdfplumber

    folder = tmp_path / "q"
    (folder / "sections").mkdir(parents=True)
    (folder / "briefing.yaml").write_text("title: T\nsections: [a]\n", encoding="utf-8")
    (folder / "sections" / "a.md").write_text(
        "---\ntitle: A\n---\n- An item with a quote:\n  > Quoted words inside the item\n  >\n"
        "  > > and a quote in the quote\n- Another item\n", encoding="utf-8")
    code, output = _run("build", str(folder), "-o", str(tmp_path / "out"), "-f", "pdf", "-q")
    assert code == 0, output
    with pdfplumber.open(tmp_path / "out" / "q.pdf") as doc:
        words = doc.pages[0].extract_words()
    x = {w["text"]: w["x0"] for w in words}
    assert x["An"] < x["Quoted"] < x["and"]
