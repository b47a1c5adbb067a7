"""``briefgen import``: documents in four formats into briefing folders that say exactly what the documents say.

Two documents: the State Department fact sheet the default briefing was made
from (``content/us-mexico/source.txt``; Markdown, HTML and Word versions are
generated here from its text), on which the readers were tuned, and a fictional
fact sheet kept in ``tests/documents/`` in each format, written for these tests.
"""

from __future__ import annotations

import html
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

import briefgen
from briefgen.cli import app
from briefgen.model import BulletList, Heading, Paragraph, Table, plain

from conftest import ROOT, SOURCE, source_sentences, squash

SEED_HEADINGS = ["Bilateral Economic Issues", "U.S.-Mexico Border", "Education Exchange",
                 "U.S. Security Cooperation with Mexico", "Mexico's Membership in International Organizations",
                 "Bilateral Representation"]
DOCUMENTS = ROOT / "tests" / "documents"
WATER_TEXT = DOCUMENTS / "water-cooperation.txt"
WATER_HEADINGS = ["Shared Basins and Monitoring", "Funding and Projects", "Drought Preparedness",
                  "Training and Exchanges", "Contacts and Further Reading"]
WATER_TABLE = [["Basin", "Monitoring stations", "Main use of water"], ["Lower Tavra", "52", "Drinking water"],
               ["Upper Tavra", "31", "Irrigation"], ["Mirel Valley", "23", "Irrigation"],
               ["Osk Aquifer", "12", "Drinking water"]]
FORMATS = ["txt", "md", "html", "docx"]


# -- the seed in other formats, made from its text ------------------------------------------------------
def seed_parts() -> tuple[str, list[str], list[tuple[str, object]]]:
    """The seed's title, its title-block lines, and its body as ("h", heading), ("p", text), ("list", lines)."""
    chunks = [c.strip() for c in SOURCE.read_text(encoding="utf-8").split("\n\n") if c.strip()]
    title, head = chunks[0], chunks[1].split("\n")
    body: list[tuple[str, object]] = []
    for chunk in chunks[2:]:
        if chunk in SEED_HEADINGS:
            body.append(("h", chunk))
        elif "\n" in chunk:
            body.append(("list", chunk.split("\n")))
        else:
            body.append(("p", chunk))
    return title, head, body


def seed_markdown() -> str:
    title, head, body = seed_parts()
    out = [f"# {title}", "\n".join(head)]
    for kind, value in body:
        if kind == "h":
            out.append(f"## {value}")
        elif kind == "list":
            out.append("\n".join(f"- {x}" for x in value))
        else:
            out.append(value)
    return "\n\n".join(out) + "\n"


def seed_html() -> str:
    """The seed as a saved web page, with the navigation, banner, sidebar and footer a real page has."""
    title, head, body = seed_parts()
    e = html.escape
    main = [f"<h1>{e(title)}</h1>", f'<p class="bureau">{e(head[0])}</p>', f"<p>{e(head[1])}</p>",
            f'<p><time datetime="2018-04-01">{e(head[2])}</time></p>']
    for kind, value in body:
        if kind == "h":
            main.append(f"<h2>{e(value)}</h2>")
        elif kind == "list":
            main.append("<ul>" + "".join(f"<li><a href='/related/{i}'>{e(x)}</a></li>" for i, x in enumerate(value))
                        + "</ul>")
        else:
            main.append(f"<p>{e(value)}</p>")
    return ("<!DOCTYPE html><html><head><meta charset='utf-8'><title>" + e(title) + " - Site</title>"
            "<style>p { margin: 0 }</style><script>var menu = 'Skip to main content';</script></head><body>"
            "<header><a href='/'>Department Home</a><nav><ul><li><a href='/a'>Countries and Areas</a></li>"
            "<li><a href='/b'>Subscribe to Updates</a></li></ul></nav></header>"
            "<main><article>" + "\n".join(main) + "</article></main>"
            "<aside><h2>Related Articles</h2><p>Read more about the region.</p></aside>"
            "<footer><p>Privacy Policy and Disclaimers</p></footer></body></html>")


