"""Markdown section bodies turned into model blocks (markdown-it-py, CommonMark + GFM tables).

Raw HTML is never interpreted: it is kept as the literal text the author typed.
Links may point to the web (http, https, mailto) or to a section (``#id``); a link
to anything else (a relative path, another scheme) keeps its words as plain text
and leaves a note, and ``javascript:``, ``file:`` and ``data:`` are never links.
Images must be files inside the briefing's folder.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode

from ..errors import Problem
from ..model import (
    Block,
    BulletList,
    CodeBlock,
    Heading,
    Image,
    Inline,
    ListItem,
    Note,
    Paragraph,
    Quote,
    Run,
    Table,
)
from .images import check_image, resolve_inside

_md = MarkdownIt("commonmark", {"html": True, "linkify": False, "typographer": False}).enable(
    ["table", "strikethrough"])
# Entities stay as typed: text pasted from a web page that shows "&amp;" means those five characters.
_md.disable("entity")
# markdown-it silently stops parsing past maxNesting; keep its limit well above ours so that we see
# deep nesting and report it instead of losing text
_md.options["maxNesting"] = 200
MAX_DEPTH = 12  # lists and quotes inside each other; deeper has no readable layout on a page or a slide
# markdown-it drops links it thinks unsafe (file:, javascript:) and leaves them as text; we want to see
# every target so that one kept as plain text is noted, not silently printed
_md.validateLink = lambda url: True

LINK_SCHEMES = {"http", "https", "mailto"}
NEVER_LINKED = {"javascript", "vbscript", "file", "data"}  # schemes that run code or reach local files
_SHOWN = 60  # characters of a refused target that a note quotes


class MarkdownConverter:
    """Converts one Markdown text to blocks, collecting problems instead of stopping at the first.

    ``base_dir`` is where relative image paths start; ``root`` is the folder they
    must stay inside. ``line_offset`` is the file line of the text's first line.
    """

    def __init__(self, file: Path, base_dir: Path, root: Path, line_offset: int = 0, field: str = "body"):
        self.file = file
        self.base_dir = base_dir
        self.root = root.resolve()
        self.line_offset = line_offset
        self.field = field
        self.problems: list[Problem] = []
        self.notes: list[Note] = []
        self.references: list[tuple[str, int | None]] = []  # '#id' links: (id, line)
        self._line: int | None = None
        self._depth = 0

    # -- entry points ---------------------------------------------------------------
    def blocks(self, text: str) -> tuple[Block, ...]:
        tokens = _md.parse(text)
        if any(t.level >= _md.options["maxNesting"] - 1 for t in tokens):
            self._problem(f"lists or quotes are nested more than {MAX_DEPTH} levels deep")
            return ()
        tree = SyntaxTreeNode(tokens)
        return tuple(self._blocks(tree.children))

    def inline(self, text: str) -> Inline:
        tokens = _md.parseInline(text)
        if not tokens:
            return ()
        return self._inline(SyntaxTreeNode(tokens).children[0].children)

    # -- blocks -------------------------------------------------------------------------
    def _blocks(self, nodes) -> list[Block]:
        out: list[Block] = []
        for node in nodes:
            if node.map:
                self._line = node.map[0] + 1 + self.line_offset
            handler = getattr(self, f"_block_{node.type}", None)
            if handler is None:
                self._problem(f"unsupported Markdown element '{node.type}'")
                continue
            result = handler(node)
            if isinstance(result, list):
                out.extend(result)
            elif result is not None:
                out.append(result)
        return out

    def _block_paragraph(self, node) -> list[Block]:
        runs_and_images = self._inline_with_images(node.children[0].children if node.children else [])
        return runs_and_images

    def _block_heading(self, node) -> Block:
        level = int(node.tag[1])
        return Heading(level=level, runs=self._inline(node.children[0].children))

    def _nested(self, node) -> tuple[Block, ...] | None:
        """The blocks inside a list item or quote, or None (with a problem) when nested too deep."""
        if self._depth >= MAX_DEPTH:
            if not any("nested more than" in p.message for p in self.problems):
                self._problem(f"lists or quotes are nested more than {MAX_DEPTH} levels deep")
            return None
        self._depth += 1
        try:
            return tuple(self._blocks(node.children))
        finally:
            self._depth -= 1

    def _block_bullet_list(self, node) -> Block:
        return BulletList(items=tuple(self._list_item(c) for c in node.children), ordered=False)

    def _block_ordered_list(self, node) -> Block:
        start = int(node.attrs.get("start", 1) or 1)
        return BulletList(items=tuple(self._list_item(c) for c in node.children), ordered=True, start=start)

    def _list_item(self, node) -> ListItem:
        return ListItem(blocks=self._nested(node) or ())

    def _block_blockquote(self, node) -> Block:
        return Quote(blocks=self._nested(node) or ())

    def _block_fence(self, node) -> Block:
        return CodeBlock(text=node.content.rstrip("\n"))

    _block_code_block = _block_fence

    def _block_html_block(self, node) -> Block:
        # Raw HTML is text the author typed, shown as written.
        return Paragraph(runs=(Run(node.content.strip("\n")),))

    def _block_hr(self, node) -> None:
        return None  # a thematic break carries no content; sections already separate themselves

    def _block_table(self, node) -> Block:
        header: list[Inline] = []
        align: list[str | None] = []
        rows: list[tuple[Inline, ...]] = []
        for part in node.children:
            for tr in part.children:
                cells = []
                for cell in tr.children:
                    runs = self._inline(cell.children[0].children) if cell.children else ()
                    cells.append(runs)
                    if part.type == "thead":
                        style = cell.attrs.get("style") or ""
                        align.append(style.split(":", 1)[1].strip() if "text-align" in style else None)
                if part.type == "thead":
                    header = cells
                else:
                    rows.append(tuple(cells))
        width = len(header)
        rows = [tuple(r[:width]) + ((),) * (width - len(r)) for r in rows]
        return Table(header=tuple(header), rows=tuple(rows), align=tuple(align))

    # -- inline -------------------------------------------------------------------------
    def _inline_with_images(self, nodes) -> list[Block]:
        """A paragraph's runs; an image inside it becomes its own block at that point."""
        out: list[Block] = []
        pending: list[Run] = []
        for node in nodes:
            if node.type == "image":
                if any(r.text.strip() for r in pending):
                    out.append(Paragraph(runs=tuple(pending)))
                pending = []
                image = self._image(node)
                if image is not None:
                    out.append(image)
            else:
                pending.extend(self._inline([node]))
        if any(r.text.strip() for r in pending):
            out.append(Paragraph(runs=tuple(pending)))
        return out

    def _inline(self, nodes, bold=False, italic=False, code=False, strike=False, href=None) -> Inline:
        runs: list[Run] = []
        for node in nodes:
            t = node.type
            if t == "text" or t == "html_inline":
                runs.append(Run(node.content, bold, italic, code, strike, href))
            elif t == "softbreak":
                runs.append(Run(" ", bold, italic, code, strike, href))
            elif t == "hardbreak":
                runs.append(Run("\n", bold, italic, code, strike, href))
            elif t == "code_inline":
                runs.append(Run(node.content, bold, italic, True, strike, href))
            elif t == "strong":
                runs.extend(self._inline(node.children, True, italic, code, strike, href))
            elif t == "em":
                runs.extend(self._inline(node.children, bold, True, code, strike, href))
            elif t == "s":
                runs.extend(self._inline(node.children, bold, italic, code, True, href))
            elif t == "link":
                target = self._link(node.attrs.get("href", ""))
                runs.extend(self._inline(node.children, bold, italic, code, strike, target))
            elif t == "image":
                # an image inside a table cell or heading: keep its description as text
                runs.append(Run(node.content or "", bold, italic, code, strike, href))
            else:
                self._problem(f"unsupported Markdown inline element '{t}'")
        return _merge(runs)

    def _link(self, href: str) -> str | None:
        """The target a link keeps, or None (its words stay plain text, with a note) when a briefing cannot
        use it; a '#id' target is checked against the sections once all are read."""
        if href.startswith("#") and len(href) > 1:
            self.references.append((href[1:], self._line))
            return href
        try:
            scheme = urlsplit(href).scheme.lower()
        except ValueError:  # a malformed address (an unclosed '[' in the host, say)
            scheme = ""
        if scheme in LINK_SCHEMES:
            return href
        shown = href if len(href) <= _SHOWN else href[:_SHOWN] + "\u2026"
        if scheme in NEVER_LINKED:
            why = f"a '{scheme}:' link is never made"
        elif not href or href == "#":
            why = "the link has no target"
        else:
            why = "only http, https and mailto addresses and #section-id links are made"
        self._note(f"link to '{shown}' kept as plain text: {why}")
        return None

    def _image(self, node) -> Image | None:
        src = node.attrs.get("src", "")
        alt = node.content or ""
        title = node.attrs.get("title") or None
        path = resolve_inside(src, self.base_dir, self.root, self._problem)
        pixels = check_image(path, src, self._problem) if path is not None else None
        if pixels is None:
            return None
        return Image(path=path, alt=alt, title=title, pixels=pixels)

    def _problem(self, message: str) -> None:
        self.problems.append(Problem(message, file=self.file, line=self._line, field=self.field))

    def _note(self, message: str) -> None:
        self.notes.append(Note(message, file=self.file, line=self._line))


def _merge(runs: list[Run]) -> Inline:
    """Adjacent runs with the same formatting joined into one."""
    out: list[Run] = []
    for r in runs:
        if not r.text:
            continue
        if out and (out[-1].bold, out[-1].italic, out[-1].code, out[-1].strike, out[-1].href) == (
                r.bold, r.italic, r.code, r.strike, r.href):
            last = out.pop()
            out.append(Run(last.text + r.text, r.bold, r.italic, r.code, r.strike, r.href))
        else:
            out.append(r)
    return tuple(out)


