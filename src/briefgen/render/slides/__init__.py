"""The slide planner: the document model and a Theme into a SlidePlan, pure data.

Every text box is measured here with the style's TrueType metrics, so the deck is laid out
before python-pptx is touched. Slides are composed by measured fit: a section's key points and
facts share a slide when they fit at the deck's one bullet size; charts, tables and images get
slides that fill the content area; what does not fit is split evenly. Every split and shrink is
reported through ``on_note``.

- :mod:`.grid` the slide's fixed areas; :mod:`.text` measured paragraphs;
- :mod:`.content` what of a section's body is shown, and its speaker notes (one walk of the model);
- :mod:`.compose` bullets and fact cards by measured fit; :mod:`.visuals` chart, table, image slides;
- :mod:`.planner` the deck's order, titles, footers, slide numbers and marking.
"""

from __future__ import annotations

from typing import Callable

from ...model import Briefing
from ...theme import MetricsLookup, Theme
from ..plan import SlidePlan, Watermark
from .planner import Planner


def plan_slides(briefing: Briefing, theme: Theme, on_note: Callable[[str], None] | None = None, *,
                metrics: MetricsLookup, draft: bool = False) -> SlidePlan:
    """The deck for a briefing, laid out and measured; ``draft`` sets DRAFT across every slide."""
    plan = Planner(briefing, theme, on_note or (lambda _m: None), metrics).plan()
    if draft:
        mark = draft_mark(briefing, theme)
        for slide in plan.slides:
            slide.boxes.append(mark)
    return plan


def draft_mark(briefing: Briefing, theme: Theme) -> Watermark:
    """The DRAFT mark of a slide: the briefing's draft label in the watermark style, across the middle."""
    ts = theme.text["watermark"]
    lay = theme.slide.layout
    w, h = theme.slide_size
    size = h * lay.watermark_size
    label = briefing.labels["draft"]
    return Watermark(0.0, (h - size * 2) / 2, w, size * 2, label.upper() if ts.upper else label,
                     theme.fonts[ts.font].family, size, ts.bold, theme.color(ts.color), lay.watermark_angle,
                     lay.watermark_fill_alpha, lay.watermark_line_alpha, size * lay.watermark_line_weight)


__all__ = ["plan_slides"]
