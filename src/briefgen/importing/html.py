"""A saved web page: ``h1``-``h6``, ``p``, ``ul``/``ol``, ``table``, with bold, italic and links kept.

The page's own text is found in ``main`` (or its one ``article``, else
``body``); navigation, site header and footer, asides, forms, scripts and
styles are left out. The first ``h1`` is the title, else the page's
``<title>``; short paragraphs just under it are read for the issuer, document
type and date (a ``<time datetime>`` there gives the date too).
"""

from __future__ import annotations

import datetime as dt
import re

from .document import (Document, Header, Heading, ListBlock, ListItem, Paragraph, Span, Table, assemble,
                       fold, header_count, read_header, text_of, tidy_spans)

# never the document's text
_DROP = {"script", "style", "noscript", "template", "nav", "aside", "form", "button", "select", "textarea",
         "svg", "iframe", "object", "embed", "canvas", "video", "audio", "map", "dialog", "menu"}
_CHROME_ROLES = {"navigation", "banner", "contentinfo", "complementary", "search", "menu", "menubar", "toolbar",
                 "dialog", "alert"}
_CONTAINERS = {"div", "section", "article", "main", "header", "footer", "body", "center", "figure", "details",
               "hgroup", "address", "dl", "fieldset"}
_BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "table", "blockquote", "pre", "dt", "dd",
           "figcaption", "summary", "li", "hr", "caption", "legend"} | _CONTAINERS
_BOLD = {"b", "strong"}
_ITALIC = {"i", "em", "cite", "dfn", "var"}


def read_html(text: str) -> Document:
    import lxml.html

    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)  # lxml refuses an XML declaration in a str
    page = lxml.html.document_fromstring(text)
    _strip(page)
    root = _content_root(page)
    url = _page_url(page)
    meta_author = _meta(page, "author")

    stream: list = []
    _walk(root, stream)
    # title: the page's only h1, or its first when nothing comes before it; else the page's <title>
    title = None
    before: list = []
    h1s = [i for i, b in enumerate(stream) if isinstance(b, Heading) and b.level == 1]
    if h1s and (len(h1s) == 1 or h1s[0] == 0):
        title = stream[h1s[0]].text
        before, stream = stream[:h1s[0]], stream[h1s[0] + 1:]  # text above the title stays, as overview
    else:
        t = page.find(".//title")
        title = fold(t.text_content()) if t is not None and t.text_content().strip() else None
    header = Header()
    if title:
        candidates = []
        for b in stream:
            if not isinstance(b, Paragraph):
                break
            candidates.append(b.text.split("\n"))
        n = header_count(candidates, cautious=False)
        header = read_header([line for lines in candidates[:n] for line in lines])
        times = [b for b in stream[:n] if isinstance(b, _Time) and b.date]
        if header.date is None and times:
            header.date, header.date_text = times[0].date, times[0].text
        stream = stream[n:]
    stream = before + stream
    header.issuer = header.issuer or meta_author
    blocks = [Paragraph(b.spans) if isinstance(b, _Time) else b for b in stream]
    return assemble(title, header, blocks, "HTML", url=url)


class _Time(Paragraph):
    """A paragraph holding one ``<time datetime>``: under the title, that is the date whatever the words say."""

    def __init__(self, spans, date):
        super().__init__(spans)
        self.date = date


def _strip(page) -> None:
    """Remove what is not the document: code, navigation, page chrome, hidden elements."""
    doomed = []
    for el in page.iter():
        tag = el.tag if isinstance(el.tag, str) else None
        if tag is None:
            doomed.append(el)  # a comment or processing instruction
            continue
        tag = tag.lower()
        role = (el.get("role") or "").lower()
        hidden = el.get("hidden") is not None or el.get("aria-hidden") == "true" or re.search(
            r"display\s*:\s*none", el.get("style") or "")
        if tag in _DROP or role in _CHROME_ROLES or hidden:
            doomed.append(el)
        elif tag in ("header", "footer") and not _inside(el, {"article", "main"}):
            doomed.append(el)  # the site's banner and footer, not an article's own header
    for el in doomed:
        _remove(el)


def _inside(el, tags: set[str]) -> bool:
    parent = el.getparent()
    while parent is not None:
        if isinstance(parent.tag, str) and parent.tag.lower() in tags:
            return True
        parent = parent.getparent()
    return False


