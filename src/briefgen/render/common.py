"""Helpers both renderers share: number labels, running-text tokens, text wrapping by metrics."""

from __future__ import annotations

import re
from typing import Iterable

from ..model import Briefing, Chart, Table, plain

_NUMERIC = re.compile(r"^[\s$€£¥+\-−(]*[\d.,]+\s*(%|[kKmMbB]n?|bn|million|billion)?[)\s]*$")


def column_alignments(table: Table) -> list[str]:
    """Each column's alignment: 'right' where every filled body cell is a number, else as written (or 'left')."""
    ncols = max(len(table.header), 1)
    out = []
    for c in range(ncols):
        cells = [plain(row[c]).strip() for row in table.rows if c < len(row)]
        cells = [x for x in cells if x]
        if cells and all(_NUMERIC.match(x) for x in cells):
            out.append("right")
        else:
            out.append((table.align[c] if c < len(table.align) else None) or "left")
    return out


def number_format(values: Iterable[float]) -> str:
    """A format string that shows every value with as few decimals as any of them needs (at most 2)."""
    decimals = 0
    for v in values:
        text = f"{v:.2f}".rstrip("0").rstrip(".")
        if "." in text:
            decimals = max(decimals, len(text.split(".")[1]))
    return "{:,.%df}" % decimals


def format_number(value: float, fmt: str) -> str:
    return fmt.format(value)


_CHART_KINDS = {"bar": "Bar chart", "column": "Column chart", "line": "Line chart", "pie": "Pie chart"}


def chart_in_words(chart: Chart) -> str:
    """A chart told in words, for readers who cannot see it: its kind and title, then every value by category
    (by series first when there are several), the figures as its labels print them."""
    fmt = number_format(v for s in chart.series for v in s.values)
    unit = f" ({chart.unit})" if chart.unit else ""
    parts = [f"{_CHART_KINDS.get(chart.type, 'Chart')}: {chart.title}{unit}."]
    for s in chart.series:
        pairs = ", ".join(f"{c} {format_number(v, fmt)}" for c, v in zip(chart.categories, s.values))
        parts.append(f"{s.name}: {pairs}." if len(chart.series) > 1 else f"{pairs}.")
    return " ".join(parts)


def running_text(template: str, briefing: Briefing, section: str = "", page: int | str = "",
                 pages: int | str = "") -> str:
    """A header or footer template with {title}, {subtitle}, {issuer}, {date}, {marking},
    {section}, {page} and {pages} filled in; separators around empty values are dropped."""
    values = {"title": briefing.title, "subtitle": briefing.subtitle or "", "issuer": briefing.issuer or "",
              "date": briefing.date_text, "marking": briefing.marking or "", "section": section,
              "page": str(page), "pages": str(pages)}
    text = re.sub(r"\{(\w+)\}", lambda m: values.get(m.group(1), m.group(0)), template)
    # "{issuer} | {date}" with no issuer should not print a dangling bar
    text = re.sub(r"^\s*[|·–-]\s*|\s*[|·–-]\s*$", "", text)
    return text.strip()


def needs_total(template: str) -> bool:
    return "{pages}" in template


def wrap_words(text: str, width: float, measure) -> list[str]:
    """Greedy line breaking of ``text`` into lines no wider than ``width``.

    ``measure(s)`` gives the width of a string. A word wider than a line is cut
    between characters, so no line ever overflows.
    """
    lines: list[str] = []
    for para in text.split("\n"):
        words = para.split(" ")
        line = ""
        for word in words:
            candidate = word if not line else f"{line} {word}"
            if measure(candidate) <= width:
                line = candidate
                continue
            if line:
                lines.append(line)
                line = ""
            while measure(word) > width and len(word) > 1:
                cut = _fit_prefix(word, width, measure)
                lines.append(word[:cut])
                word = word[cut:]
            line = word
        lines.append(line)
    return lines


def _fit_prefix(word: str, width: float, measure) -> int:
    lo, hi = 1, len(word)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if measure(word[:mid]) <= width:
            lo = mid
        else:
            hi = mid - 1
    return max(1, lo)


def share_widths(natural: list[float], available: float) -> list[float]:
    """Column widths: the natural ones if they fit; else narrow columns keep theirs and wide ones share the rest."""
    if sum(natural) <= available:
        return natural
    floor = available / len(natural)
    fixed = [w if w <= floor else None for w in natural]
    rest = available - sum(w for w in fixed if w)
    wide = [w for w, f in zip(natural, fixed) if f is None]
    return [f if f is not None else rest * w / sum(wide) for w, f in zip(natural, fixed)]
