"""A document read for import, whatever format it came in: title, issuer, date and sections of blocks.

The readers (:mod:`.text`, :mod:`.markdown`, :mod:`.html`, :mod:`.docx`) each
turn one format into a flat run of blocks with headings among them;
:func:`assemble` cuts that run into sections the same way for all of them, and
:mod:`.writer` writes the sections out as a briefing folder. Nothing here
rewords the document: every block holds the words as the document wrote them.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field


# -- the blocks ---------------------------------------------------------------------------------
@dataclass
class Span:
    """A stretch of text with one formatting; ``"\\n"`` inside ``text`` is a line break."""

    text: str
    bold: bool = False
    italic: bool = False
    href: str | None = None


def text_of(spans: list[Span]) -> str:
    return "".join(s.text for s in spans)


@dataclass
class Paragraph:
    spans: list[Span]

    @property
    def text(self) -> str:
        return text_of(self.spans)


@dataclass
class Heading:
    """A heading in a reader's output; inside a section, a subheading (``level`` 1 is the first below it)."""

    level: int
    text: str


@dataclass
class ListItem:
    spans: list[Span]
    level: int = 0  # nesting depth, 0 for a top-level item
    ordered: bool | None = None  # numbered or not, where it differs from its list (a nested list)


@dataclass
class ListBlock:
    items: list[ListItem]
    ordered: bool = False


@dataclass
class Table:
    """Rows of cells, each cell a list of spans; the first row is the header."""

    rows: list[list[list[Span]]]


Block = Paragraph | Heading | ListBlock | Table


@dataclass
class Section:
    title: str
    blocks: list[Block] = field(default_factory=list)
    overview: bool = False  # the text before the first heading, under a title the document did not give


@dataclass
class Document:
    title: str | None
    sections: list[Section]
    kind: str  # "plain text", "Markdown", "HTML", "Word"
    subtitle: str | None = None
    issuer: str | None = None
    date: dt.date | None = None
    date_text: str | None = None  # the date as the document wrote it
    marking: str | None = None  # a banner such as UNCLASSIFIED
    url: str | None = None  # where the document says it lives (an HTML page's canonical address)


def block_texts(blocks: list[Block]) -> list[str]:
    """The text of every block, one entry per paragraph, heading, list item and table cell."""
    out = []
    for b in blocks:
        if isinstance(b, Paragraph):
            out.append(b.text)
        elif isinstance(b, Heading):
            out.append(b.text)
        elif isinstance(b, ListBlock):
            out.extend(text_of(i.spans) for i in b.items)
        elif isinstance(b, Table):
            out.extend(text_of(c) for row in b.rows for c in row)
    return out


# -- characters -------------------------------------------------------------------------------------
# C0 controls but tab and newline, DEL, C1 controls: a page break, a vertical tab from a word processor
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# surrogates, noncharacters, and the line and paragraph separators (which YAML would read as line ends)
_DROP = re.compile("[\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff\u2028\u2029]|[\U0001fffe-\U0001ffff]|"
                   "[\U0002fffe\U0002ffff\U0003fffe\U0003ffff\U0010fffe\U0010ffff]")


