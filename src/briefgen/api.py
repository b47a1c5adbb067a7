"""The library API under the CLI: load, check and build briefings."""

from __future__ import annotations

import gc
import logging
import os
import signal
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from .errors import BriefgenError, ContentError, RenderError, SelectionError, StyleError, UsageError
from .fonts import adopt_metrics, check_coverage
from .formats import Format
from .locate import find_briefing, find_style, style_dirs
from .model import Briefing
from .output import output_stem, write_all_atomic
from .selection import Selection, select
from .styling import PAGE_SIZES, SLIDE_SIZES, Theme

log = logging.getLogger("briefgen")
_ERRORS = {c.__name__: c for c in (BriefgenError, ContentError, RenderError, SelectionError, StyleError, UsageError)}


@dataclass
class BuildResult:
    """What a build wrote and what it noticed on the way (splits, shrinks)."""

    briefing: Briefing
    theme: Theme
    files: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def prepare(briefing: str | Path | None = None, *, sections: str | Iterable[str] | None = None,
            exclude: str | Iterable[str] | None = None, preset: str | None = None, style: str | Path | None = None,
            content_dir: Path | None = None) -> tuple[Briefing, Theme]:
    """The selected briefing and its theme, validated, glyphs checked; nothing rendered."""
    selection = _selection(sections, exclude, preset)
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


def read_inputs(briefing: str | Path | None, style: str | Path | None,
                 content_dir: Path | None) -> tuple[Briefing, Theme]:
    """The whole briefing and the theme, from the cache when none of their inputs changed (see cache.py)."""
    key = _cache_key(briefing, style, content_dir)
    return _cached(key) or _read_fresh(briefing, style, content_dir, key)


_INPUTS = tuple[Briefing, Theme]  # what a read produces, and the type its cache entries are decoded into


def _cache_key(briefing, style, content_dir) -> tuple | None:
    try:
        folder = find_briefing(briefing, content_dir).resolve()
        style_file = find_style(style).resolve()
        return (str(folder), str(style_file), os.getcwd())
    except (BriefgenError, OSError):
        return None  # not found: the full read reports it together with any other problem


def _cached(key: tuple | None) -> tuple[Briefing, Theme] | None:
    if key is None:
        return None
    from . import cache

    with _collector_paused():  # decoding builds a large tree of objects that cannot be garbage yet
        return cache.load("inputs", key, _INPUTS)


def _chosen_fresh(briefing, style, content_dir, key, selection) -> tuple[Briefing, Theme]:
    full, theme = _read_fresh(briefing, style, content_dir, key)
    return _chosen(full, theme, selection), theme


def _read_fresh(briefing, style, content_dir, key: tuple | None) -> tuple[Briefing, Theme]:
    """Read, validate and parse every input (and keep the result in the cache under ``key``)."""
    from . import cache

    started = time.time_ns()
    from .content import load_briefing
    from .theme import load_theme

    # style and content are both checked before either error is raised: one run reports everything
    problems: list = []
    theme = full = None
    with _collector_paused():
        try:
            theme = load_theme(style)
        except StyleError as exc:
            problems.extend(exc.problems)
        try:
            full = load_briefing(briefing, content_dir)
        except ContentError as exc:
            problems.extend(exc.problems)
    if problems:
        raise (StyleError if theme is None and full is not None else ContentError)(problems)
    if key is not None:
        cache.store("inputs", key, (full, theme), _INPUTS, _inputs_of(Path(key[0]), theme), started)
    return full, theme


def _inputs_of(folder: Path, theme: Theme) -> list[tuple[Path, str]]:
    """Every path whose change could change a read briefing or theme, with how to compare it (cache.py)."""
    from .locate import FONT_DIR, PACKAGE_DIR

    inputs = [(folder, "tree")]
    # the style folders by their names (a style appearing where a lookup would now find it first),
    # each style file read, and each font and logo file by its content
    folders = {d.resolve() for d in style_dirs()} | {p.resolve().parent for p in theme.sources}
    inputs += [(d, "names") for d in sorted(folders)]
    files = {p.resolve() for p in theme.sources}
    files |= {p.resolve() for role in theme.fonts.values()
              for p in (role.regular, role.bold, role.italic, role.bold_italic)}
    if theme.logo:
        files.add(theme.logo.resolve())
    # a font found among the shipped ones would be found first beside the style file, were one put there
    beside = theme.file.resolve().parent
    files |= {beside / f.relative_to(FONT_DIR) for f in set(files) if f.is_relative_to(FONT_DIR)}
    # files inside the package are covered by the cache's code stamp
    inputs += [(f, "file") for f in sorted(files) if not f.is_relative_to(PACKAGE_DIR)]
    return inputs


