"""The slide grid: where a slide's title, content and footer go, in points from its top-left corner."""

from __future__ import annotations

from dataclasses import dataclass

from ...theme import Theme


@dataclass(frozen=True)
class Grid:
    """The fixed areas every slide of a deck shares.

    ``x, y, w, h`` is the content area: below the title area and above the footer band.
    ``mark_h`` is the height of the marking band at the top and bottom (0 without a marking): one line of
    the marking style, and ``more`` for a marking set on more lines.
    """

    width: float
    height: float
    margin: float
    mark_h: float
    title_y: float
    title_h: float
    x: float
    y: float
    w: float
    h: float
    footer_y: float
    footer_h: float

    @classmethod
    def of(cls, theme: Theme, marked: bool, more: float = 0.0) -> Grid:
        s = theme.slide
        lay = s.layout
        width, height = theme.slide_size
        mark = theme.text["slide_marking"]
        mark_h = mark.leading + more + mark.size * lay.marking_band if marked else 0.0
        title_y = mark_h + s.margin * lay.title_gap
        y = title_y + s.title_height + s.margin * lay.title_gap
        footer_y = height - mark_h - s.footer_height
        return cls(width=width, height=height, margin=s.margin, mark_h=mark_h, title_y=title_y,
                   title_h=s.title_height, x=s.margin, y=y, w=width - 2 * s.margin,
                   h=footer_y - s.margin * lay.footer_gap - y, footer_y=footer_y, footer_h=s.footer_height)
