"""The book's deck as one SlidePlan: the book's title slide and an agenda of its briefings, then each
briefing's own deck, its title slide standing as the divider before its slides.

Each briefing is planned by the deck planner exactly as it would be on its own
(its section ids prefixed, see :mod:`.parts`, so that links stay inside it); the
plans are then joined. What joining changes: slide numbers run through the whole
deck, each briefing's title slide is the target of its agenda entry, and agenda
entries carry their links in the text, so that they lead to their own briefing's
sections even where two briefings share a section title.
"""

from __future__ import annotations

import dataclasses
from typing import Callable

from ...model import Book, Briefing
from ...theme import MetricsLookup, Theme
from ..plan import PlannedSlide, SlidePlan, TextBox
from ..slides import draft_mark, plan_slides
from ..slides.planner import SLIDE_NUMBER, UNNAMED, Planner
from .parts import bound, briefing_key, front


def plan_book(book: Book, theme: Theme, on_note: Callable[[str], None] | None = None, *,
              metrics: MetricsLookup, draft: bool = False) -> SlidePlan:
    """The book's deck, laid out and measured; ``draft`` sets DRAFT across every slide. Each note of a
    briefing's planning is told with the briefing's id."""
    note = on_note or (lambda _m: None)
    parts = bound(book)
    head = front(book, parts)
    planner = Planner(head, theme, note, metrics)
    planner.title_slide()
    planner.agenda()
    slides = planner.slides
    for slide in slides:
        if slide.kind == "agenda":
            _link_entries(slide, [s.id for s in head.sections])
        if slide.kind not in UNNAMED:
            planner.title_box(slide)
        planner.furniture(slide, 0, False)  # numbered below, with the rest
        if draft:
            slide.boxes.append(draft_mark(head, theme))
    for number, briefing in enumerate(parts, start=1):
        def told(message: str, briefing: Briefing = briefing) -> None:
            note(f"{briefing.id}: {message}")

        plan = plan_slides(briefing, theme, told, metrics=metrics, draft=draft)
        plan.slides[0].section_id = briefing_key(number)  # the title slide: where the book's agenda leads
        for slide in plan.slides:
            if slide.kind == "agenda":
                _link_entries(slide, [s.id for s in briefing.sections])
        slides.extend(plan.slides)
    for number, slide in enumerate(slides, start=1):
        _renumber(slide, number)
    fonts = theme.fonts
    return SlidePlan(
        width=planner.g.width, height=planner.g.height, slides=slides, title=book.title, author=book.issuer or "",
        subject=", ".join(b.title for b in parts), keywords=", ".join(b.id for b in book.briefings), date=book.date,
        theme_colors=planner.theme_colors(), heading_family=fonts["heading"].family, body_family=fonts["body"].family,
        notes_family=fonts["body"].family)


def _link_entries(slide: PlannedSlide, targets: list[str]) -> None:
    """Each numbered agenda entry made a link to the ``number``-th of ``targets``."""
    for i, box in enumerate(slide.boxes):
        if not isinstance(box, TextBox):
            continue
        paras = tuple(dataclasses.replace(p, runs=tuple(dataclasses.replace(r, href=f"#{targets[p.number - 1]}")
                                                         for r in p.runs))
                      if p.number is not None and 0 < p.number <= len(targets) else p for p in box.paragraphs)
        slide.boxes[i] = dataclasses.replace(box, paragraphs=paras)


def _renumber(slide: PlannedSlide, number: int) -> None:
    """The slide's number field made to show ``number`` (PowerPoint recounts it anyway; other readers do not)."""
    for i, box in enumerate(slide.boxes):
        if isinstance(box, TextBox) and any(p.field == SLIDE_NUMBER for p in box.paragraphs):
            paras = tuple(dataclasses.replace(p, runs=(dataclasses.replace(p.runs[0], text=str(number)),),
                                              lines=(str(number),)) if p.field == SLIDE_NUMBER else p
                          for p in box.paragraphs)
            slide.boxes[i] = dataclasses.replace(box, paragraphs=paras)
