"""Watching a briefing: build it once, then again whenever an input of the build changes.

The inputs are what the input cache compares (see :func:`briefgen.inputs._inputs_of`):
every file under the briefing folder, each style file of the theme's chain, each
font and logo file it names, and the folders a style or font is looked up in (a
file appearing there may now be found first). Their folders are watched one by
one, not recursively, so a style kept in a big folder costs one watch, not one per
folder below it; the set is worked out again after every build.

A failed build changes no output (builds write atomically), so the last good
files stay in place until an edit fixes the input. Rebuilds run in this process:
its modules, fonts and cached reads stay loaded, which is what makes them fast.
"""

from __future__ import annotations

import os
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import watchfiles
from watchfiles import Change

from .api import BuildResult, build
from .errors import BriefgenError, UsageError
from .load.locate import find_briefing, find_style, style_dirs

QUIET_MS = 50  # a rebuild starts once the inputs have been still this long...
DEBOUNCE_MS = 1600  # ...or once changes have kept coming for this long
POLL_MS = 500  # how often the wait looks up from the watcher (to see a new watcher is in place)
# a build's own outputs and the temporary files they are written through are never inputs
_OUTPUT = re.compile(r"\.(pdf|pptx)$|^\..+\.(pdf|pptx)\.[^.]+\.tmp$", re.IGNORECASE)


@dataclass(frozen=True)
class Rebuild:
    """One build of a watch: what set it off (nothing for the first), what it wrote or why it failed."""

    changed: tuple[Path, ...]
    seconds: float
    result: BuildResult | None = None
    error: BaseException | None = None


@dataclass(frozen=True)
class Inputs:
    """What a build read: the briefing folder, the files it depends on outside it, and the lookup folders."""

    folder: Path
    files: frozenset[Path]
    lookup: frozenset[Path]

    def folders(self) -> list[Path]:
        """The folders to watch: every folder under the briefing folder, and each other input's folder."""
        found: set[Path] = set()
        seen: set[tuple[int, int]] = set()
        for dirpath, dirnames, _ in os.walk(self.folder, followlinks=True):
            st = os.stat(dirpath)
            if (st.st_dev, st.st_ino) in seen:  # a link back up the tree
                dirnames[:] = []
                continue
            seen.add((st.st_dev, st.st_ino))
            found.add(Path(dirpath))
        found |= {f.parent for f in self.files} | self.lookup
        return sorted(d for d in found if d.is_dir())

    def covers(self, change, path: str) -> bool:
        """Whether a change to ``path`` can change what a build reads."""
        p = Path(path)
        if _OUTPUT.search(p.name):
            return False
        if p in self.files or p.is_relative_to(self.folder):
            return True
        return p.parent in self.lookup and change != Change.modified  # a name appearing or going

    def stamp(self) -> tuple:
        """Size and modification time of every input, to compare with an earlier stamp (no file is read)."""
        def state(path: Path) -> tuple:
            try:
                st = os.stat(path)
            except OSError:
                return (str(path),)
            return str(path), st.st_size, st.st_mtime_ns

        tree: list = []
        for d, dirs, names in os.walk(self.folder):  # a folder by its name: its time changes with each output
            tree += [os.path.join(d, name) for name in dirs]
            tree += [state(Path(d) / name) for name in names if not _OUTPUT.search(name)]
        return (*tree, *(state(f) for f in sorted(self.files)),
                *(tuple(sorted(n for n in os.listdir(d) if not _OUTPUT.search(n))) for d in sorted(self.lookup)
                  if d.is_dir()))


