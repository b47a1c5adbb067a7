"""The book's summaries in one PDF: each briefing's summary (:class:`SummarySheet`) on its own page (or the
pages ``--pages`` allows it), under the book's marking, pages numbered through the file, a bookmark per
briefing."""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Callable

from ...errors import RenderError
from ...model import Book
from ...theme import MetricsLookup, Theme
from ..summary import SummaryOptions, SummarySheet


def render_book_summary(book: Book, theme: Theme, options: SummaryOptions, *, metrics: MetricsLookup,
                        on_note: Callable[[str], None] | None = None) -> bytes:
    """One summary per briefing of the book, as PDF bytes. A briefing whose summary cannot fit is a
    :class:`RenderError`; every such briefing is named in it, and nothing is drawn."""
    sheets, problems = [], []
    for briefing in book.briefings:
        sheet = SummarySheet(dataclasses.replace(briefing, marking=book.marking), theme, options, metrics)
        try:
            fit = sheet.fit()
        except RenderError as exc:
            problems.extend(exc.problems)
            continue
        for note in sheet.notes(fit):
            if on_note:
                on_note(f"{briefing.id}: {note}")
        sheets.append((sheet, fit))
    if problems:
        raise RenderError(problems)
    buf = io.BytesIO()
    canv = sheets[0][0].canvas(buf)
    if book.date:
        stamp = f"D:{book.date:%Y%m%d}000000+00'00'"
        canv.setDateFormatter(lambda *parts: stamp)
    canv.setTitle(book.title)
    canv.setAuthor(book.issuer or "")
    canv.setSubject("Summaries: " + ", ".join(b.title for b in book.briefings))
    canv.setKeywords(", ".join(b.title for b in book.briefings))
    for number, (sheet, fit) in enumerate(sheets, start=1):
        key = f"summary-{number}"
        canv.bookmarkPage(key)
        canv.addOutlineEntry(sheet.b.title, key, level=0)
        sheet.draw(canv, fit)
    canv.save()
    return buf.getvalue()
