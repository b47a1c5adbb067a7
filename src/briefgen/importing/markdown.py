"""Markdown: ``#`` / ``##`` headings, paragraphs, lists, GFM tables, with bold, italic and links kept.

A level-1 heading that opens the document is its title, and short lines just
under it are read for the issuer, document type and date. YAML front matter
(``title``, ``subtitle``, ``issuer`` or ``author``, ``date``) is read when the
file has it.
"""

from __future__ import annotations

import datetime as dt

from .document import (Block, Document, Header, Heading, ListBlock, ListItem, Paragraph, Span, Table, assemble,
                       fold, header_count, parse_date, read_header, tidy_spans)


def read_markdown(text: str) -> Document:
    from markdown_it import MarkdownIt
    from markdown_it.tree import SyntaxTreeNode

    meta, text = _front_matter(text)
    md = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    nodes = list(SyntaxTreeNode(md.parse(text)).children)

    title = meta.get("title")
    if nodes and nodes[0].type == "heading" and nodes[0].tag == "h1" and not title:
        title = fold(_plain(nodes[0]))
        nodes = nodes[1:]
    header = Header()
    if title:
        candidates = []
        for node in nodes:
            if node.type != "paragraph":
                break
            candidates.append(text_lines(node))
        n = header_count(candidates, cautious=False)
        header = read_header([line for lines in candidates[:n] for line in lines])
        nodes = nodes[n:]
    _apply_meta(header, meta)
    blocks: list[Block] = []
    for node in nodes:
        blocks.extend(_blocks(node))
    return assemble(title, header, blocks, "Markdown")


def _front_matter(text: str) -> tuple[dict, str]:
    """YAML front matter's title, subtitle, issuer and date as text, and the Markdown after it."""
    if not text.startswith("---\n"):
        return {}, text
    end = text.find("\n---", 3)
    if end < 0 or text[end + 4: end + 5] not in ("\n", ""):
        return {}, text
    import yaml

    try:
        data = yaml.safe_load(text[4:end])
    except yaml.YAMLError:
        return {}, text
    if not isinstance(data, dict):
        return {}, text
    meta = {}
    for key, names in {"title": ("title",), "subtitle": ("subtitle",), "issuer": ("issuer", "author"),
                       "date": ("date",)}.items():
        for name in names:
            value = data.get(name)
            if isinstance(value, (str, dt.date)) and str(value).strip():
                meta[key] = value if isinstance(value, dt.date) else fold(value)
                break
    return meta, text[end + 5:]


def _apply_meta(header: Header, meta: dict) -> None:
    header.subtitle = header.subtitle or meta.get("subtitle")
    header.issuer = header.issuer or meta.get("issuer")
    date = meta.get("date")
    if header.date is None and date is not None:
        if isinstance(date, dt.datetime):
            date = date.date()
        header.date = date if isinstance(date, dt.date) else parse_date(date)
        header.date_text = str(meta["date"]) if header.date else None


def _plain(node) -> str:
    return "".join(s.text for s in _spans(node.children[0].children if node.children else [], soft=" "))


def text_lines(node) -> list[str]:
    """A paragraph's lines as written."""
    return "".join(s.text for s in _spans(node.children[0].children, soft="\n")).split("\n")


def _blocks(node, depth: int = 0) -> list[Block]:
    t = node.type
    if t == "heading":
        return [Heading(int(node.tag[1]), fold(_plain(node)))]
    if t == "paragraph":
        return [Paragraph(tidy_spans(_spans(node.children[0].children)))]
    if t in ("bullet_list", "ordered_list"):
        items: list[ListItem] = []
        _list_items(node, 0, items, t == "ordered_list")
        return [ListBlock(items, ordered=t == "ordered_list")]
    if t == "table":
        rows = []
        for part in node.children:
            for tr in part.children:
                rows.append([tidy_spans(_spans(cell.children[0].children)) if cell.children else []
                             for cell in tr.children])
        return [Table(rows)]
    if t == "blockquote":
        return [b for child in node.children for b in _blocks(child, depth)]
    if t in ("fence", "code_block", "html_block"):
        lines = [line.strip() for line in node.content.strip("\n").split("\n")]
        return [Paragraph([Span("\n".join(x for x in lines if x))])]
    return []  # a thematic break


def _list_items(node, level: int, out: list[ListItem], ordered: bool) -> None:
    for item in node.children:
        spans: list[Span] = []
        nested = []
        for child in item.children:
            if child.type in ("bullet_list", "ordered_list"):
                nested.append(child)
            elif child.type == "paragraph":
                if spans:
                    spans.append(Span(" "))
                spans.extend(_spans(child.children[0].children))
            else:
                for b in _blocks(child):
                    if spans:
                        spans.append(Span(" "))
                    spans.extend(b.spans if isinstance(b, Paragraph) else [Span(getattr(b, "text", ""))])
        out.append(ListItem(tidy_spans(spans), level, ordered))
        for sub in nested:
            _list_items(sub, level + 1, out, sub.type == "ordered_list")


def _spans(nodes, bold=False, italic=False, href=None, soft=" ") -> list[Span]:
    out: list[Span] = []
    for node in nodes:
        t = node.type
        if t in ("text", "html_inline", "code_inline"):
            out.append(Span(node.content, bold, italic, href))
        elif t == "softbreak":
            out.append(Span(soft, bold, italic, href))
        elif t == "hardbreak":
            out.append(Span("\n", bold, italic, href))
        elif t == "strong":
            out.extend(_spans(node.children, True, italic, href, soft))
        elif t == "em":
            out.extend(_spans(node.children, bold, True, href, soft))
        elif t == "s":
            out.extend(_spans(node.children, bold, italic, href, soft))
        elif t == "link":
            out.extend(_spans(node.children, bold, italic, node.attrs.get("href") or None, soft))
        # images carry no sentence of the document's text: left out
    return out
