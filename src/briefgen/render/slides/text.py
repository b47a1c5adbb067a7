"""Measured paragraphs: the one place the deck's text is wrapped, with the style's TrueType metrics.

The metric-compatible font files the PDF embeds stand in for the Office fonts the deck names, so
a line measured here is the line PowerPoint and LibreOffice set.
"""

from __future__ import annotations

import dataclasses
from typing import Callable

from ...model import Inline, Run, plain
from ...theme import MetricsLookup, TextStyle, Theme
from ..common import wrap_words
from ..plan import TextPara

SHRINK_STEP = 1.0  # points per step when shrinking text toward a floor
REPORT_CHARS = 40  # a title quoted in a report line is cut to this many characters


class Typesetter:
    """Text styles of a Theme turned into measured :class:`TextPara` s."""

    def __init__(self, theme: Theme, metrics: MetricsLookup, on_note: Callable[[str], None]):
        self.t = theme
        self.lay = theme.slide.layout
        self.min_size = theme.slide.min_font_size
        self.metrics = metrics
        self.note = on_note

    def style(self, name: str) -> TextStyle:
        return self.t.text[name]

    def measure(self, ts: TextStyle, size: float, bold: bool) -> Callable[[str], float]:
        m = self.metrics(self.t.fonts[ts.font].file(bold, ts.italic))
        return lambda s: m.width(s, size)

    def fits_line(self, text: str, style: str, width: float, size: float) -> bool:
        ts = self.style(style)
        return self.measure(ts, size, ts.bold)(text.upper() if ts.upper else text) <= width * self.lay.fit_allowance

    def para(self, runs: Inline | str, style: str, width: float, *, size: float | None = None,
             bullet: str | None = None, number: int | None = None, digits: int = 0, level: int = 0,
             hang: bool = False, color: str | None = None, space_after: float | None = None,
             align: str | None = None) -> TextPara:
        """A paragraph wrapped to ``width``: a bullet, a list number (``digits`` wide, for a hanging
        indent that lines the whole list up), or none; ``level`` nests it, ``hang`` lines an item's
        later paragraph up with the item's text."""
        ts = self.style(style)
        size = size or ts.size
        if isinstance(runs, str):
            runs = (Run(runs),)
        text = plain(runs)
        if ts.upper:
            text = text.upper()
        measure = self.measure(ts, size, ts.bold or any(r.bold for r in runs))
        if number is not None:
            indent = measure("0" * max(digits, len(str(number))) + ".") + size * self.lay.number_gap
        else:
            indent = size * self.lay.bullet_indent if bullet else 0.0
        margin = size * self.lay.level_indent * level + (size * self.lay.bullet_indent if hang else 0.0)
        # the allowance: PowerPoint and LibreOffice kern a little differently from the raw advances
        lines = tuple(wrap_words(text, (width - indent - margin) * self.lay.fit_allowance, measure))
        scale = size / ts.size
        return TextPara(runs=runs, family=self.t.fonts[ts.font].family, size=size, line_height=ts.leading * scale,
                        bold=ts.bold, italic=ts.italic, color=color or ts.color, align=align or ts.align,
                        space_after=ts.space_after * scale if space_after is None else space_after, lines=lines,
                        bullet=bullet, number=number, indent=indent, upper=ts.upper, margin=margin)

    def fit(self, runs: Inline | str, style: str, width: float, height: float, *, max_lines: int = 0,
            start: float | None = None, floor: float | None = None, what: str = "",
            note: Callable[[str], None] | None = None) -> TextPara:
        """A paragraph shrunk step by step until it fits ``height`` (and ``max_lines``), never below
        ``floor`` (the style's minimum size by default). Only a shrink below the style's own size is
        reported, to ``note`` (the planner's report by default)."""
        ts = self.style(style)
        size = start or ts.size
        lowest = min(self.min_size, ts.size) if floor is None else floor
        p = self.para(runs, style, width, size=size, space_after=0)
        while (p.height > height or (max_lines and len(p.lines) > max_lines)) and size - SHRINK_STEP >= lowest:
            size -= SHRINK_STEP
            p = self.para(runs, style, width, size=size, space_after=0)
        if size < ts.size and floor is None:
            (note or self.note)(f"shrank {what or style} from {ts.size:g} pt to {size:g} pt to fit")
        return p

    def clamp(self, p: TextPara, style: str, width: float, keep: int = 1) -> TextPara:
        """``p`` (set in ``style``) cut to its first ``keep`` lines, the last ending in an ellipsis when
        more followed."""
        if len(p.lines) <= keep:
            return p
        measure = self.measure(self.style(style), p.size, p.bold)
        words = p.lines[keep - 1].split(" ")
        while len(words) > 1 and measure(" ".join(words) + "\u2026") > width * self.lay.fit_allowance:
            words.pop()
        lines = p.lines[:keep - 1] + (" ".join(words) + "\u2026",)
        return dataclasses.replace(p, runs=(Run(" ".join(lines)),), lines=lines)

    def cut(self, p: TextPara, height: float) -> list[TextPara]:
        """A paragraph taller than ``height`` cut between lines; only the first piece keeps its marker."""
        per = max(1, int(height // p.line_height))
        pieces = []
        for k in range(0, len(p.lines), per):
            lines = p.lines[k:k + per]
            pieces.append(dataclasses.replace(p, runs=(Run(" ".join(lines)),), lines=lines,
                                              bullet=p.bullet if k == 0 else None,
                                              number=p.number if k == 0 else None))
        return pieces


def short(text: str) -> str:
    """``text`` cut for a report line."""
    return text if len(text) <= REPORT_CHARS else text[: REPORT_CHARS - 1] + "\u2026"
