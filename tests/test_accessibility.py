"""Accessible by default: tagged PDFs (PDF/UA-1) for the briefing, the summary and the slides PDF, and a deck
whose slides have titles, alt text, header rows, a language and readable colours.

The PDFs are read back with two independent readers: the checker ``pdfua`` (pikepdf), and this file's
own walk of the structure tree (pikepdf) whose marked content is given its text by pdfplumber, which reads
the page content on its own. Every check here is shown to fail on an untagged or damaged PDF."""

from __future__ import annotations

import dataclasses
import re
import textwrap
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pdfplumber
import pikepdf
import pytest
from pdfua import validate
from pptx import Presentation
from pptx.oxml.ns import qn

import briefgen
from briefgen.api import prepare
from briefgen.load.fonts import metrics
from briefgen.load.style import load_theme
from briefgen.render.pdf import PdfOptions, render_pdf
from briefgen.render.plan import FURNITURE, TITLE, ChartBox, TextBox
from briefgen.render.slides import plan_slides

from conftest import ROOT

STYLES = ("formal", "modern", "print")
TEXT_OPERATORS = {"Tj", "TJ", "'", '"'}
PAINT_OPERATORS = TEXT_OPERATORS | {"Do", "f", "F", "f*", "S", "s", "B", "B*", "b", "b*", "sh"}


# -- a briefing holding every kind of block -----------------------------------------------------------
def _chart(kind: str, series: str) -> str:
    return (f"chart:\n  type: {kind}\n  title: The {kind} chart\n  unit: units\n  source: Test data\n"
            f"  categories: [North, South, East]\n  series:\n{series}")


ONE = "    - {name: Total, values: [12.5, 30, 7]}\n"
TWO = "    - {name: Exports, values: [12.5, 30, 7]}\n    - {name: Imports, values: [9, 14.25, 21]}\n"
RICH_SECTIONS = {
    "trade": "---\ntitle: Trade\nkey_points:\n  - Trade grew in **every** region\n"
             "  - See [a website](https://example.org/trade) for more\n"
             "facts:\n  - {value: $623 billion, label: Two-way trade}\n  - {value: 3, label: Regions}\n"
             + _chart("bar", ONE) + "---\n"
             "Trade opened with a paragraph that carries [a link](https://example.org/a) and "
             "[a cross-reference](#people) in it.\n\n## Partners\n\n"
             "| Partner | Share | Change |\n| --- | ---: | ---: |\n| North | 40% | +2 |\n| South | 35% | -1 |\n"
             "| East | 25% | +3 |\n\n### Detail\n\nMore text under a third-level heading.\n",
    "people": "---\ntitle: People\nkey_points: [Exchanges doubled]\n" + _chart("column", TWO) + "---\n"
              "> A quoted remark from a minister.\n>\n> And its second paragraph.\n\n"
              "```\nprint('code block')\n```\n\n![A map of the three regions](map.png \"The regions\")\n",
    "lists": "---\ntitle: Lists\n" + _chart("line", TWO) + "---\n"
             "1. First ordered item\n2. Second ordered item\n   - nested bullet one\n   - nested bullet two\n"
             "3. Third item\n\n- A bullet holding a quote:\n\n  > quoted inside a list\n\n- A last bullet\n",
    "visuals": "---\ntitle: Visuals\n" + _chart("pie", ONE) + "---\nA closing paragraph.\n",
}
RICH_META = """\
    title: Every Block Tagged
    subtitle: An accessibility check
    issuer: Office of Testing
    date: 2024-05-01
    marking: UNCLASSIFIED
    lang: en-GB
    sections: [trade, people, lists, visuals]
    sources:
      - title: A source with a link
        url: https://example.org/source
    """


@pytest.fixture(scope="module")
def rich(tmp_path_factory) -> Path:
    from PIL import Image

    root = tmp_path_factory.mktemp("rich") / "rich"
    (root / "sections").mkdir(parents=True)
    (root / "briefing.yaml").write_text(textwrap.dedent(RICH_META), encoding="utf-8")
    for sid, text in RICH_SECTIONS.items():
        (root / "sections" / f"{sid}.md").write_text(text, encoding="utf-8")
    Image.new("RGB", (300, 200), "#336699").save(root / "map.png")
    return root