def build(briefing: str | Path | None = None, *, format: Format | str = Format.all,
          sections: str | Iterable[str] | None = None, exclude: str | Iterable[str] | None = None,
          preset: str | None = None, style: str | Path | None = None, output_dir: str | Path = "output",
          output_file: str | Path | None = None, content_dir: Path | None = None, page_size: str | None = None,
          slide_size: str | None = None, bleed: bool = False, cmyk: bool = False, draft: bool = False,
          on_note: Callable[[str], None] | None = None) -> BuildResult:
    """Render a briefing to PDF and/or PPTX and write the files atomically.

    Both outputs are rendered in memory before either is written, so a failure in
    one leaves every previous file untouched. ``output_file`` names the file (its
    extension is replaced per format); otherwise names follow
    :func:`briefgen.output.output_stem`.
    """
    fmt = Format(format)
    if page_size is not None and page_size not in PAGE_SIZES:
        raise UsageError(f"unknown page size '{page_size}': use {', '.join(PAGE_SIZES)}")
    if slide_size is not None and slide_size not in SLIDE_SIZES:
        raise UsageError(f"unknown slide size '{slide_size}': use {', '.join(SLIDE_SIZES)}")
    kinds = fmt.expand()
    selection = _selection(sections, exclude, preset)
    chosen, theme, child = _start(briefing, style, content_dir, selection, kinds, slide_size)
    try:
        result = BuildResult(briefing=chosen, theme=theme)

        def note(message: str) -> None:
            result.notes.append(message)
            log.info(message)
            if on_note:
                on_note(message)

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
                outputs[kind], notes = child.result() if child else _render_pptx(chosen, theme, slide_size)
            for n in notes:
                note(n)
    finally:
        if child:
            child.close()
    rendered = [(base.with_name(base.name + "." + kind), outputs[kind]) for kind in kinds]
    write_all_atomic(rendered)
    result.files.extend(path for path, _ in rendered)
    return result


def build_many(briefings: list[str | Path], *, jobs: int = 1, on_note: Callable[[str], None] | None = None,
               progress: bool = False, **options) -> tuple[list[Path], list[BriefgenError]]:
    """Build several briefings; returns the files written and the errors of those that failed.

    A failing briefing does not stop the others. With ``jobs`` > 1 the briefings
    are built in that many worker processes (each renders its two formats in turn,
    so the workers alone share out the cores). ``progress`` shows a progress bar.
    """
    files: list[Path] = []
    failures: list[BriefgenError] = []
    bar = _progress(len(briefings)) if progress else None
    try:
        if jobs <= 1:
            for ref in briefings:
                try:
                    files.extend(build(ref, on_note=on_note, **options).files)
                except BriefgenError as exc:
                    failures.append(exc)
                if bar:
                    bar.advance(str(ref))
        else:
            from concurrent.futures import ProcessPoolExecutor
            import multiprocessing as mp

            ctx = mp.get_context("fork") if _can_fork() else None
            with ProcessPoolExecutor(max_workers=jobs, mp_context=ctx) as pool:
                futures = {pool.submit(_build_in_worker, ref, options): ref for ref in briefings}
                from concurrent.futures import as_completed

                for future in as_completed(futures):
                    kind, payload, notes = future.result()
                    for n in notes:
                        if on_note:
                            on_note(n)
                    if kind == "ok":
                        files.extend(payload)
                    else:
                        failures.append(_ERRORS.get(payload[0], BriefgenError)(payload[1]))
                    if bar:
                        bar.advance(str(futures[future]))
    finally:
        if bar:
            bar.close()
    return files, failures


def _build_in_worker(ref, options):
    import os

    os.environ["BRIEFGEN_NO_FORK"] = "1"  # the pool already uses the cores
    notes: list[str] = []
    try:
        return "ok", build(ref, on_note=notes.append, **options).files, notes
    except BriefgenError as exc:
        return "problems", (type(exc).__name__, exc.problems), notes


class _progress:
    """A rich progress bar on stderr, for runs over many briefings in a terminal."""

    def __init__(self, total: int):
        from rich.progress import Progress

        self._bar = Progress(transient=True)
        self._bar.start()
        self._task = self._bar.add_task("building", total=total)

    def advance(self, name: str) -> None:
        self._bar.update(self._task, advance=1, description=f"built {name}")

    def close(self) -> None:
        self._bar.stop()


def _render_pdf(briefing: Briefing, theme: Theme, page_size, bleed, cmyk, draft) -> tuple[bytes, list[str]]:
    from .render.pdf import PdfOptions, render_pdf

    with _collector_paused():
        return render_pdf(briefing, theme, PdfOptions(page_size=page_size, bleed=bleed, cmyk=cmyk, draft=draft)), []


