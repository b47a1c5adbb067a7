"""The book file: a title block and the briefings bound into a book, each with its own choice of sections.

```yaml
title: North America Visit          # required
subtitle: Briefing book             # optional; also issuer, date, marking, markings, labels
briefings:                          # required, in order
  - briefing: us-mexico             # an id under the content folder, or a folder relative to this file
    preset: trade                   # or sections: [...] and/or exclude: [...]
```

The file is validated by the closed schema ``BookIn`` (:mod:`.schema`), fast tier
first and the pydantic tier for the problems, each with its line. Reading goes on
past a problem as far as it can: every entry whose ``briefing`` can be read is still
looked up, so that one run reports the book's problems together with those of its
briefings (which :mod:`briefgen.books` reads).
"""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ContentError, Problem, ProblemCollector
from ..model import DEFAULT_LABELS
from .files import is_file
from .locate import DEFAULT_CONTENT_DIR, list_briefings
from .yaml_source import Located, load_yaml

_PICKS = ("sections", "exclude", "preset")


@dataclass(frozen=True)
class BookEntry:
    """One briefing of a book as the file gives it: the reference as written, the folder it names (None when
    there is none), how its sections are picked, and where in the file it was written."""

    index: int
    ref: str
    folder: Path | None
    sections: tuple[str, ...] | None = None
    exclude: tuple[str, ...] | None = None
    preset: str | None = None
    located: Located | None = field(default=None, compare=False, repr=False)

    def problem(self, key: str | None, message: str) -> Problem:
        """A problem about this entry (or one of its keys), placed at its line in the book file."""
        path = ("briefings", self.index) + ((key,) if key else ())
        return self.located.problem(path, message)


@dataclass(frozen=True)
class BookFile:
    """A read book file: its title block, marking rules and entries, and the problems found in it."""

    file: Path
    title: str
    entries: tuple[BookEntry, ...]
    problems: tuple[Problem, ...] = ()
    subtitle: str | None = None
    issuer: str | None = None
    date: dt.date | None = None
    marking: str | None = None
    markings: tuple[str, ...] = ()
    labels: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_LABELS))
    located: Located | None = field(default=None, compare=False, repr=False)

    @property
    def id(self) -> str:
        """What names the book's outputs: the file's name without its extension."""
        return self.file.stem

    def problem(self, key: str, message: str) -> Problem:
        return self.located.problem((key,), message)


def load_book(file: str | Path, content_dir: Path | None = None) -> BookFile:
    """The book file read and validated, each entry's folder found; its problems in ``problems``.

    Raises :class:`ContentError` only when the file cannot be read as YAML at all.
    """
    from .briefing import read_text, validation_problems
    from .schema import SCHEMAS, convert

    file = Path(file)
    problems = ProblemCollector()
    if not is_file(file):
        what = "a folder, not a book file" if file.is_dir() else "no such book file"
        raise ContentError(Problem(f"{what}: a book file is YAML with a title and its briefings (see README)",
                                   file=file))
    text = read_text(file, problems)
    problems.raise_if_any()
    located = load_yaml(text, file)
    data = located.data
    if not isinstance(data, dict):
        raise ContentError(Problem("expected keys and values (a YAML mapping) here", file=file, line=1))
    book = convert("book", data)
    if book is None:
        from pydantic import ValidationError

        from .schema_errors import pydantic_model

        schema = pydantic_model(SCHEMAS["book"])
        try:
            book = schema.model_validate(data)
        except ValidationError as exc:
            problems.extend(validation_problems(exc, located, schema))
            book = None
    raw = book if book is not None else _Raw(data)
    entries = [_entry(i, item, located, file.parent, content_dir, problems)
               for i, item in enumerate(raw.briefings)]
    _check_text(raw, located, problems)
    return BookFile(file=file, title=raw.title or "", entries=tuple(e for e in entries if e is not None),
                    problems=tuple(problems.problems), subtitle=raw.subtitle, issuer=raw.issuer, date=raw.date,
                    marking=raw.marking, markings=tuple(raw.markings),
                    labels={**DEFAULT_LABELS, **dict(raw.labels)}, located=located)


