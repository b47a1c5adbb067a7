"""The output formats a build can write (kept apart so that the CLI starts without the library)."""

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
    all = "all"

    def expand(self) -> tuple[str, ...]:
        return ("pdf", "pptx") if self is Format.all else (self.value,)


# what each format adds to the output's name
SUFFIXES = {"pdf": ".pdf", "pptx": ".pptx", "slides-pdf": ".slides.pdf", "handout": ".handout.pdf"}
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
            kinds = Format(name).expand()
        except ValueError:
            known = ", ".join(f.value for f in Format)
            raise UsageError(f"unknown format '{name}': use {known}, or several joined by commas") from None
        out.extend(k for k in kinds if k not in out)
    return tuple(out)