def watch(briefing: str | Path | None = None, *, style: str | Path | None = None, content_dir: Path | None = None,
          on_build: Callable[[Rebuild], None] | None = None, stop=None, quiet_ms: int = QUIET_MS,
          debounce_ms: int = DEBOUNCE_MS, **options) -> None:
    """Build, then build again after each change to an input, until ``stop`` (anything with ``is_set()``)
    is set or the user presses Ctrl-C (``KeyboardInterrupt`` propagates).

    ``options`` are :func:`briefgen.build`'s. Each build is handed to ``on_build``
    as a :class:`Rebuild`; a failed one carries its error instead of raising it,
    and the watch goes on. A :class:`UsageError` (options that can never build)
    and a briefing that cannot be found end it.
    """
    folder = find_briefing(briefing, content_dir).resolve()
    options.pop("processes", None)  # the watcher runs a thread: this process must not fork
    inputs = Inputs(folder, frozenset(_style_file(style)), frozenset(_lookup_folders(())))
    current = {"inputs": inputs}
    noise = watchfiles.DefaultFilter(ignore_dirs=())  # editors' swap and backup files

    def relevant(change, path: str) -> bool:
        return noise(change, path) and current["inputs"].covers(change, path)

    changes = None
    watched: list[Path] | None = None
    changed: tuple[Path, ...] = ()
    try:
        while True:
            basis, before = inputs, inputs.stamp()
            outcome = _attempt(changed, lambda: build(briefing, style=style, content_dir=content_dir, **options))
            inputs = current["inputs"] = _inputs_after(outcome, folder, style, inputs)
            if on_build:
                on_build(outcome)
            folders = inputs.folders()
            fresh = folders != watched
            if fresh:  # a new watcher sees changes only from when it is in place
                if changes is not None:
                    changes.close()
                changes = watchfiles.watch(*folders, watch_filter=relevant, debounce=debounce_ms, step=quiet_ms,
                                           stop_event=stop, rust_timeout=POLL_MS, yield_on_timeout=True,
                                           recursive=False)
                watched = folders
            found = _next_change(changes, basis, before if fresh else None)
            if found is None:
                return
            changed = found
    finally:
        if changes is not None:
            changes.close()


def _attempt(changed: tuple[Path, ...], run: Callable[[], BuildResult]) -> Rebuild:
    started = time.perf_counter()
    try:
        result = run()
    except UsageError:  # options that no edit can fix
        raise
    except Exception as exc:  # noqa: BLE001 - a broken edit is reported and the watch goes on
        return Rebuild(changed, time.perf_counter() - started, error=exc)
    return Rebuild(changed, time.perf_counter() - started, result=result)


def _next_change(changes, basis: Inputs, before: tuple | None) -> tuple[Path, ...] | None:
    """The paths of the next batch of changes, or None once the watch is told to stop.

    ``before`` is the inputs' stamp from when the last build started, given when
    the watcher is new: once it is in place, anything changed since then (during
    the build, or before the watcher saw it) counts as a change.
    """
    for batch in changes:
        if batch:
            return tuple(sorted({Path(path) for _, path in batch}))
        if before is not None:
            if basis.stamp() != before:
                return (basis.folder,)
            before = None
    return None


def _inputs_after(outcome: Rebuild, folder: Path, style, previous: Inputs) -> Inputs:
    """The inputs to watch after a build: the theme's files when it got that far, else those known before,
    and any file a problem was found in."""
    if outcome.result is not None:
        theme = outcome.result.theme
    else:
        theme = _theme_alone(style)
    if theme is not None:
        files = {p.resolve() for p in theme.input_files()}
        lookup = _lookup_folders(theme.sources) | {theme.file.resolve().parent}
    else:
        files, lookup = set(previous.files), set(previous.lookup)
    if isinstance(outcome.error, BriefgenError):
        files |= {Path(p.file).resolve() for p in outcome.error.problems if p.file and Path(p.file).is_file()}
    return Inputs(folder, frozenset(files), frozenset(lookup))


def _theme_alone(style):
    """The theme read by itself (when the briefing failed), or None when the style is what failed."""
    from .load.style import load_theme

    try:
        return load_theme(style)
    except BriefgenError:
        return None


def _style_file(style) -> set[Path]:
    try:
        return {find_style(style).resolve()}
    except BriefgenError:
        return set()


def _lookup_folders(sources) -> set[Path]:
    """Where a style is looked up, and the folder of each style file read (fonts are looked up there too)."""
    return {d.resolve() for d in style_dirs()} | {Path(p).resolve().parent for p in sources}
