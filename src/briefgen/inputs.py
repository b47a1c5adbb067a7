"""The input stage of a build: the whole briefing and its theme, from the cache when nothing they were
read from has changed, else read, validated and parsed afresh (and kept in the cache)."""

from __future__ import annotations

import gc
import os
import time
from contextlib import contextmanager
from pathlib import Path

from .errors import BriefgenError, ContentError, StyleError
from .load.locate import FONT_DIR, PACKAGE_DIR, find_briefing, find_style, style_dirs
from .model import Briefing
from .theme import Theme


def read_inputs(briefing: str | Path | None, style: str | Path | None,
                content_dir: Path | None) -> tuple[Briefing, Theme]:
    """The whole briefing and the theme, from the cache when none of their inputs changed (see cache.py)."""
    key = cache_key(briefing, style, content_dir)
    return cached(key) or read_fresh(briefing, style, content_dir, key)


INPUTS = tuple[Briefing, Theme]  # what a read produces, and the type its cache entries are decoded into


def cache_key(briefing, style, content_dir) -> tuple | None:
    """What names a cache entry: the briefing folder, the style file and the working folder."""
    try:
        folder = find_briefing(briefing, content_dir).resolve()
        style_file = find_style(style).resolve()
        return (str(folder), str(style_file), os.getcwd())
    except (BriefgenError, OSError):
        return None  # not found: the full read reports it together with any other problem


def cached(key: tuple | None) -> tuple[Briefing, Theme] | None:
    """The cached briefing and theme under ``key``, or None."""
    if key is None:
        return None
    from . import cache

    with collector_paused():  # decoding builds a large tree of objects that cannot be garbage yet
        return cache.load("inputs", key, INPUTS)


def read_fresh(briefing, style, content_dir, key: tuple | None) -> tuple[Briefing, Theme]:
    """Read, validate and parse every input (and keep the result in the cache under ``key``)."""
    from . import cache

    started = time.time_ns()
    from .load.briefing import load_briefing
    from .load.style import load_theme

    # style and content are both checked before either error is raised: one run reports everything
    problems: list = []
    theme = full = None
    with collector_paused():
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
        cache.store("inputs", key, (full, theme), INPUTS, _inputs_of(Path(key[0]), theme), started)
    return full, theme


def _inputs_of(folder: Path, theme: Theme) -> list[tuple[Path, str]]:
    """Every path whose change could change a read briefing or theme, with how to compare it (cache.py)."""
    inputs = [(folder, "tree")]
    # the style folders by their names (a style appearing where a lookup would now find it first),
    # each style file read, and each font and logo file by its content
    folders = {d.resolve() for d in style_dirs()} | {p.resolve().parent for p in theme.sources}
    inputs += [(d, "names") for d in sorted(folders)]
    files = {p.resolve() for p in theme.input_files()}
    # a font found among the shipped ones would be found first beside the style file, were one put there
    beside = theme.file.resolve().parent
    files |= {beside / f.relative_to(FONT_DIR) for f in set(files) if f.is_relative_to(FONT_DIR)}
    # files inside the package are covered by the cache's code stamp
    inputs += [(f, "file") for f in sorted(files) if not f.is_relative_to(PACKAGE_DIR)]
    return inputs


@contextmanager
def collector_paused():
    """Python's cycle collector off for the duration, then as it was.

    Reading inputs and laying out a PDF allocate millions of short-lived objects
    that reference counting frees; the collector keeps rescanning everything
    alive (fonts, modules, the story) and finds nothing worth freeing: measured,
    a fifth of the time of a 700-page PDF and the same peak memory without it.
    The deck is rendered with the collector on: python-pptx's XML trees do leave
    cycles.
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()
