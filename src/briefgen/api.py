"""The library API under the CLI: check and build briefings.

``build()`` runs in the caller's process unless asked to fork (``processes=True``,
which the CLI passes): library callers such as servers and notebooks, which may run
threads, never see a fork they did not ask for.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from .errors import UsageError
from .formats import (
    DECK_FORMATS,
    HANDOUT_PER_PAGE,
    PAGE_SIZE_NAMES,
    SLIDE_SIZE_NAMES,
    Format,
    choice,
    parse_formats,
)
from .inputs import cache_key, cached, collector_paused, read_fresh, read_inputs
from .load.fonts import adopt_metrics, check_coverage
from .model import Briefing
from .output import output_base, output_path, output_stem, write_all_atomic
from .processes import Forked, can_fork
from .selection import Selection, select
from .theme import Theme

log = logging.getLogger("briefgen")
__all__ = ["BuildResult", "build", "build_book", "prepare", "read_inputs", "watch"]


@dataclass
class BuildResult:
    """What a build wrote and what it noticed on the way (splits, shrinks)."""

    briefing: Briefing
    theme: Theme
    files: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def prepare(briefing: str | Path | None = None, *, sections: str | Iterable[str] | None = None,
            exclude: str | Iterable[str] | None = None, preset: str | None = None, style: str | Path | None = None,
            content_dir: Path | None = None, cache: bool = True) -> tuple[Briefing, Theme]:
    """The selected briefing and its theme, validated, glyphs checked; nothing rendered. The briefing's
    ``notes`` say what reading it noticed without failing."""
    from . import cache as cache_mod

    selection = _selection(sections, exclude, preset)
    with cache_mod.switched_off(not cache):
        full, theme = read_inputs(briefing, style, content_dir)
        return _chosen(full, theme, selection), theme


def _selection(sections, exclude, preset) -> Selection:
    selection = Selection.parse(sections, exclude, preset)
    if selection.sections and selection.preset:
        raise UsageError("--sections and --preset cannot be used together; pick one")
    return selection


def _chosen(full: Briefing, theme: Theme, selection: Selection) -> Briefing:
    chosen = select(full, selection)
    check_coverage(chosen, theme)
    return chosen


def build(briefing: str | Path | None = None, *, format: Format | str | Iterable[Format | str] = Format.all,
          sections: str | Iterable[str] | None = None, exclude: str | Iterable[str] | None = None,
          preset: str | None = None, style: str | Path | None = None, output_dir: str | Path = "output",
          output_file: str | Path | None = None, content_dir: Path | None = None, page_size: str | None = None,
          slide_size: str | None = None, bleed: bool = False, cmyk: bool = False, draft: bool = False,
          handout_per_page: int = 1, pages: int = 1, on_note: Callable[[str], None] | None = None, cache: bool = True,
          processes: bool = False, chart_checks: bool = True, tags: bool = True) -> BuildResult:
    """Render a briefing to its outputs and write the files atomically.

    ``format`` is one format or several (a list, or names joined by commas):
    ``pdf`` the printed briefing, ``pptx`` the deck, ``slides-pdf`` the deck as
    a PDF, ``handout`` the slides with their speaker notes (``handout_per_page``
    1, 2 or 3), ``summary`` the one-page summary (on at most ``pages``
    pages; one that cannot fit is a :class:`RenderError` and nothing is written), ``all``
    the briefing and the deck; names, page and slide sizes
    in any letter case, an unknown one a :class:`UsageError`. The formats drawn from slides
    share one slide plan. Every output is rendered in memory before any is
    written, so a failure in one leaves every previous file untouched.
    ``output_file`` names the file (its extension is replaced per format);
    otherwise names follow :func:`briefgen.output.output_stem`. ``cache=False``
    reads every input afresh and keeps nothing. ``processes=True`` lets the
    build fork (reading and the deck in a child while this process renders the
    rest) where that helps. ``chart_checks=False`` turns off reportlab's
    per-attribute checks on chart shapes (faster); it takes effect only if
    reportlab's graphics were not yet imported in this process. ``tags=False`` writes
    untagged PDFs (no structure tree: not accessible; slightly faster, see README).
    """
    from . import cache as cache_mod

    job = job_of(format, page_size, slide_size, bleed, cmyk, draft, handout_per_page, pages, tags)
    if output_file is not None and Path(output_file).name in ("", ".", ".."):
        raise UsageError(f"--output-file '{output_file}' names a folder, not a file: give a file name "
                         "such as out/meeting.pdf, or use --output for the folder")
    if not chart_checks:
        from reportlab import rl_config

        rl_config.shapeChecking = 0
    selection = _selection(sections, exclude, preset)
    with cache_mod.switched_off(not cache):
        return _build(briefing, job, selection, style, content_dir, output_dir, output_file, on_note,
                      processes and can_fork())


def job_of(format, page_size, slide_size, bleed: bool, cmyk: bool, draft: bool, handout_per_page: int,
           pages: int, tags: bool = True) -> "_Job":
    """A build's formats and options, checked: a :class:`UsageError` names what is wrong."""
    kinds = parse_formats(format)
    page_size = choice(page_size, PAGE_SIZE_NAMES, "page size")
    slide_size = choice(slide_size, SLIDE_SIZE_NAMES, "slide size")
    if handout_per_page not in HANDOUT_PER_PAGE:
        raise UsageError(f"--handout-per-page takes {', '.join(map(str, HANDOUT_PER_PAGE))}, not {handout_per_page}")
    if isinstance(pages, bool) or not isinstance(pages, int) or pages < 1:
        raise UsageError(f"--pages takes a whole number of pages, 1 or more, not {pages!r}")
    return _Job(kinds, page_size, slide_size, bleed, cmyk, draft, handout_per_page, pages, tags)