@pytest.fixture(scope="module")
def outputs(rich, tmp_path_factory) -> dict[tuple[str, str], dict[str, Path]]:
    """(briefing, style) -> format -> file: the default and the rich briefing in every style, every PDF and
    the deck."""
    out: dict[tuple[str, str], dict[str, Path]] = {}
    for name, ref in (("default", ROOT / "content" / "us-mexico"), ("rich", rich)):
        for style in STYLES:
            folder = tmp_path_factory.mktemp(f"{name}-{style}")
            files = briefgen.build(ref, format="pdf,summary,slides-pdf,pptx", style=style, output_dir=folder,
                                   cache=False).files
            out[(name, style)] = {p.name.split(".", 1)[1]: p for p in files}
    return out


CASES = [(name, style, fmt) for name in ("default", "rich") for style in STYLES
         for fmt in ("pdf", "summary.pdf", "slides.pdf")]


# -- reading the structure back ----------------------------------------------------------------------
@dataclass
class Node:
    """A structure element as read back: its type, attributes, kids and marked content ((page, MCID))."""

    role: str
    alt: str | None
    attrs: dict
    kids: list[Node] = field(default_factory=list)
    content: list[tuple[int, int]] = field(default_factory=list)
    annots: list = field(default_factory=list)  # the (object, generation) of each annotation it owns

    def walk(self):
        yield self
        for k in self.kids:
            yield from k.walk()

    def all_content(self) -> list[tuple[int, int]]:
        return [c for n in self.walk() for c in n.content]


def read_tree(path: Path) -> Node | None:
    """The structure tree under /StructTreeRoot, walked with pikepdf; None when the PDF has none."""
    pdf = pikepdf.open(path)
    root = pdf.Root.get("/StructTreeRoot")
    if root is None:
        return None
    pages = {p.obj.objgen: i for i, p in enumerate(pdf.pages)}

    def items(value):
        return list(value) if isinstance(value, pikepdf.Array) else ([] if value is None else [value])

    def walk(obj, page) -> Node:
        page = pages.get(obj.Pg.objgen, page) if "/Pg" in obj else page
        attrs = {}
        for a in items(obj.get("/A")):
            attrs.update({str(k)[1:]: str(v) for k, v in a.items()})
        node = Node(str(obj.S)[1:], str(obj.Alt) if "/Alt" in obj else None, attrs)
        for kid in items(obj.get("/K")):
            if isinstance(kid, int):
                node.content.append((page, int(kid)))
            elif kid.get("/Type") == "/MCR":
                node.content.append((pages[kid.Pg.objgen], int(kid.MCID)))
            elif kid.get("/Type") == "/OBJR":
                node.annots.append(kid.Obj.objgen)
            else:
                node.kids.append(walk(kid, page))
        return node

    top = Node("StructTreeRoot", None, {})
    for kid in items(root.get("/K")):
        top.kids.append(walk(kid, None))
    return top


def marked_texts(path: Path) -> dict[tuple[int, int], str]:
    """(page, MCID) -> the text pdfplumber reads inside that marked-content sequence."""
    out: dict[tuple[int, int], str] = defaultdict(str)
    with pdfplumber.open(path) as pdf:
        for i, page in enumerate(pdf.pages):
            for ch in page.chars:
                if ch.get("mcid") is not None:
                    out[(i, ch["mcid"])] += ch["text"]
    return out


def _bare(text: str) -> str:
    return "".join(text.split())


def text_of(node: Node, texts: dict) -> str:
    return "".join(texts.get(c, "") for c in node.all_content())


# -- the checks (each returns what is wrong, so that a test can show it failing) -------------------------
def heading_problems(path: Path, title: str, expected: list[str]) -> list[str]:
    """The H1 must say the title and the H2s the section titles, in order."""
    tree = read_tree(path)
    if tree is None:
        return ["no structure tree"]
    texts = marked_texts(path)
    h1 = [_bare(text_of(n, texts)) for n in tree.walk() if n.role == "H1"]
    h2 = [_bare(text_of(n, texts)) for n in tree.walk() if n.role == "H2"]
    problems = []
    if h1 != [_bare(title)]:
        problems.append(f"H1 {h1} is not the title")
    if h2 != [_bare(t) for t in expected]:
        problems.append(f"H2 {h2} are not the section titles {expected}")
    return problems