class _Raw:
    """What a book file that the schema refused still says clearly: the fields of the right type, the
    entries that name a briefing (their problems are reported already)."""

    def __init__(self, data: dict):
        def text(key):
            value = data.get(key)
            return value if isinstance(value, str) else None

        self.title, self.subtitle, self.issuer, self.marking = (text(k) for k in ("title", "subtitle", "issuer",
                                                                                  "marking"))
        self.date = None
        markings, labels = data.get("markings"), data.get("labels")
        self.markings = [m for m in markings if isinstance(m, str)] if isinstance(markings, list) else []
        self.labels = {k: v for k, v in labels.items() if k in DEFAULT_LABELS and isinstance(v, str)} \
            if isinstance(labels, dict) else {}
        items = data.get("briefings")
        self.briefings = [_RawEntry(item) for item in items if isinstance(item, dict)] \
            if isinstance(items, list) else []


class _RawEntry:
    def __init__(self, item: dict):
        self.briefing = item.get("briefing") if isinstance(item.get("briefing"), str) else None
        for key in ("sections", "exclude"):
            value = item.get(key)
            ok = isinstance(value, str) or (isinstance(value, list) and all(isinstance(v, str) for v in value))
            setattr(self, key, value if ok else None)
        self.preset = item.get("preset") if isinstance(item.get("preset"), str) else None
        if self.sections is not None and self.preset is not None:
            self.briefing = None  # refused by the schema: which one was meant is not known


def _ids(value) -> tuple[str, ...] | None:
    if value is None:
        return None
    items = value.split(",") if isinstance(value, str) else value
    return tuple(i.strip() for i in items if i.strip())


def _entry(index: int, item, located: Located, here: Path, content_dir: Path | None,
           problems: ProblemCollector) -> BookEntry | None:
    ref = getattr(item, "briefing", None)
    if not ref or not ref.strip():
        return None
    entry = BookEntry(index, ref, None, _ids(item.sections), _ids(item.exclude), item.preset or None, located)
    folder = find_book_briefing(ref, here, content_dir)
    if folder is None:
        problems.problems.append(entry.problem("briefing", _not_found(ref, here, content_dir)))
        return entry
    return BookEntry(index, ref, folder, entry.sections, entry.exclude, entry.preset, located)


def find_book_briefing(ref: str, here: Path, content_dir: Path | None = None) -> Path | None:
    """The folder a book's ``briefing:`` names: a path (with a '/') relative to the book file's folder
    ``here``; or a name, looked up as an id under the content folder, then as a folder beside the book file."""
    content_dir = Path(content_dir) if content_dir else DEFAULT_CONTENT_DIR
    path = Path(ref)
    if path.is_absolute() or len(path.parts) > 1 or ref.startswith("."):
        candidates = [here / path]
    else:
        candidates = [content_dir / path, here / path]
    return next((c for c in candidates if is_file(c / "briefing.yaml")), None)


def _not_found(ref: str, here: Path, content_dir: Path | None) -> str:
    content_dir = Path(content_dir) if content_dir else DEFAULT_CONTENT_DIR
    known = list(dict.fromkeys(list_briefings(content_dir) + list_briefings(here)))
    message = (f"no briefing '{ref}': neither an id under {content_dir} nor a folder with a briefing.yaml "
               "relative to the book file")
    close = difflib.get_close_matches(ref, known, n=2)
    if close:
        message += "; did you mean " + " or ".join(f"'{c}'" for c in close) + "?"
    return message


def _check_text(raw, located: Located, problems: ProblemCollector) -> None:
    """Right-to-left writing in the book's own words is refused, as in a briefing's (see :mod:`.scripts`)."""
    from .scripts import right_to_left_problem

    fields = [(k, getattr(raw, k)) for k in ("title", "subtitle", "issuer", "marking")]
    fields += [(("labels", k), v) for k, v in dict(raw.labels).items()]
    for key, value in fields:
        problem = right_to_left_problem(value) if value else None
        if problem:
            problems.problems.append(located.problem(key if isinstance(key, tuple) else (key,), problem))
