"""What of a section's body goes where in the deck: one walk through the model's Visitor.

Tables and images, at any depth, get slides of their own. A section whose author wrote no key
points shows its text (paragraphs, subheadings, list items) on its slide; quotes and code are
never set on slides. Everything written in the body is in the section's speaker notes, tables and
images aside (their slides carry them), so nothing the author wrote is lost from the deck.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...model import (
    BulletList,
    CodeBlock,
    Heading,
    Image,
    Inline,
    Paragraph,
    Quote,
    Run,
    Section,
    Table,
    Visitor,
    plain,
    walk,
)

BULLET = "\u2022"
NOTES_RULE = "\u2014" * 3  # between the author's notes and the section's prose


@dataclass(frozen=True)
class Item:
    """A paragraph a slide may show: its runs and marker (a bullet, a list number or none).

    ``level`` is its list's depth (0 at the top); ``hang`` marks a list item's later paragraph,
    which lines up with the item's text; ``digits`` is the widest number of its list."""

    runs: Inline
    bullet: str | None = None
    number: int | None = None
    level: int = 0
    hang: bool = False
    digits: int = 0


def bullets(points) -> list[Item]:
    """Key points (or any run sequences) as bulleted items."""
    return [Item(runs, BULLET) for runs in points]


class _Visuals(Visitor):
    def __init__(self) -> None:
        self.found: list[Table | Image] = []

    def visit_table(self, block: Table) -> None:
        self.found.append(block)

    def visit_image(self, block: Image) -> None:
        self.found.append(block)

    def _nothing(self, block) -> None:
        """Text blocks and containers: the walk reaches what they hold."""

    visit_paragraph = visit_heading = visit_bulletlist = visit_quote = visit_codeblock = _nothing


def find_visuals(blocks) -> list[Table | Image]:
    """The tables and images among ``blocks``, at any depth, in reading order."""
    finder = _Visuals()
    for block in walk(blocks):
        finder.visit(block)
    return finder.found


class Shown(Visitor):
    """A body's text as slide items, and its tables and images, for a section without key points."""

    def __init__(self) -> None:
        self.items: list[Item] = []
        self.visuals: list[Table | Image] = []

    def collect(self, blocks) -> Shown:
        for block in blocks:
            self.visit(block, 0, None)
        return self

    def visit_paragraph(self, block: Paragraph, depth: int, marker: Item | None) -> None:
        base = marker or Item((), hang=depth > 0, level=max(depth - 1, 0))
        self.items.append(Item(block.runs, base.bullet, base.number, base.level, base.hang, base.digits))

    def visit_heading(self, block: Heading, depth: int, marker: Item | None) -> None:
        self.items.append(Item(tuple(Run(r.text, True, r.italic, r.code, r.strike, r.href) for r in block.runs),
                               level=max(depth - 1, 0), hang=depth > 0))

    def visit_bulletlist(self, block: BulletList, depth: int, marker: Item | None) -> None:
        digits = len(str(block.start + len(block.items) - 1)) if block.ordered else 0
        for i, item in enumerate(block.items):
            first: Item | None = (Item((), number=block.start + i, level=depth, digits=digits) if block.ordered
                                  else Item((), BULLET, level=depth))
            for sub in item.blocks:
                self.visit(sub, depth + 1, first)
                first = None  # later paragraphs of the item continue it

    def visit_quote(self, block: Quote, depth: int, marker: Item | None) -> None:
        self.visuals.extend(find_visuals(block.blocks))  # the quote's words go to the notes

    def visit_codeblock(self, block: CodeBlock, depth: int, marker: Item | None) -> None:
        """Code is read, not presented: it goes to the notes."""

    def visit_table(self, block: Table, depth: int, marker: Item | None) -> None:
        self.visuals.append(block)

    def visit_image(self, block: Image, depth: int, marker: Item | None) -> None:
        self.visuals.append(block)


class Notes(Visitor):
    """A body as speaker-notes text: each block a paragraph, lists marked, quotes prefixed with '> '."""

    def text(self, blocks) -> str:
        return "\n\n".join(t for t in (self.visit(b) for b in blocks) if t)

    def visit_paragraph(self, block: Paragraph) -> str:
        return plain(block.runs)

    visit_heading = visit_paragraph

    def visit_bulletlist(self, block: BulletList) -> str:
        lines = []
        for i, item in enumerate(block.items):
            mark = f"{block.start + i}. " if block.ordered else "- "
            for sub in item.blocks:
                text = self.visit(sub)
                if text:
                    lines.extend((mark if n == 0 else "  ") + line for n, line in enumerate(text.split("\n")))
                    mark = "  "
        return "\n".join(lines)

    def visit_quote(self, block: Quote) -> str:
        return "\n".join("> " + line for line in self.text(block.blocks).split("\n"))

    def visit_codeblock(self, block: CodeBlock) -> str:
        return block.text

    def visit_table(self, block: Table) -> str:
        return ""  # on a slide of its own

    visit_image = visit_table


def section_notes(section: Section) -> str:
    """A section's speaker notes: the author's ``notes:`` first, then the body's prose under a rule."""
    prose = Notes().text(section.blocks)
    if section.notes and prose:
        return f"{section.notes}\n\n{NOTES_RULE}\n\n{prose}"
    return section.notes or prose


def table_notes(table: Table, rows) -> str:
    """A table's header and ``rows`` as lines of text, cells between bars."""
    return "\n".join(" | ".join(plain(c) for c in row) for row in [table.header, *rows])

