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
from ..plan import SlidePlan
from .planner import Planner


def plan_slides(briefing: Briefing, theme: Theme, on_note: Callable[[str], None] | None = None, *,
                metrics: MetricsLookup) -> SlidePlan:
    """The deck for a briefing, laid out and measured."""
    return Planner(briefing, theme, on_note or (lambda _m: None), metrics).plan()


__all__ = ["plan_slides"]
