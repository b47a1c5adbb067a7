"""The document model: what a briefing says, with no trace of how it is drawn.

Everything downstream of the content loader reads only these types. They are
frozen, hold already-rendered text (templates are applied by the loader), and
import nothing from the renderers.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Iterator, Literal, Union

from .errors import display_path


@dataclass(frozen=True, slots=True)
class Run:
    """A stretch of inline text with one set of formatting; ``href`` makes it a link."""

    text: str
    bold: bool = False
    italic: bool = False
    code: bool = False
    strike: bool = False
    href: str | None = None


Inline = tuple[Run, ...]


def plain(runs: Inline) -> str:
    """The text of a run sequence with formatting dropped."""
    return "".join(r.text for r in runs)


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A paragraph of inline runs."""

    runs: Inline


@dataclass(frozen=True, slots=True)
class Heading:
    """A subheading inside a section body; ``level`` 1 is the first level below the section title."""

    level: int
    runs: Inline


@dataclass(frozen=True, slots=True)
class ListItem:
    """One list entry; it holds blocks because an item may have several paragraphs or a nested list."""

    blocks: tuple["Block", ...]


@dataclass(frozen=True, slots=True)
class BulletList:
    """A bulleted or numbered list; ``start`` is the first number of a numbered list."""

    items: tuple[ListItem, ...]
    ordered: bool = False
    start: int = 1


@dataclass(frozen=True, slots=True)
class Table:
    """A table with one header row; ``align`` holds 'left', 'center', 'right' or None per column."""

    header: tuple[Inline, ...]
    rows: tuple[tuple[Inline, ...], ...]
    align: tuple[str | None, ...]


@dataclass(frozen=True, slots=True)
class Image:
    """An image from the briefing's own folder; ``path`` is resolved and checked by the loader, which also
    reads its size in pixels."""

    path: Path
    alt: str
    title: str | None = None
    pixels: tuple[int, int] = (1, 1)


@dataclass(frozen=True, slots=True)
class Quote:
    """A block quotation."""

    blocks: tuple["Block", ...]


@dataclass(frozen=True, slots=True)
class CodeBlock:
    """Preformatted text, drawn in the style's mono font."""

    text: str


Block = Union[Paragraph, Heading, BulletList, Table, Image, Quote, CodeBlock]


@dataclass(frozen=True, slots=True)
class Fact:
    """A headline figure: the value as written ("$623 billion") and what it measures."""

    value: str
    label: str


@dataclass(frozen=True, slots=True)
class Series:
    """One named data series of a chart."""

    name: str
    values: tuple[float, ...]


ChartType = Literal["bar", "column", "pie", "line"]


@dataclass(frozen=True, slots=True)
class Chart:
    """A chart drawn natively in both outputs. ``bar`` is horizontal, ``column`` vertical."""

    type: ChartType
    title: str
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    unit: str | None = None
    source: str | None = None


@dataclass(frozen=True, slots=True)
class Source:
    """A further source a reader may consult; ``url`` is optional."""

    title: str
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Section:
    """One section of a briefing, in the order its blocks were written."""

    id: str
    title: str
    blocks: tuple[Block, ...] = ()
    key_points: tuple[Inline, ...] = ()
    facts: tuple[Fact, ...] = ()
    chart: Chart | None = None
    notes: str | None = None
    sources: tuple[Source, ...] = ()
    file: Path | None = None
    # the links to other sections written in this one, as (section id, line in ``file`` or None)
    references: tuple[tuple[str, int | None], ...] = ()


@dataclass(frozen=True, slots=True)
class Note:
    """Something a build tells its user without failing: where (file, line) and what happened."""

    message: str
    file: Path | None = None
    line: int | None = None

    def __str__(self) -> str:
        where = ""
        if self.file is not None:
            where = display_path(self.file) + (f":{self.line}" if self.line is not None else "")
        return f"{where}: {self.message}" if where else self.message


DEFAULT_LABELS: dict[str, str] = {
    "contents": "Contents",
    "key_points": "Key points",
    "agenda": "Agenda",
    "sources": "Sources",
    "source": "Source",
    "continued": "(cont.)",  # no longer printed (split slides are numbered); still accepted in briefing.yaml
    "part": "({n} of {total})",  # after the title of each slide of a run that shares one
    "draft": "DRAFT",
    "other": "Other",  # the slice that holds a pie's smallest slices when it has more than a page or slide shows
}


DEFAULT_LANG = "en-US"


@dataclass(frozen=True, slots=True)
class Briefing:
    """A whole briefing: its metadata and its sections in reading order.

    ``sections`` holds what will be built; :func:`briefgen.selection.select` returns
    a copy with fewer or reordered sections and ``selection`` naming how they were
    picked (``None`` for the whole briefing). ``notes`` holds what reading the
    briefing noticed without refusing it (a section file not listed, say): a build
    reports them as notes.
    """

    id: str
    root: Path
    title: str
    sections: tuple[Section, ...]
    subtitle: str | None = None
    issuer: str | None = None
    date: _dt.date | None = None
    marking: str | None = None
    lang: str = DEFAULT_LANG  # the language of its text (a BCP 47 tag), for screen readers and spell checkers
    sources: tuple[Source, ...] = ()
    presets: dict[str, tuple[str, ...]] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_LABELS))
    selection: str | None = None
    notes: tuple[Note, ...] = ()  # what reading it noticed (links kept as plain text, say), for every build

    @property
    def date_text(self) -> str:
        """The date as a reader writes it ('April 1, 2018'); empty when there is none."""
        d = self.date
        return f"{d:%B} {d.day}, {d.year}" if d else ""

    def section(self, section_id: str) -> Section:
        for s in self.sections:
            if s.id == section_id:
                return s
        raise KeyError(section_id)

    @property
    def all_sources(self) -> tuple[Source, ...]:
        """The briefing's own sources, then those of the built sections, without repeats."""
        seen: set[tuple[str, str | None]] = set()
        out = []
        for src in self.sources + tuple(s for sec in self.sections for s in sec.sources):
            key = (src.title, src.url)
            if key not in seen:
                seen.add(key)
                out.append(src)
        return tuple(out)