def seed_docx(path: Path) -> None:
    import docx

    title, head, body = seed_parts()
    d = docx.Document()
    d.add_heading(title, 0)
    for line in head:
        d.add_paragraph(line)
    for kind, value in body:
        if kind == "h":
            d.add_heading(value, 1)
        elif kind == "list":
            for x in value:
                d.add_paragraph(x, style="List Bullet")
        else:
            d.add_paragraph(value)
    d.save(str(path))


# -- one import and build per document and format --------------------------------------------------------
@dataclass
class Imported:
    doc: str
    fmt: str
    folder: Path
    briefing: object
    pdf: Path
    pptx: Path
    sentences: list[str]
    source: str  # the document's words, as plain text
    headings: list[str]


def _make_source(doc: str, fmt: str, where: Path) -> Path:
    if doc == "water":
        return DOCUMENTS / f"water-cooperation.{fmt}"
    if fmt == "txt":
        return SOURCE
    path = where / f"us-mexico-fact-sheet.{fmt}"
    if fmt == "md":
        path.write_text(seed_markdown(), encoding="utf-8")
    elif fmt == "html":
        path.write_text(seed_html(), encoding="utf-8")
    else:
        seed_docx(path)
    return path


CASES = [(d, f) for d in ("seed", "water") for f in FORMATS]


def _only(cases):
    """Run a test on some of the imports only."""
    return pytest.mark.parametrize("imported", cases, indirect=True, ids=[f"{d}-{f}" for d, f in cases])


@pytest.fixture(scope="module", params=CASES, ids=[f"{d}-{f}" for d, f in CASES])
def imported(request, tmp_path_factory) -> Imported:
    from briefgen.importing import import_document

    doc, fmt = request.param
    where = tmp_path_factory.mktemp(f"{doc}-{fmt}")
    source = _make_source(doc, fmt, where)
    folder = import_document(source, content_dir=where / "content")
    result = briefgen.build(folder, output_dir=where / "out")
    files = {p.suffix: p for p in result.files}
    text_version = SOURCE if doc == "seed" else WATER_TEXT
    return Imported(doc, fmt, folder, briefgen.load_briefing(folder), files[".pdf"], files[".pptx"],
                    source_sentences(text_version), text_version.read_text(encoding="utf-8"),
                    SEED_HEADINGS if doc == "seed" else WATER_HEADINGS)


def model_text(briefing) -> str:
    parts = [briefing.title, briefing.subtitle or "", briefing.issuer or "", briefing.date_text]
    for s in briefing.sections:
        parts.append(s.title)
        parts.extend(_texts(s.blocks))
    return squash(" ".join(parts))


def _texts(blocks):
    for b in blocks:
        if isinstance(b, (Paragraph, Heading)):
            yield plain(b.runs)
        elif isinstance(b, BulletList):
            for item in b.items:
                yield from _texts(item.blocks)
        elif isinstance(b, Table):
            yield " ".join(plain(c) for c in b.header)
            for row in b.rows:
                yield " ".join(plain(c) for c in row)


def pdf_body_text(pdf: Path) -> str:
    """The text inside the page frame of every page (running header and footer left out)."""
    import pdfplumber

    from briefgen.load.style import load_theme

    m = load_theme("formal").margins
    parts = []
    with pdfplumber.open(pdf) as doc:
        for page in doc.pages:
            box = (m["left"] - 2, m["top"] - 2, page.width - m["right"] + 2, page.height - m["bottom"] + 2)
            parts.append(page.crop(box).extract_text() or "")
    return squash(" ".join(parts))


# -- what every import must do ---------------------------------------------------------------------------------
def test_the_headings_become_the_sections_after_an_overview(imported):
    b = imported.briefing
    assert [s.title for s in b.sections] == ["Overview"] + imported.headings
    assert b.sections[0].id == "overview"
    assert len({s.id for s in b.sections}) == len(b.sections)


