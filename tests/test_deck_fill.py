"""How much of each slide's content area the deck uses, measured on LibreOffice's rendering.

A slide's fill is the share of its content band's height (from the bottom of its title to the top
of its footer) covered by what LibreOffice draws there: characters, rules, fills, chart marks and
pictures. The deck's targets: the default briefing in at most 15 slides at 16:9 (17 at 4:3), any
briefing in at most sections + charts + tables + images + 4; the median content slide at least
half full, and at most one content slide under a fifth. ``benchmarks/deck_fill.py`` prints the
figures for every style and slide size.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from pathlib import Path

import pdfplumber
import pytest
from pptx import Presentation
from pptx.util import Emu, Pt

import briefgen

from conftest import soffice_to_pdf
from test_deck import assert_nothing_overflows

EMU_PER_PT = 12700
BACKGROUND = 0.9  # an object taller than this share of the slide is a background, not content
MEDIAN_TARGET = 0.5
SPARSE = 0.2


@dataclass(frozen=True)
class SlideFill:
    number: int
    title: str
    kind: str  # agenda, sources or content (a section's slide)
    fill: float  # share of the content band's height covered by drawn objects


def covered(intervals: list[tuple[float, float]]) -> float:
    """The total length of the union of intervals."""
    total, end = 0.0, float("-inf")
    for top, bottom in sorted(intervals):
        if bottom <= end:
            continue
        total += bottom - max(top, end)
        end = bottom
    return total


def deck_fill(pptx: Path, pdf: Path) -> list[SlideFill]:
    """The fill of every content slide: a slide with a shape named 'Title' (the title slide and
    section dividers have none); its band runs from that shape's bottom to the top of the footer."""
    prs = Presentation(pptx)
    out = []
    with pdfplumber.open(pdf) as doc:
        assert len(doc.pages) == len(prs.slides)
        for number, (slide, page) in enumerate(zip(prs.slides, doc.pages), start=1):
            shapes = {sh.name: sh for sh in slide.shapes}
            if "Title" not in shapes:
                continue
            title, footer = shapes["Title"], shapes["Footer"]
            top = (title.top + title.height) / EMU_PER_PT
            bottom = footer.top / EMU_PER_PT
            spans = []
            for obj in page.chars + page.rects + page.lines + page.curves + page.images:
                if obj.get("object_type") == "char" and not obj["text"].strip():
                    continue
                if obj["bottom"] - obj["top"] > BACKGROUND * float(page.height):
                    continue
                t, b = max(obj["top"], top), min(obj["bottom"], bottom)
                if b > t:
                    spans.append((t, b))
            kind = "agenda" if "Agenda" in shapes else "sources" if "Sources" in shapes else "content"
            out.append(SlideFill(number, title.text_frame.text, kind, covered(spans) / (bottom - top)))
    return out


def fill_problems(fills: list[SlideFill]) -> list[str]:
    """What keeps a deck from the fill targets: a median under half, more than one slide under a fifth.

    Content slides are a section's slides: the agenda and the sources slide are furniture, like the
    title slide (one source makes a sparse slide that no layout can fill)."""
    fills = [f for f in fills if f.kind == "content"]
    problems = []
    median = statistics.median(f.fill for f in fills)
    if median < MEDIAN_TARGET:
        problems.append(f"median content-slide fill {median:.0%} is under {MEDIAN_TARGET:.0%}")
    sparse = [f for f in fills if f.fill < SPARSE]
    if len(sparse) > 1:
        problems.append("content slides under {:.0%}: {}".format(
            SPARSE, ", ".join(f"{f.number} '{f.title}' {f.fill:.0%}" for f in sparse)))
    return problems


def slide_budget(briefing) -> int:
    """The most slides any briefing's deck may take: one per section, chart, table and image, and
    title, agenda, sources and one spare."""
    from briefgen.model import Image, Table, walk

    visuals = sum(isinstance(b, (Table, Image)) for s in briefing.sections for b in walk(s.blocks))
    return len(briefing.sections) + sum(1 for s in briefing.sections if s.chart) + visuals + 4


