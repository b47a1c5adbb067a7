"""The output formats a build can write (kept apart so that the CLI starts without the library)."""

from __future__ import annotations

from enum import Enum


class Format(str, Enum):
    """The outputs a build can write."""

    pdf = "pdf"
    pptx = "pptx"
    all = "all"

    def expand(self) -> tuple[str, ...]:
        return ("pdf", "pptx") if self is Format.all else (self.value,)