def test_title_issuer_document_type_and_date_are_read(imported):
    b = imported.briefing
    if imported.doc == "seed":
        assert (b.title, b.issuer, b.subtitle, b.date_text) == (
            "U.S. Relations With Mexico", "Bureau of Western Hemisphere Affairs", "Fact Sheet", "April 1, 2018")
        assert b.id == "us-relations-with-mexico"
    else:
        assert (b.title, b.issuer, b.subtitle, b.date_text) == (
            "The Avaria–Corventa Water Partnership", "Office of Transboundary Water Affairs", "Fact Sheet",
            "March 3, 2023")
        assert b.id == "the-avaria-corventa-water-partnership"


def test_every_sentence_of_the_document_stands_verbatim_in_the_briefing(imported):
    text = model_text(imported.briefing)
    assert len(imported.sentences) > 25
    missing = [s for s in imported.sentences if squash(s) not in text]
    assert missing == []


def test_every_sentence_is_printed_in_the_pdf_in_order(imported):
    text = pdf_body_text(imported.pdf)
    pos = 0
    for sentence in imported.sentences[4:]:  # after the title block, which the cover prints
        found = text.find(squash(sentence), pos)
        assert found >= 0, f"not found in order: {sentence!r}"
        pos = found


def test_the_deck_is_written_with_a_slide_for_each_section(imported):
    from pptx import Presentation

    deck = Presentation(str(imported.pptx))
    titles = " ".join(sh.text_frame.text for slide in deck.slides for sh in slide.shapes if sh.has_text_frame)
    assert len(deck.slides) > len(imported.briefing.sections)
    for heading in imported.headings:
        assert heading in titles


def test_key_points_are_lead_sentences_of_the_document_as_written(imported):
    source = squash(imported.source)
    total = 0
    for s in imported.briefing.sections:
        assert len(s.key_points) <= 5
        for kp in s.key_points:
            assert squash(plain(kp)) in source, plain(kp)
            lead_of_a_paragraph = any(isinstance(b, Paragraph) and plain(b.runs).startswith(plain(kp))
                                      for b in s.blocks)
            assert lead_of_a_paragraph, plain(kp)
        total += len(s.key_points)
    assert total >= len(imported.headings)


def test_facts_and_charts_are_left_with_the_figures_listed_as_candidates(imported):
    for s in imported.briefing.sections:
        assert s.facts == () and s.chart is None
    money = "$623 billion" if imported.doc == "seed" else "$212 million"
    sid = "bilateral-economic-issues" if imported.doc == "seed" else "funding-and-projects"
    text = (imported.folder / "sections" / f"{sid}.md").read_text(encoding="utf-8")
    front = text.split("\n---\n", 1)[0]
    assert re.search(rf"^#\s+{re.escape(money)}\s", front, re.M), front


def test_the_trailing_list_is_a_list(imported):
    last = imported.briefing.sections[-1]
    lists = [b for b in last.blocks if isinstance(b, BulletList)]
    assert len(lists) == 1
    assert len(lists[0].items) == (20 if imported.doc == "seed" else 5)


@_only([("seed", f) for f in FORMATS[1:]])
def test_the_same_document_gives_the_same_briefing_text_in_every_format(imported):
    """The seed's versions differ only in markup, so every format must give the same sections and key points."""
    from briefgen.importing import import_document

    reference = briefgen.load_briefing(import_document(SOURCE, content_dir=imported.folder.parent.parent / "ref"))
    assert [(s.id, s.title) for s in imported.briefing.sections] == [(s.id, s.title) for s in reference.sections]
    assert [[plain(k) for k in s.key_points] for s in imported.briefing.sections] == \
        [[plain(k) for k in s.key_points] for s in reference.sections]


@_only([("water", f) for f in FORMATS[1:]])
def test_tables_links_and_emphasis_survive_where_the_format_has_them(imported):
    section = imported.briefing.section("shared-basins-and-monitoring")
    tables = [b for b in section.blocks if isinstance(b, Table)]
    assert len(tables) == 1
    t = tables[0]
    assert [[plain(c) for c in t.header]] + [[plain(c) for c in r] for r in t.rows] == WATER_TABLE
    runs = [r for b in section.blocks if isinstance(b, Paragraph) for r in b.runs]
    assert any(r.href == "https://example.org/water-portal" and r.text == "common portal" for r in runs)
    assert any(r.bold and r.text == "118 joint monitoring stations" for r in runs)


