"""A Word document (.docx, read with python-docx): Title, Heading 1/2/... styles, paragraphs, lists, tables.

The paragraph styled Title is the title (else the document's title property);
a Subtitle and short paragraphs just under the title are read for the issuer,
document type and date. List paragraphs (a List style or Word numbering) are
list items at their numbering level. Bold, italic and links are kept; deleted
text of tracked changes is left out, inserted text is kept.
"""

from __future__ import annotations

import re
from pathlib import Path

from .document import (Block, Document, Header, Heading, ListBlock, ListItem, Paragraph, Span, Table, assemble,
                       fold, header_count, is_marking_line, read_header, text_of, tidy_spans)

_HEADING = re.compile(r"heading\s*([1-9])", re.I)


def read_docx(path: Path) -> Document:
    import docx
    from docx.oxml.ns import qn

    document = docx.Document(str(path))
    numbering = _Numbering(document)
    stream: list = []  # blocks, plus ("title", text) and ("subtitle", text) markers
    body = document.element.body
    for el in _body_children(body, qn):
        if el.tag == qn("w:tbl"):
            table = _table(el, document, qn)
            if table.rows:
                stream.append(table)
            continue
        style = _style_of(el, document, qn)
        spans = tidy_spans(_runs(el, document, qn))
        if not text_of(spans).strip():
            continue
        name = (style or "").lower()
        heading = _HEADING.fullmatch(name.strip())
        if name == "title":
            stream.append(("title", fold(text_of(spans).replace("\n", " "))))
        elif name == "subtitle":
            stream.append(("subtitle", text_of(spans)))
        elif heading:
            stream.append(Heading(int(heading.group(1)), fold(text_of(spans).replace("\n", " "))))
        else:
            level, ordered = numbering.of(el, name, qn)
            if level is not None:
                item = ListItem([Span(s.text.replace("\n", " "), s.bold, s.italic, s.href) for s in spans], level,
                                ordered)
                if stream and isinstance(stream[-1], ListBlock) and (stream[-1].ordered == ordered or level > 0):
                    stream[-1].items.append(item)  # the same list, or a list nested in it
                else:
                    stream.append(ListBlock([item], ordered))
            else:
                stream.append(Paragraph(spans))

    title = None
    at = next((i for i, b in enumerate(stream) if isinstance(b, tuple) and b[0] == "title"), None)
    if at is not None:
        title = stream[at][1]
        stream = stream[:at] + stream[at + 1:]
    elif (document.core_properties.title or "").strip():
        title = fold(document.core_properties.title)
        at = 0
    header = Header()
    marking = None
    for i, b in enumerate(stream[:at or 0]):
        if isinstance(b, Paragraph) and is_marking_line(b.text) and marking is None:
            marking = fold(b.text)  # a banner above the title
            stream = stream[:i] + stream[i + 1:]
            at -= 1
            break
    if title is not None:
        # the Subtitle is taken whatever it says; the paragraphs under the title only while they look like
        # a title block (issuer, document type, date)
        end = at
        while end < len(stream) and (isinstance(stream[end], Paragraph) or _marker(stream[end], "subtitle")):
            end += 1
        subtitle = None
        paras = []
        for b in stream[at:end]:
            if _marker(b, "subtitle") and subtitle is None:
                subtitle = fold(b[1].replace("\n", " "))
            else:
                paras.append(b if isinstance(b, Paragraph) else Paragraph([Span(b[1])]))
        n = header_count([b.text.split("\n") for b in paras], cautious=False)
        header = read_header([line for b in paras[:n] for line in b.text.split("\n")])
        if subtitle:
            if header.subtitle:
                header.rest.insert(0, header.subtitle)
            header.subtitle = subtitle
        stream = stream[:at] + paras[n:] + stream[end:]
    header.marking = header.marking or marking
    blocks: list[Block] = []
    for b in stream:
        if isinstance(b, tuple):  # a second title or subtitle: plain text then
            blocks.append(Paragraph([Span(b[1])]))
        else:
            blocks.append(b)
    return assemble(title, header, blocks, "Word")


def _marker(b, kind: str) -> bool:
    return isinstance(b, tuple) and b[0] == kind


def _body_children(body, qn):
    """Paragraphs and tables of the body in order, also those inside content controls."""
    for el in body:
        if el.tag in (qn("w:p"), qn("w:tbl")):
            yield el
        elif el.tag == qn("w:sdt"):
            content = el.find(qn("w:sdtContent"))
            if content is not None:
                yield from _body_children(content, qn)


def _style_of(p, document, qn) -> str | None:
    """The paragraph style's name; its id where only the id says what it is (a heading in a Word set to
    another language, whose names are translated but whose ids stay "Heading1", "Title")."""
    ppr = p.find(qn("w:pPr"))
    ref = ppr.find(qn("w:pStyle")) if ppr is not None else None
    sid = ref.get(qn("w:val")) if ref is not None else None
    if not sid:
        return None
    try:
        style = document.styles.element.get_by_id(sid)
    except Exception:  # noqa: BLE001 - a styles part python-docx cannot read: go by the id
        style = None
    name = style.name_val if style is not None and style.name_val else sid
    for candidate in (name, sid):
        if _HEADING.fullmatch(candidate.strip().lower()) or candidate.strip().lower() in ("title", "subtitle"):
            return candidate
    return name