@dataclass(frozen=True)
class _Job:
    """What a build renders: the formats, in order, and the options that shape them."""

    kinds: tuple[str, ...]
    page_size: str | None
    slide_size: str | None
    bleed: bool
    cmyk: bool
    draft: bool
    per_page: int
    pages: int = 1  # the summary's
    tags: bool = True  # tagged PDFs (PDF/UA-1)

    @property
    def deck_apart(self) -> bool:
        """Whether a forked child should write the deck: there is other work to overlap it with."""
        return "pptx" in self.kinds and len(self.kinds) > 1

    @property
    def plan_here(self) -> bool:
        """Whether this process draws from the slide plan (the slides PDF, the handout)."""
        return any(k in DECK_FORMATS and k != "pptx" for k in self.kinds)


def _build(briefing, job: _Job, selection, style, content_dir, output_dir, output_file, on_note,
           fork: bool) -> BuildResult:
    renders = _start(briefing, style, content_dir, selection, job, fork)
    try:
        result = BuildResult(briefing=renders.briefing, theme=renders.theme)

        def note(message: str) -> None:
            result.notes.append(message)
            log.info(message)
            if on_note:
                on_note(message)

        for message in renders.briefing.notes:  # what reading noticed (links kept as plain text, files not listed)
            note(str(message))
        base = output_base(output_file) if output_file else Path(output_dir) / output_stem(renders.briefing)
        outputs: dict[str, bytes] = {}
        # this process's own formats first, while a forked child writes the deck
        for kind in sorted(job.kinds, key=lambda k: k == "pptx" and renders.child is not None):
            outputs[kind], notes = renders.render(kind)
            for n in notes:
                note(n)
    finally:
        renders.close()
    rendered = [(output_path(base, kind), outputs[kind]) for kind in job.kinds]
    write_all_atomic(rendered)
    result.files.extend(path for path, _ in rendered)
    return result


