"""The content loader: ``content/<id>/briefing.yaml`` and ``sections/*.md`` into a Briefing.

This is the only module that knows the input formats. It reads every file,
normalises the text, validates it against closed schemas, applies templates and
parses Markdown, collecting every problem it finds before raising one
:class:`ContentError` that lists them all.
"""

from __future__ import annotations

import difflib
import os
import re
import unicodedata
from pathlib import Path
from typing import Any

from ..errors import ContentError, Problem, ProblemCollector
from ..model import (
    DEFAULT_LABELS,
    DEFAULT_LANG,
    Briefing,
    Chart,
    Fact,
    Note,
    Section,
    Series,
    Source,
    section_texts,
)
from .files import TooLarge, is_file, leads_outside, read_limited
from .locate import DEFAULT_BRIEFING, DEFAULT_CONTENT_DIR, find_briefing, list_briefings  # noqa: F401 - re-exported
from .markdown import MarkdownConverter
from .schema import ID_RE, MAX_MARKING  # noqa: F401 - ID_RE re-exported
from .templates import Templater
from .yaml_source import BAD_CHARS, Located, field_name, load_yaml

MAX_FILE_BYTES = 20 * 1024 * 1024


# -- text hygiene -----------------------------------------------------------------------
_BAD_CHARS = BAD_CHARS


def read_text(path: Path, problems: ProblemCollector, root: Path | None = None) -> str | None:
    """A file's text: UTF-8, BOM removed, line ends made LF, NFC; ``None`` (with a problem) if unusable.

    With ``root``, a file that (after following symlinks) lies outside that folder
    is refused unread. Files over :data:`MAX_FILE_BYTES` are refused before they are
    read. Control characters, surrogates and noncharacters are refused with their
    line and column, because they would fail late or print as nothing.
    """
    if root is not None and leads_outside(path, root):
        problems.add("leads outside the briefing's folder (through a symbolic link); "
                     "briefgen reads only files inside it", file=path)
        return None
    try:
        raw = read_limited(path, MAX_FILE_BYTES)
    except TooLarge as exc:
        problems.add(str(exc), file=path)
        return None
    except OSError as exc:
        problems.add(f"cannot read file: {exc.strerror or exc}", file=path)
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        problems.add(f"not valid UTF-8 (byte 0x{raw[exc.start]:02x}); save the file as UTF-8", file=path, line=line)
        return None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    bad = _BAD_CHARS.search(text)
    if bad:
        for m in _BAD_CHARS.finditer(text):
            line = text.count("\n", 0, m.start()) + 1
            col = m.start() - (text.rfind("\n", 0, m.start()) + 1) + 1
            problems.add(f"control or non-character U+{ord(m.group()):04X} is not allowed; delete it",
                         file=path, line=line, column=col)
            if len(problems.problems) > 50:
                break
        return None
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    return text


def split_front_matter(text: str) -> tuple[str, str, int]:
    """The YAML front matter, the body, and the file line on which the body starts.

    A file without front matter gives ``("", text, 1)``.
    """
    if not text.startswith("---\n"):
        return "", text, 1
    end = re.search(r"^---[ \t]*$", text[4:], flags=re.M)
    if end is None:
        return "", text, 1
    front = text[4: 4 + end.start()]
    body_start = 4 + end.end() + 1
    body_line = text.count("\n", 0, min(body_start, len(text))) + 1
    return front, text[body_start:], body_line


def _validate(kind: str, located: Located, problems: ProblemCollector) -> Any:
    """The validated front matter or briefing.yaml (``kind``: "briefing" or "section"), or None.

    The msgspec tier accepts valid input quickly; anything it refuses is
    validated by the pydantic model derived from the same schema, which reports
    every problem with its line (see :mod:`briefgen.schemas`).
    """
    if not isinstance(located.data, dict):
        line, _ = located.where(())
        problems.add("expected keys and values (a YAML mapping) here", file=located.file, line=line)
        return None
    from .schema import SCHEMAS, convert

    fast = convert(kind, located.data)
    if fast is not None:
        return fast
    from pydantic import ValidationError

    from .schema_errors import pydantic_model

    schema = pydantic_model(SCHEMAS[kind])
    try:
        return schema.model_validate(located.data)
    except ValidationError as exc:
        found = validation_problems(exc, located, schema)
        problems.extend(found)
        if kind == "section":
            problems.extend(_raw_chart_shape(located, found))
        return None


