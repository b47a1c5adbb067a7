"""The library API under the CLI: load, check and build briefings."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Callable, Iterable

from .content import load_briefing
from .errors import ContentError, StyleError, UsageError
from .fonts import check_coverage
from .model import Briefing
from .output import output_stem, write_all_atomic
from .selection import Selection, select
from .theme import PAGE_SIZES, SLIDE_SIZES, Theme, load_theme

log = logging.getLogger("briefgen")


class Format(str, Enum):
    """The outputs a build can write."""

    pdf = "pdf"
    pptx = "pptx"
    all = "all"

    def expand(self) -> tuple[str, ...]:
        return ("pdf", "pptx") if self is Format.all else (self.value,)


@dataclass
class BuildResult:
    """What a build wrote and what it noticed on the way (splits, shrinks)."""

    briefing: Briefing
    theme: Theme
    files: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def prepare(briefing: str | Path | None = None, *, sections: str | Iterable[str] | None = None,
            exclude: str | Iterable[str] | None = None, preset: str | None = None, style: str | Path | None = None,
            content_dir: Path | None = None) -> tuple[Briefing, Theme]:
    """The selected briefing and its theme, validated, glyphs checked; nothing rendered."""
    selection = Selection.parse(sections, exclude, preset)
    if selection.sections and selection.preset:
        raise UsageError("--sections and --preset cannot be used together; pick one")
    # style and content are both checked before either error is raised: one run reports everything
    problems: list = []
    theme = full = None
    try:
        theme = load_theme(style)
    except StyleError as exc:
        problems.extend(exc.problems)
    try:
        full = load_briefing(briefing, content_dir)
    except ContentError as exc:
        problems.extend(exc.problems)
    if problems:
        raise (StyleError if theme is None and full is not None else ContentError)(problems)
    chosen = select(full, selection)
    check_coverage(chosen, theme)
    return chosen, theme


def build(briefing: str | Path | None = None, *, format: Format | str = Format.all,
          sections: str | Iterable[str] | None = None, exclude: str | Iterable[str] | None = None,
          preset: str | None = None, style: str | Path | None = None, output_dir: str | Path = "output",
          output_file: str | Path | None = None, content_dir: Path | None = None, page_size: str | None = None,
          slide_size: str | None = None, bleed: bool = False, cmyk: bool = False, draft: bool = False,
          on_note: Callable[[str], None] | None = None) -> BuildResult:
    """Render a briefing to PDF and/or PPTX and write the files atomically.

    Both outputs are rendered in memory before either is written, so a failure in
    one leaves every previous file untouched. ``output_file`` names the file (its
    extension is replaced per format); otherwise names follow
    :func:`briefgen.output.output_stem`.
    """
    fmt = Format(format)
    if page_size is not None and page_size not in PAGE_SIZES:
        raise UsageError(f"unknown page size '{page_size}': use {', '.join(PAGE_SIZES)}")
    if slide_size is not None and slide_size not in SLIDE_SIZES:
        raise UsageError(f"unknown slide size '{slide_size}': use {', '.join(SLIDE_SIZES)}")
    chosen, theme = prepare(briefing, sections=sections, exclude=exclude, preset=preset, style=style,
                            content_dir=content_dir)
    result = BuildResult(briefing=chosen, theme=theme)

    def note(message: str) -> None:
        result.notes.append(message)
        log.info(message)
        if on_note:
            on_note(message)

    rendered: list[tuple[Path, bytes]] = []
    if output_file:
        base = Path(output_file)
        base = base.with_suffix("") if base.suffix.lower() in (".pdf", ".pptx") else base
    else:
        base = Path(output_dir) / output_stem(chosen)
    for kind in fmt.expand():
        if kind == "pdf":
            from .render.pdf import PdfOptions, render_pdf

            data = render_pdf(chosen, theme, PdfOptions(page_size=page_size, bleed=bleed, cmyk=cmyk, draft=draft))
        else:
            from .render.pptx import render_pptx
            from .render.slides import plan_slides

            plan = plan_slides(chosen, theme.with_slide_size(slide_size), on_note=note)
            data = render_pptx(plan)
        rendered.append((base.with_name(base.name + "." + kind), data))
    write_all_atomic(rendered)
    result.files.extend(path for path, _ in rendered)
    return result
