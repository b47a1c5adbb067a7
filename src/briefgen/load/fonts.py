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

MAX_FONT_BYTES = 50 * 1024 * 1024  # the largest shipped font is 0.7 MB; a whole CJK font is about 20 MB
# the tables the PDF writer reads from a TrueType font to embed it, and fontTools to measure it
_REQUIRED_TABLES = ("head", "hhea", "maxp", "hmtx", "cmap", "name", "post", "glyf", "loca")


def font_file_problem(path: Path) -> str | None:
    """What makes ``path`` unusable as a style's font file, as the end of a sentence, or None.

    Only the header, the table directory and a few fields are read (never the
    whole file): the size (at most :data:`MAX_FONT_BYTES`), that it is a TrueType
    font (an OpenType font with PostScript outlines, a collection or a web font
    cannot be embedded), that every table it needs is there and inside the file,
    and that the fields the PDF writer checks before using it hold what it expects.
    """
    import os
    import stat
    import struct

    try:
        st = os.stat(path)
        if not stat.S_ISREG(st.st_mode):
            return "is not a regular file"
        size = st.st_size
        if size > MAX_FONT_BYTES:
            return f"is {size:,} bytes; the limit for a font file is {MAX_FONT_BYTES:,}"
        with open(path, "rb") as fh:
            header = fh.read(12)
            kind = header[:4]
            if kind == b"OTTO":
                return ("is an OpenType font with PostScript (CFF) outlines, which the PDF cannot embed; "
                        "use a TrueType (.ttf) font")
            if kind == b"ttcf":
                return "is a font collection (.ttc); name a single TrueType font file (.ttf)"
            if kind in (b"wOFF", b"wOF2"):
                return "is a web font (WOFF); name the TrueType (.ttf) file"
            if len(header) < 12 or kind not in (b"\x00\x01\x00\x00", b"true"):
                return "is not a TrueType font file (.ttf): it does not start like one"
            (count,) = struct.unpack(">H", header[4:6])
            directory = fh.read(16 * count)
            if count == 0 or len(directory) < 16 * count:
                return "is truncated or damaged (its table directory is incomplete)"
            tables = {}
            for i in range(count):
                tag, _, offset, length = struct.unpack(">4sLLL", directory[16 * i: 16 * i + 16])
                if offset + length > size:
                    return (f"is truncated or damaged (its '{tag.decode('latin-1').strip()}' table "
                            "ends past the end of the file)")
                tables[tag.decode("latin-1")] = (offset, length)
            missing = [t for t in _REQUIRED_TABLES if t not in tables]
            if missing:
                return f"lacks the '{missing[0]}' table a TrueType font needs; it is damaged or not a text font"

            def field(table: str, at: int, fmt: str) -> int | None:
                offset, length = tables[table]
                if at + struct.calcsize(fmt) > length:
                    return None
                fh.seek(offset + at)
                return struct.unpack(fmt, fh.read(struct.calcsize(fmt)))[0]

            if field("head", 52, ">h") != 0 or field("hhea", 32, ">h") != 0 or not field("hhea", 34, ">H") \
                    or field("maxp", 0, ">H") != 1:
                return "is damaged or of a kind the PDF writer cannot read (its head, hhea or maxp table)"
    except OSError as exc:
        return f"cannot be read: {exc.strerror or exc}"
    return None


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


def drawn_texts(briefing: Briefing, theme):
    """Every text a build draws, as (file, field, text): the briefing's (:func:`model.section_texts`) and the
    literal words of the style's running header and footer (``{title}`` and the like are filled from the
    briefing, which is checked already)."""
    import re

    meta = briefing.root / "briefing.yaml"
    for sid, fname, text in section_texts(briefing):
        yield (briefing.section(sid).file if sid else meta), fname, text
    for where in ("header", "footer"):
        running = getattr(theme.page, where)
        for part in ("left", "center", "right"):
            words = re.sub(r"\{\w+\}", " ", getattr(running, part) or "")
            if words.strip():
                yield theme.file, f"page.{where}.{part}", words


def check_coverage(briefing: Briefing, theme) -> None:
    """Raise RenderError naming every character that neither the body, heading nor fallback font can draw.

    Each character is reported once, with the first file and field it occurs in
    and its code point; every text field a build draws is checked (:func:`drawn_texts`).
    """
    faces = [metrics(theme.fonts[r].regular) for r in ("body", "heading") if r in theme.fonts]
    covered = frozenset.intersection(*(f.charset for f in faces)) if faces else frozenset()
    fallback = None  # read only when the text fonts miss something
    missing: dict[str, tuple[Path, str]] = {}
    checked: set[str] = set()
    for file, fname, text in drawn_texts(briefing, theme):
        for ch in set(text) - checked - covered:
            checked.add(ch)
            if ch in _IGNORED or ch.isspace():
                continue
            if fallback is None and FALLBACK_ROLE in theme.fonts:
                fallback = metrics(theme.fonts[FALLBACK_ROLE].regular)
            if fallback is not None and fallback.covers(ch):
                continue
            missing[ch] = (file, fname)
    if missing:
        problems = []
        for ch, (file, fname) in sorted(missing.items(), key=lambda kv: ord(kv[0])):
            problems.append(Problem(
                f"character '{ch}' (U+{ord(ch):04X}) is in no font of style '{theme.name}'; "
                "remove it or use a style whose fonts cover it", file=file, field=fname))
        raise RenderError(problems)