def _raw_chart_shape(located: Located, found: list[Problem]) -> list[Problem]:
    """Series lengths checked on the raw front matter, when other problems kept the schema from checking them.

    The schema compares lengths only once every value is a number; a value written
    ``1,234`` must not hide that the series is also a value short.
    """
    from .schema import value_count_problem

    chart = located.data.get("chart")
    if not isinstance(chart, dict) or not isinstance(chart.get("categories"), list) \
            or not isinstance(chart.get("series"), list):
        return []
    said = {p.message for p in found}
    out = []
    for i, series in enumerate(chart["series"]):
        if isinstance(series, dict) and isinstance(series.get("values"), list):
            problem = value_count_problem(series.get("name"), len(series["values"]), len(chart["categories"]))
            if problem and problem not in said:
                out.append(located.problem(("chart", "series", i, "values"), problem))
    return out


# -- validation errors into problems --------------------------------------------------------
def validation_problems(exc, located: Located, schema) -> list[Problem]:
    """One problem per pydantic error (``exc``, from ``schema``), with the line of the key it concerns."""
    from .schema_errors import keys_at

    out = []
    for err in exc.errors(include_url=False):
        loc = tuple(err["loc"])
        typ = err["type"]
        if typ == "missing":
            msg = f"required key '{loc[-1]}' is missing"
            loc_for_line = loc[:-1]
        elif typ == "extra_forbidden":
            key = loc[-1]
            msg = f"unknown key '{key}'"
            model_fields = keys_at(schema, loc)
            close = difflib.get_close_matches(str(key), model_fields, n=1) if model_fields else []
            if close:
                msg += f"; did you mean '{close[0]}'?"
            elif model_fields:
                msg += f" (known keys: {', '.join(sorted(model_fields))})"
            loc_for_line = loc
        elif typ in ("float_parsing", "float_type", "finite_number"):
            msg = (f"'{err.get('input')}' is not a plain number: write digits with an optional '.' and '-', "
                   "without thousands separators, currency or % signs")
            loc_for_line = loc
        elif typ == "literal_error":
            msg = f"'{err.get('input')}' is not allowed: {err['msg'].replace('Input should be ', 'use ')}"
            loc_for_line = loc
        elif typ.startswith("date"):
            msg = f"'{err.get('input')}' is not a valid date: write it as YYYY-MM-DD"
            loc_for_line = loc
        else:
            msg = err["msg"]
            if msg.startswith("Value error, "):
                msg = msg[len("Value error, "):]
            loc_for_line = loc
        line, col = located.where(loc_for_line)
        out.append(Problem(msg, file=located.file, line=line, column=col, field=field_name(loc)))
    return out


