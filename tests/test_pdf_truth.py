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
from pdf_truth import contents_entries, lines_at_sizes, outline_pages, truth_problems

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


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("case", sorted(CASES))
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