def table_problems(path: Path) -> list[str]:
    """Every table has rows, its first row header cells scoped to their column, and no row wider than it."""
    tree = read_tree(path)
    if tree is None:
        return ["no structure tree"]
    problems = []
    for table in (n for n in tree.walk() if n.role == "Table"):
        rows = [k for k in table.kids if k.role == "TR"]
        if not rows:
            problems.append("a table without rows")
            continue
        head = rows[0].kids
        if not head or any(c.role != "TH" or c.attrs.get("Scope") != "/Column" for c in head):
            problems.append(f"a table whose first row is {[c.role for c in head]}, not column headers")
        if any(len(r.kids) > len(head) for r in rows):
            problems.append("a row with more cells than the header")
    return problems


def figure_problems(path: Path) -> list[str]:
    tree = read_tree(path)
    if tree is None:
        return ["no structure tree"]
    return [f"a figure without alternate text: {n.alt!r}" for n in tree.walk()
            if n.role == "Figure" and not (n.alt or "").strip()]


def untagged_content(path: Path) -> dict[int, list[str]]:
    """Page -> the text and painting operators outside every marked-content sequence."""
    out = {}
    for n, page in enumerate(pikepdf.open(path).pages, start=1):
        depth, loose = 0, []
        for ins in pikepdf.parse_content_stream(page):
            if isinstance(ins, pikepdf.ContentStreamInlineImage):
                continue
            op = str(ins.operator)
            if op in ("BDC", "BMC"):
                depth += 1
            elif op == "EMC":
                depth -= 1
            elif op in PAINT_OPERATORS and depth == 0:
                loose.append(op)
        if loose:
            out[n] = loose
    return out


def pdfua_findings(path: Path) -> list[str]:
    return [f"{f.rule_id}: {f.message}" for f in validate(str(path)).findings]


# -- the tagged PDFs ---------------------------------------------------------------------------------
@pytest.mark.parametrize("name,style,fmt", CASES)
def test_pdfua_finds_nothing(outputs, name, style, fmt):
    assert pdfua_findings(outputs[(name, style)][fmt]) == []


@pytest.mark.parametrize("name,style,fmt", CASES)
def test_no_page_content_is_left_untagged(outputs, name, style, fmt):
    assert untagged_content(outputs[(name, style)][fmt]) == {}


@pytest.mark.parametrize("name,style", [(n, s) for n in ("default", "rich") for s in STYLES])
def test_headings_are_the_title_and_the_section_titles_in_order(outputs, rich, name, style):
    b = briefgen.load_briefing(rich if name == "rich" else None)
    expected = [s.title for s in b.sections] + ([b.labels["sources"]] if b.all_sources else [])
    assert heading_problems(outputs[(name, style)]["pdf"], b.title, expected) == []
    summarised = [s.title for s in b.sections if s.key_points or s.facts]
    assert heading_problems(outputs[(name, style)]["summary.pdf"], b.title, summarised) == []


@pytest.mark.parametrize("name,style,fmt", CASES)
def test_every_table_has_column_headers_and_every_figure_alt_text(outputs, name, style, fmt):
    assert table_problems(outputs[(name, style)][fmt]) == []
    assert figure_problems(outputs[(name, style)][fmt]) == []


def test_the_rich_briefing_has_every_kind_of_element(outputs, rich):
    path = outputs[("rich", "formal")]["pdf"]
    tree, texts = read_tree(path), marked_texts(path)
    roles = [n.role for n in tree.walk()]
    for role in ("Document", "H1", "H2", "H3", "H4", "P", "L", "LI", "Lbl", "LBody", "Table", "TR", "TH", "TD",
                 "BlockQuote", "Code", "Figure", "Link", "Sect", "Div", "TOC", "TOCI"):
        assert role in roles, role
    figures = [n for n in tree.walk() if n.role == "Figure"]
    assert len(figures) == 5  # four charts and the map
    assert "A map of the three regions" in [f.alt for f in figures]
    bar = next(f for f in figures if f.alt.startswith("Bar chart"))
    assert all(v in bar.alt for v in ("The bar chart", "North 12.5", "South 30.0", "East 7.0"))
    table = next(n for n in tree.walk() if n.role == "Table")
    assert [_bare(text_of(c, texts)) for c in table.kids[0].kids] == ["Partner", "Share", "Change"]
    assert [_bare(text_of(c, texts)) for c in table.kids[1].kids] == ["North", "40%", "+2"]
    quote = next(n for n in tree.walk() if n.role == "BlockQuote")
    assert _bare(text_of(quote, texts)) == _bare("A quoted remark from a minister. And its second paragraph.")
    code = next(n for n in tree.walk() if n.role == "Code")
    assert "print('code" in text_of(code, texts)
    item = next(n for n in tree.walk() if n.role == "LI" and _bare(text_of(n, texts)) == "\u2013nestedbulletone")
    assert [k.role for k in item.kids] == ["Lbl", "LBody"] and text_of(item.kids[0], texts) == "\u2013"