def clean(text: str) -> str:
    """Text as briefgen accepts it: NFC, no control or non-characters (a control becomes a space)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ").replace("\f", "\n\n")
    text = _CONTROL.sub(" ", text)
    text = _DROP.sub(" ", text)
    return unicodedata.normalize("NFC", text)


def fold(text: str) -> str:
    """White space folded to single spaces (line breaks kept when ``text`` holds them as ``\\n``)."""
    return "\n".join(" ".join(line.split()) for line in text.split("\n")).strip()


def tidy_spans(spans: list[Span]) -> list[Span]:
    """Spans with white space folded across their joins, empty ones dropped and like neighbours merged."""
    out: list[Span] = []
    for s in spans:
        text = re.sub(r"[^\S\n]+", " ", s.text)
        if not text:
            continue
        if out and (out[-1].bold, out[-1].italic, out[-1].href) == (s.bold, s.italic, s.href):
            out[-1] = Span(re.sub(r"[^\S\n]+", " ", out[-1].text + text), s.bold, s.italic, s.href)
        else:
            out.append(Span(text, s.bold, s.italic, s.href))
    # no space at a line's start or end, and none doubled where two spans meet
    joined = ""
    result = []
    for s in out:
        text = s.text
        if joined.endswith((" ", "\n")) or not joined:
            text = text.lstrip(" ")
        text = re.sub(r" *\n *", "\n", text)
        if not text:
            continue
        joined += text
        result.append(Span(text, s.bold, s.italic, s.href))
    while result and result[-1].text.rstrip(" \n") != result[-1].text:
        last = result[-1]
        text = last.text.rstrip(" \n")
        if text:
            result[-1] = Span(text, last.bold, last.italic, last.href)
            break
        result.pop()
    # a line break at the start says nothing
    while result and result[0].text.startswith("\n"):
        text = result[0].text.lstrip("\n ")
        if text:
            result[0] = Span(text, result[0].bold, result[0].italic, result[0].href)
            break
        result.pop(0)
    return result


# -- the lines under a title: issuer, document type, date ----------------------------------------------
_MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
     "november", "december"], start=1)}
_MONTH_ABBR = {m[:3]: i for m, i in _MONTHS.items()} | {"sept": 9}
_MONTH_RE = r"(?P<month>[A-Za-z]{3,9})\.?"
_WEEKDAY = r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?"
_DATE_FORMS = [
    re.compile(rf"{_WEEKDAY}{_MONTH_RE}\s+(?P<day>\d{{1,2}}),?\s+(?P<year>\d{{4}})", re.I),
    re.compile(rf"{_WEEKDAY}(?P<day>\d{{1,2}})\s+{_MONTH_RE},?\s+(?P<year>\d{{4}})", re.I),
    re.compile(r"(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})"),
]


def parse_date(text: str) -> dt.date | None:
    """The date a line consists of ("April 1, 2018", "1 April 2018", "2018-04-01"), or None."""
    text = " ".join(text.split())
    for form in _DATE_FORMS:
        m = form.fullmatch(text)
        if not m:
            continue
        month = m.group("month")
        if month.isdigit():
            number = int(month)
        else:
            number = _MONTHS.get(month.lower()) or _MONTH_ABBR.get(month.lower())
            if number is None:
                continue
        try:
            return dt.date(int(m.group("year")), number, int(m.group("day")))
        except ValueError:
            return None
    return None


# what a document calls itself on the line under its title
_KINDS = re.compile(r"(?:fact\s*sheet|background(?:\s+note|\s+brief(?:ing)?|er)|briefing(?:\s+note|\s+paper)?|"
                    r"press\s+release|media\s+note|information\s+(?:sheet|note)|country\s+profile|"
                    r"policy\s+brief|issue\s+brief|memorandum|summary|factsheet|note)", re.I)


def is_kind_line(text: str) -> bool:
    return bool(_KINDS.fullmatch(" ".join(text.split())))


_MARKING = re.compile(r"(?:sensitive but )?unclassified|confidential|(?:top )?secret|restricted|"
                      r"for official use only|official(?:[ -]sensitive)?", re.I)


def is_marking_line(text: str) -> bool:
    """A handling banner ("UNCLASSIFIED", "FOR OFFICIAL USE ONLY"): written in capitals, or ``//`` parts."""
    text = " ".join(text.split())
    return (text.isupper() or "//" in text) and bool(_MARKING.fullmatch(text.split("//")[0].strip()))


def is_short_line(text: str, max_words: int = 12) -> bool:
    """A line that could be a heading or a title-block line: short, and not ending a sentence or a clause."""
    text = text.strip()
    if not text or len(text) > 120 or len(text.split()) > max_words:
        return False
    if text.endswith((".", ":", ";", ",", "!", "?", "…")) and not parse_date(text):
        return False
    return not text.startswith(("-", "*", "•", "–", "—"))