@pytest.mark.parametrize("style", ["formal", "modern", "print"])
@pytest.mark.parametrize("size, most", [("16:9", 15), ("4:3", 17)])
def test_the_default_deck_is_short_and_uses_its_slides(style, size, most, tmp_path):
    deck = briefgen.build(format="pptx", style=style, slide_size=size, output_dir=tmp_path).files[0]
    n = len(Presentation(deck).slides)
    assert n <= min(most, slide_budget(briefgen.load_briefing()))
    pdf = soffice_to_pdf(deck, tmp_path)
    assert fill_problems(deck_fill(deck, pdf)) == []
    assert_nothing_overflows(deck, tmp_path, pdf)  # and in every style and size, nothing outside its shape


def test_the_fill_measure_fails_on_a_sparse_deck(tmp_path):
    """Slides holding one short line each: the measure must call them out."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = Emu(960 * EMU_PER_PT), Emu(540 * EMU_PER_PT)
    for i in range(3):
        slide = prs.slides.add_slide(prs.slide_layouts[6])
        for name, top, height, text in (("Title", 20, 70, f"Slide {i}"), ("Body", 110, 380, "One point."),
                                        ("Footer", 510, 25, "footer")):
            box = slide.shapes.add_textbox(Pt(36), Pt(top), Pt(888), Pt(height))
            box.name = name
            box.text_frame.text = text
            box.text_frame.paragraphs[0].runs[0].font.size = Pt(22)
    sparse = tmp_path / "sparse.pptx"
    prs.save(sparse)
    fills = deck_fill(sparse, soffice_to_pdf(sparse, tmp_path))
    assert len(fills) == 3 and all(f.fill < SPARSE for f in fills)
    problems = fill_problems(fills)
    assert len(problems) == 2 and "median" in problems[0]


def test_a_mixed_briefing_stays_within_its_slide_budget(make_briefing, tmp_path):
    """Sections of every shape (prose only, facts only, points with a table, a chart, an image, a long
    list of points) still take about one slide each."""
    from PIL import Image as PILImage

    prose = "The committee met twice this year and agreed on a work plan for the next round of talks. " * 6
    points = "\n".join(f"  - 'Point {i}: the delegation will raise the matter of item {i} at the meeting.'"
                       for i in range(7))
    root = make_briefing("title: Trade talks\nsections: [a, b, c, d, e, f]\n", {
        "a": f"---\ntitle: Background\n---\n{prose}\n\n{prose}\n",
        "b": "---\ntitle: Figures\nfacts:\n  - {value: $12 billion, label: Trade in 2023}\n"
             "  - {value: 40%, label: Share of exports}\n---\nSome words.\n",
        "c": "---\ntitle: Members\nkey_points: [Five states take part., Two joined in 2020.]\n---\n"
             "| State | Since |\n| --- | --- |\n" + "".join(f"| State {i} | {2000 + i} |\n" for i in range(5)),
        "d": "---\ntitle: Trend\nkey_points: [Trade grew.]\nchart: {type: line, title: Trade by year, "
             "categories: ['2021', '2022', '2023'], series: [{name: Trade, values: [10, 11, 12]}]}\n---\nBody.\n",
        "e": "---\ntitle: Map\n---\n![The region](map.png)\n",
        "f": f"---\ntitle: Agenda items\nkey_points:\n{points}\n---\n{prose}\n",
    })
    PILImage.new("RGB", (400, 300), "#336699").save(root / "map.png")
    for size in ("16:9", "4:3"):
        deck = briefgen.build(root, format="pptx", slide_size=size, output_dir=tmp_path / size).files[0]
        assert len(Presentation(deck).slides) <= slide_budget(briefgen.load_briefing(root))
