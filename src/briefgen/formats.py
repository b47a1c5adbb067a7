"""The names a build's choice options take: output formats, page sizes, slide sizes.

Kept apart (and free of the library) so that the CLI lists them in ``--help`` and
offers them to shell completion without loading anything else. The sizes' geometry
lives in :mod:`briefgen.theme`; a test keeps the two lists equal.
"""

from __future__ import annotations

from enum import Enum

from .errors import UsageError


class Format(str, Enum):
    """The outputs a build can write; ``all`` is the printed briefing and the deck."""

    pdf = "pdf"
    pptx = "pptx"
    summary = "summary"  # the one-page summary, <name>.summary.pdf
    all = "all"

    def expand(self) -> tuple[str, ...]:
        return ("pdf", "pptx") if self is Format.all else (self.value,)

    @classmethod
    def parse(cls, value: Format | str) -> Format:
        """A format from its name in any letter case; an unknown name is a usage error listing the names."""
        if isinstance(value, cls):
            return value
        try:
            return cls(str(value).strip().lower())
        except ValueError:
            raise UsageError(f"unknown format '{value}': use {_listed(FORMAT_NAMES)}") from None


FORMAT_NAMES = tuple(f.value for f in Format)
PAGE_SIZE_NAMES = ("letter", "a4", "legal")
SLIDE_SIZE_NAMES = ("16:9", "4:3")


def choice(value: str | None, names: tuple[str, ...], what: str) -> str | None:
    """``value`` as the name it matches in any letter case (None stays None); else a usage error listing them."""
    if value is None:
        return None
    for name in names:
        if str(value).strip().lower() == name:
            return name
    raise UsageError(f"unknown {what} '{value}': use {_listed(names)}")


def _listed(names: tuple[str, ...]) -> str:
    return ", ".join(names[:-1]) + " or " + names[-1]