def test_key_points_and_facts_are_read_in_order(outputs):
    path = outputs[("default", "formal")]["pdf"]
    tree, texts = read_tree(path), marked_texts(path)
    b = briefgen.load_briefing()
    economy = b.section("economy")
    sect = next(n for n in tree.walk() if n.role == "Sect" and _bare(text_of(n.kids[0], texts)) ==
                _bare(economy.title))
    panel, *facts = [k for k in sect.kids if k.role == "Div"]
    points = next(k for k in panel.kids if k.role == "L")
    assert [_bare(text_of(li.kids[1], texts)) for li in points.kids] == [
        _bare("".join(r.text for r in kp)) for kp in economy.key_points]
    assert all(text_of(li.kids[0], texts) == "\u25a0" for li in points.kids)  # the square is the label
    assert [_bare(text_of(f, texts)) for f in facts] == [_bare(f.value + f.label) for f in economy.facts]


def test_running_heads_marking_and_page_numbers_are_artifacts(outputs):
    path = outputs[("rich", "formal")]["pdf"]
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            tags: dict[str, set] = defaultdict(set)
            for ch in page.chars:
                tags[ch.get("tag")].add(ch["text"])
            artifact = "".join(ch["text"] for ch in page.chars if ch.get("tag") == "Artifact")
            assert "UNCLASSIFIED" in artifact and re.search(r"Page\d+of\d+", _bare(artifact))
            assert None not in tags


def test_links_are_link_elements_with_their_annotation_and_a_description(outputs):
    path = outputs[("rich", "formal")]["pdf"]
    pdf = pikepdf.open(path)
    tree = read_tree(path)
    linked = {a for n in tree.walk() if n.role == "Link" for a in n.annots}
    annots = [a for p in pdf.pages for a in p.obj.get("/Annots", []) if a.Subtype == "/Link"]
    assert len(annots) >= 4  # the contents' entries, two web links, a cross-reference, the source
    for a in annots:
        assert a.objgen in linked and "/StructParent" in a and str(a.Contents).strip()
    contents = {str(a.Contents) for a in annots}
    assert {"a link", "a cross-reference", "a website", "People"} <= contents


def test_catalogue_language_title_and_pdfua_identification(outputs, rich):
    for (name, _), files in outputs.items():
        for fmt in ("pdf", "summary.pdf", "slides.pdf"):
            pdf = pikepdf.open(files[fmt])
            assert str(pdf.Root.Lang) == ("en-GB" if name == "rich" else "en-US")
            assert pdf.Root.MarkInfo.Marked is True and pdf.Root.ViewerPreferences.DisplayDocTitle is True
            with pdf.open_metadata() as meta:
                assert meta["pdfuaid:part"] == "1"
                assert meta["dc:title"] == str(pdf.docinfo.Title)
            assert all("/StructParents" in p.obj and p.obj.Tabs == "/S" for p in pdf.pages)


def test_the_slides_pdf_has_a_section_per_slide_headed_by_its_title(outputs):
    files = outputs[("rich", "formal")]
    tree, texts = read_tree(files["slides.pdf"]), marked_texts(files["slides.pdf"])
    sects = tree.kids[0].kids
    titles = [s.shapes.title.text for s in Presentation(files["pptx"]).slides]
    assert len(sects) == len(titles) and all(s.role == "Sect" for s in sects)
    heads = [next(k for k in s.kids if k.role in ("H1", "H2")) for s in sects]
    assert [_bare(text_of(h, texts)) for h in heads] == [_bare(t) for t in titles]