@_only([("seed", "html"), ("water", "html")])
def test_page_chrome_is_left_out_of_an_html_import(imported):
    text = model_text(imported.briefing)
    chrome = ["Department Home", "Countries and Areas", "Skip to main content", "Related Articles",
              "Privacy Policy", "Transboundary Water Affairs Portal", "Fact Sheets >", "Back to top",
              "Related fact sheets", "analytics", "font-family"]
    assert [c for c in chrome if c in text] == []
    if imported.doc == "water":
        assert imported.briefing.sources[0].url == "https://example.org/fact-sheets/water-partnership"


# -- markup in the words stays words ------------------------------------------------------------------------
TRICKY = [
    "1. Not a numbered list, and 2) not one either.",
    "- Not a bullet.",
    "+ Nor this.",
    "# Not a heading #",
    "> Not a quote.",
    "**Not bold** and *not italic* and _not either_ and ~~not struck~~.",
    "Template syntax {{ not_a_variable }} and {% if x %} and {# not a comment #} print as typed.",
    "Braces {{{ three }}} and {{{{ four }}}} and a lone { or } too.",
    "<b>Tags</b> and <https://example.org> and &amp; stay as typed.",
    "A | pipe, a `backtick`, a [bracket](link) and a back\\slash\\ at the end\\",
    "---",
    "===",
    "2018. A year first.",
    "Percent 50% and dollar $5 and hash #tag and at @name.",
    "Trailing spaces and a tab\tinside.",
]


def test_markdown_and_template_characters_in_the_document_print_as_written(tmp_path):
    from briefgen.importing.document import Document, Heading as DHeading, ListBlock, ListItem, Section, Span
    from briefgen.importing.document import Paragraph as DParagraph, Table as DTable
    from briefgen.importing.writer import write_briefing

    words = [" ".join(t.split()) for t in TRICKY]
    doc = Document(
        title="A {{ Title }} With *Stars*", issuer="Issuer {% here %}", subtitle="{#", kind="test",
        sections=[Section("Section {# One #}", [DParagraph([Span(t)]) for t in TRICKY] + [
            DHeading(1, "# {{ sub }} heading"),
            ListBlock([ListItem([Span(t)]) for t in TRICKY]),
            DTable([[[Span(t)] for t in TRICKY[:5]], [[Span(t)] for t in TRICKY[5:10]]]),
            DParagraph([Span("Bold ", bold=True), Span("{{ x }}", italic=True),
                        Span(" linked", href="https://example.org/a_(b)"), Span("\n- after a break")]),
            DParagraph([Span("Split {"), Span("{ where a relative link is dropped", href="/page")]),
        ])])
    folder = write_briefing(doc, tmp_path / "content" / "tricky", source_name="tricky.txt")
    b = briefgen.load_briefing(folder)
    assert (b.title, b.issuer, b.subtitle) == ("A {{ Title }} With *Stars*", "Issuer {% here %}", "{#")
    (s,) = b.sections
    assert s.title == "Section {# One #}"
    paragraphs = [plain(p.runs) for p in s.blocks if isinstance(p, Paragraph)]
    assert [squash(x) for x in paragraphs[:-2]] == words
    assert paragraphs[-2:] == ["Bold {{ x }} linked\n- after a break", "Split {{ where a relative link is dropped"]
    assert [plain(h.runs) for h in s.blocks if isinstance(h, Heading)] == ["# {{ sub }} heading"]
    (lst,) = [x for x in s.blocks if isinstance(x, BulletList)]
    assert [squash(plain(i.blocks[0].runs)) for i in lst.items] == words
    (table,) = [x for x in s.blocks if isinstance(x, Table)]
    assert [plain(c) for c in table.header] == words[:5] and [plain(c) for c in table.rows[0]] == words[5:10]
    assert all(plain(k) in words for k in s.key_points) and s.key_points