def _remove(el) -> None:
    """Drop an element but keep the text that follows it inside its parent."""
    parent = el.getparent()
    if parent is None:
        return
    tail = el.tail
    prev = el.getprevious()
    if tail:
        if prev is not None:
            prev.tail = (prev.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(el)


def _content_root(page):
    main = page.find(".//main")
    if main is None:
        main = next((el for el in page.iter() if (el.get("role") or "").lower() == "main"), None)
    if main is not None:
        return main
    articles = page.findall(".//article")
    if len(articles) == 1:
        return articles[0]
    body = page.find(".//body")
    return body if body is not None else page


def _page_url(page) -> str | None:
    for el in page.iter("link"):
        if (el.get("rel") or "").lower() == "canonical" and re.match(r"https?://", el.get("href") or ""):
            return el.get("href").strip()
    for el in page.iter("meta"):
        if (el.get("property") or "").lower() == "og:url" and re.match(r"https?://", el.get("content") or ""):
            return el.get("content").strip()
    return None


def _meta(page, name: str) -> str | None:
    for el in page.iter("meta"):
        if (el.get("name") or "").lower() == name and (el.get("content") or "").strip():
            return fold(el.get("content"))
    return None


def _tag(el) -> str:
    return el.tag.lower() if isinstance(el.tag, str) else ""


def _walk(el, out: list) -> None:
    """The blocks inside a container, in order; loose text between blocks becomes paragraphs."""
    pending: list[Span] = []

    def flush():
        spans = tidy_spans(pending)
        pending.clear()
        if spans:
            out.append(Paragraph(spans))

    if el.text:
        pending.append(Span(_ws(el.text)))
    for child in el:
        tag = _tag(child)
        if tag in _BLOCKS:
            flush()
            _block(child, tag, out)
        else:
            pending.extend(_spans(child))
        if child.tail:
            pending.append(Span(_ws(child.tail)))
    flush()


def _block(el, tag: str, out: list) -> None:
    if re.fullmatch(r"h[1-6]", tag):
        text = fold(text_of(_spans(el, inner=True)).replace("\n", " "))
        if text:
            out.append(Heading(int(tag[1]), text))
    elif tag in ("p", "dt", "dd", "figcaption", "summary", "caption", "legend"):
        if any(_tag(c) in _BLOCKS for c in el):
            _walk(el, out)  # a paragraph holding blocks (invalid, but pages do it)
            return
        spans = tidy_spans(_spans(el, inner=True))
        if spans:
            times = [c for c in el.iter("time") if c.get("datetime")]
            date = _iso(times[0].get("datetime")) if times else None
            out.append(_Time(spans, date) if date and len(times) == 1 else Paragraph(spans))
    elif tag == "pre":
        lines = [fold(x) for x in el.text_content().split("\n")]
        text = "\n".join(x for x in lines if x)
        if text:
            out.append(Paragraph([Span(text)]))
    elif tag in ("ul", "ol"):
        items: list[ListItem] = []
        _items(el, 0, items, tag == "ol")
        out.append(ListBlock(items, ordered=tag == "ol"))
    elif tag == "li":
        items = []
        _item(el, 0, items, False)
        out.append(ListBlock(items))
    elif tag == "table":
        caption = el.find("caption")
        if caption is not None and fold(caption.text_content()):
            out.append(Paragraph(tidy_spans(_spans(caption, inner=True))))
        out.append(_table(el))
    elif tag == "hr":
        return
    else:  # blockquote and the containers
        _walk(el, out)


def _iso(value: str) -> dt.date | None:
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})", value.strip())
    if not m:
        return None
    try:
        return dt.date(*map(int, m.groups()))
    except ValueError:
        return None


def _items(el, level: int, out: list[ListItem], ordered: bool) -> None:
    for child in el:
        if _tag(child) == "li":
            _item(child, level, out, ordered)
        elif _tag(child) in ("ul", "ol"):
            _items(child, level + 1, out, _tag(child) == "ol")


def _item(li, level: int, out: list[ListItem], ordered: bool) -> None:
    """One ``li``: its text as one item, then the lists inside it one level deeper."""
    spans: list[Span] = [Span(_ws(li.text))] if li.text else []
    nested = []
    for child in li:
        tag = _tag(child)
        if tag in ("ul", "ol"):
            nested.append(child)
        elif tag in _BLOCKS:
            inner: list = []
            _block(child, tag, inner)
            for b in inner:
                spans.append(Span(" "))
                if isinstance(b, Paragraph):
                    spans.extend(b.spans)
                elif isinstance(b, ListBlock):
                    for it in b.items:
                        spans.append(Span(" "))
                        spans.extend(it.spans)
                elif isinstance(b, Heading):
                    spans.append(Span(b.text))
                elif isinstance(b, Table):
                    spans.append(Span(" ".join(text_of(c) for row in b.rows for c in row)))
        else:
            spans.extend(_spans(child))
        if child.tail:
            spans.append(Span(_ws(child.tail)))
    out.append(ListItem(tidy_spans([Span(s.text.replace("\n", " "), s.bold, s.italic, s.href) for s in spans]),
                        level, ordered))
    for sub in nested:
        _items(sub, level + 1, out, _tag(sub) == "ol")


def _table(table) -> Table:
    rows = []
    for tr in table.iter("tr"):
        if _nearest_table(tr) is not table:
            continue  # a row of a table inside a cell: its text is in that cell already
        cells = []
        for cell in tr:
            if _tag(cell) not in ("td", "th"):
                continue
            spans = tidy_spans([Span(s.text.replace("\n", " "), s.bold, s.italic, s.href)
                                for s in _spans(cell, inner=True)])
            cells.append(spans)
            span = cell.get("colspan")
            if span and span.isdigit():
                cells.extend([] for _ in range(min(int(span), 50) - 1))
        if cells:
            rows.append(cells)
    return Table(rows)


def _nearest_table(el):
    parent = el.getparent()
    while parent is not None and _tag(parent) != "table":
        parent = parent.getparent()
    return parent


def _spans(el, bold=False, italic=False, href=None, inner=False) -> list[Span]:
    """The inline text of an element (its tail excluded); ``inner`` skips the element's own formatting."""
    tag = _tag(el)
    if not inner:
        if tag == "br":
            return [Span("\n", bold, italic, href)]
        if tag == "img":
            return []
        bold = bold or tag in _BOLD
        italic = italic or tag in _ITALIC
        if tag == "a" and el.get("href"):
            href = el.get("href").strip()
    out = [Span(_ws(el.text), bold, italic, href)] if el.text else []
    for child in el:
        apart = _tag(child) in _BLOCKS
        if apart:  # a block inside inline text (a table in a cell): keep its words apart
            out.append(Span(" ", bold, italic, href))
        out.extend(_spans(child, bold, italic, href))
        if apart:
            out.append(Span(" ", bold, italic, href))
        if child.tail:
            out.append(Span(_ws(child.tail), bold, italic, href))
    return out


def _ws(text: str) -> str:
    """HTML white space (not a no-break space) as one space: a line end in the source is no line break."""
    return re.sub(r"[ \t\n\r\f]+", " ", text)
