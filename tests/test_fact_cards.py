"""Fact cards: one value size for the whole deck, and cards side by side that share their lines, in the
deck (read back by python-pptx, laid out by LibreOffice) and in the printed briefing's fact rows (read
back with pdfplumber). Each check has a twin that feeds it a broken output and sees it fail."""

from __future__ import annotations

from collections import defaultdict

import pdfplumber
import pytest
from pptx import Presentation
from pptx.enum.text import MSO_ANCHOR
from reportlab.platypus import Spacer

import briefgen
from briefgen.api import prepare
from briefgen.render.pdf import blocks

from conftest import soffice_to_pdf, squash

EMU_PER_PT = 12700
TOL = 1.0  # pt: two lines that start within this of each other start at one top


# -- the deck ---------------------------------------------------------------------------------------------
def value_sizes(pptx) -> dict[int, set[float]]:
    """The sizes of the fact values on each slide (numbered from 1), as the deck sets them."""
    out: dict[int, set[float]] = defaultdict(set)
    for n, slide in enumerate(Presentation(pptx).slides, start=1):
        for sh in slide.shapes:
            if sh.name == "Fact value":
                out[n].update(r.font.size.pt for p in sh.text_frame.paragraphs for r in p.runs)
    return out


@pytest.mark.parametrize("style", ["formal", "modern", "print"])
@pytest.mark.parametrize("size", ["16:9", "4:3"])
def test_every_fact_value_of_the_deck_has_one_size(style, size, tmp_path):
    deck = briefgen.build(format="pptx", style=style, slide_size=size, output_dir=tmp_path).files[0]
    sizes = value_sizes(deck)
    assert len(sizes) >= 3  # the default briefing has facts on several slides
    every = set().union(*sizes.values())
    assert len(every) == 1, dict(sizes)
    theme = prepare(style=style)[1]
    value = theme.text["slide_fact_value"].size
    assert max(theme.slide.min_font_size, value * theme.slide.layout.card_value_floor) <= every.pop() <= value


def test_the_size_check_fails_on_a_deck_whose_values_differ(tmp_path):
    deck = briefgen.build(format="pptx", output_dir=tmp_path).files[0]
    prs = Presentation(deck)
    value = next(sh for slide in prs.slides for sh in slide.shapes if sh.name == "Fact value")
    value.text_frame.paragraphs[0].runs[0].font.size = value.text_frame.paragraphs[0].runs[0].font.size + 50800
    prs.save(tmp_path / "mixed.pptx")
    assert len(set().union(*value_sizes(tmp_path / "mixed.pptx").values())) == 2


def card_rows(pptx, pdf) -> list[list[tuple[list[float], float]]]:
    """Each row of fact cards as LibreOffice lays it out: for every card of the row, the tops of its value's
    lines and the top of its label's first line (pt from the slide's top)."""
    rows = []
    with pdfplumber.open(pdf) as doc:
        for slide, page in zip(Presentation(pptx).slides, doc.pages):
            shapes = {"Fact value": [], "Fact label": []}
            for sh in slide.shapes:
                if sh.name in shapes:
                    shapes[sh.name].append(sh)
            by_top = defaultdict(list)
            for value, label in zip(shapes["Fact value"], shapes["Fact label"]):
                by_top[value.top].append((value, label))
            for cards in by_top.values():
                row = []
                for value, label in cards:
                    row.append((sorted({round(c["top"], 1) for c in chars_in(page, value)}),
                                min(c["top"] for c in chars_in(page, label))))
                rows.append(row)
    return rows


def chars_in(page, shape) -> list[dict]:
    x0, y0 = shape.left / EMU_PER_PT, shape.top / EMU_PER_PT
    x1, y1 = x0 + shape.width / EMU_PER_PT, y0 + shape.height / EMU_PER_PT
    return [c for c in page.chars if c["text"].strip() and x0 - 2 <= c["x0"] and c["x1"] <= x1 + 2
            and y0 - 0.3 * c["size"] <= c["top"] and c["bottom"] <= y1 + 0.3 * c["size"]]


def misaligned(rows) -> list[str]:
    """Rows whose values do not start at one top, or whose labels do not."""
    out = []
    for row in rows:
        firsts = [lines[0] for lines, _ in row]
        labels = [label for _, label in row]
        if max(firsts) - min(firsts) > TOL:
            out.append(f"values start at {firsts}")
        if max(labels) - min(labels) > TOL:
            out.append(f"labels start at {labels}")
    return out


@pytest.fixture(scope="module")
def modern_deck(tmp_path_factory):
    """The modern deck, whose rows hold values that wrap beside values that do not, and LibreOffice's PDF."""
    out = tmp_path_factory.mktemp("modern-deck")
    deck = briefgen.build(format="pptx", style="modern", output_dir=out).files[0]
    return deck, soffice_to_pdf(deck, out)


def test_cards_in_a_row_start_their_values_and_their_labels_at_one_top(modern_deck):
    rows = card_rows(*modern_deck)
    assert any(len(lines) > 1 for row in rows if len(row) > 1 for lines, _ in row)  # a value does wrap
    assert misaligned(rows) == []


