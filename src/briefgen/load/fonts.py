"""Font files: character coverage and advance widths, read with fontTools.

Both renderers and the glyph check use this module; it imports neither reportlab
nor python-pptx, so a deck-only build measures text with the same metrics that
the PDF embeds.
"""

from __future__ import annotations

import logging
from pathlib import Path

from ..errors import Problem, RenderError
from ..model import Briefing, section_texts
from ..theme import FALLBACK_ROLE, FontMetrics  # noqa: F401 - re-exported

_IGNORED = frozenset("\n\t\r\u00ad\u200b\u200c\u200d\u2060\ufeff")


_read: dict[Path, FontMetrics] = {}


def metrics(path: Path) -> FontMetrics:
    """The metrics of a font file, read once per process and kept in the cache between runs."""
    found = _read.get(path)
    if found is None:
        found = _read[path] = _metrics(path)
    return found


def known_metrics() -> dict[Path, FontMetrics]:
    """Every font read so far in this process (to hand to another process that will need them)."""
    return dict(_read)


def adopt_metrics(read: dict[Path, FontMetrics]) -> None:
    """Take fonts another process has read."""
    for path, found in read.items():
        _read.setdefault(path, found)


def forget_metrics() -> None:
    """Read every font afresh from now on (its cached metrics still count)."""
    _read.clear()


_METRICS = tuple[dict[int, float], float, float, float]  # a font's cache entry: widths, default width, ascent, descent


def _metrics(path: Path) -> FontMetrics:
    from .. import cache

    try:
        st = path.stat()
        key = (str(path.resolve()), st.st_size, st.st_mtime_ns)
    except OSError:
        key = None
    kept = cache.load("fonts", key, _METRICS) if key else None
    if kept is not None:
        widths, default_width, ascent, descent = kept
        return FontMetrics(path=path, widths=widths, default_width=default_width, ascent=ascent, descent=descent)
    found = _read_metrics(path)
    if key:
        cache.store("fonts", key, (found.widths, found.default_width, found.ascent, found.descent), _METRICS)
    return found


def _read_metrics(path: Path) -> FontMetrics:
    from fontTools.ttLib import TTFont

    # fontTools warns about odd 'head' timestamps in several shipped fonts; harmless, and noise for users
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    try:
        font = TTFont(str(path), lazy=True)
        upm = font["head"].unitsPerEm
        cmap = font.getBestCmap() or {}
        hmtx = font["hmtx"].metrics
        hhea = font["hhea"]
        widths = {cp: hmtx[name][0] / upm for cp, name in cmap.items() if name in hmtx}
        space = widths.get(32, 0.25)
        return FontMetrics(path=path, widths=widths, default_width=space,
                           ascent=hhea.ascent / upm, descent=hhea.descent / upm)
    except Exception as exc:  # a damaged or non-TrueType file named by a style
        raise RenderError(Problem(f"cannot read font file: {exc}", file=path)) from None


def check_coverage(briefing: Briefing, theme) -> None:
    """Raise RenderError naming every character that neither the body, heading nor fallback font can draw.

    Each character is reported once, with the first section and field it occurs in
    and its code point.
    """
    faces = [metrics(theme.fonts[r].regular) for r in ("body", "heading") if r in theme.fonts]
    covered = frozenset.intersection(*(f.charset for f in faces)) if faces else frozenset()
    fallback = None  # read only when the text fonts miss something
    missing: dict[str, tuple[str | None, str]] = {}
    checked: set[str] = set()
    for sid, fname, text in section_texts(briefing):
        for ch in set(text) - checked - covered:
            checked.add(ch)
            if ch in _IGNORED or ch.isspace():
                continue
            if fallback is None and FALLBACK_ROLE in theme.fonts:
                fallback = metrics(theme.fonts[FALLBACK_ROLE].regular)
            if fallback is not None and fallback.covers(ch):
                continue
            missing[ch] = (sid, fname)
    if missing:
        problems = []
        for ch, (sid, fname) in sorted(missing.items(), key=lambda kv: ord(kv[0])):
            sec = briefing.section(sid) if sid else None
            problems.append(Problem(
                f"character '{ch}' (U+{ord(ch):04X}) is in no font of style '{theme.name}'; "
                "remove it or use a style whose fonts cover it",
                file=sec.file if sec else briefing.root / "briefing.yaml", field=fname))
        raise RenderError(problems)
