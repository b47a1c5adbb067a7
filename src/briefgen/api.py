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
from .formats import Format
from .inputs import cache_key, cached, collector_paused, read_fresh, read_inputs
from .load.fonts import adopt_metrics, check_coverage
from .model import Briefing
from .output import output_stem, write_all_atomic
from .processes import Forked, can_fork
from .selection import Selection, select
from .theme import PAGE_SIZES, SLIDE_SIZES, Theme

log = logging.getLogger("briefgen")
__all__ = ["BuildResult", "build", "prepare", "read_inputs"]


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


def build(briefing: str | Path | None = None, *, format: Format | str = Format.all,
          sections: str | Iterable[str] | None = None, exclude: str | Iterable[str] | None = None,
          preset: str | None = None, style: str | Path | None = None, output_dir: str | Path = "output",
          output_file: str | Path | None = None, content_dir: Path | None = None, page_size: str | None = None,
          slide_size: str | None = None, bleed: bool = False, cmyk: bool = False, draft: bool = False,
          on_note: Callable[[str], None] | None = None, cache: bool = True, processes: bool = False,
          chart_checks: bool = True) -> BuildResult:
    """Render a briefing to PDF and/or PPTX and write the files atomically.

    Both outputs are rendered in memory before either is written, so a failure in
    one leaves every previous file untouched. ``output_file`` names the file (its
    extension is replaced per format); otherwise names follow
    :func:`briefgen.output.output_stem`. ``cache=False`` reads every input afresh
    and keeps nothing. ``processes=True`` lets the build fork (reading and the
    deck in a child while this process renders the PDF) where that helps.
    ``chart_checks=False`` turns off reportlab's per-attribute checks on chart
    shapes (faster); it takes effect only if reportlab's graphics were not yet
    imported in this process.
    """
    from . import cache as cache_mod

    fmt = Format(format)
    if page_size is not None and page_size not in PAGE_SIZES:
        raise UsageError(f"unknown page size '{page_size}': use {', '.join(PAGE_SIZES)}")
    if slide_size is not None and slide_size not in SLIDE_SIZES:
        raise UsageError(f"unknown slide size '{slide_size}': use {', '.join(SLIDE_SIZES)}")
    if not chart_checks:
        from reportlab import rl_config

        rl_config.shapeChecking = 0
    kinds = fmt.expand()
    selection = _selection(sections, exclude, preset)
    with cache_mod.switched_off(not cache):
        return _build(briefing, kinds, selection, style, content_dir, output_dir, output_file,
                      page_size, slide_size, bleed, cmyk, draft, on_note, processes and can_fork())


def _build(briefing, kinds, selection, style, content_dir, output_dir, output_file, page_size, slide_size,
           bleed, cmyk, draft, on_note, fork: bool) -> BuildResult:
    chosen, theme, child = _start(briefing, style, content_dir, selection, kinds, slide_size, draft, fork)
    try:
        result = BuildResult(briefing=chosen, theme=theme)

        def note(message: str) -> None:
            result.notes.append(message)
            log.info(message)
            if on_note:
                on_note(message)

        for read_note in chosen.notes:  # what reading the content noticed (links kept as plain text)
            note(str(read_note))

        if output_file:
            base = Path(output_file)
            base = base.with_suffix("") if base.suffix.lower() in (".pdf", ".pptx") else base
        else:
            base = Path(output_dir) / output_stem(chosen)
        outputs: dict[str, bytes] = {}
        for kind in kinds:
            if kind == "pdf":
                outputs[kind], notes = _render_pdf(chosen, theme, page_size, bleed, cmyk, draft)
            else:
                outputs[kind], notes = child.result() if child else _render_pptx(chosen, theme, slide_size, draft)
            for n in notes:
                note(n)
    finally:
        if child:
            child.close()
    rendered = [(base.with_name(base.name + "." + kind), outputs[kind]) for kind in kinds]
    write_all_atomic(rendered)
    result.files.extend(path for path, _ in rendered)
    return result


def _render_pdf(briefing: Briefing, theme: Theme, page_size, bleed, cmyk, draft) -> tuple[bytes, list[str]]:
    from .load.fonts import metrics
    from .render.pdf import PdfOptions, render_pdf

    options = PdfOptions(page_size=page_size, bleed=bleed, cmyk=cmyk, draft=draft)
    with collector_paused():
        return render_pdf(briefing, theme, options, metrics=metrics), []


def _start(briefing, style, content_dir, selection: Selection, kinds: tuple[str, ...],
           slide_size, draft: bool, fork: bool) -> tuple[Briefing, Theme, Forked | None]:
    """The chosen briefing and theme, and the forked process rendering the deck if there is one.

    When forking, inputs that must be read afresh are read by a forked child,
    which hands the model over and then renders the deck, while this process
    imports reportlab: reading and importing overlap instead of following one
    another. With cached inputs a forked child only renders the deck.
    """
    both = len(kinds) == 2
    key = cache_key(briefing, style, content_dir)
    inputs = cached(key)
    if inputs is None and fork:
        def read_then_deck():
            from .load.fonts import known_metrics

            full, theme = read_fresh(briefing, style, content_dir, key)
            chosen = _chosen(full, theme, selection)
            yield chosen, theme, known_metrics()  # the glyph check has read the text fonts already
            if both:
                yield _render_pptx(chosen, theme, slide_size, draft)

        child = Forked(read_then_deck)
        try:
            _import_renderer(kinds[0])
            chosen, theme, read_fonts = child.result()
            adopt_metrics(read_fonts)
        except BaseException:
            child.close()
            raise
        if not both:
            child.close()
            child = None
        return chosen, theme, child
    full, theme = inputs or read_fresh(briefing, style, content_dir, key)
    chosen = _chosen(full, theme, selection)
    child = Forked(lambda: iter([_render_pptx(chosen, theme, slide_size, draft)])) if both and fork else None
    return chosen, theme, child


def _import_renderer(kind: str) -> None:
    """Import a format's renderer ahead of use (its import is most of a small build's rendering cost)."""
    if kind == "pdf":
        from .render import pdf  # noqa: F401
    else:
        from .render import pptx, slides  # noqa: F401


def _render_pptx(briefing: Briefing, theme: Theme, slide_size, draft: bool = False) -> tuple[bytes, list[str]]:
    from .load.fonts import metrics
    from .render.pptx import render_pptx
    from .render.slides import plan_slides

    notes: list[str] = []
    plan = plan_slides(briefing, theme.with_slide_size(slide_size), on_note=notes.append, metrics=metrics,
                       draft=draft)
    return render_pptx(plan), notes


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
