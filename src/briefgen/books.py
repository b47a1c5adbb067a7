"""Building a briefing book: the book file and every briefing it names read and checked together, the book
rendered in each format asked for, and every file written at once (or none).

Every problem is gathered before anything is rendered: the book file's own (unknown
keys, a briefing that is not there), each briefing's content and the style, each
briefing's selection (an unknown preset or section id, placed at its line in the book
file) and the choice of the book's marking. One run reports them all.
"""

from __future__ import annotations

import dataclasses
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from .api import job_of
from .errors import BriefgenError, ContentError, Problem, RenderError, StyleError
from .formats import Format
from .inputs import collector_paused, read_inputs
from .model import Book, Briefing, Note
from .output import output_path, output_stem, write_all_atomic
from .processes import Forked, can_fork
from .selection import Selection, select
from .theme import Theme

log = logging.getLogger("briefgen")
_OPTIONS = {"--preset": "preset", "--sections": "sections", "--exclude": "exclude"}  # selection field -> book key


@dataclass
class BookResult:
    """What a book build wrote and what it noticed on the way."""

    book: Book
    theme: Theme
    files: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def build_book(book: str | Path, *, format: Format | str | Iterable[Format | str] = Format.all,
               style: str | Path | None = None, output_dir: str | Path = "output", content_dir: Path | None = None,
               page_size: str | None = None, slide_size: str | None = None, bleed: bool = False, cmyk: bool = False,
               draft: bool = False, handout_per_page: int = 1, pages: int = 1,
               on_note: Callable[[str], None] | None = None, cache: bool = True, chart_checks: bool = True,
               processes: bool = False, tags: bool = True) -> BookResult:
    """Bind the briefings of a book file into ``output_dir/<book file name>`` in each format (as
    :func:`briefgen.build` takes them: pdf, pptx, slides-pdf, handout, summary, all).

    Problems in the book file, in any briefing, in any selection and in the style
    are raised together as one :class:`ContentError` (or :class:`StyleError` when only
    the style is wrong), before anything is rendered; nothing is written then.
    ``processes=True`` lets the deck be written in a forked process beside the other
    formats (the CLI asks for it; see :mod:`briefgen.processes`). ``tags=False`` writes an untagged PDF.
    """
    from . import cache as cache_mod

    job = job_of(format, page_size, slide_size, bleed, cmyk, draft, handout_per_page, pages, tags)
    if not chart_checks:
        from reportlab import rl_config

        rl_config.shapeChecking = 0
    with cache_mod.switched_off(not cache):
        bound, theme = read_book(book, style, content_dir)
    result = BookResult(bound, theme)

    def note(message: str) -> None:
        result.notes.append(message)
        log.info(message)
        if on_note:
            on_note(message)

    for message in bound.notes:
        note(str(message))
    base = Path(output_dir) / output_stem(Briefing(id=bound.id, root=bound.root, title=bound.title, sections=()))
    renders = _Renders(bound, theme, job)
    outputs: dict[str, tuple[bytes, list[str]]] = {}
    child = None
    if processes and "pptx" in job.kinds and len(job.kinds) > 1 and can_fork():
        # the deck is written in a forked process while this one renders the rest (as 'build' does); a plan
        # this process draws from too is made first, once, and the child inherits it
        if job.plan_here:
            for message in renders.plan()[1]:
                note(message)
        child = Forked(lambda: iter([renders.render("pptx")]))
    try:
        for kind in job.kinds:
            if not (child and kind == "pptx"):
                outputs[kind] = renders.render(kind)
        if child:
            outputs["pptx"] = child.result()
    finally:
        if child:
            child.close()
    rendered = []
    for kind in job.kinds:
        data, notes = outputs[kind]
        for message in notes:
            note(message)
        rendered.append((output_path(base, kind), data))
    write_all_atomic(rendered)
    result.files.extend(path for path, _ in rendered)
    return result


