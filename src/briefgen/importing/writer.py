"""An imported :class:`~.document.Document` written out as a briefing folder.

The words are the document's: bodies escape every character that Markdown or a
template would read as markup, so each sentence prints as written. Key points
are the lead sentences of a section's paragraphs; facts and charts are left to
the author, with the figures of each section listed as candidates in a comment.
The folder is written beside the target under a temporary name, loaded and
compared with the document, and only then renamed into place.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
import unicodedata
from pathlib import Path
from urllib.parse import urlsplit

from ..errors import ContentError, Problem
from .document import (Block, Document, Heading, ListBlock, Paragraph, Section, Span, Table, block_texts,
                       figures, fold, sentences, text_of)

MAX_KEY_POINTS = 5
KEY_POINT_WORDS = (4, 40)  # a lead sentence shorter or longer than this makes no bullet
LINK_SCHEMES = ("http", "https", "mailto")


# -- ids ------------------------------------------------------------------------------------------
def slug(text: str, limit: int = 48) -> str:
    """A lower-case id from text: "U.S. Relations With Mexico" gives "us-relations-with-mexico"."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"(?<=\w)[.'’](?=\w|\s|$)", "", text.lower())  # "U.S." -> "us", "Mexico's" -> "mexicos"
    words = re.findall(r"[a-z0-9]+", text)
    out = ""
    for w in words:
        if out and len(out) + 1 + len(w) > limit:
            break
        out = f"{out}-{w}" if out else w[:limit]
    return out


def section_ids(doc: Document) -> list[str]:
    ids: list[str] = []
    for i, s in enumerate(doc.sections, start=1):
        base = "overview" if s.overview else (slug(s.title, 40) or f"section-{i}")
        sid, n = base, 2
        while sid in ids:
            sid, n = f"{base}-{n}", n + 1
        ids.append(sid)
    return ids


# -- escaping -------------------------------------------------------------------------------------
_ALWAYS = set("\\`*_[]<~#|")


def escape_markdown(text: str) -> str:
    """Markdown that reads back as exactly ``text``: markup characters backslash-escaped, a line start that
    would open a list, quote or heading defused, and ``{{``, ``{%``, ``{#`` split so that no template
    starts. Line breaks (``\\n``) become hard breaks."""
    lines = []
    for line in text.split("\n"):
        out = []
        prev = ""
        for ch in line:
            if ch in _ALWAYS or (prev == "{" and ch in "{%"):
                out.append("\\" + ch)
            else:
                out.append(ch)
            prev = ch
        s = "".join(out)
        if s[:1] in (">", "-", "+", "="):
            s = "\\" + s
        s = re.sub(r"^(\d{1,9})([.)])", r"\1\\\2", s)
        lines.append(s)
    return "\\\n".join(lines)


def escape_template(text: str) -> str:
    """A plain text field (a title) that prints as written: a ``{`` that would open template syntax is
    written as a template expression giving ``{``."""
    return re.sub(r"\{(?=[{%#])", "{{ '{' }}", text)


def quote(text: str) -> str:
    """A YAML double-quoted scalar holding ``text`` exactly."""
    return json.dumps(text, ensure_ascii=False)


def _comment(text: str) -> str:
    return " ".join(text.split())


# -- inline text ------------------------------------------------------------------------------------
def _safe_href(href: str | None) -> str | None:
    if not href:
        return None
    href = href.strip()
    if urlsplit(href).scheme.lower() not in LINK_SCHEMES or re.search(r"[\s<>]", href):
        return None
    return href


def _formatted(spans: list[Span], formatting: bool) -> str:
    parts = []
    for s in spans:
        href = _safe_href(s.href) if formatting else None
        marks = ("**" if s.bold else "") + ("*" if s.italic else "") if formatting else ""
        pieces = []
        for i, line in enumerate(s.text.split("\n")):
            core = line.strip(" ")
            lead, trail = line[:len(line) - len(line.lstrip(" "))], line[len(line.rstrip(" ")):]
            body = escape_markdown(core)
            if core and marks:
                body = f"{marks}{body}{marks[::-1]}"
            if core and href:
                body = f"[{body}](<{href}>)"
            pieces.append(lead + body + trail)
        parts.append("\\\n".join(pieces))
    return _defuse("".join(parts))


def _defuse(markdown: str) -> str:
    """No template syntax where two pieces meet ("{" ending one, "{" or "%" starting the next)."""
    return re.sub(r"\{(?=[{%])", "{\\\\", markdown)


class _Checker:
    """Reads Markdown back with briefgen's own converter, to confirm it gives the intended words."""

    def __init__(self):
        from ..load.markdown import MarkdownConverter

        self.make = lambda: MarkdownConverter(Path("imported.md"), Path("."), Path("."))

    def paragraph(self, markdown: str, expected: str) -> bool:
        from ..model import Paragraph as MParagraph, plain

        conv = self.make()
        blocks = conv.blocks(markdown)
        return (not conv.problems and len(blocks) == 1 and isinstance(blocks[0], MParagraph)
                and plain(blocks[0].runs) == expected)

    def inline(self, markdown: str, expected: str) -> bool:
        from ..model import plain

        conv = self.make()
        return plain(conv.inline(markdown)) == expected and not conv.problems

    def table(self, markdown: str, rows: list[list[str]]) -> bool:
        from ..model import Table as MTable, plain

        conv = self.make()
        blocks = conv.blocks(markdown)
        if conv.problems or len(blocks) != 1 or not isinstance(blocks[0], MTable):
            return False
        got = [[plain(c) for c in blocks[0].header]] + [[plain(c) for c in r] for r in blocks[0].rows]
        return got == rows


def inline_markdown(spans: list[Span], checker: _Checker) -> str:
    """Spans as one Markdown paragraph; formatting is dropped if it would not read back as the same words."""
    expected = text_of(spans)
    for formatting in (True, False):
        md = _formatted(spans, formatting)
        if checker.paragraph(md, expected):
            return md
    raise RuntimeError(f"cannot write this text as Markdown that reads back the same: {expected[:80]!r}")


# -- sections ---------------------------------------------------------------------------------------
def key_points(section: Section) -> list[str]:
    """The lead sentence of each paragraph, as written, at most five.

    Left out: a paragraph set wholly in italics (a note), a lead that does not end
    a sentence (a caption, a label) or only introduces what follows (ends with a
    colon), and one too short or too long to be a bullet.
    """
    out: list[str] = []
    for b in section.blocks:
        if not isinstance(b, Paragraph) or all(s.italic for s in b.spans if s.text.strip()):
            continue
        found = sentences(b.text)
        if not found:
            continue
        lead = found[0]
        words = len(lead.split())
        if not re.search(r"[.!?][\"”’)\]]*$", lead) or not KEY_POINT_WORDS[0] <= words <= KEY_POINT_WORDS[1] \
                or lead in out:
            continue
        out.append(lead)
        if len(out) == MAX_KEY_POINTS:
            break
    return out


def body_markdown(blocks: list[Block], checker: _Checker) -> str:
    parts = []
    for b in blocks:
        if isinstance(b, Paragraph):
            parts.append(inline_markdown(b.spans, checker))
        elif isinstance(b, Heading):
            level = max(1, min(b.level, 4))
            text = b.text.replace("\n", " ")
            parts.append("#" * level + " " + escape_markdown(text))
        elif isinstance(b, ListBlock):
            parts.append(_list_markdown(b, checker))
        elif isinstance(b, Table):
            parts.append(_table_markdown(b, checker))
    return "\n\n".join(p for p in parts if p) + "\n"


def _list_markdown(block: ListBlock, checker: _Checker) -> str:
    lines = []
    open_levels: list[list] = []  # per open level: [indent, marker width, items so far, numbered]
    for item in block.items:
        ordered = block.ordered if item.ordered is None else item.ordered
        level = min(item.level, len(open_levels))  # a list goes at most one level deeper at a time
        del open_levels[level + 1:]
        if level == len(open_levels):
            parent = open_levels[-1] if open_levels else ["", 0, 0, ordered]
            open_levels.append([parent[0] + " " * parent[1], 2, 0, ordered])
        here = open_levels[level]
        if here[3] != ordered:  # another kind of list at this level starts counting again
            here[2], here[3] = 0, ordered
        here[2] += 1
        marker = f"{here[2]}. " if ordered else "- "
        here[1] = len(marker)
        spans = [Span(s.text.replace("\n", " "), s.bold, s.italic, s.href) for s in item.spans]
        lines.append(here[0] + marker + inline_markdown(spans, checker))
    return "\n".join(lines)


def _table_markdown(table: Table, checker: _Checker) -> str:
    width = max(len(r) for r in table.rows)
    rows = [r + [[]] * (width - len(r)) for r in table.rows]
    expected = [[fold(text_of(c).replace("\n", " ")) for c in r] for r in rows]
    for formatting in (True, False):
        lines = []
        for i, row in enumerate(rows):
            cells = [_formatted([Span(s.text.replace("\n", " "), s.bold, s.italic, s.href) for s in c], formatting)
                     for c in row]
            lines.append("| " + " | ".join(cells) + " |")
            if i == 0:
                lines.append("|" + " --- |" * width)
        md = "\n".join(lines)
        if checker.table(md, expected):
            return md
    raise RuntimeError("cannot write a table as Markdown that reads back the same")


def section_file(doc: Document, section: Section, source_name: str, checker: _Checker) -> tuple[str, list[str]]:
    """The text of a section file and its key points."""
    points = key_points(section)
    found, years = figures(block_texts(section.blocks))
    head = ["---", f"# Imported from {_comment(source_name)}: the body is the document's text as written."]
    if section.overview:
        head.append("# The document gives this text before its first heading; the title 'Overview' is briefgen's.")
    if points:
        head.append("# Key points: the lead sentence of each paragraph; cut, reorder or rewrite them.")
    if found or years:
        head.append("# No facts or chart yet. Figures in this section, as candidates:")
        width = min(max(len(_comment(f.text)) for f in found), 24) if found else 0
        for f in found:
            head.append(f"#   {_comment(f.text).ljust(width)}  {_comment(f.context)}")
        if years:
            head.append(f"#   years: {', '.join(years)}")
    else:
        head.append("# No facts or chart yet; no figures found in this section's text.")
    head.append(f"title: {quote(escape_template(section.title))}")
    if points:
        head.append("key_points:")
        for p in points:
            md = escape_markdown(p)
            if not checker.inline(md, p):
                raise RuntimeError(f"cannot write a key point that reads back the same: {p[:80]!r}")
            head.append(f"  - {quote(md)}")
    head.append("---")
    return "\n".join(head) + "\n\n" + body_markdown(section.blocks, checker), points


def briefing_yaml(doc: Document, ids: list[str], source_name: str) -> str:
    lines = [
        f"# Imported by 'briefgen import' from {_comment(source_name)} ({doc.kind}).",
        "#",
        "# Every sentence of the document stands, as written, in the section bodies (sections/*.md).",
        "# Left for you to do:",
        "#   - key points: each section's are the lead sentences of its paragraphs; keep what matters;",
        "#   - facts and a chart: none yet; each section file lists the figures in its text as candidates.",
        "#     A fact is {value: \"$5 million\", label: \"what it counts\"}; a chart has a type (bar, column,",
        "#     pie, line), a title, categories and series of plain numbers (see the README);",
        "#   - presets: named selections of sections, built with 'briefgen build --preset NAME'.",
    ]
    if doc.title is None:
        lines.append("# The document has no title line: the title below is its file name.")
    title = doc.title or Path(source_name).stem
    lines.append(f"title: {quote(escape_template(title))}")
    for key in ("subtitle", "issuer", "marking"):
        value = getattr(doc, key)
        if value:
            lines.append(f"{key}: {quote(escape_template(value))}")
    if doc.date:
        written = f"{doc.date:%B} {doc.date.day}, {doc.date.year}"
        note = f"  # written '{_comment(doc.date_text)}' in the document" if doc.date_text and \
            doc.date_text != written else ""
        lines.append(f"date: {doc.date.isoformat()}{note}")
    lines.append("sections:")
    for sid, s in zip(ids, doc.sections):
        lines.append(f"  - {sid}")
    lines.append("# presets:")
    lines.append(f"#   short: [{', '.join(ids[:2])}]")
    parts = [p for p in (title, doc.subtitle, doc.issuer, doc.date_text) if p]
    lines.append("sources:")
    lines.append(f"  - title: {quote(escape_template(', '.join(parts)))}")
    if doc.url and _safe_href(doc.url):
        lines.append(f"    url: {quote(doc.url)}")
    return "\n".join(lines) + "\n"


# -- the folder -------------------------------------------------------------------------------------
def write_briefing(doc: Document, target: Path, *, source_name: str, force: bool = False) -> Path:
    """Write ``doc`` as the briefing folder ``target``; replace an existing folder only with ``force``."""
    if not doc.sections:
        raise ContentError(Problem("no text to import beyond a title", file=source_name))
    checker = _Checker()
    ids = section_ids(doc)
    files = {"briefing.yaml": briefing_yaml(doc, ids, Path(source_name).name)}
    expected = {}
    for sid, s in zip(ids, doc.sections):
        text, points = section_file(doc, s, Path(source_name).name, checker)
        files[f"sections/{sid}.md"] = text
        expected[sid] = (s.title, points, block_texts(s.blocks))
    return write_folder(files, target, force=force, verify=lambda root: _verify(root, expected))


def _verify(root: Path, expected: dict) -> None:
    """Load the written folder as briefgen will and confirm it says what the document says."""
    from ..load.briefing import load_briefing
    from ..model import plain, section_texts

    briefing = load_briefing(root)
    bodies: dict[str, list[str]] = {}
    for sid, field, text in section_texts(briefing):
        if sid and field == "body":
            bodies.setdefault(sid, []).append(text)
    for s in briefing.sections:
        title, points, texts = expected[s.id]
        squash = lambda xs: " ".join(" ".join(xs).split())  # noqa: E731
        if s.title != title or [plain(k) for k in s.key_points] != points or \
                squash(bodies.get(s.id, [])) != squash(texts):
            raise RuntimeError(f"section '{s.id}' does not read back as the document's text")


def write_folder(files: dict[str, str], target: Path, *, force: bool = False, verify=None,
                 exists: str = "already exists; choose another id, or use --force to replace it") -> Path:
    """Write ``files`` (relative path → text) as the folder ``target``, all or nothing.

    They go into a temporary folder beside ``target``, which ``verify`` may inspect,
    and that folder is renamed to ``target`` at the end; with ``force`` an existing
    ``target`` is replaced, without it an existing ``target`` is an error (``exists`` says so).
    """
    target = Path(target)
    if (target.exists() or target.is_symlink()) and not force:
        raise ContentError(Problem(exists, file=target))
    if (target.exists() or target.is_symlink()) and not target.is_dir():
        raise ContentError(Problem("exists and is not a folder", file=target))
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))
    except OSError as exc:
        raise ContentError(Problem(f"cannot write here: {exc.strerror or exc}", file=target.parent)) from None
    old = None
    try:
        for rel, text in files.items():
            path = tmp / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        if verify is not None:
            verify(tmp)
        if target.exists():
            old = target.with_name(tmp.name.replace(".tmp", ".old"))
            target.rename(old)
        try:
            tmp.rename(target)
        except OSError:
            if old is not None:
                old.rename(target)
                old = None
            raise
    except OSError as exc:
        raise ContentError(Problem(f"cannot write the briefing: {exc.strerror or exc}", file=target)) from None
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    return target
