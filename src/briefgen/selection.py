"""Choosing which sections a build contains: explicit ids, a preset, exclusions."""

from __future__ import annotations

import dataclasses
import difflib
from typing import Iterable

from .errors import Problem, SelectionError, UsageError
from .model import Briefing, Inline, Note, Section, map_runs


@dataclasses.dataclass(frozen=True)
class Selection:
    """What the user asked for. All fields empty means the whole briefing in its own order."""

    sections: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    preset: str | None = None

    @classmethod
    def parse(cls, sections: str | Iterable[str] | None = None, exclude: str | Iterable[str] | None = None,
              preset: str | None = None) -> "Selection":
        """A Selection from comma-separated strings or lists, as the CLI and library take them."""
        return cls(sections=_ids(sections), exclude=_ids(exclude), preset=preset or None)

    @property
    def is_everything(self) -> bool:
        return not (self.sections or self.exclude or self.preset)


def _ids(value: str | Iterable[str] | None) -> tuple[str, ...]:
    if value is None:
        return ()
    items = value.split(",") if isinstance(value, str) else list(value)
    return tuple(i.strip() for i in items if i and i.strip())


def select(briefing: Briefing, selection: Selection) -> Briefing:
    """The briefing with only the chosen sections, in the chosen order.

    The result's ``selection`` names how they were chosen, for file names: the
    preset name or the ids joined with '+', then ``without-`` and the excluded ids
    ('trade', 'economy+border', 'without-sources'); ``None`` when the result is the
    whole briefing in its own order.
    Unknown ids, repeated ids and an empty result are errors that name the ids.
    """
    if selection.is_everything:
        return briefing
    if selection.sections and selection.preset:
        raise UsageError("--sections and --preset cannot be used together; pick one")
    known = [s.id for s in briefing.sections]
    problems: list[Problem] = []

    if selection.preset:
        if selection.preset not in briefing.presets:
            problems.append(_unknown("preset", selection.preset, list(briefing.presets), "--preset"))
            raise SelectionError(problems)
        order = list(briefing.presets[selection.preset])
        label = selection.preset
    elif selection.sections:
        order = list(selection.sections)
        label = "+".join(order)
    else:
        order = list(known)
        label = None

    for field, ids in (("--sections", selection.sections), ("--exclude", selection.exclude)):
        seen: set[str] = set()
        for sid in ids:
            if sid not in known:
                problems.append(_unknown("section", sid, known, field))
            if sid in seen:
                problems.append(Problem(f"section '{sid}' is given twice", field=field))
            seen.add(sid)
    if problems:
        raise SelectionError(problems)

    excluded = set(selection.exclude)
    chosen = [sid for sid in order if sid not in excluded]
    if not chosen:
        raise SelectionError(Problem("the selection leaves no section to build", field="--exclude"))
    if selection.exclude:
        without = "without-" + "+".join(selection.exclude)
        label = f"{label}-{without}" if label else without
    by_id = {s.id: s for s in briefing.sections}
    if chosen == known:
        label = None
    return _without_links_out(dataclasses.replace(briefing, sections=tuple(by_id[i] for i in chosen),
                                                  selection=label))


def _without_links_out(briefing: Briefing) -> Briefing:
    """The briefing with each link to a section left out of it turned into plain words, and a note for each;
    notes about the files of sections left out are dropped."""
    built = {s.id for s in briefing.sections}
    files = {s.file for s in briefing.sections}
    notes = [n for n in briefing.notes if n.file is None or n.file in files]
    sections = []
    for section in briefing.sections:
        out = [(target, line) for target, line in section.references if target not in built]
        if out:
            section = _unlinked(section, {target for target, _ in out})
            notes += [Note(f"link to section '{target}' kept as plain text: that section is not in this build",
                           section.file, line) for target, line in out]
        sections.append(section)
    return dataclasses.replace(briefing, sections=tuple(sections), notes=tuple(notes))


def _unlinked(section: Section, targets: set[str]) -> Section:
    def change(runs: Inline) -> Inline:
        return tuple(dataclasses.replace(r, href=None) if r.href and r.href[1:] in targets and r.href[0] == "#"
                     else r for r in runs)

    return dataclasses.replace(section, blocks=tuple(map_runs(b, change) for b in section.blocks),
                               key_points=tuple(change(kp) for kp in section.key_points),
                               references=tuple((t, line) for t, line in section.references if t not in targets))


def _unknown(kind: str, name: str, known: list[str], field: str) -> Problem:
    close = difflib.get_close_matches(name, known, n=2, cutoff=0.5)
    if close:
        hint = "; did you mean " + " or ".join(f"'{c}'" for c in close) + "?"
    else:
        hint = f" (known: {', '.join(known)})" if known else ""
    return Problem(f"unknown {kind} '{name}'{hint}", field=field)