def test_rebuilds_are_byte_identical(rich, tmp_path):
    a = briefgen.build(rich, format="pdf,summary,slides-pdf", output_dir=tmp_path / "a", cache=False).files
    b = briefgen.build(rich, format="pdf,summary,slides-pdf", output_dir=tmp_path / "b").files
    assert [p.read_bytes() for p in a] == [p.read_bytes() for p in b]


# -- every check fails on an untagged or damaged PDF ----------------------------------------------------
@pytest.fixture(scope="module")
def untagged(tmp_path_factory) -> Path:
    briefing, theme = prepare(ROOT / "content" / "us-mexico")
    path = tmp_path_factory.mktemp("untagged") / "untagged.pdf"
    path.write_bytes(render_pdf(briefing, theme, PdfOptions(tagged=False), metrics=metrics))
    return path


def test_every_check_fails_on_an_untagged_pdf(untagged):
    b = briefgen.load_briefing()
    assert {f.split(":")[0] for f in pdfua_findings(untagged)} >= {"UA-01-005", "UA-01-002"}
    assert untagged_content(untagged)
    assert heading_problems(untagged, b.title, [s.title for s in b.sections]) == ["no structure tree"]
    assert table_problems(untagged) == ["no structure tree"]
    assert figure_problems(untagged) == ["no structure tree"]


def _damaged(src: Path, dst: Path, change) -> Path:
    pdf = pikepdf.open(src)
    change(pdf)
    pdf.save(dst)
    return dst


def _elements(pdf, role: str):
    def walk(obj):
        if isinstance(obj, pikepdf.Dictionary) and "/S" in obj:
            if obj.S == role:
                yield obj
            kids = obj.get("/K")
            for k in (kids if isinstance(kids, pikepdf.Array) else [kids]):
                yield from walk(k)
    return list(walk(pdf.Root.StructTreeRoot.K))


def test_each_check_fails_on_a_damaged_tagged_pdf(outputs, tmp_path):
    src = outputs[("rich", "formal")]["pdf"]
    titles = ["Trade", "People", "Lists", "Visuals", "Sources"]

    def demote(pdf):
        _elements(pdf, "/H2")[1].S = pikepdf.Name("/P")

    assert heading_problems(_damaged(src, tmp_path / "h.pdf", demote), "Every Block Tagged", titles)
    assert heading_problems(src, "Every Block Tagged", titles) == []

    def no_header(pdf):
        for th in _elements(pdf, "/TH"):
            th.S = pikepdf.Name("/TD")

    assert table_problems(_damaged(src, tmp_path / "t.pdf", no_header))
    assert pdfua_findings(tmp_path / "t.pdf")

    def blank_alt(pdf):
        _elements(pdf, "/Figure")[0].Alt = pikepdf.String(" ")

    assert figure_problems(_damaged(src, tmp_path / "f.pdf", blank_alt))

    def loose_text(pdf):
        page = pdf.pages[0]
        font = next(iter(page.Resources.Font.keys()))
        page.contents_add(pdf.make_stream(f"BT {font} 10 Tf 72 72 Td (loose) Tj ET".encode()), prepend=False)

    damaged = _damaged(src, tmp_path / "u.pdf", loose_text)
    assert untagged_content(damaged) == {1: ["Tj"]}
    assert pdfua_findings(damaged)


# -- the deck ------------------------------------------------------------------------------------------
def _plan(ref, style="formal"):
    briefing, theme = prepare(ref, style=style)
    return plan_slides(briefing, theme, metrics=metrics), theme


DECORATIVE = "{C183D7F6-B498-43B3-948B-1728B52AA6E4}"


def _decorative(shape) -> bool:
    return bool(shape._element.xpath(f".//a:ext[@uri='{DECORATIVE}']"))


FURNITURE_NAMES = ("Footer", "Slide number", "Marking")