@dataclass
class Header:
    subtitle: str | None = None
    issuer: str | None = None
    date: dt.date | None = None
    date_text: str | None = None
    marking: str | None = None
    rest: list[str] = field(default_factory=list)  # lines that are none of these: kept as text


def read_header(lines: list[str]) -> Header:
    """Sort the lines under a title into document type (the subtitle), issuer and date."""
    head = Header()
    for line in (fold(x) for x in lines):
        if not line:
            continue
        date = parse_date(line)
        if date and head.date is None:
            head.date, head.date_text = date, line
        elif is_marking_line(line) and head.marking is None:
            head.marking = line
        elif is_kind_line(line) and head.subtitle is None:
            head.subtitle = line
        elif head.issuer is None and not date:
            head.issuer = line
        else:
            head.rest.append(line)
    return head


def header_count(candidates: list[list[str]], *, cautious: bool) -> int:
    """How many of the leading ``candidates`` (each the lines of one paragraph after the title) are title-block
    lines. ``cautious`` (plain text, where a heading is also a short line alone) takes a lone line only when it is
    a date or a document type."""
    n = 0
    lines_taken = 0
    for lines in candidates:
        lines = [x for x in (fold(x) for x in lines) if x]
        if not lines or not all(is_short_line(x) for x in lines):
            break
        if lines_taken + len(lines) > 4:
            break
        telling = any(parse_date(x) or is_kind_line(x) or is_marking_line(x) for x in lines)
        if cautious and len(lines) == 1 and not telling:
            break
        n += 1
        lines_taken += len(lines)
    return n


# -- sections -------------------------------------------------------------------------------------------
def assemble(title: str | None, header: Header, blocks: list[Block], kind: str, url: str | None = None) -> Document:
    """Cut a reader's blocks into sections at the shallowest heading level; text before the first heading is
    the overview. Deeper headings stay in their section as subheadings."""
    blocks = [b for b in blocks if not _empty(b)]
    levels = [b.level for b in blocks if isinstance(b, Heading)]
    top = min(levels, default=1)
    sections: list[Section] = []
    lead: list[Block] = [Paragraph([Span(line)]) for line in header.rest]
    current: Section | None = None
    for b in blocks:
        if isinstance(b, Heading) and b.level == top:
            current = Section(title=b.text)
            sections.append(current)
            continue
        if isinstance(b, Heading):
            b = Heading(level=b.level - top, text=b.text)
        (current.blocks if current else lead).append(b)
    if lead:
        sections.insert(0, Section(title="Overview", blocks=lead, overview=True))
    for s in sections:
        s.blocks = _merge_lists(s.blocks)
    return Document(title=title, sections=sections, kind=kind, subtitle=header.subtitle, issuer=header.issuer,
                    date=header.date, date_text=header.date_text, marking=header.marking, url=url)


def _empty(b: Block) -> bool:
    if isinstance(b, Paragraph):
        return not b.text.strip()
    if isinstance(b, Heading):
        return not b.text.strip()
    if isinstance(b, ListBlock):
        b.items = [i for i in b.items if text_of(i.spans).strip()]
        return not b.items
    if isinstance(b, Table):
        b.rows = [r for r in b.rows if any(text_of(c).strip() for c in r)]
        return not b.rows
    return False


def _merge_lists(blocks: list[Block]) -> list[Block]:
    """Adjacent lists of one kind as one list (written apart, Markdown would join them anyway)."""
    out: list[Block] = []
    for b in blocks:
        if isinstance(b, ListBlock) and out and isinstance(out[-1], ListBlock) and out[-1].ordered == b.ordered:
            out[-1] = ListBlock(out[-1].items + b.items, b.ordered)
        else:
            out.append(b)
    return out


