"""The names a build's choice options take: output formats, page sizes, slide sizes.

Kept apart (and free of the library) so that the CLI lists them in ``--help`` and
offers them to shell completion without loading anything else. The sizes' geometry
lives in :mod:`briefgen.theme`; a test keeps the two lists equal.
"""

from __future__ import annotations

from enum import Enum
from typing import Iterable

from .errors import UsageError


class Format(str, Enum):
    """The outputs a build can write; ``all`` is the printed briefing and the deck."""

    pdf = "pdf"
    pptx = "pptx"
    slides_pdf = "slides-pdf"
    handout = "handout"
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


# what each format adds to the output's name
SUFFIXES = {"pdf": ".pdf", "pptx": ".pptx", "slides-pdf": ".slides.pdf", "handout": ".handout.pdf",
            "summary": ".summary.pdf"}
DECK_FORMATS = ("pptx", "slides-pdf", "handout")  # the formats drawn from the slide plan
HANDOUT_PER_PAGE = (1, 2, 3)  # slides on one page of the handout


def parse_formats(value: Format | str | Iterable[Format | str]) -> tuple[str, ...]:
    """The formats to write, in the order given and each once: a Format, a name, or names joined by commas
    (``pdf,pptx,handout``); ``all`` stands for pdf and pptx."""
    items = [value] if isinstance(value, (Format, str)) else list(value)
    names = [part.strip() for item in items
             for part in (item.value if isinstance(item, Format) else str(item)).split(",")]
    out: list[str] = []
    for name in names:
        try:
            kinds = Format(name.lower()).expand()
        except ValueError:
            raise UsageError(f"unknown format '{name}': use {_listed(FORMAT_NAMES)}, or several joined by commas"
                             ) from None
        out.extend(k for k in kinds if k not in out)
    return tuple(out)