def read_book(file: str | Path, style: str | Path | None = None,
              content_dir: Path | None = None) -> tuple[Book, Theme]:
    """The book a book file describes, each briefing read (through the cache) and cut to its selection,
    the marking decided, every glyph checked; every problem of all of them raised at once."""
    from .load.book import load_book
    from .load.fonts import check_coverage
    from .markings import book_marking

    spec = load_book(file, content_dir)
    problems: list[Problem] = list(spec.problems)
    theme = None
    chosen: list[Briefing] = []
    style_only = not problems  # whether every problem is the style's (a StyleError, then)
    reads: dict[Path, tuple[Briefing, Theme] | BriefgenError] = {}  # a briefing bound twice is read once
    for entry in spec.entries:
        if entry.folder is None:
            continue
        folder = entry.folder.resolve()
        if folder not in reads:
            try:
                reads[folder] = read_inputs(entry.folder, style, content_dir)
            except BriefgenError as exc:
                reads[folder] = exc
                problems.extend(exc.problems)
                style_only = style_only and isinstance(exc, StyleError)
        if isinstance(reads[folder], BriefgenError):
            continue
        full, theme = reads[folder]
        try:
            picked = select(full, Selection.parse(entry.sections, entry.exclude, entry.preset))
            check_coverage(picked, theme)
        except BriefgenError as exc:
            problems.extend(entry.problem(_OPTIONS[p.field], p.message) if p.field in _OPTIONS else p
                            for p in exc.problems)
            style_only = False
            continue
        chosen.append(picked)
    marking = book_marking(spec.marking, spec.markings, [(b.id, b.marking) for b in chosen])
    key = "marking" if spec.marking else ("markings" if spec.markings else "briefings")
    problems.extend(spec.problem(key, message) for message in marking.problems)
    style_only = style_only and not marking.problems
    book = Book(id=spec.id, root=spec.file.parent, title=spec.title, briefings=tuple(chosen), subtitle=spec.subtitle,
                issuer=spec.issuer, date=spec.date, marking=marking.marking, labels=spec.labels,
                notes=tuple(Note(str(n)) for b in chosen for n in b.notes) + tuple(Note(n) for n in marking.notes))
    if theme is not None and not problems:
        problems.extend(_cover_problems(book, theme, spec.file))
    unique = list(dict.fromkeys(problems))  # the style's problems come once per briefing read
    # the book file's own problems in the order of its lines, then those of the briefings in the book's order
    unique.sort(key=lambda p: (p.file != spec.file, p.line or 0) if p.file == spec.file else (True, 0))
    if unique:
        raise (StyleError if style_only else ContentError)(unique)
    return book, theme


def _cover_problems(book: Book, theme: Theme, file: Path) -> list[Problem]:
    """Characters of the book's own words (title block, labels) that no font of the style can draw."""
    from .load.fonts import check_coverage

    own = Briefing(id=book.id, root=file.parent, title=book.title, sections=(), subtitle=book.subtitle,
                   issuer=book.issuer, marking=book.marking, labels=book.labels)
    try:
        check_coverage(own, theme)
    except RenderError as exc:
        meta = file.parent / "briefing.yaml"  # where the check says a briefing's own words are
        return [Problem(p.message, file=file if p.file == meta else p.file, line=p.line, field=p.field)
                for p in exc.problems]
    return []


class _Renders:
    """Each format of a book rendered in this process; the deck is planned once for every format drawn from it."""

    def __init__(self, book: Book, theme: Theme, job):
        self.book, self.theme, self.job = book, theme, job
        self._plan = None

    def plan(self) -> tuple[object, list[str]]:
        if self._plan is None:
            from .load.fonts import metrics
            from .render.book.deck import plan_book

            notes: list[str] = []
            plan = plan_book(self.book, self.theme.with_slide_size(self.job.slide_size), notes.append,
                             metrics=metrics, draft=self.job.draft)
            self._plan = (plan, notes)
            return plan, notes
        return self._plan[0], []

    def render(self, kind: str) -> tuple[bytes, list[str]]:
        from .load.fonts import metrics

        book, theme, job = self.book, self.theme, self.job
        if kind == "pdf":
            from .render.book.pdf import render_book_pdf
            from .render.pdf import PdfOptions

            options = PdfOptions(page_size=job.page_size, bleed=job.bleed, cmyk=job.cmyk, draft=job.draft,
                                 tagged=job.tags)
            with collector_paused():
                return render_book_pdf(book, theme, options, metrics=metrics), []
        if kind == "summary":
            from .render.book.summary import render_book_summary
            from .render.summary import SummaryOptions

            notes: list[str] = []
            options = SummaryOptions(page_size=job.page_size, pages=job.pages, bleed=job.bleed, cmyk=job.cmyk,
                                     draft=job.draft)
            with collector_paused():
                return render_book_summary(book, theme, options, metrics=metrics, on_note=notes.append), notes
        plan, notes = self.plan()
        if kind == "pptx":
            from .render.pptx import render_pptx

            return render_pptx(plan), notes
        slide_theme = theme.with_slide_size(job.slide_size)
        if kind == "slides-pdf":
            from .render.deckpdf import SlidesPdfOptions, render_slides_pdf

            options = SlidesPdfOptions(draft=book.labels["draft"] if job.draft else None)
            with collector_paused():
                return render_slides_pdf(plan, slide_theme, options, metrics=metrics), notes
        from .render.book.parts import bound, front
        from .render.deckpdf import HandoutOptions, render_handout

        parts = bound(book)
        head = front(book, parts)  # the handout names each page's section: every briefing's are here
        head = dataclasses.replace(head, sections=head.sections + tuple(s for b in parts for s in b.sections))
        options = HandoutOptions(per_page=job.per_page, page_size=job.page_size, draft=job.draft)
        with collector_paused():
            return render_handout(plan, head, theme, options, metrics=metrics), notes