# -- finding briefings -----------------------------------------------------------------------
# -- loading -----------------------------------------------------------------------------------
def load_briefing(ref: str | Path | None = None, content_dir: Path | None = None) -> Briefing:
    """A validated Briefing with every section the briefing lists, templates applied.

    Raises :class:`ContentError` listing every problem found in every file: a
    broken ``briefing.yaml`` does not stop the section files from being checked
    (those it lists, as far as that can be read, else every file in ``sections/``).
    A section file that ``sections:`` does not list becomes a note
    (``Briefing.notes``), since it is silently left out of every build otherwise.
    """
    root = find_briefing(ref, content_dir)
    problems = ProblemCollector()
    meta_file = root / "briefing.yaml"
    located = meta = None
    text = read_text(meta_file, problems, root)
    if text is not None:
        try:
            located = load_yaml(text, meta_file)
        except ContentError as exc:
            problems.extend(exc.problems)
    if located is not None:
        meta = _validate("briefing", located, problems)
    if meta is None:
        _check_sections_anyway(root, located, problems)
        problems.raise_if_any()
    assert meta is not None and located is not None

    context = {**meta.vars, "briefing": {
        "title": meta.title, "subtitle": meta.subtitle, "issuer": meta.issuer,
        "date": meta.date, "marking": meta.marking}}
    templater = Templater(context)

    def tpl(value: str | None, path: tuple, markdown: bool = False, file=meta_file, where: Located = located):
        if value is None:
            return None
        line, _ = where.where(path)
        try:
            return templater.render(value, file=file, field=field_name(path), line=line, markdown=markdown)
        except ContentError as exc:
            problems.extend(exc.problems)
            return value

    title = tpl(meta.title, ("title",))
    subtitle = tpl(meta.subtitle, ("subtitle",))
    issuer = tpl(meta.issuer, ("issuer",))
    marking = tpl(meta.marking, ("marking",))
    if marking and len(marking) > MAX_MARKING:  # checked as printed: after its template is applied
        problems.problems.append(located.problem(("marking",), (
            f"is {len(marking):,} characters long; a marking may have at most {MAX_MARKING} (it is printed "
            "whole at the top and bottom of every page and slide)")))
    context["briefing"].update(title=title, subtitle=subtitle, issuer=issuer, marking=marking)
    sources = tuple(Source(title=tpl(s.title, ("sources", i, "title")), url=s.url)
                    for i, s in enumerate(meta.sources))
    for i, s in enumerate(meta.sources):
        _check_url(s.url, located, ("sources", i, "url"), problems)

    for name, ids in meta.presets.items():
        for j, sid in enumerate(ids):
            if sid not in meta.sections:
                close = difflib.get_close_matches(sid, meta.sections, n=1)
                hint = f"; did you mean '{close[0]}'?" if close else ""
                problems.problems.append(located.problem(("presets", name, j),
                                                         f"preset '{name}' names unknown section '{sid}'{hint}"))

    sections = []
    notes: list[Note] = []
    if _sections_folder_usable(root, problems):
        for i, sid in enumerate(meta.sections):
            path = root / "sections" / f"{sid}.md"
            if not (is_file(path) or os.path.islink(path)):  # a link is read (or refused) by read_text
                problems.problems.append(located.problem(("sections", i),
                                                         f"section '{sid}' has no file sections/{sid}.md"))
                continue
            section = load_section(path, sid, root, templater, problems, notes)
            if section is not None:
                sections.append(section)
    _check_references(sections, list(meta.sections), problems)
    problems.raise_if_any()
    briefing = Briefing(
        id=root.resolve().name, root=root, title=title, subtitle=subtitle, issuer=issuer, date=meta.date,
        marking=marking, lang=meta.lang or DEFAULT_LANG, sections=tuple(sections), sources=sources,
        presets={k: tuple(v) for k, v in meta.presets.items()},
        labels={**DEFAULT_LABELS, **{k: tpl(v, ("labels", k)) for k, v in meta.labels.items()}},
        notes=tuple(notes) + _unlisted_notes(root, meta.sections))
    _check_characters(briefing, problems)
    problems.raise_if_any()
    return briefing


def _sections_folder_usable(root: Path, problems: ProblemCollector) -> bool:
    """Whether ``sections/`` may be read: it must not lead outside the briefing's folder."""
    folder = root / "sections"
    if (folder.exists() or folder.is_symlink()) and leads_outside(folder, root):
        problems.add("leads outside the briefing's folder (through a symbolic link); "
                     "briefgen reads only files inside it", file=folder)
        return False
    return True


def _section_files(root: Path) -> list[Path]:
    """The ``*.md`` files in ``sections/``, sorted by name."""
    try:
        return sorted(p for p in (root / "sections").glob("*.md") if is_file(p))
    except OSError:
        return []