def test_a_hard_wrapped_text_file_gives_whole_paragraphs_and_marked_lists(tmp_path):
    from briefgen.importing import import_document

    src = tmp_path / "wrapped.txt"
    src.write_text(
        "Wrapped Notes\n\nA first paragraph that was wrapped by an editor at a fixed\n"
        "width, so that its lines run on, one into the next, until the\nparagraph ends.\n\n"
        "Details\n\nItems that follow:\n- apples from the north\n- pears\n* plums\n\n"
        "Short line one\n\nShort line two\n\nShort line three\n", encoding="utf-8")
    b = briefgen.load_briefing(import_document(src, content_dir=tmp_path / "c"))
    assert [s.title for s in b.sections] == ["Overview", "Details"]
    (para,) = b.sections[0].blocks
    assert plain(para.runs) == ("A first paragraph that was wrapped by an editor at a fixed width, so that its "
                                "lines run on, one into the next, until the paragraph ends.")
    kinds = [type(x).__name__ for x in b.sections[1].blocks]
    assert kinds == ["Paragraph", "BulletList"]
    items = [plain(i.blocks[0].runs) for i in b.sections[1].blocks[1].items]
    assert items == ["apples from the north", "pears", "plums", "Short line one", "Short line two",
                     "Short line three"]


def _section_markdown(folder: Path, sid: str) -> str:
    return (folder / "sections" / f"{sid}.md").read_text(encoding="utf-8").split("\n---\n", 1)[1]


def test_word_lists_keep_their_numbering_and_nesting_and_a_banner_is_the_marking(tmp_path):
    import docx

    from briefgen.importing import import_document

    d = docx.Document()
    d.add_paragraph("UNCLASSIFIED")
    d.add_heading("Word Lists", 0)
    d.add_paragraph("12 March 2020")
    d.add_heading("Steps", 1)
    d.add_paragraph("Step one", style="List Number")
    d.add_paragraph("Step two", style="List Number")
    d.add_paragraph("A point under step two", style="List Bullet 2")
    d.add_paragraph("Step three", style="List Number")
    t = d.add_table(rows=2, cols=3)
    t.cell(0, 0).merge(t.cell(0, 1)).text = "Wide"
    t.cell(0, 2).text = "Right"
    for i, x in enumerate("abc"):
        t.cell(1, i).text = x
    src = tmp_path / "lists.docx"
    d.save(str(src))
    folder = import_document(src, content_dir=tmp_path / "c")
    b = briefgen.load_briefing(folder)
    assert (b.title, b.marking, b.date_text) == ("Word Lists", "UNCLASSIFIED", "March 12, 2020")
    assert "1. Step one\n2. Step two\n   - A point under step two\n3. Step three" in _section_markdown(folder, "steps")
    (table,) = [x for x in b.sections[0].blocks if isinstance(x, Table)]
    assert [plain(c) for c in table.header] == ["Wide", "", "Right"]


def test_nested_markup_keeps_words_apart_and_lists_their_kind(tmp_path):
    from briefgen.importing import import_document

    md = tmp_path / "nested.md"
    md.write_text("# Nested\n\nAn ![picture](p.png) between words.\n\n1. first\n   - inner\n2. second\n",
                  encoding="utf-8")
    folder = import_document(md, content_dir=tmp_path / "c")
    body = _section_markdown(folder, "overview")
    assert "An between words." in body
    assert "1. first\n   - inner\n2. second" in body
    page = tmp_path / "nested.html"
    page.write_text("<h1>Cells</h1><table><tr><th>A</th><th>B</th></tr><tr><td>x<table><tr><td>inner</td></tr>"
                    "</table></td><td>y</td></tr></table>", encoding="utf-8")
    b = briefgen.load_briefing(import_document(page, content_dir=tmp_path / "c"))
    (table,) = b.sections[0].blocks
    assert [plain(c) for c in table.rows[0]] == ["x inner", "y"]


