"""Errors that a user can cause, each carrying where it happened.

Every exception briefgen raises on purpose derives from :class:`BriefgenError`.
The CLI prints each problem as one line and exits 1; library callers can read
the structured fields (``file``, ``line``, ``column``, ``field``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input: where it is and what to do about it.

    ``file`` may be ``None`` for problems that belong to no file (a command-line
    option, say); ``line`` and ``column`` are 1-based and ``None`` when unknown.
    """

    message: str
    file: Path | str | None = None
    line: int | None = None
    column: int | None = None
    field: str | None = None

    def __str__(self) -> str:
        where = ""
        if self.file is not None:
            where = display_path(self.file)
            if self.line is not None:
                where += f":{self.line}"
                if self.column is not None:
                    where += f":{self.column}"
        parts = [p for p in (where, self.field) if p]
        prefix = ": ".join(parts)
        return f"{prefix}: {self.message}" if prefix else self.message


def display_path(path: Path | str) -> str:
    """A path as messages show it: relative to the working folder when inside it."""
    p = Path(path)
    try:
        return str(p.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(p)


class BriefgenError(Exception):
    """Base of every error a user can cause; holds one or more problems."""

    exit_code = 1

    def __init__(self, problems: Problem | list[Problem] | str):
        if isinstance(problems, str):
            problems = [Problem(problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems: list[Problem] = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class ContentError(BriefgenError):
    """A problem in a briefing's files (YAML, Markdown, templates)."""


class StyleError(BriefgenError):
    """A problem in a style file or the fonts it names."""


class SelectionError(BriefgenError):
    """A section selection that names unknown ids, repeats one or picks nothing."""


class UsageError(BriefgenError):
    """Options that contradict each other; the CLI exits 2 for these."""

    exit_code = 2


class RenderError(BriefgenError):
    """A problem found while laying out the outputs (a glyph no font has, say)."""


class ProblemCollector:
    """An accumulator of problems, so that validation reports all of them in one run."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, message: str, **where) -> None:
        self.problems.append(Problem(message, **where))

    def extend(self, problems: list[Problem]) -> None:
        self.problems.extend(problems)

    def raise_if_any(self, kind: type[BriefgenError] = ContentError) -> None:
        if self.problems:
            raise kind(self.problems)
