"""The printed briefing, reopened by real PDF clients."""

from __future__ import annotations

import hashlib

import pdfplumber
import pypdf
import pytest

import briefgen
from briefgen.load.style import load_theme

from conftest import need, run, source_sentences, squash

STANDARD_14 = ("Helvetica", "Times", "Courier", "Symbol", "ZapfDingbats")


def body_text(pdf_path, style: str = "formal") -> str:
    """The text inside the page frame of every page (no running header or footer), in reading order."""
    theme = load_theme(style)
    m = theme.margins
    parts = []
    with pdfplumber.open(pdf_path) as pdf:
        for page in pdf.pages:
            box = (m["left"] - 2, m["top"] - 2, page.width - m["right"] + 2, page.height - m["bottom"] + 2)
            parts.append(page.crop(box).extract_text() or "")
    return squash(" ".join(parts))


def test_qpdf_finds_no_structural_errors(built):
    res = run(need("qpdf"), "--check", str(built["pdf"]))
    assert res.returncode == 0, res.stdout + res.stderr
    assert "No syntax or stream encoding errors" in res.stdout


def fonts_of(pdf) -> list[list[str]]:
    res = run(need("pdffonts"), str(pdf))
    assert res.returncode == 0
    return [line.split() for line in res.stdout.splitlines()[2:] if line.strip()]


def test_every_font_is_embedded_and_none_is_a_standard_14_font(built):
    rows = fonts_of(built["pdf"])
    assert rows
    for row in rows:
        name = row[0]
        emb = row[-5]
        assert emb == "yes", f"{name} is not embedded"
        assert not name.split("+")[-1].startswith(STANDARD_14), name


def test_every_sentence_of_the_source_is_in_the_pdf_in_order(built):
    text = body_text(built["pdf"])
    pos = 0
    for sentence in source_sentences()[5:]:
        found = text.find(sentence, pos)
        assert found >= 0, f"not found in order: {sentence!r}"
        pos = found


def test_outline_has_one_entry_per_section(built):
    reader = pypdf.PdfReader(built["pdf"])
    top = [o.title for o in reader.outline if not isinstance(o, list)]
    assert top == [s.title for s in briefgen.load_briefing().sections] + ["Sources"]


def test_metadata_is_set_from_the_briefing(built):
    reader = pypdf.PdfReader(built["pdf"])
    meta = reader.metadata
    assert meta.title == "U.S. Relations With Mexico"
    assert meta.author == "Bureau of Western Hemisphere Affairs"
    assert "Bilateral Economic Issues" in meta.subject
    assert meta["/CreationDate"].startswith("D:20180401")


def test_running_footer_counts_pages(built):
    reader = pypdf.PdfReader(built["pdf"])
    n = len(reader.pages)
    for i, page in enumerate(reader.pages, start=1):
        assert f"Page {i} of {n}" in page.extract_text()


def test_contents_entries_link_to_their_pages(built):
    reader = pypdf.PdfReader(built["pdf"])
    annots = reader.pages[0].get("/Annots") or []
    internal = [a.get_object() for a in annots if a.get_object().get("/Dest") is not None
                or "/A" in a.get_object()]
    assert len(internal) >= len(briefgen.load_briefing().sections)


def test_a4_pages_are_595_by_842(tmp_path):
    res = briefgen.build(format="pdf", page_size="a4", output_dir=tmp_path)
    page = pypdf.PdfReader(res.files[0]).pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)


def test_two_builds_are_byte_identical(tmp_path):
    a = briefgen.build(format="pdf", output_dir=tmp_path / "a").files[0].read_bytes()
    b = briefgen.build(format="pdf", output_dir=tmp_path / "b").files[0].read_bytes()
    assert hashlib.sha256(a).hexdigest() == hashlib.sha256(b).hexdigest()


def test_a_partial_build_holds_only_the_chosen_sections_in_order(tmp_path):
    res = briefgen.build(format="pdf", sections="security,economy", output_dir=tmp_path)
    text = body_text(res.files[0])
    b = briefgen.load_briefing()
    assert text.index("U.S. Security Cooperation with Mexico") < text.index("Bilateral Economic Issues")
    for left_out in ("education", "border", "further-information"):
        first = b.section(left_out).blocks[0]
        sample = "".join(r.text for r in first.runs)[:60]
        assert sample not in text
    outline = [o.title for o in pypdf.PdfReader(res.files[0]).outline if not isinstance(o, list)]
    assert outline == ["U.S. Security Cooperation with Mexico", "Bilateral Economic Issues", "Sources"]


def test_marking_shows_on_every_page(make_briefing, tmp_path):
    body = "\n\n".join(["A paragraph of text that fills the page. " * 12] * 14)
    root = make_briefing("title: Marked\nmarking: Unclassified\nsections: [a, b]\n",
                         {"a": f"---\ntitle: A\n---\n{body}\n", "b": f"---\ntitle: B\n---\n{body}\n"})
    res = briefgen.build(root, format="pdf", output_dir=tmp_path)
    reader = pypdf.PdfReader(res.files[0])
    assert len(reader.pages) >= 3
    for page in reader.pages:
        assert page.extract_text().count("UNCLASSIFIED") == 2


def test_markup_characters_print_literally(make_briefing, tmp_path):
    root = make_briefing("title: T\nsections: [a]\n",
                         {"a": "---\ntitle: A & B <i>\n---\nAT&T said 1 < 2 and <b>x</b> &amp; <img src='/etc/passwd'/>.\n"})
    res = briefgen.build(root, format="pdf", output_dir=tmp_path)
    text = squash(pypdf.PdfReader(res.files[0]).pages[0].extract_text())
    assert "A & B <i>" in text
    assert "AT&T said 1 < 2 and <b>x</b> &amp; <img src='/etc/passwd'/>." in text


@pytest.mark.parametrize("option", ["bleed", "cmyk", "draft"])
def test_print_options_give_valid_pdfs(tmp_path, option):
    res = briefgen.build(format="pdf", output_dir=tmp_path, **{option: True})
    pdf = res.files[0]
    assert run(need("qpdf"), "--check", str(pdf)).returncode == 0
    page = pypdf.PdfReader(pdf).pages[0]
    if option == "bleed":
        trim, media = page.trimbox, page.mediabox
        assert float(trim.width) == pytest.approx(612, abs=0.5)
        assert float(media.width) > float(trim.width) + 18
        assert float(page.bleedbox.width) == pytest.approx(612 + 18, abs=0.5)
    if option == "cmyk":
        content = page.get_contents().get_data()
        assert b" k\n" in content or b" k " in content
    if option == "draft":
        assert "DRAFT" in page.extract_text()
