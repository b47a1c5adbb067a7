"""The content loader: ``content/<id>/briefing.yaml`` and ``sections/*.md`` into a Briefing.

This is the only module that knows the input formats. It reads every file,
normalises the text, validates it against closed schemas, applies templates and
parses Markdown, collecting every problem it finds before raising one
:class:`ContentError` that lists them all.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from pathlib import Path
from typing import Any

from ..errors import ContentError, Problem, ProblemCollector
from ..model import (
    DEFAULT_LABELS,
    Briefing,
    Chart,
    Fact,
    Note,
    Section,
    Series,
    Source,
    section_texts,
)
from .locate import DEFAULT_BRIEFING, DEFAULT_CONTENT_DIR, find_briefing, list_briefings  # noqa: F401 - re-exported
from .markdown import MarkdownConverter
from .schema import ID_RE  # noqa: F401 - re-exported
from .templates import Templater
from .yaml_source import BAD_CHARS, Located, field_name, load_yaml

MAX_FILE_BYTES = 20 * 1024 * 1024


# -- text hygiene -----------------------------------------------------------------------
_BAD_CHARS = BAD_CHARS


def read_text(path: Path, problems: ProblemCollector) -> str | None:
    """A file's text: UTF-8, BOM removed, line ends made LF, NFC; ``None`` (with a problem) if unusable.

    Control characters, surrogates and noncharacters are refused with their line
    and column, because they would fail late or print as nothing.
    """
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            problems.add(f"file is {size:,} bytes; the limit is {MAX_FILE_BYTES:,}", file=path)
            return None
        raw = path.read_bytes()
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
        problems.extend(validation_problems(exc, located, schema))
        return None


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

    Raises :class:`ContentError` listing every problem found in every file.
    """
    root = find_briefing(ref, content_dir)
    problems = ProblemCollector()
    meta_file = root / "briefing.yaml"
    text = read_text(meta_file, problems)
    problems.raise_if_any()
    located = load_yaml(text or "", meta_file)
    meta = _validate("briefing", located, problems)
    problems.raise_if_any()
    assert meta is not None

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
    for i, sid in enumerate(meta.sections):
        path = root / "sections" / f"{sid}.md"
        if not path.is_file():
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
        marking=marking, sections=tuple(sections), sources=sources,
        presets={k: tuple(v) for k, v in meta.presets.items()},
        labels={**DEFAULT_LABELS, **{k: tpl(v, ("labels", k)) for k, v in meta.labels.items()}},
        notes=tuple(notes))
    _check_characters(briefing, problems)
    problems.raise_if_any()
    return briefing


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
    """Control characters that reached the text through YAML escapes or template values are refused too."""
    for sid, field, text in section_texts(briefing):
        m = _BAD_CHARS.search(text.replace("\n", " ").replace("\t", " "))
        if m:
            file = briefing.section(sid).file if sid else briefing.root / "briefing.yaml"
            problems.add(f"control or non-character U+{ord(m.group()):04X} is not allowed; delete it",
                         file=file, field=field)


def load_section(path: Path, sid: str, root: Path, templater: Templater,
                 problems: ProblemCollector, notes: list[Note] | None = None) -> Section | None:
    """One section file as a Section, or ``None`` with its problems added to ``problems``; what it
    notices without failing (links kept as plain text) is added to ``notes``."""
    before = len(problems.problems)
    text = read_text(path, problems)
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