def test_an_html_page_in_a_declared_legacy_encoding_is_decoded(tmp_path):
    from briefgen.importing import import_document

    src = tmp_path / "legacy.html"
    src.write_bytes("<html><head><meta charset='windows-1252'></head><body><h1>Caf\u00e9 Notes</h1>"
                    "<p>The caf\u00e9 opened in 1998 \u2013 on a Monday.</p></body></html>".encode("cp1252"))
    b = briefgen.load_briefing(import_document(src, content_dir=tmp_path / "c"))
    assert b.title == "Caf\u00e9 Notes"
    assert plain(b.sections[0].blocks[0].runs) == "The caf\u00e9 opened in 1998 \u2013 on a Monday."


# -- the command line and bad input ---------------------------------------------------------------------------
runner = CliRunner()


def _empty_zip(path: Path) -> bytes:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("hello.txt", "not a Word document")
    return path.read_bytes()


BAD = [
    ("empty.txt", b"", "the file is empty"),
    ("blank.md", b" \n\n\t\n", "the file is empty"),
    ("binary.txt", bytes(range(256)) * 4, "binary"),
    ("picture.html", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "binary"),
    ("latin1.txt", "Caf\u00e9 society\n\nNotes.".encode("latin-1"), "not UTF-8"),
    ("report.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", "cannot import '.pdf' files"),
    ("README", b"Some text\n", "cannot import files without an extension"),
    ("broken.docx", b"This is a text file with the wrong extension.\n", "not a Word .docx file"),
    ("old.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "older .doc"),
    ("nodoc.docx", None, "not a readable Word .docx file"),
    ("missing.txt", "absent", "no such file"),
]


@pytest.mark.parametrize("name, data, expected", BAD, ids=[b[0] for b in BAD])
def test_bad_input_is_one_line_exit_1_and_writes_nothing(tmp_path, name, data, expected):
    src = tmp_path / name
    if data is None:
        _empty_zip(src)
    elif data != "absent":
        src.write_bytes(data)
    content = tmp_path / "content"
    res = runner.invoke(app, ["import", str(src), "--content-dir", str(content)])
    assert res.exit_code == 1, res.output
    lines = res.output.strip().splitlines()
    assert len(lines) == 1, res.output
    assert lines[0].startswith("error: ") and name in lines[0] and expected in lines[0], lines[0]
    assert "Traceback" not in res.output
    assert not content.exists() or list(content.iterdir()) == []


def test_an_existing_briefing_is_kept_unless_forced(tmp_path):
    content = tmp_path / "content"
    src = DOCUMENTS / "water-cooperation.md"
    args = ["import", str(src), "--id", "water", "--content-dir", str(content)]
    res = runner.invoke(app, args)
    assert res.exit_code == 0, res.output
    assert "water" in res.output
    folder = content / "water"
    overview = folder / "sections" / "overview.md"
    overview.write_text(overview.read_text(encoding="utf-8") + "\nMy own edit.\n", encoding="utf-8")
    before = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}

    res = runner.invoke(app, args)
    assert res.exit_code == 1
    lines = res.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and "already exists" in lines[0] and "--force" in lines[0]
    assert {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()} == before

    res = runner.invoke(app, args + ["--force"])
    assert res.exit_code == 0, res.output
    assert "My own edit." not in overview.read_text(encoding="utf-8")
    assert sorted(p.name for p in content.iterdir()) == ["water"]  # no temporary folder left behind


def test_a_malformed_id_is_a_usage_error(tmp_path):
    res = runner.invoke(app, ["import", str(DOCUMENTS / "water-cooperation.txt"), "--id", "Water Plan",
                              "--content-dir", str(tmp_path / "c")])
    assert res.exit_code == 2
    assert res.output.startswith("error: ") and "--id" in res.output
    assert not (tmp_path / "c").exists()


def test_the_imported_briefing_passes_check_from_the_command_line(tmp_path):
    content = tmp_path / "content"
    assert runner.invoke(app, ["import", str(SOURCE), "--id", "mx", "--content-dir", str(content)]).exit_code == 0
    res = runner.invoke(app, ["check", "mx", "--content-dir", str(content)])
    assert res.exit_code == 0, res.output
    assert res.output.startswith("ok: mx: 7 sections")