@contextmanager
def _collector_paused():
    """Python's cycle collector off for the duration.

    Laying out a PDF allocates millions of short-lived objects that reference
    counting frees; the collector keeps rescanning everything alive (fonts,
    modules, the story) and found nothing worth freeing: measured, a fifth of
    the time of a 700-page PDF and the same peak memory without it. The deck is
    rendered with the collector on: python-pptx's XML trees do leave cycles.
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _start(briefing, style, content_dir, selection: Selection, kinds: tuple[str, ...],
           slide_size) -> tuple[Briefing, Theme, _Forked | None]:
    """The chosen briefing and theme, and the forked process rendering the deck if there is one.

    On a multi-core Linux machine (BRIEFGEN_NO_FORK=1 keeps everything in one
    process) inputs that must be read afresh are read by a forked child, which
    hands the model over and then renders the deck, while this process imports
    reportlab: reading and importing overlap instead of following one another.
    With cached inputs a forked child only renders the deck.
    """
    both = len(kinds) == 2
    key = _cache_key(briefing, style, content_dir)
    inputs = _cached(key)
    if inputs is None and _can_fork():
        def read_then_deck():
            from .fonts import known_metrics

            chosen, theme = _chosen_fresh(briefing, style, content_dir, key, selection)
            yield chosen, theme, known_metrics()  # the glyph check has read the text fonts already
            if both:
                yield _render_pptx(chosen, theme, slide_size)

        child = _Forked(read_then_deck)
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
    full, theme = inputs or _read_fresh(briefing, style, content_dir, key)
    chosen = _chosen(full, theme, selection)
    child = _Forked(lambda: iter([_render_pptx(chosen, theme, slide_size)])) if both and _can_fork() else None
    return chosen, theme, child


def _import_renderer(kind: str) -> None:
    """Import a format's renderer ahead of use (its import is most of a small build's rendering cost)."""
    if kind == "pdf":
        from .render import pdf  # noqa: F401
    else:
        from .render import pptx, slides  # noqa: F401


def _render_pptx(briefing: Briefing, theme: Theme, slide_size) -> tuple[bytes, list[str]]:
    from .render.pptx import render_pptx
    from .render.slides import plan_slides

    notes: list[str] = []
    plan = plan_slides(briefing, theme.with_slide_size(slide_size), on_note=notes.append)
    return render_pptx(plan), notes


class _Forked:
    """A generator run in a forked child; each ``result()`` gives its next value or raises what stopped it.

    A bare ``os.fork`` and a pipe carrying pickles: multiprocessing would do the same after an
    import that costs more than the fork itself.
    """

    def __init__(self, fn: Callable[[], Iterator[object]]):
        import pickle

        read_end, write_end = os.pipe()
        try:  # room for a whole small model, so the child can go on without waiting for this process to read
            import fcntl

            fcntl.fcntl(write_end, getattr(fcntl, "F_SETPIPE_SZ", 1031), 1 << 20)
        except OSError:
            pass
        pid = os.fork()
        if pid == 0:  # the child: run, send its messages, and leave without running the parent's exit code
            try:
                os.close(read_end)
                with os.fdopen(write_end, "wb") as out:
                    try:
                        for value in fn():
                            pickle.dump(("ok", value), out, protocol=pickle.HIGHEST_PROTOCOL)
                            out.flush()
                        message = None
                    except BriefgenError as exc:
                        message = ("problems", (type(exc).__name__, exc.problems))
                    except BaseException as exc:  # noqa: BLE001 - reported by the parent as an internal error
                        message = ("crash", f"{type(exc).__name__}: {exc}")
                    if message:
                        pickle.dump(message, out, protocol=pickle.HIGHEST_PROTOCOL)
            finally:
                os._exit(0)
        os.close(write_end)
        self._pid: int | None = pid
        self._in = os.fdopen(read_end, "rb")

    def result(self):
        import pickle

        try:
            kind, payload = pickle.load(self._in)
        except (EOFError, pickle.UnpicklingError):  # the child ended without a word: killed, or out of memory
            kind, payload = "crash", f"the rendering process ended unexpectedly ({self._reap()})"
        if kind == "problems":
            raise _ERRORS.get(payload[0], BriefgenError)(payload[1])
        if kind == "crash":
            raise RuntimeError(payload)
        return payload

    def _reap(self) -> str:
        if self._pid is None:
            return "already reaped"
        _, status = os.waitpid(self._pid, 0)
        self._pid = None
        return f"exit status {os.waitstatus_to_exitcode(status)}"

    def close(self) -> None:
        """Stop the child unless it is done (a parent that failed first no longer wants its work), and reap it."""
        self._in.close()
        if self._pid is None:
            return
        done, _ = os.waitpid(self._pid, os.WNOHANG)
        if not done:
            try:
                os.kill(self._pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            os.waitpid(self._pid, 0)
        self._pid = None


def _can_fork() -> bool:
    import os
    import sys

    return sys.platform.startswith("linux") and (os.cpu_count() or 1) > 1 and not os.environ.get(
        "BRIEFGEN_NO_FORK")
