"""The handout's notes, read back with pdfplumber: shared among the slides of a section spread over several,
never a page holding only a few lines, list items set as bullets. Each check has a twin that feeds it a
broken handout and sees it fail."""

from __future__ import annotations

import io
import re

import pdfplumber
import pytest

from briefgen.api import prepare
from briefgen.load.fonts import metrics
from briefgen.model import BulletList, plain, walk
from briefgen.render.deckpdf import HandoutOptions, handout, render_handout
from briefgen.render.slides import plan_slides

from conftest import squash

FEW = 5  # lines: a page of notes alone holding fewer is a page wasted
PART = re.compile(r"\((\d+) of (\d+)\)")


def read_pages(pdf, body_size: float) -> list[dict]:
    """Each page's whole text, its notes (text set at the body size: slides are drawn smaller, labels and
    running heads smaller) as lines, and whether a slide is drawn on it (a slide's frame is a rectangle;
    a page of notes alone has only the running heads' rules)."""
    out = []
    with pdfplumber.open(pdf) as doc:
        for page in doc.pages:
            notes = page.filter(lambda o: o.get("object_type") != "char" or abs(o["size"] - body_size) < 0.01)
            lines = [line for line in (notes.extract_text() or "").splitlines() if line.strip()]
            out.append({"text": page.extract_text() or "", "notes": lines, "slide": bool(page.rects or page.images)})
    return out


def handout_pdf(style: str, size: str, **patches):
    """The default briefing's handout (one slide a page) as PDF bytes, and the plan and theme it came from."""
    briefing, theme = prepare(style=style)
    theme = theme.with_slide_size(size)
    plan = plan_slides(briefing, theme, metrics=metrics)
    return io.BytesIO(render_handout(plan, briefing, theme, HandoutOptions(), metrics=metrics)), plan, theme


def bare(text: str) -> str:
    """Notes text without list markers, whitespace folded: the handout and the plan compared word for word."""
    return squash(re.sub(r"(?m)^\s*(?:-|\u2022)\s+", "", text))


def unshared_parts(pages: list[dict], plan) -> list[str]:
    """Slides that are a part of a section spread over several ('(2 of 2)') whose page holds none of the
    section's notes, and notes of a part that run on to a page of their own while a later part has none."""
    problems = []
    notes = {s.section_id: bare(s.notes) for s in plan.slides if s.notes and s.kind == "points"}
    parts = [s for s in plan.slides if s.kind == "points" and PART.search(s.title) and s.section_id in notes]
    for slide in parts:
        page = next((p for p in pages if p["slide"] and slide.title in squash(p["text"])), None)
        if page is None:
            problems.append(f"no page shows '{slide.title}'")
        elif not page["notes"]:
            problems.append(f"'{slide.title}' has no notes beneath it")
        elif bare("\n".join(page["notes"])) not in notes[slide.section_id]:
            problems.append(f"the notes beneath '{slide.title}' are not its section's")
    return problems


def short_pages(pages: list[dict]) -> list[str]:
    """Pages of notes alone (no slide drawn) holding fewer than ``FEW`` lines."""
    return [f"page {n}: {len(p['notes'])} lines" for n, p in enumerate(pages, start=1)
            if not p["slide"] and len(p["notes"]) < FEW]


def test_a_section_spread_over_slides_shares_its_notes_among_them():
    pdf, plan, theme = handout_pdf("formal", "4:3")
    assert sum(bool(PART.search(s.title)) for s in plan.slides if s.kind == "points") >= 4  # Border, Further Info
    pages = read_pages(pdf, theme.text["body"].size)
    assert unshared_parts(pages, plan) == []
    assert not any("(1 of 2) (cont.)" in p["text"] for p in pages)


def test_the_sharing_check_fails_when_the_first_part_keeps_every_note(monkeypatch):
    monkeypatch.setattr(handout._Handout, "_share", lambda self, pieces, k: [pieces] + [[] for _ in range(k - 1)])
    pdf, plan, theme = handout_pdf("formal", "4:3")
    assert any("has no notes beneath it" in p for p in unshared_parts(read_pages(pdf, theme.text["body"].size), plan))


@pytest.mark.parametrize("style", ["formal", "modern", "print"])
@pytest.mark.parametrize("size", ["16:9", "4:3"])
def test_no_page_holds_only_a_few_lines_of_notes(style, size):
    pdf, plan, theme = handout_pdf(style, size)
    assert short_pages(read_pages(pdf, theme.text["body"].size)) == []


def test_the_short_page_check_fails_when_notes_run_on_as_they_come(monkeypatch):
    """Notes neither set closer nor carried to the next slide: the Border's last lines get a page."""
    def as_they_come(self, pieces):
        rest = self._flowables(pieces)
        return self._areas(rest), rest

    monkeypatch.setattr(handout._Handout, "_place", as_they_come)
    monkeypatch.setattr(handout._Handout, "_carry", lambda self, last, shares: None)
    pdf, plan, theme = handout_pdf("formal", "16:9")
    assert short_pages(read_pages(pdf, theme.text["body"].size))


def list_items() -> list[str]:
    briefing = prepare()[0]
    return [plain(item.blocks[0].runs) for s in briefing.sections for b in walk(s.blocks)
            if isinstance(b, BulletList) for item in b.items]


def dash_lines(pages: list[dict], items: list[str]) -> list[str]:
    """List items of the notes not set after a bullet, and notes lines that still start with a typed '- '."""
    lines = [squash(line) for p in pages for line in p["notes"]]
    missing = [item for item in items if f"\u2022 {squash(item)}" not in lines]
    return missing + [line for line in lines if line.startswith("- ")]


def test_list_items_in_the_notes_are_set_as_bullets():
    pdf, plan, theme = handout_pdf("formal", "16:9")
    items = list_items()
    assert len(items) >= 10  # the further-information list
    assert dash_lines(read_pages(pdf, theme.text["body"].size), items) == []


def test_the_bullet_check_fails_on_typed_dashes(monkeypatch):
    monkeypatch.setattr(handout, "note_pieces", lambda notes: [handout._Piece(c) for c in notes.split("\n\n") if c])
    pdf, plan, theme = handout_pdf("formal", "16:9")
    assert dash_lines(read_pages(pdf, theme.text["body"].size), list_items())
