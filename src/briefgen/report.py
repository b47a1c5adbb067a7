"""The section overview printed by ``briefgen sections``."""

from __future__ import annotations

from pathlib import Path

from .model import Briefing, Section, section_texts

WORDS_PER_PAGE = 520  # body text on a Letter page in the default style, with headings and panels around it


def section_words(section: Section) -> int:
    """Words a reader reads in a section: title, key points, facts, body."""
    single = Briefing(id="", root=Path("."), title="", sections=(section,))
    return sum(len(text.split()) for sid, field, text in section_texts(single)
               if sid == section.id and field != "notes")


def estimate_pages(section: Section) -> float:
    pages = section_words(section) / WORDS_PER_PAGE
    if section.chart:
        pages += 0.3
    if section.facts:
        pages += 0.1
    return pages


def section_report(briefing: str | None, content_dir: Path) -> str:
    """A table of sections (id, title, words, ~pages, ~slides) and the presets."""
    from .api import read_inputs
    from .load.fonts import metrics
    from .render.slides import plan_slides

    full, theme = read_inputs(briefing, None, content_dir)
    plan = plan_slides(full, theme, metrics=metrics)
    slides_by_section: dict[str, int] = {}
    for slide in plan.slides:
        if slide.section_id:
            slides_by_section[slide.section_id] = slides_by_section.get(slide.section_id, 0) + 1
    rows = [("ID", "TITLE", "WORDS", "~PAGES", "~SLIDES")]
    for s in full.sections:
        rows.append((s.id, s.title, str(section_words(s)), f"{estimate_pages(s):.1f}",
                     str(slides_by_section.get(s.id, 0))))
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    lines = [f"{full.id}: {full.title}", ""]
    for r in rows:
        lines.append("  ".join([r[0].ljust(widths[0]), r[1].ljust(widths[1]), r[2].rjust(widths[2]),
                                r[3].rjust(widths[3]), r[4].rjust(widths[4])]).rstrip())
    lines.append("")
    if full.presets:
        lines.append("PRESETS")
        pw = max(len(n) for n in full.presets)
        for name, ids in full.presets.items():
            lines.append(f"{name.ljust(pw)}  {', '.join(ids)}")
    else:
        lines.append("no presets")
    return "\n".join(lines)