def _runs(p, document, qn) -> list[Span]:
    """The paragraph's text as spans: runs at any depth (hyperlinks, fields, insertions, content controls),
    but not deleted text nor the text of text boxes anchored in it."""
    from docx.text.run import Run

    w_p, w_r, w_del, w_hl = qn("w:p"), qn("w:r"), qn("w:del"), qn("w:hyperlink")
    out: list[Span] = []
    for r in p.iter(w_r):
        href = None
        ancestor = r.getparent()
        skip = False
        while ancestor is not None and ancestor is not p:
            if ancestor.tag in (w_p, w_del, qn("w:moveFrom"), qn("w:txbxContent")):
                skip = True
                break
            if ancestor.tag == w_hl and href is None:
                href = _link(ancestor, document, qn)
            ancestor = ancestor.getparent()
        if skip:
            continue
        run = Run(r, None)
        out.append(Span(run.text, bool(run.bold), bool(run.italic), href))
    return out


def _link(hyperlink, document, qn) -> str | None:
    rid = hyperlink.get(qn("r:id"))
    if not rid:
        return None
    try:
        rel = document.part.rels[rid]
    except KeyError:
        return None
    return rel.target_ref if rel.is_external else None


def _table(tbl, document, qn) -> Table:
    rows = []
    for tr in tbl.iter(qn("w:tr")):
        if _nearest(tr, qn("w:tbl")) is not tbl:
            continue  # a row of a table nested in a cell: its text is in that cell already
        cells = []
        for tc in tr.iter(qn("w:tc")):
            if tc.getparent() is not tr and _nearest(tc, qn("w:tr")) is not tr:
                continue
            tcpr = tc.find(qn("w:tcPr"))
            vmerge = tcpr.find(qn("w:vMerge")) if tcpr is not None else None
            span = tcpr.find(qn("w:gridSpan")) if tcpr is not None else None
            if vmerge is not None and vmerge.get(qn("w:val"), "continue") == "continue":
                spans: list[Span] = []  # the cell above holds the text of a merged cell
            else:
                spans = []
                for p in tc.iter(qn("w:p")):
                    if spans:
                        spans.append(Span(" "))
                    spans.extend(_runs(p, document, qn))
            cells.append(tidy_spans([Span(s.text.replace("\n", " "), s.bold, s.italic, s.href) for s in spans]))
            if span is not None and (span.get(qn("w:val")) or "").isdigit():
                cells.extend([] for _ in range(min(int(span.get(qn("w:val"))), 50) - 1))
        if cells:
            rows.append(cells)
    return Table(rows)


def _nearest(el, tag):
    parent = el.getparent()
    while parent is not None and parent.tag != tag:
        parent = parent.getparent()
    return parent


class _Numbering:
    """Which paragraphs are list items, at what level, numbered or bulleted."""

    def __init__(self, document):
        self.formats: dict[tuple[str, int], str] = {}
        try:
            part = document.part.numbering_part
        except Exception:  # noqa: BLE001 - no numbering part: lists only by style name
            return
        from docx.oxml.ns import qn

        root = part.element
        abstract = {}
        for a in root.iter(qn("w:abstractNum")):
            levels = {}
            for lvl in a.iter(qn("w:lvl")):
                fmt = lvl.find(qn("w:numFmt"))
                levels[int(lvl.get(qn("w:ilvl"), "0"))] = fmt.get(qn("w:val")) if fmt is not None else "bullet"
            abstract[a.get(qn("w:abstractNumId"))] = levels
        for num in root.iter(qn("w:num")):
            ref = num.find(qn("w:abstractNumId"))
            if ref is not None:
                for lvl, fmt in abstract.get(ref.get(qn("w:val")), {}).items():
                    self.formats[(num.get(qn("w:numId")), lvl)] = fmt

    def of(self, p, style: str, qn) -> tuple[int | None, bool]:
        """(level, numbered) of a list paragraph; level None for any other paragraph."""
        ppr = p.find(qn("w:pPr"))
        numpr = ppr.find(qn("w:numPr")) if ppr is not None else None
        if numpr is not None:
            num = numpr.find(qn("w:numId"))
            ilvl = numpr.find(qn("w:ilvl"))
            num_id = num.get(qn("w:val")) if num is not None else None
            level = int(ilvl.get(qn("w:val"), "0")) if ilvl is not None else 0
            if num_id and num_id != "0":
                fmt = self.formats.get((num_id, level))
                ordered = fmt not in (None, "bullet", "none") if fmt else "number" in style
                return level, ordered
        if style.startswith("list"):
            digits = re.search(r"(\d)$", style)
            level = int(digits.group(1)) - 1 if digits else 0
            return level, "number" in style
        return None, False