def deck_problems(pptx: Path, plan) -> list[str]:
    """What keeps a deck from PowerPoint's accessibility rules: a slide without its planned title in a title
    placeholder, read first (then the content, the footer last); titles that repeat; a chart or picture
    without alt text; a table without a header row; a text run without a language."""
    prs = Presentation(pptx)
    problems, titles = [], []
    for n, (slide, planned) in enumerate(zip(prs.slides, plan.slides, strict=True), start=1):
        title = slide.shapes.title
        want = plan.title if planned.kind == "title" else planned.title
        if title is None or not title.is_placeholder or title.text != want:
            problems.append(f"slide {n}: no title placeholder saying {want!r}")
            continue
        titles.append(title.text)
        read = [sh for sh in slide.shapes if not _decorative(sh)]
        if read[0] != title:
            problems.append(f"slide {n}: {read[0].name!r} is read before the title")
        names = [sh.name for sh in read]
        furniture = [i for i, x in enumerate(names) if x in FURNITURE_NAMES]
        content = [i for i, x in enumerate(names) if x not in FURNITURE_NAMES and x != "Draft"]
        if furniture and max(content) > min(furniture):
            problems.append(f"slide {n}: the footer is read before the content")
        for shape in slide.shapes:
            if (shape.has_chart or shape.shape_type == 13) and not (
                    shape._element.xpath("./*[1]/p:cNvPr")[0].get("descr") or "").strip():
                problems.append(f"slide {n}: {shape.name} has no alt text")
            if shape.has_table and shape.table._tbl.tblPr.get("firstRow") != "1":
                problems.append(f"slide {n}: a table without a header row")
        trees = [slide._element] + ([slide.notes_slide._element] if slide.has_notes_slide else [])
        trees += [sh.chart._chartSpace for sh in slide.shapes if sh.has_chart]
        for tree in trees:
            for run in tree.iter(qn("a:r"), qn("a:fld")):
                rpr = run.find(qn("a:rPr"))
                if rpr is None or rpr.get("lang") != plan.lang:
                    problems.append(f"slide {n}: a run without the language {plan.lang}")
                    break
    if len(set(titles)) != len(titles):
        problems.append("slide titles repeat")
    return problems


@pytest.mark.parametrize("name,style", [(n, s) for n in ("default", "rich") for s in STYLES])
def test_the_deck_meets_the_accessibility_rules(outputs, rich, name, style):
    plan, _ = _plan(rich if name == "rich" else ROOT / "content" / "us-mexico", style)
    assert plan.lang == ("en-GB" if name == "rich" else "en-US")
    assert deck_problems(outputs[(name, style)]["pptx"], plan) == []


def test_the_rich_deck_describes_its_charts_and_picture_and_heads_its_table(outputs):
    prs = Presentation(outputs[("rich", "formal")]["pptx"])
    shapes = [sh for s in prs.slides for sh in s.shapes]
    described = [sh._element.xpath("./*[1]/p:cNvPr")[0].get("descr") for sh in shapes
                 if sh.has_chart or sh.shape_type == 13]
    assert len(described) == 5  # four charts and the map
    assert any(d.startswith("Pie chart: The pie chart (units).") and "South 30.0" in d for d in described)
    assert "A map of the three regions" in described
    table = next(sh.table for sh in shapes if sh.has_table)
    assert [c.text for c in table.rows[0].cells] == ["Partner", "Share", "Change"]
    rects = [sh for sh in shapes if sh.name in ("Title rule", "Fact card", "Footer rule", "Marking band")]
    assert rects and all(_decorative(sh) for sh in rects)


def test_the_deck_check_fails_on_each_broken_rule(outputs, rich, tmp_path):
    plan, _ = _plan(rich)
    src = outputs[("rich", "formal")]["pptx"]

    def broken(change) -> list[str]:
        prs = Presentation(src)
        change(prs)
        prs.save(tmp_path / "broken.pptx")
        return deck_problems(tmp_path / "broken.pptx", plan)

    def title_last(prs):
        tree = prs.slides[2].shapes._spTree
        tree.append(prs.slides[2].shapes.title._element)

    def no_placeholder(prs):
        ph = prs.slides[3].shapes.title._element
        ph.nvSpPr.nvPr.remove(ph.nvSpPr.nvPr[0])

    def no_alt(prs):
        chart = next(sh for s in prs.slides for sh in s.shapes if sh.has_chart)
        chart._element.xpath("./*[1]/p:cNvPr")[0].set("descr", "")

    def no_header(prs):
        next(sh for s in prs.slides for sh in s.shapes if sh.has_table).table._tbl.tblPr.set("firstRow", "0")

    def no_lang(prs):
        next(prs.slides[4].shapes.title._element.iter(qn("a:rPr"))).attrib.pop("lang")

    def footer_first(prs):
        tree = prs.slides[2].shapes._spTree
        footer = next(sh for sh in prs.slides[2].shapes if sh.name == "Footer")._element
        tree.remove(footer)
        tree.insert(3, footer)

    assert deck_problems(src, plan) == []
    for change, said in ((title_last, "read before the title"), (no_placeholder, "no title placeholder"),
                         (no_alt, "no alt text"), (no_header, "header row"), (no_lang, "language"),
                         (footer_first, "footer is read before")):
        assert any(said in p for p in broken(change)), change.__name__