class _Renders:
    """Each format of a build rendered where it is cheapest; the slide plan is made once, here or in the
    forked child that writes the deck (which then sends it over before the deck)."""

    def __init__(self, briefing: Briefing, theme: Theme, job: _Job, child: Forked | None = None,
                 child_plans: bool = False, plan=None):
        self.briefing, self.theme, self.job = briefing, theme, job
        self.child, self._child_plans = child, child_plans
        self._plan = plan  # (plan, notes not yet reported)

    def plan(self):
        """The slide plan and, the first time only, what planning noticed."""
        if self._plan is None:
            self._plan = self.child.result() if self._child_plans else _plan(self.briefing, self.theme, self.job)
            self._child_plans = False
        plan, notes = self._plan
        self._plan = (plan, [])
        return plan, notes

    def render(self, kind: str) -> tuple[bytes, list[str]]:
        b, t, job = self.briefing, self.theme, self.job
        if kind == "pdf":
            return _render_pdf(b, t, job.page_size, job.bleed, job.cmyk, job.draft, job.tags)
        if kind == "summary":
            return _render_summary(b, t, job.page_size, job.pages, job.bleed, job.cmyk, job.draft, job.tags)
        if kind == "pptx" and self.child:
            if self._child_plans:  # the child sends its plan before the deck
                self._plan = self.child.result()
                self._child_plans = False
            return self.child.result()
        plan, notes = self.plan()
        return _DECK_RENDERERS[kind](plan, b, t, job), notes

    def close(self) -> None:
        if self.child:
            self.child.close()


def _render_pdf(briefing: Briefing, theme: Theme, page_size, bleed, cmyk, draft,
                tags: bool = True) -> tuple[bytes, list[str]]:
    from .load.fonts import metrics
    from .render.pdf import PdfOptions, render_pdf

    notes: list[str] = []
    options = PdfOptions(page_size=page_size, bleed=bleed, cmyk=cmyk, draft=draft, tagged=tags)
    with collector_paused():
        return render_pdf(briefing, theme, options, metrics=metrics, on_note=notes.append), notes


def _render_summary(briefing: Briefing, theme: Theme, page_size, pages, bleed, cmyk,
                    draft, tags: bool = True) -> tuple[bytes, list[str]]:
    from .load.fonts import metrics
    from .render.summary import SummaryOptions, render_summary

    notes: list[str] = []
    options = SummaryOptions(page_size=page_size, pages=pages, bleed=bleed, cmyk=cmyk, draft=draft, tagged=tags)
    with collector_paused():
        return render_summary(briefing, theme, options, metrics=metrics, on_note=notes.append), notes


def _start(briefing, style, content_dir, selection: Selection, job: _Job, fork: bool) -> _Renders:
    """The chosen briefing and theme, with the forked process rendering the deck if there is one.

    When forking, inputs that must be read afresh are read by a forked child,
    which hands the model over and then plans and writes the deck (sending the
    plan over first when this process draws from it too), while this process
    imports its renderers: reading and importing overlap instead of following
    one another. With cached inputs a forked child only writes the deck, from a
    plan made here when this process needs the plan as well.
    """
    apart = fork and job.deck_apart
    key = cache_key(briefing, style, content_dir)
    inputs = cached(key)
    if inputs is None and fork:
        def read_then_deck():
            from .load.fonts import known_metrics

            full, theme = read_fresh(briefing, style, content_dir, key)
            chosen = _chosen(full, theme, selection)
            yield chosen, theme, known_metrics()  # the glyph check has read the text fonts already
            if apart:
                plan, notes = _plan(chosen, theme, job)
                if job.plan_here:
                    yield plan, notes
                    notes = []
                yield _write_pptx(plan), notes

        child = Forked(read_then_deck)
        try:
            for kind in job.kinds:
                if not (apart and kind == "pptx"):
                    _import_renderer(kind)
            chosen, theme, read_fonts = child.result()
            adopt_metrics(read_fonts)
        except BaseException:
            child.close()
            raise
        if not apart:
            child.close()
            child = None
        return _Renders(chosen, theme, job, child, child_plans=apart and job.plan_here)
    full, theme = inputs or read_fresh(briefing, style, content_dir, key)
    chosen = _chosen(full, theme, selection)
    if not apart:
        return _Renders(chosen, theme, job)
    if job.plan_here:  # planned here, once: the forked child inherits the plan
        planned = _plan(chosen, theme, job)
        return _Renders(chosen, theme, job, Forked(lambda: iter([(_write_pptx(planned[0]), [])])), plan=planned)

    def deck():
        plan, notes = _plan(chosen, theme, job)
        yield _write_pptx(plan), notes

    return _Renders(chosen, theme, job, Forked(deck))


def _import_renderer(kind: str) -> None:
    """Import a format's renderer ahead of use (its import is most of a small build's rendering cost)."""
    if kind == "pdf":
        from .render import pdf  # noqa: F401
    elif kind == "summary":
        from .render import summary  # noqa: F401
    elif kind == "pptx":
        from .render import pptx, slides  # noqa: F401
    else:
        from .render import deckpdf, slides  # noqa: F401,F811


