"""A book's briefings made ready to share one document: section ids that cannot meet, one marking, and the
book's own title block as a briefing of its own.

Two briefings of a book may both have an ``overview``; in one PDF or one deck each
section needs a name of its own (a destination, a bookmark, a link target). Every
briefing's section ids, and the ``#id`` links written to them, are given the prefix
``b<n>.`` (``.`` is never in a section id), so that links stay inside their briefing.
"""

from __future__ import annotations

import dataclasses

from ...model import Book, Briefing, Inline, Section, map_runs

SEPARATOR = "."  # never in a section id: a prefixed id cannot be mistaken for another briefing's


def prefix(number: int) -> str:
    """What the section ids of the book's ``number``-th briefing (1-based) begin with."""
    return f"b{number}{SEPARATOR}"


def briefing_key(number: int) -> str:
    """The destination (and slide section id) of the ``number``-th briefing's title."""
    return f"{prefix(number)}briefgen{SEPARATOR}title"


def bound(book: Book) -> tuple[Briefing, ...]:
    """The book's briefings as bound into it: section ids and links prefixed, each carrying the book's marking."""
    return tuple(_prefixed(b, prefix(n), book.marking) for n, b in enumerate(book.briefings, start=1))


def _prefixed(briefing: Briefing, start: str, marking: str | None) -> Briefing:
    ids = {s.id for s in briefing.sections}

    def change(runs: Inline) -> Inline:
        return tuple(dataclasses.replace(r, href=f"#{start}{r.href[1:]}")
                     if r.href and r.href.startswith("#") and r.href[1:] in ids else r for r in runs)

    sections = tuple(dataclasses.replace(
        s, id=start + s.id, blocks=tuple(map_runs(b, change) for b in s.blocks),
        key_points=tuple(change(kp) for kp in s.key_points),
        references=tuple((start + target, line) for target, line in s.references)) for s in briefing.sections)
    return dataclasses.replace(briefing, sections=sections, marking=marking)


def front(book: Book, parts: tuple[Briefing, ...]) -> Briefing:
    """The book's own pages as a briefing: its title block, marking and labels, and one empty section per
    briefing (id :func:`briefing_key`, the briefing's title), which is what an agenda of the book lists."""
    sections = tuple(Section(id=briefing_key(n), title=b.title) for n, b in enumerate(parts, start=1))
    return Briefing(id=book.id, root=book.root, title=book.title, sections=sections, subtitle=book.subtitle,
                    issuer=book.issuer, date=book.date, marking=book.marking, labels=dict(book.labels),
                    notes=book.notes)