@dataclass(frozen=True, slots=True)
class Book:
    """A briefing book: several briefings bound under one cover, each already cut to its selection.

    ``id`` names the outputs (the book file's name without its extension); ``root``
    is the book file's folder. ``marking`` is the one the whole book carries: the
    book's own, or the most restrictive of its briefings' (decided by the loader).
    ``labels`` are the words of the book's own pages (contents, agenda, draft).
    """

    id: str
    root: Path
    title: str
    briefings: tuple[Briefing, ...]
    subtitle: str | None = None
    issuer: str | None = None
    date: _dt.date | None = None
    marking: str | None = None
    labels: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_LABELS))
    notes: tuple[Note, ...] = ()


def children(block: Block) -> tuple[Block, ...]:
    """The blocks directly inside ``block``: a list's items' blocks, a quote's blocks; none for the others."""
    if isinstance(block, BulletList):
        return tuple(b for item in block.items for b in item.blocks)
    if isinstance(block, Quote):
        return block.blocks
    if isinstance(block, (Paragraph, Heading, Table, Image, CodeBlock)):
        return ()
    raise TypeError(f"not a block of the document model: {type(block).__name__}")


def map_runs(block: Block, change: Callable[[Inline], Inline]) -> Block:
    """``block`` with ``change`` applied to every run sequence in it, at any depth (a paragraph's, a
    heading's, each table cell's, those of the blocks inside lists and quotes)."""
    if isinstance(block, (Paragraph, Heading)):
        return replace(block, runs=change(block.runs))
    if isinstance(block, BulletList):
        return replace(block, items=tuple(ListItem(blocks=tuple(map_runs(b, change) for b in item.blocks))
                                          for item in block.items))
    if isinstance(block, Quote):
        return Quote(blocks=tuple(map_runs(b, change) for b in block.blocks))
    if isinstance(block, Table):
        return replace(block, header=tuple(map(change, block.header)),
                       rows=tuple(tuple(map(change, row)) for row in block.rows))
    if isinstance(block, (Image, CodeBlock)):
        return block
    raise TypeError(f"not a block of the document model: {type(block).__name__}")


def walk(blocks) -> Iterator[Block]:
    """Every block at any depth, in reading order: each block, then the blocks inside it."""
    for block in blocks:
        yield block
        yield from walk(children(block))


def inline_texts(block: Block) -> Iterator[Inline]:
    """The runs a block itself holds (not those of blocks inside it): a paragraph's, a table's cells'."""
    if isinstance(block, (Paragraph, Heading)):
        yield block.runs
    elif isinstance(block, Table):
        yield from block.header
        for row in block.rows:
            yield from row


class Visitor:
    """Dispatch on a model node's type, the one way renderers and checks take the model apart.

    ``visit(node, ...)`` calls ``<prefix><type name in lower case>`` (``visit_paragraph``,
    ``visit_bulletlist``, …) with the same arguments; a node with no method goes to
    ``unknown_visit``, which raises: a new kind of block is never silently skipped.
    """

    prefix = "visit_"

    def visit(self, node, *args, **kwargs):
        method = getattr(self, self.prefix + type(node).__name__.lower(), None)
        if method is None:
            return self.unknown_visit(node, *args, **kwargs)
        return method(node, *args, **kwargs)

    def unknown_visit(self, node, *args, **kwargs):
        raise TypeError(f"{type(self).__name__} has no rule for {type(node).__name__}")


def block_texts(block: Block) -> Iterator[str]:
    """The text a block shows by itself (its own runs, code, or an image's description)."""
    if isinstance(block, CodeBlock):
        yield block.text
    elif isinstance(block, Image):
        yield block.alt
        if block.title:
            yield block.title
    else:
        for runs in inline_texts(block):
            yield plain(runs)


def section_texts(briefing: Briefing):
    """Every piece of text a build draws, as (section id or None, field, text)."""
    for fname in ("title", "subtitle", "issuer", "marking"):
        value = getattr(briefing, fname)
        if value:
            yield None, fname, value
    for src in briefing.all_sources:
        yield None, "sources", src.title
    for key, label in briefing.labels.items():
        yield None, f"labels.{key}", label
    for sec in briefing.sections:
        yield sec.id, "title", sec.title
        for i, kp in enumerate(sec.key_points):
            yield sec.id, f"key_points[{i}]", plain(kp)
        for i, f in enumerate(sec.facts):
            yield sec.id, f"facts[{i}]", f.value + f.label
        if sec.chart:
            c = sec.chart
            yield sec.id, "chart", " ".join([c.title, c.unit or "", c.source or "", *c.categories,
                                             *(s.name for s in c.series)])
        if sec.notes:
            yield sec.id, "notes", sec.notes
        for block in walk(sec.blocks):
            for text in block_texts(block):
                yield sec.id, "body", text
