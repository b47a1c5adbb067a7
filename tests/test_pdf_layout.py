"""Layout of the printed briefing on awkward content: long tables, long words, images, subsections."""

from __future__ import annotations

import re

import pdfplumber
import pypdf
import pytest
from PIL import Image

import briefgen
from briefgen.load.style import load_theme

from conftest import need, run

ROWS = "\n".join(f"| Row {i} | {'value ' * (i % 5 + 1)}| {i * 1234.5:,.1f} |" for i in range(90))
LONG_WORD = "Pneumonoultramicroscopicsilicovolcanoconiosis" * 4
LONG_URL = "https://example.org/" + "a-very-long-path-segment/" * 12


@pytest.fixture(scope="module")
def rich_pdf(tmp_path_factory):
    root = tmp_path_factory.mktemp("rich") / "rich"
    (root / "sections").mkdir(parents=True)
    (root / "images").mkdir()
    Image.new("RGB", (1600, 900), "#6F8FAF").save(root / "images" / "map.png")
    (root / "briefing.yaml").write_text("title: Layout test\nissuer: Test Office\ndate: 2020-05-06\n"
                                        "sections: [one, two]\n", encoding="utf-8")
    (root / "sections" / "one.md").write_text(f"""---
title: First section
key_points: [Alpha, Beta]
---
Intro with a [link](https://example.org/report) and a {LONG_WORD} and {LONG_URL} in it.

## A subsection

1. first
2. second
   - nested

> A quotation.

```
code  block
```

![A map](images/map.png "Figure 1: a map")

| Name | Text | Amount |
| --- | --- | --- |
{ROWS}
""", encoding="utf-8")
    (root / "sections" / "two.md").write_text("---\ntitle: Second section\n---\n\n## Another subsection\n\nEnd.\n",
                                              encoding="utf-8")
    out = tmp_path_factory.mktemp("rich-out")
    return briefgen.build(root, format="pdf", output_dir=out).files[0]


def test_rich_content_gives_a_valid_pdf(rich_pdf):
    assert run(need("qpdf"), "--check", str(rich_pdf)).returncode == 0


def test_outline_nests_subsections_under_their_section(rich_pdf):
    outline = pypdf.PdfReader(rich_pdf).outline
    titles = [o.title if not isinstance(o, list) else [c.title for c in o] for o in outline]
    assert titles == ["First section", ["A subsection"], "Second section", ["Another subsection"]]


def test_a_long_table_repeats_its_header_on_every_page(rich_pdf):
    with pdfplumber.open(rich_pdf) as pdf:
        pages_with_rows = [p for p in pdf.pages if "Row " in (p.extract_text() or "")]
        assert len(pages_with_rows) >= 2
        for page in pages_with_rows:
            text = page.extract_text()
            assert "Name" in text and "Amount" in text
            assert text.index("Name") < text.index("Row ")


def test_nothing_is_drawn_outside_the_margins(rich_pdf):
    theme = load_theme("formal")
    m = theme.margins
    with pdfplumber.open(rich_pdf) as pdf:
        for n, page in enumerate(pdf.pages, start=1):
            for ch in page.chars:
                assert ch["x0"] >= m["left"] - 1 and ch["x1"] <= page.width - m["right"] + 1, (
                    f"page {n}: {ch['text']!r} at x={ch['x0']:.1f}-{ch['x1']:.1f}")
            for img in page.images:
                assert img["x0"] >= m["left"] - 1 and img["x1"] <= page.width - m["right"] + 1


def test_long_words_and_urls_are_kept_whole_in_the_text(rich_pdf):
    with pdfplumber.open(rich_pdf) as pdf:
        text = "".join((p.extract_text() or "").replace("\n", "") for p in pdf.pages)
    assert LONG_WORD in text
    assert LONG_URL in text


def test_links_and_images_survive(rich_pdf):
    reader = pypdf.PdfReader(rich_pdf)
    uris = [a.get_object()["/A"].get("/URI") for p in reader.pages for a in (p.get("/Annots") or [])
            if "/A" in a.get_object()]
    assert "https://example.org/report" in uris
    assert sum(len(p.images) for p in reader.pages) == 1
    text = " ".join(p.extract_text() for p in reader.pages)
    assert "Figure 1: a map" in text


def test_numbers_in_tables_are_right_aligned(rich_pdf):
    with pdfplumber.open(rich_pdf) as pdf:
        page = next(p for p in pdf.pages if "Row 1 " in (p.extract_text() or ""))
        words = page.extract_words()
        amounts = [w for w in words if re.fullmatch(r"\d{1,3}(,\d{3})+\.\d", w["text"])]
        right_edges = {round(w["x1"]) for w in amounts}
        assert len(amounts) > 3 and max(right_edges) - min(right_edges) <= 1, [
            (w["text"], round(w["x1"])) for w in amounts]


def test_a_link_to_a_section_jumps_inside_the_document(make_briefing, tmp_path):
    root = make_briefing("title: T\nsections: [a, b]\n",
                         {"a": "---\ntitle: A\n---\nSee [the second part](#b).\n", "b": "---\ntitle: B\n---\nEnd.\n"})
    (pdf,) = briefgen.build(root, format="pdf", output_dir=tmp_path).files
    reader = pypdf.PdfReader(pdf)
    links = [a.get_object() for p in reader.pages for a in (p.get("/Annots") or [])]
    internal = [a for a in links if a.get("/Dest") is not None or a.get("/A", {}).get("/S") == "/GoTo"]
    assert internal, links
    dest = internal[0].get("/Dest") or internal[0]["/A"]["/D"]
    page_ids = [p.indirect_reference.idnum for p in reader.pages]
    assert dest[0].idnum in page_ids  # the link lands on a page of this document


def test_image_alt_text_in_the_deck_is_the_description_not_the_path(tmp_path):
    from pptx import Presentation

    root = tmp_path / "img"
    (root / "sections").mkdir(parents=True)
    Image.new("RGB", (400, 300), "#336699").save(root / "map.png")
    (root / "briefing.yaml").write_text("title: T\nsections: [a]\n")
    (root / "sections" / "a.md").write_text("---\ntitle: A\n---\n![Map of the border region](map.png)\n")
    (deck,) = briefgen.build(root, format="pptx", output_dir=tmp_path / "out").files
    pics = [sh for s in Presentation(deck).slides for sh in s.shapes if sh.shape_type == 13]
    assert len(pics) == 1
    assert pics[0]._element.xpath("./p:nvPicPr/p:cNvPr")[0].get("descr") == "Map of the border region"


@pytest.mark.parametrize("style", ["formal", "modern", "print"])
def test_a_table_header_word_is_never_broken(style, tmp_path):
    """Column widths are measured in the face each row is set in: the bold header word 'Abbreviation'
    stays whole (measured in the body face, it broke as 'Abbreviatio / n' in two styles)."""
    result = briefgen.build(format="pdf", style=style, sections="organizations", output_dir=tmp_path)
    words = [w for page in pypdf.PdfReader(result.files[0]).pages for w in page.extract_text().split()]
    assert "Abbreviation" in words and "Abbreviatio" not in words