def _unlisted_notes(root: Path, listed: list[str]) -> tuple[Note, ...]:
    """A note for each section file that ``sections:`` leaves out."""
    known = set(listed)
    return tuple(Note(f"not listed under 'sections:' in briefing.yaml, so no build includes it; "
                      f"add '{p.stem}' there to build it", file=p)
                 for p in _section_files(root) if p.stem not in known)


def _check_sections_anyway(root: Path, located: Located | None, problems: ProblemCollector) -> None:
    """The section files checked although briefing.yaml is broken, so that one run reports everything.

    The files are those its ``sections:`` names where that list can be read, else
    every ``sections/*.md``. Templates see the variables under ``vars:`` if that is
    a mapping. A file it lists that does not exist is reported by the schema
    problems already found, or here.
    """
    raw = located.data if located is not None and isinstance(located.data, dict) else {}
    listed = raw.get("sections")
    usable = isinstance(listed, list) and listed and all(isinstance(i, str) and ID_RE.match(i) for i in listed)
    if not _sections_folder_usable(root, problems):
        return
    if usable:
        ids = list(dict.fromkeys(listed))
        paths = [(root / "sections" / f"{sid}.md", sid) for sid in ids]
        for path, sid in paths:
            if not (is_file(path) or os.path.islink(path)):
                problems.problems.append(located.problem(("sections", listed.index(sid)),
                                                         f"section '{sid}' has no file sections/{sid}.md"))
        paths = [(p, sid) for p, sid in paths if is_file(p) or os.path.islink(p)]
    else:
        paths = [(p, p.stem) for p in _section_files(root)]
    variables = raw.get("vars") if isinstance(raw.get("vars"), dict) else {}
    briefing_vars = {k: raw.get(k) if isinstance(raw.get(k), str) else None
                     for k in ("title", "subtitle", "issuer", "date", "marking")}
    templater = Templater({**variables, "briefing": briefing_vars})
    for path, sid in paths:
        load_section(path, sid, root, templater, problems)


def _check_references(sections: list[Section], known: list[str], problems: ProblemCollector) -> None:
    """A '#id' link must name a section of the briefing (built or not): anything else is a mistake to fix."""
    ids = set(known)
    for section in sections:
        for target, line in section.references:
            if target in ids:
                continue
            close = difflib.get_close_matches(target, known, n=1)
            hint = f"; did you mean '#{close[0]}'?" if close else f" (sections: {', '.join(known)})"
            problems.add(f"link to '#{target}': there is no section '{target}'{hint}", file=section.file,
                         line=line, field="link")


def _check_characters(briefing: Briefing, problems: ProblemCollector) -> None:
    """Characters no output can draw faithfully, in any text field the build draws.

    Control characters that reached the text through YAML escapes or template
    values are refused, and so is right-to-left writing (see :mod:`.scripts`),
    once per field, with the line where the character was written when it is in
    the file as typed.
    """
    from .scripts import right_to_left_problem

    seen: set[tuple] = set()
    for sid, field, text in section_texts(briefing):
        file = briefing.section(sid).file if sid else briefing.root / "briefing.yaml"
        m = _BAD_CHARS.search(text.replace("\n", " ").replace("\t", " "))
        if m:
            problems.add(f"control or non-character U+{ord(m.group()):04X} is not allowed; delete it",
                         file=file, field=field)
        rtl = right_to_left_problem(text)
        if rtl and (file, field) not in seen:
            seen.add((file, field))
            from .scripts import first_right_to_left

            problems.add(rtl, file=file, line=_line_of(file, first_right_to_left(text)), field=field)


def _line_of(file: Path, ch: str | None) -> int | None:
    """The first line of ``file`` on which ``ch`` is written, or None (it came from a template, say)."""
    if ch is None:
        return None
    try:
        text = read_limited(file, MAX_FILE_BYTES).decode("utf-8-sig", errors="replace")
    except (OSError, TooLarge):
        return None
    at = text.find(ch)
    return text.count("\n", 0, at) + 1 if at >= 0 else None