# -- colour contrast -----------------------------------------------------------------------------------
def _luminance(hexv: str) -> float:
    def channel(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hexv.lstrip("#")[i:i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    """The WCAG 2 contrast ratio of two colours, 1 to 21."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def contrast_problems(plan, floor: float = 4.5) -> list[str]:
    """Every text on every slide against the colour beneath it: the fill of the topmost box drawn before it
    that covers its middle, or the slide's background."""
    background = plan.theme_colors["lt1"]
    problems = []
    for n, slide in enumerate(plan.slides, start=1):
        for k, box in enumerate(slide.boxes):
            if isinstance(box, ChartBox):
                texts = [box.label_color, box.text_color]
            elif isinstance(box, TextBox):
                texts = [p.color for p in box.paragraphs]
            else:
                continue
            cx, cy = box.x + box.w / 2, box.y + getattr(box, "h", 0) / 2
            under = background
            for other in slide.boxes[:k]:
                fill = getattr(other, "fill", None)
                if fill and other.x <= cx <= other.x + other.w and other.y <= cy <= other.y + other.h:
                    under = fill
            under = getattr(box, "fill", None) or under
            for color in texts:
                ratio = contrast(color, under)
                if ratio < floor:
                    problems.append(f"slide {n} {getattr(box, 'name', type(box).__name__)}: {color} on {under} "
                                    f"is {ratio:.2f}:1")
    return problems


@pytest.mark.parametrize("style", STYLES)
def test_text_contrast_is_at_least_4_5_to_1_on_every_slide(rich, style):
    for ref in (ROOT / "content" / "us-mexico", rich):
        plan, _ = _plan(ref, style)
        assert contrast_problems(plan) == []


@pytest.mark.parametrize("style", STYLES)
def test_the_printed_colours_meet_4_5_to_1_too(style):
    """The PDF's text styles on the page, the key-point panel, the fact cards, the table header and the
    marking band."""
    theme = load_theme(style)
    page = theme.color("background")
    cover = ("issuer", "title", "subtitle", "date") if theme.page.cover == "block" else ()
    pairs = [(ts.color, page) for name, ts in theme.text.items()
             if not name.startswith("slide_") and name not in ("watermark", "marking", *cover)]
    pairs += [(theme.text[n].color, theme.color("primary")) for n in cover]  # on the colour block
    panel = theme.key_points_box.fill
    pairs += [(theme.text[n].color, theme.color(panel)) for n in ("key_point", "key_points_title") if panel]
    card = theme.fact_box.fill
    pairs += [(theme.text[n].color, theme.color(card)) for n in ("fact_value", "fact_label") if card]
    if theme.page.table_header_fill:
        pairs.append((theme.text["table_header"].color, theme.color(theme.page.table_header_fill)))
    pairs.append((theme.text["marking"].color, theme.color(theme.page.marking_fill or page)))
    low = [(fg, bg, round(contrast(theme.color(fg), theme.color(bg)), 2)) for fg, bg in pairs
           if contrast(theme.color(fg), theme.color(bg)) < 4.5]
    assert low == []


def test_the_contrast_check_fails_on_a_pale_colour():
    plan, _ = _plan(ROOT / "content" / "us-mexico")
    slide = plan.slides[2]
    box = next(b for b in slide.boxes if isinstance(b, TextBox) and b.role not in (TITLE, FURNITURE))
    pale = dataclasses.replace(box, paragraphs=tuple(dataclasses.replace(p, color="#AAAAAA")
                                                      for p in box.paragraphs))
    slide.boxes[slide.boxes.index(box)] = pale
    assert contrast_problems(plan) and "#AAAAAA" in contrast_problems(plan)[0]
    assert contrast("#777777", "#FFFFFF") < 4.5 < contrast("#595959", "#FFFFFF")