def test_the_alignment_check_fails_when_values_sit_on_the_rows_foot(modern_deck, tmp_path):
    """The values anchored to the bottom of their boxes, as the deck set them before: a value on one
    line beside one on two starts a line lower."""
    prs = Presentation(modern_deck[0])
    for slide in prs.slides:
        for sh in slide.shapes:
            if sh.name == "Fact value":
                sh.text_frame.vertical_anchor = MSO_ANCHOR.BOTTOM
    broken = tmp_path / "bottom.pptx"
    prs.save(broken)
    assert any(m.startswith("values") for m in misaligned(card_rows(broken, soffice_to_pdf(broken, tmp_path))))


# -- the printed briefing -----------------------------------------------------------------------------------
def hex_color(color) -> str | None:
    return "#%02x%02x%02x" % tuple(round(c * 255) for c in color[:3]) if color and len(color) >= 3 else None


def fact_cards(pdf, theme) -> list[list[dict]]:
    """The fact rows of a printed briefing: each card (a rectangle in the fact box's fill holding text in the
    value's and the label's colours) as its value's lines (text and top) and its label's first top, in rows
    by page and top."""
    fill, value_color, label_color = (theme.color(theme.fact_box.fill), theme.color(theme.text["fact_value"].color),
                                      theme.color(theme.text["fact_label"].color))
    rows = defaultdict(list)
    with pdfplumber.open(pdf) as doc:
        for number, page in enumerate(doc.pages):
            for rect in page.rects:
                if hex_color(rect.get("non_stroking_color")) != fill.lower():
                    continue
                chars = [c for c in page.chars if c["text"].strip() and rect["x0"] <= c["x0"] <= rect["x1"]
                         and rect["top"] <= c["top"] <= rect["bottom"]]
                values = [c for c in chars if hex_color(c.get("non_stroking_color")) == value_color.lower()]
                labels = [c for c in chars if hex_color(c.get("non_stroking_color")) == label_color.lower()]
                if not values or not labels:
                    continue  # the key-points panel, which shares the fill
                lines = defaultdict(list)
                for c in values:
                    lines[round(c["top"], 1)].append(c)
                value = [("".join(c["text"] if n == 0 or c["x0"] - line[n - 1]["x1"] < 0.15 * c["size"]
                                  else " " + c["text"] for n, c in enumerate(sorted(line, key=lambda c: c["x0"]))),
                          top) for top, line in sorted(lines.items())]
                rows[(number, round(rect["top"]))].append({"value": value, "label": min(c["top"] for c in labels),
                                                          "size": max(c["size"] for c in values)})
    return [rows[k] for k in sorted(rows)]


def fact_row_problems(pdf, briefing, theme) -> list[str]:
    """What keeps a briefing's fact rows from the rules: a value on more than two lines, a word broken,
    values set below the body size or at two sizes, values or labels that do not start at one top."""
    values = {squash(f.value) for s in briefing.sections for f in s.facts}
    problems = []
    rows = fact_cards(pdf, theme)
    cards = [c for row in rows for c in row]
    shown = {" ".join(text for text, _ in c["value"]) for c in cards}
    if shown - values:
        problems.append(f"values broken inside a word: {sorted(shown - values)}")
    if values - shown:
        problems.append(f"values not found: {sorted(values - shown)}")
    problems += [f"'{' / '.join(t for t, _ in c['value'])}' takes {len(c['value'])} lines"
                 for c in cards if len(c["value"]) > 2]
    body = theme.text["body"].size
    problems += [f"a value at {c['size']:.1f} pt, below the body's {body:g}" for c in cards if c["size"] < body - 0.01]
    for row in rows:
        if len({round(c["size"], 1) for c in row}) > 1:
            problems.append(f"a row's values at sizes {[c['size'] for c in row]}")
        firsts = [c["value"][0][1] for c in row]
        labels = [c["label"] for c in row]
        if max(firsts) - min(firsts) > TOL:
            problems.append(f"values of a row start at {firsts}")
        if max(labels) - min(labels) > TOL:
            problems.append(f"labels of a row start at {labels}")
    return problems


@pytest.mark.parametrize("style", ["modern", "formal"])
def test_fact_rows_keep_values_to_two_lines_of_whole_words_and_line_up(style, tmp_path):
    briefing, theme = prepare(style=style)
    pdf = briefgen.build(format="pdf", style=style, output_dir=tmp_path).files[0]
    assert len(fact_cards(pdf, theme)) >= 4
    assert fact_row_problems(pdf, briefing, theme) == []


def test_the_fact_row_check_fails_on_values_broken_a_word_a_line(tmp_path, monkeypatch):
    """Values at the style's size in four narrow callouts, as before: 'Hundreds / of / thousands'."""
    briefing, theme = prepare(style="modern")
    monkeypatch.setattr(blocks.Blocks, "fact_sizes",
                        lambda self, facts: (min(4, len(facts)), theme.text["fact_value"].size))
    pdf = briefgen.build(format="pdf", style="modern", output_dir=tmp_path).files[0]
    assert any("takes 3 lines" in p for p in fact_row_problems(pdf, briefing, theme))


def test_the_fact_row_check_fails_when_labels_follow_their_own_values(tmp_path, monkeypatch):
    briefing, theme = prepare(style="modern")
    monkeypatch.setattr(blocks, "Spacer", lambda w, h: Spacer(w, 4.0))  # the same gap below every value
    pdf = briefgen.build(format="pdf", style="modern", output_dir=tmp_path).files[0]
    assert any(p.startswith("labels of a row") for p in fact_row_problems(pdf, briefing, theme))