# -- sentences and figures --------------------------------------------------------------------------------
_ABBREVIATIONS = {
    "u.s.", "u.k.", "u.n.", "e.u.", "d.c.", "ave.", "tel.", "dept.", "no.", "nos.", "mr.", "mrs.", "ms.", "dr.",
    "st.", "jr.", "sr.", "inc.", "ltd.", "co.", "corp.", "gov.", "govt.", "sen.", "rep.", "gen.", "col.", "capt.",
    "lt.", "prof.", "vs.", "e.g.", "i.e.", "approx.", "est.", "jan.", "feb.", "mar.", "apr.", "jun.", "jul.",
    "aug.", "sep.", "sept.", "oct.", "nov.", "dec.", "p.", "pp.", "vol.", "art.", "para.", "fig.", "ft.", "mt.",
}
_SENTENCE_END = re.compile(r"[.!?][\"”’)\]]*\s+(?=[\"“‘(\[]?[A-Z0-9])")


def sentences(text: str) -> list[str]:
    """The sentences of a paragraph, each exactly as written (a line break also ends one)."""
    out = []
    for line in text.split("\n"):
        start = 0
        for m in _SENTENCE_END.finditer(line):
            word = line[:m.start() + 1].rsplit(None, 1)[-1].lower()
            word = word.lstrip("\"“‘([")
            if word in _ABBREVIATIONS or re.fullmatch(r"(?:[a-z]\.)+", word):
                continue  # "U.S." or an initial ends a word here, not the sentence
            out.append(line[start:m.end()].strip())
            start = m.end()
        tail = line[start:].strip()
        if tail:
            out.append(tail)
    return out


_SCALE = r"(?:thousand|million|billion|trillion)"
_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_FIGURE = re.compile(
    rf"(?P<skip>\d+(?:-\d+){{2,}})"                                     # a telephone number, a code
    rf"|(?P<money>(?:US\$|\$|€|£|¥)\s?(?:{_NUMBER})(?:\s{_SCALE})?)"      # $623 billion
    rf"|(?P<percent>(?:{_NUMBER})\s?(?:%|percent\b|per\s+cent\b))"        # 82 percent, 5%
    rf"|(?P<scaled>(?:{_NUMBER})\s{_SCALE}(?:\s(?:dollars|euros|pesos|pounds|yen))?)"  # 1.7 billion dollars
    rf"|(?P<number>(?:{_NUMBER})(?:-[a-z]+)?)(?P<ordinal>st|nd|rd|th)?\b",  # 2,000-mile, 3,500
    re.I)
_MONTH_BEFORE = re.compile(rf"(?:{'|'.join(_MONTHS)}|{'|'.join(_MONTH_ABBR)})\.?\s+$", re.I)


@dataclass
class Figure:
    text: str  # as written
    context: str  # the words around it, as written


def figures(texts: list[str]) -> tuple[list[Figure], list[str]]:
    """The figures in the texts (amounts, percentages, counts: candidates for facts and charts) and, apart,
    the years they mention; each once, in order of first appearance."""
    found: dict[str, Figure] = {}
    years: dict[str, None] = {}
    for text in texts:
        for sentence in sentences(text):
            for m in _FIGURE.finditer(sentence):
                if m.group("skip") or m.group("ordinal"):
                    continue
                value = m.group(0)
                start = m.start()
                if start and (sentence[start - 1].isalnum() or sentence[start - 1] in "-/."):
                    continue  # part of a word or code: "H2O", "COVID-19"
                if m.group("number"):
                    if re.fullmatch(r"1[89]\d\d|20\d\d", value):
                        years.setdefault(value)
                        continue
                    if _MONTH_BEFORE.search(sentence[:start]):
                        continue  # the day of a date
                if value not in found:
                    found[value] = Figure(value, _context(sentence, m.start(), m.end()))
    return list(found.values()), list(years)


def _context(sentence: str, start: int, end: int, before: int = 6, after: int = 4) -> str:
    """The figure with up to ``before`` words ahead of it and ``after`` behind it, as written."""
    ahead = [m.start() for m in re.finditer(r"\S+", sentence[:start])]
    behind = [m.end() for m in re.finditer(r"\S+", sentence[end:])]
    left = ahead[-before] if len(ahead) >= before else 0
    right = end + (behind[after - 1] if len(behind) >= after else len(sentence) - end)
    text = sentence[left:right].strip()
    return ("…" if left > 0 else "") + text + ("…" if right < len(sentence.rstrip()) else "")
