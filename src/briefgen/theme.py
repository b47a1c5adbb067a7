"""The resolved style both renderers read: plain frozen values, no schema.

:mod:`briefgen.theme` validates style files and builds these; keeping them apart
means reading a cached Theme, or rendering one, never builds a validation schema.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from .units import Length

PAGE_SIZES = {"letter": (612.0, 792.0), "a4": (595.2756, 841.8898), "legal": (612.0, 1008.0)}
SLIDE_SIZES = {"16:9": (960.0, 540.0), "4:3": (720.0, 540.0)}


class Settings(SimpleNamespace):
    """Validated style keys as read-only attributes (nested mappings become Settings too)."""

    @classmethod
    def of(cls, data: dict[str, Any]) -> Settings:
        out = cls()
        for key, value in data.items():
            if isinstance(value, dict):
                value = cls.of(value)
            elif isinstance(value, list):
                value = tuple(value)
            out.__dict__[key] = value
        return out

    def __setattr__(self, name: str, value: Any) -> None:
        raise dataclasses.FrozenInstanceError(f"cannot assign to field '{name}'")

    def replace(self, **changes: Any) -> Settings:
        out = type(self)()
        out.__dict__.update(self.__dict__, **changes)
        return out


@dataclass(frozen=True)
class FontRole:
    """A font role: the Office family name written into decks and the TrueType files behind it."""

    role: str
    family: str
    regular: Path
    bold: Path
    italic: Path
    bold_italic: Path

    def file(self, bold: bool, italic: bool) -> Path:
        return {(False, False): self.regular, (True, False): self.bold, (False, True): self.italic,
                (True, True): self.bold_italic}[(bold, italic)]


@dataclass(frozen=True)
class TextStyle:
    """A fully resolved text style: every field set, colours as hex."""

    name: str
    font: str  # role name
    size: float
    leading: float  # absolute, in points
    bold: bool
    italic: bool
    color: str
    space_before: float
    space_after: float
    align: str
    upper: bool
    tracking: float


@dataclass(frozen=True)
class Box:
    fill: str | None
    border: str | None
    border_width: float
    accent_width: float
    padding: float


@dataclass(frozen=True)
class Theme:
    """A style, resolved: what both renderers read for every size, colour and font."""

    name: str
    description: str
    file: Path
    colors: dict[str, str]
    cmyk: dict[str, tuple[float, float, float, float]]
    chart_palette: tuple[str, ...]
    fonts: dict[str, FontRole]
    text: dict[str, TextStyle]
    page: Settings  # the style's page: keys, as validated
    page_size: tuple[float, float]
    margins: dict[str, float]
    bleed: float
    key_points_box: Box
    fact_box: Box
    slide: Settings  # the style's slide: keys, as validated
    slide_size: tuple[float, float]
    logo: Path | None
    sources: tuple[Path, ...] = ()  # the style files read: this one, then each it extends

    def input_files(self) -> set[Path]:
        """Every file this theme was made from: its style files, each font face and the logo."""
        files = set(self.sources)
        files |= {p for role in self.fonts.values() for p in (role.regular, role.bold, role.italic, role.bold_italic)}
        if self.logo:
            files.add(self.logo)
        return files

    def color(self, ref: str | None) -> str | None:
        """A hex colour for a palette name or a hex value; ``None`` and ``"none"`` give ``None``."""
        if ref is None or ref == "none":
            return None
        return ref if ref.startswith("#") else self.colors[ref]

    def length(self, value: str) -> float:
        return Length.parse(value).pt

    def font_for(self, style: TextStyle) -> FontRole:
        return self.fonts[style.font]

    def with_page_size(self, size: str | None) -> Theme:
        if not size:
            return self
        return dataclasses.replace(self, page_size=PAGE_SIZES[size])

    def with_slide_size(self, size: str | None) -> Theme:
        if not size:
            return self
        return dataclasses.replace(self, slide_size=SLIDE_SIZES[size],
                                   slide=self.slide.replace(size=size))