def _plan(briefing: Briefing, theme: Theme, job: _Job):
    """The slide plan of the deck and the notes planning made (splits, shrinks)."""
    from .load.fonts import metrics
    from .render.slides import plan_slides

    notes: list[str] = []
    plan = plan_slides(briefing, theme.with_slide_size(job.slide_size), on_note=notes.append, metrics=metrics,
                       draft=job.draft)
    return plan, notes


def _write_pptx(plan) -> bytes:
    from .render.pptx import render_pptx

    return render_pptx(plan)


def _render_slides_pdf(plan, briefing: Briefing, theme: Theme, job: _Job) -> bytes:
    from .load.fonts import metrics
    from .render.deckpdf import SlidesPdfOptions, render_slides_pdf

    options = SlidesPdfOptions(draft=briefing.labels["draft"] if job.draft else None, tagged=job.tags)
    with collector_paused():
        return render_slides_pdf(plan, theme.with_slide_size(job.slide_size), options, metrics=metrics)


def _render_handout(plan, briefing: Briefing, theme: Theme, job: _Job) -> bytes:
    from .load.fonts import metrics
    from .render.deckpdf import HandoutOptions, render_handout

    options = HandoutOptions(per_page=job.per_page, page_size=job.page_size, draft=job.draft)
    with collector_paused():
        return render_handout(plan, briefing, theme, options, metrics=metrics)


_DECK_RENDERERS = {"pptx": lambda plan, b, t, job: _write_pptx(plan), "slides-pdf": _render_slides_pdf,
                   "handout": _render_handout}


def build_book(book: str | Path, **options):
    """Bind the briefings a book file names into one PDF, one deck and the other formats asked for (see
    :func:`briefgen.books.build_book` for the options); a :class:`briefgen.books.BookResult`."""
    from .books import build_book as run

    return run(book, **options)


def build_many(briefings: list[str | Path], **options):
    """Several briefings in one call (see :func:`briefgen.batch.build_many`)."""
    from .batch import build_many as run

    return run(briefings, **options)


def list_briefings(content_dir: Path | None = None) -> list[str]:
    """The ids of the briefings under the content folder, sorted."""
    from .load.locate import list_briefings as found

    return found(content_dir)


def load_briefing(briefing: str | Path | None = None, content_dir: Path | None = None) -> Briefing:
    """The whole briefing, read and validated (no style involved)."""
    from .load.briefing import load_briefing as load

    return load(briefing, content_dir)


def styles() -> dict[str, str]:
    """Every style found, name → its one-line description."""
    from .load.locate import list_styles
    from .load.style import style_description

    return {name: style_description(path) for name, path in list_styles().items()}


def section_report(briefing: str | Path | None = None, content_dir: Path | None = None) -> str:
    """The table ``briefgen sections`` prints: ids, titles, words, estimated pages and slides, presets."""
    from .report import section_report as report

    return report(briefing, content_dir)


def new_briefing(briefing_id: str, content_dir: Path | None = None) -> Path:
    """Write a starter briefing folder that shows every feature once (see :mod:`briefgen.scaffold`)."""
    from .scaffold import new_briefing as write

    return write(briefing_id, content_dir)


def import_document(file: str | Path, briefing_id: str | None = None, *, force: bool = False,
                    content_dir: Path | None = None) -> Path:
    """Turn a .txt, .md, .html or .docx document into a briefing folder (see :mod:`briefgen.importing`)."""
    from .importing import import_document as run

    return run(file, briefing_id, force=force, content_dir=content_dir)


def watch(briefing: str | Path | None = None, *, on_build: Callable | None = None, stop=None, **options) -> None:
    """Build a briefing, then rebuild it whenever one of its inputs changes, until ``stop.is_set()`` or
    Ctrl-C; ``options`` are :func:`build`'s. Each build, good or failed, goes to ``on_build`` as a
    :class:`briefgen.watching.Rebuild` (see :mod:`briefgen.watching`)."""
    from .watching import watch as run

    run(briefing, on_build=on_build, stop=stop, **options)