def load_section(path: Path, sid: str, root: Path, templater: Templater,
                 problems: ProblemCollector, notes: list[Note] | None = None) -> Section | None:
    """One section file as a Section, or ``None`` with its problems added to ``problems``; what it
    notices without failing (links kept as plain text) is added to ``notes``."""
    before = len(problems.problems)
    text = read_text(path, problems, root)
    if text is None:
        return None
    front, body, body_line = split_front_matter(text)
    if not front.strip() and not text.startswith("---\n"):
        problems.add("a section file starts with YAML front matter between '---' lines, holding at least 'title'",
                     file=path, line=1)
        return None
    try:
        located = load_yaml(front, path, line_offset=1)
    except ContentError as exc:
        problems.extend(exc.problems)
        return None
    head = _validate("section", located, problems)
    if head is None:
        return None
    extra = {"section": {"id": sid, "title": head.title}}

    def tpl(value: str | None, fpath: tuple, markdown: bool = False) -> str | None:
        if value is None:
            return None
        line, _ = located.where(fpath)
        try:
            return templater.render(value, file=path, field=field_name(fpath), line=line, markdown=markdown,
                                    extra=extra)
        except ContentError as exc:
            problems.extend(exc.problems)
            return value

    title = tpl(head.title, ("title",))
    extra["section"]["title"] = title
    kp_conv = MarkdownConverter(path, path.parent, root, line_offset=0, field="key_points")
    key_points = []
    for i, kp in enumerate(head.key_points):
        kp_conv._line = located.where(("key_points", i))[0]
        key_points.append(kp_conv.inline(tpl(kp, ("key_points", i), markdown=True) or ""))
    problems.extend(kp_conv.problems)
    facts = tuple(Fact(value=tpl(f.value, ("facts", i, "value")), label=tpl(f.label, ("facts", i, "label")))
                  for i, f in enumerate(head.facts))
    chart = None
    if head.chart is not None:
        c = head.chart
        chart = Chart(
            type=c.type, title=tpl(c.title, ("chart", "title")), unit=tpl(c.unit, ("chart", "unit")),
            source=tpl(c.source, ("chart", "source")),
            categories=tuple(tpl(x, ("chart", "categories", i)) for i, x in enumerate(c.categories)),
            series=tuple(Series(name=tpl(s.name, ("chart", "series", i, "name")),
                                values=tuple(float(v) for v in s.values)) for i, s in enumerate(c.series)))
    speaker_notes = tpl(head.notes, ("notes",))
    sources = tuple(Source(title=tpl(s.title, ("sources", i, "title")), url=s.url)
                    for i, s in enumerate(head.sources))
    for i, s in enumerate(head.sources):
        _check_url(s.url, located, ("sources", i, "url"), problems)

    body_text = ""
    if body.strip():
        try:
            body_text = templater.render(body, file=path, field="body", line=body_line, markdown=True, extra=extra)
        except ContentError as exc:
            problems.extend(exc.problems)
    conv = MarkdownConverter(path, path.parent, root, line_offset=body_line - 1, field="body")
    blocks = conv.blocks(body_text or "")
    problems.extend(conv.problems)
    if len(problems.problems) > before:
        return None
    if notes is not None:
        notes.extend(kp_conv.notes + conv.notes)
    return Section(id=sid, title=title, blocks=blocks, key_points=tuple(key_points), facts=facts, chart=chart,
                   notes=speaker_notes, sources=sources, file=path,
                   references=tuple(kp_conv.references + conv.references))


def _check_url(url: str | None, located: Located, path: tuple, problems: ProblemCollector) -> None:
    if url is None:
        return
    from urllib.parse import urlsplit

    if urlsplit(url).scheme.lower() not in ("http", "https", "mailto"):
        problems.problems.append(located.problem(path, f"'{url}' is not an http, https or mailto address"))
