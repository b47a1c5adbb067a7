"""Plain text: a title line, the issuer / document type / date lines, then paragraphs under short heading lines.

Blocks are separated by blank lines. A block of one short line without end
punctuation is a heading when text follows it; three or more such lines in a
row, or a block of several short lines, are a list; lines marked with ``-``,
``*``, ``•`` or ``1.`` are list items; anything else is a paragraph (a
paragraph wrapped over several lines is joined again).
"""

from __future__ import annotations

import re

from .document import (Block, Document, Header, Heading, ListBlock, ListItem, Paragraph, Span, assemble, fold,
                       header_count, is_marking_line, is_short_line, read_header)

_BULLET = re.compile(r"^(?:[-*•–]|\d{1,3}[.)])\s+")
_UNDERLINE = re.compile(r"^(?:=+|-+)$")


def read_text(text: str) -> Document:
    blocks = [[line.strip() for line in chunk.split("\n") if line.strip()]
              for chunk in re.split(r"\n[^\S\n]*\n", text)]
    blocks = [b for b in blocks if b]
    title = None
    header = Header()
    marking = None
    if blocks and is_marking_line(blocks[0][0]) and (len(blocks[0]) > 1 or len(blocks) > 1):
        marking = fold(blocks[0][0])  # a banner above the title
        blocks = [blocks[0][1:]] + blocks[1:] if len(blocks[0]) > 1 else blocks[1:]
    if blocks and _is_title(blocks[0][0]):
        title = fold(blocks[0][0])
        first_rest = blocks[0][1:]
        blocks = blocks[1:]
        candidates = ([first_rest] if first_rest else []) + blocks
        n = header_count(candidates, cautious=True)
        if first_rest and n == 0:
            blocks.insert(0, first_rest)  # the title's own block went on with text: keep it
        else:
            taken = candidates[:n]
            blocks = candidates[n:]
            header = read_header([line for lines in taken for line in lines])
    header.marking = header.marking or marking
    return assemble(title, header, _structure(blocks), "plain text")


def _is_title(line: str) -> bool:
    return is_short_line(line, max_words=20) or (len(line) <= 150 and line.rstrip()[-1:] in "?!")


def _structure(chunks: list[list[str]]) -> list[Block]:
    """Blank-line separated chunks of lines as headings, paragraphs and lists."""
    kinds: list[tuple[str, list[str]]] = []
    for lines in chunks:
        if len(lines) == 2 and _UNDERLINE.match(lines[1]):
            kinds.append(("heading", lines[:1]))
        elif all(_BULLET.match(x) for x in lines):
            kinds.append(("list", lines))
        elif len(lines) == 1:
            kinds.append(("short" if is_short_line(lines[0]) else "para", lines))
        elif lines[0].endswith(":") and (all(_BULLET.match(x) for x in lines[1:]) or
                                         (len(lines) > 2 and _is_list(lines[1:]))):
            kinds.append(("para", lines[:1]))  # a line that introduces the list under it
            kinds.append(("list", lines[1:]))
        elif _is_list(lines):
            kinds.append(("list", lines))
        else:
            kinds.append(("para", [" ".join(lines)]))
    out: list[Block] = []
    i = 0
    while i < len(kinds):
        kind, lines = kinds[i]
        if kind == "short":
            # a run of short lines alone: headings when text follows, a list when they run on
            j = i
            while j < len(kinds) and kinds[j][0] == "short":
                j += 1
            run = [kinds[k][1][0] for k in range(i, j)]
            after_colon = bool(out) and isinstance(out[-1], Paragraph) and out[-1].text.endswith(":")
            if len(run) >= 3 or j == len(kinds) or after_colon:
                out.append(_list(run))
            else:
                out.append(Heading(1, fold(run[0])))
                if len(run) == 2:
                    out.append(Heading(2, fold(run[1])))
            i = j
            continue
        if kind == "heading":
            out.append(Heading(1, fold(lines[0])))
        elif kind == "list":
            out.append(_list(lines))
        else:
            out.append(Paragraph([Span(fold(lines[0]))]))
        i += 1
    return out


def _is_list(lines: list[str]) -> bool:
    """Several lines that are entries of their own rather than one paragraph wrapped."""
    if any(x[:1].islower() for x in lines[1:]):
        return False  # a line that goes on with the sentence before it
    widest = max(len(x) for x in lines)
    if widest > 200:
        return False
    leading = lines[:-1]
    if all(x.endswith((".", "!", "?")) for x in leading):
        return True
    wrapped = widest >= 50 and all(len(x) >= 0.75 * widest for x in leading)
    return not wrapped


def _list(lines: list[str]) -> ListBlock:
    ordered = all(re.match(r"\d{1,3}[.)]\s", x) for x in lines)
    items = []
    for line in lines:
        if all(_BULLET.match(x) for x in lines):
            line = _BULLET.sub("", line, count=1)
        items.append(ListItem([Span(fold(line))]))
    return ListBlock(items, ordered=ordered)
