"""Where briefings and styles are found: names and paths to files, with nothing parsed.

Kept apart from the loaders so that finding an input (and checking a cached
build of it) needs neither the YAML, Markdown nor validation libraries.
"""

from __future__ import annotations

import difflib
from pathlib import Path

from ..errors import ContentError, Problem, StyleError
from .files import is_dir, is_file

PACKAGE_DIR = Path(__file__).resolve().parent.parent
FONT_DIR = PACKAGE_DIR / "fonts"
DEFAULT_STYLE = "formal"
DEFAULT_CONTENT_DIR = Path("content")
DEFAULT_BRIEFING = "us-mexico"


def find_briefing(ref: str | Path | None, content_dir: Path | None = None) -> Path:
    """The folder of a briefing named by id (under ``content/``) or by path; default: us-mexico."""
    content_dir = Path(content_dir) if content_dir else DEFAULT_CONTENT_DIR
    if ref is None:
        ref = DEFAULT_BRIEFING
    ref_path = Path(ref)
    candidates = [ref_path] if (ref_path.is_absolute() or len(ref_path.parts) > 1) else [content_dir / ref_path,
                                                                                          ref_path]
    for c in candidates:
        if is_file(c / "briefing.yaml"):
            return c
    known = list_briefings(content_dir)
    msg = f"no briefing '{ref}': expected a folder with a briefing.yaml"
    close = difflib.get_close_matches(str(ref), known, n=2)
    if close:
        msg += f"; did you mean {' or '.join(repr(c) for c in close)}?"
    elif known:
        msg += f" (briefings under {content_dir}: {', '.join(known)})"
    raise ContentError(Problem(msg, file=candidates[0]))


def list_briefings(content_dir: Path | None = None) -> list[str]:
    """The ids of the briefings under the content folder, sorted."""
    content_dir = Path(content_dir) if content_dir else DEFAULT_CONTENT_DIR
    if not is_dir(content_dir):
        return []
    return sorted(p.parent.name for p in content_dir.glob("*/briefing.yaml"))


def style_dirs() -> list[Path]:
    """Where named styles are looked up: ./styles first, then the styles shipped in the package
    (``src/briefgen/styles`` links to the repository's ``styles/``, and wheels carry the files)."""
    return [Path("styles"), PACKAGE_DIR / "styles"]


def find_style(ref: str | Path | None, relative_to: Path | None = None) -> Path:
    """The file of a style named by name or by path."""
    ref = ref or DEFAULT_STYLE
    p = Path(ref)
    if p.suffix in (".yaml", ".yml") or len(p.parts) > 1:
        for cand in ([relative_to / p] if relative_to and not p.is_absolute() else []) + [p]:
            if is_file(cand):
                return cand
        raise StyleError(Problem(f"no style file '{ref}'", file=p))
    for d in ([relative_to] if relative_to else []) + style_dirs():
        cand = d / f"{ref}.yaml"
        if is_file(cand):
            return cand
    known = sorted(list_styles())
    close = difflib.get_close_matches(str(ref), known, n=1)
    hint = f"; did you mean '{close[0]}'?" if close else f" (styles: {', '.join(known)})"
    raise StyleError(Problem(f"unknown style '{ref}'{hint}", field="--style"))


def list_styles() -> dict[str, Path]:
    """Every named style found, name → file (the first found wins)."""
    out: dict[str, Path] = {}
    for d in style_dirs():
        if is_dir(d):
            for f in sorted(d.glob("*.yaml")):
                out.setdefault(f.stem, f)
    return out
