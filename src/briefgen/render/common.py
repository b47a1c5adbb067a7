"""Helpers both renderers share: number labels, running-text tokens, text wrapping by metrics."""

from __future__ import annotations

import math
import re
from typing import Iterable

from ..model import Briefing, Chart, Series, Table, plain

NOTE_TITLE = 40  # a title quoted in a note is cut to this many characters
_BOUNDS_FUZZ = 0.01  # points a chart may reach past its drawing (rounding)
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


def pie_slices(chart: Chart, most: int, other: str) -> Chart:
    """A pie of at most ``most`` slices (never fewer than two): the largest ``most - 1`` in their own order,
    then the rest summed as one slice named ``other``. A chart that is not a pie, or a pie with few enough
    slices, comes back as it is. reportlab places a pie's labels in time that grows with the square of the
    slices, and neither output can show thousands of them apart."""
    most = max(int(most), 2)
    if chart.type != "pie" or len(chart.categories) <= most:
        return chart
    values = chart.series[0].values
    kept = sorted(sorted(range(len(values)), key=lambda i: -values[i])[:most - 1])
    chosen = set(kept)
    rest = math.fsum(v for i, v in enumerate(values) if i not in chosen)
    return Chart(type=chart.type, title=chart.title, categories=(*(chart.categories[i] for i in kept), other),
                 series=(Series(chart.series[0].name, (*(values[i] for i in kept), rest)),),
                 unit=chart.unit, source=chart.source)


def grouped_note(chart: Chart, drawn: Chart, where: str, setting: str) -> str | None:
    """The note that ``drawn`` groups slices of ``chart`` (None when it does not), naming the output and the
    style setting that bounds the slices."""
    if drawn is chart:
        return None
    n, title = len(chart.categories), chart.title
    title = title if len(title) <= NOTE_TITLE else title[:NOTE_TITLE - 1] + "\u2026"
    return (f"pie '{title}' has {n:,} slices: the {n - len(drawn.categories) + 1:,} smallest are drawn as one "
            f"'{drawn.categories[-1]}' slice in {where} (at most {len(drawn.categories)}: {setting})")


def keep_inside(chart, width: float, height: float, tries: int = 3) -> None:
    """A reportlab chart's plot narrowed and moved until all it draws (value labels at the bars' ends, axis
    labels) lies inside a drawing of ``width`` x ``height``: the room kept for labels is measured on the
    largest value, and a label such as -1,000,000,000,000,000, or one beside a negative bar, may need more.
    The plot is measured again after each change (its axis may then choose other ticks)."""
    for _ in range(tries):
        x0, y0, x1, y1 = chart.getBounds()
        left, right = max(0.0, -x0), max(0.0, x1 - width)
        below, above = max(0.0, -y0), max(0.0, y1 - height)
        if max(left, right, below, above) <= _BOUNDS_FUZZ:
            return
        if chart.width - left - right <= 0 or chart.height - below - above <= 0:
            return  # no room to give: the chart stays as it is
        chart.x += left
        chart.width -= left + right
        chart.y += below
        chart.height -= below + above


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
            while len(word) > 1:
                cut = _fit_prefix(word, width, measure)
                if cut >= len(word):
                    break
                lines.append(word[:cut])
                word = word[cut:]
            line = word
        lines.append(line)
    return lines


def fit_text(text: str, width: float, measure) -> str:
    """The text, cut with an ellipsis if it is wider than ``width``: the longest prefix that fits with the
    ellipsis, found by bisection (a measure per halving, so a title of any length costs a few dozen)."""
    if measure(text) <= width:
        return text
    lo, hi = 0, len(text)  # text[:lo] and the ellipsis fit (or lo is 0); text[:hi + 1] and the ellipsis do not
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if measure(text[:mid] + "\u2026") <= width:
            lo = mid
        else:
            hi = mid - 1
    return text[:lo].rstrip() + "\u2026"


def marking_lines(text: str, width: float, size: float, floor: float, tracking: float,
                  measure) -> tuple[float, list[str]]:
    """A marking set whole within ``width``: its size and lines. One line at ``size`` when it fits; else one
    line at the largest size down to ``floor`` that holds it; else lines broken between words at ``floor``.

    ``measure(text, size)`` is the advance width; ``tracking`` (points) is added between characters and
    does not shrink with the size."""
    def wide(s: str, sz: float) -> float:
        return measure(s, sz) + tracking * max(len(s) - 1, 0)

    if wide(text, size) <= width:
        return size, [text]
    unit = measure(text, 1.0)
    # the size at which the line is exactly ``width``, rounded down to a hundredth of a point
    fitting = math.floor((width - tracking * max(len(text) - 1, 0)) / unit * 100) / 100 if unit > 0 else size
    if fitting >= floor:
        return min(fitting, size), [text]
    return floor, wrap_words(text, width, lambda s: wide(s, floor))


def _fit_prefix(word: str, width: float, measure) -> int:
    """The length of the longest prefix of ``word`` no wider than ``width`` (at least 1).

    The prefix is found by doubling, then bisection, so only prefixes up to about
    twice a line's length are ever measured: cutting a word of any length into
    lines costs time in proportion to its length."""
    hi = 1
    while hi < len(word) and measure(word[:hi * 2]) <= width:
        hi *= 2
    if hi >= len(word):
        return len(word)
    lo, hi = hi, min(hi * 2, len(word))  # word[:lo] fits (or lo is 1), word[:hi] does not
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if measure(word[:mid]) <= width:
            lo = mid
        else:
            hi = mid
    return lo


def share_widths(natural: list[float], available: float) -> list[float]:
    """Column widths: the natural ones if they fit; else narrow columns keep theirs and wide ones share the rest."""
    if sum(natural) <= available:
        return natural
    floor = available / len(natural)
    fixed = [w if w <= floor else None for w in natural]
    rest = available - sum(w for w in fixed if w)
    wide = [w for w, f in zip(natural, fixed) if f is None]
    return [f if f is not None else rest * w / sum(wide) for w, f in zip(natural, fixed)]
