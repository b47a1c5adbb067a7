"""The deck's fonts in a PDF: the Office family names a SlidePlan uses, mapped back to the Theme's TrueType
files, registered with reportlab only when a face is first drawn, and embedded as subsets."""

from __future__ import annotations

from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from ...errors import RenderError
from ...theme import FALLBACK_ROLE, FontRole, MetricsLookup, Theme

_WHITESPACE = frozenset(" \u00a0\t\n")


def font_name(path: Path) -> str:
    """The reportlab name of a font file (the printed briefing names its files the same way, so a process
    building both registers each file once)."""
    return "bg-" + path.stem


class Faces:
    """The faces a deck is drawn with: family name and weight to a registered reportlab font.

    A family the Theme does not know (a plan made with another style) is drawn
    with the body role; characters a face lacks are drawn with the fallback role
    when the style has one, as PowerPoint would substitute a font for them.
    """

    def __init__(self, theme: Theme, metrics: MetricsLookup):
        self._metrics = metrics
        self._roles: dict[str, FontRole] = {}
        for role in theme.fonts.values():
            if role.role != FALLBACK_ROLE:
                self._roles.setdefault(role.family, role)
        self._body = theme.fonts["body"]
        self._fallback = theme.fonts.get(FALLBACK_ROLE)
        self._names: dict[tuple[str, bool, bool], str] = {}
        self._paths: dict[str, Path] = {}

    def role(self, family: str) -> FontRole:
        return self._roles.get(family, self._body)

    def name(self, family: str, bold: bool = False, italic: bool = False) -> str:
        """The registered reportlab font for a family and weight (registering its file the first time)."""
        key = (family, bold, italic)
        found = self._names.get(key)
        if found is None:
            found = self._names[key] = self._register(self.role(family).file(bold, italic))
        return found

    def fallback(self) -> str | None:
        return self._register(self._fallback.regular) if self._fallback else None

    def _register(self, path: Path) -> str:
        name = font_name(path)
        if name not in self._paths:
            if name not in pdfmetrics.getRegisteredFontNames():
                try:
                    pdfmetrics.registerFont(TTFont(name, str(path)))
                except Exception as exc:  # a broken file is the style's problem, named as such
                    raise RenderError(f"{path}: cannot use this font file: {exc}") from None
            self._paths[name] = path
        return name

    def width(self, text: str, name: str, size: float) -> float:
        return pdfmetrics.stringWidth(text, name, size)

    def pieces(self, text: str, name: str) -> list[tuple[str, str]]:
        """``text`` as (font, text) pieces: one piece in ``name`` unless some characters need the fallback."""
        charset = self._metrics(self._paths[name]).charset
        missing = set(text) - charset - _WHITESPACE
        fallback = self.fallback() if missing else None
        if not fallback:
            return [(name, text)]
        out: list[tuple[str, str]] = []
        for ch in text:
            face = fallback if ch in missing else name
            if out and out[-1][0] == face:
                out[-1] = (face, out[-1][1] + ch)
            else:
                out.append((face, ch))
        return out
