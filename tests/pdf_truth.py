"""What a PDF says about its headings, read back from the file, and where the headings really are.

The truth is the page on which a heading's words are printed at heading size
(pdfplumber). Compared with it: the page number printed in the contents, the page
the contents entry's link opens and the page the outline entry opens (pypdf).
Nothing here asks briefgen where it put anything.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

import pdfplumber
import pypdf

SIZE_TOLERANCE = 0.05  # points: characters drawn at a style's size carry it up to rounding


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _key(text: str) -> str:
    """Text compared without case (a style may set headings in capitals) or spaces (wrapped lines)."""
    return re.sub(r"\s+", "", text).casefold()


@dataclass(frozen=True)
class Printed:
    """A line of text set at one size: its page (1-based), words and top (PDF points from the bottom)."""

    page: int
    text: str
    top: float


def lines_at_sizes(pdf: Path, sizes) -> dict[float, list[Printed]]:
    """For each of ``sizes``, every line of the PDF whose characters are set at that size, in reading order
    (the PDF is read once; a file read before with the same sizes is not read again)."""
    pdf = Path(pdf)
    return _lines_at_sizes(str(pdf), pdf.stat().st_mtime_ns, tuple(sorted(set(sizes))))


@functools.lru_cache(maxsize=64)
def _lines_at_sizes(pdf: str, mtime: int, sizes: tuple[float, ...]) -> dict[float, list[Printed]]:
    out: dict[float, list[Printed]] = {size: [] for size in sizes}
    with pdfplumber.open(pdf) as doc:
        for number, page in enumerate(doc.pages, start=1):
            for size in sizes:
                chars = [c for c in page.chars  # horizontal characters at this size
                         if abs(c["size"] - size) <= SIZE_TOLERANCE and abs(c["matrix"][1]) < 0.01]
                rows: dict[float, list[dict]] = {}
                for c in chars:
                    rows.setdefault(round(c["top"], 1), []).append(c)
                for top in sorted(rows):
                    row = sorted(rows[top], key=lambda c: c["x0"])
                    text, last = "", None
                    for c in row:
                        if last is not None and c["x0"] - last > size * 0.15:
                            text += " "
                        text += c["text"]
                        last = c["x1"]
                    out[size].append(Printed(number, squash(text), float(page.height) - top))
    return out


def find_headings(lines: list[Printed], titles: list[str]) -> dict[str, Printed]:
    """Each title found among ``lines`` (set at heading size); a title that wraps is matched from its first
    line and followed over the next lines of the same page."""
    found: dict[str, Printed] = {}
    for title in titles:
        want = _key(title)
        for i, line in enumerate(lines):
            if not line.text or not want.startswith(_key(line.text)):
                continue
            joined, j = _key(line.text), i
            while len(joined) < len(want) and j + 1 < len(lines) and lines[j + 1].page == line.page:
                j += 1
                joined += _key(lines[j].text)
            if joined == want:
                found[title] = line
                break
    return found


@dataclass(frozen=True)
class ContentsEntry:
    """One contents line read back: its words, the page number printed at its end, the page its link opens."""

    page: int  # where the entry is printed
    text: str
    number: int | None
    link_page: int | None
    link_fit: str | None


def contents_entries(pdf: Path) -> list[ContentsEntry]:
    """The contents entries: each internal link on a page and the words printed inside its rectangle."""
    reader = pypdf.PdfReader(pdf)
    out: list[ContentsEntry] = []
    with pdfplumber.open(pdf) as doc:
        for index, page in enumerate(reader.pages):
            for ref in page.get("/Annots") or []:
                annot = ref.get_object()
                dest = annot.get("/Dest")
                if annot.get("/Subtype") != "/Link" or dest is None:
                    continue
                x0, y0, x1, y1 = (float(v) for v in annot["/Rect"])
                plumb = doc.pages[index]
                h = float(plumb.height)
                words = plumb.crop((x0, h - y1, x1, h - y0), strict=False).extract_text() or ""
                words = squash(words)
                m = re.search(r"(\d+)\s*$", words)
                title = re.sub(r"[ .]*\d*\s*$", "", words)
                target = reader.get_page_number(dest[0].get_object()) + 1
                out.append(ContentsEntry(index + 1, title, int(m.group(1)) if m else None, target, str(dest[1])))
    return out


def outline_pages(pdf: Path) -> list[tuple[str, int, int, str, float | None]]:
    """Every outline entry at any depth: (title, level, page it opens, fit, top)."""
    reader = pypdf.PdfReader(pdf)
    out = []

    def walk(items, level):
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            else:
                top = item.get("/Top")
                out.append((item.title, level, reader.get_destination_page_number(item) + 1, str(item.typ),
                            float(top) if top is not None else None))

    walk(reader.outline, 0)
    return out


def truth_problems(pdf: Path, titles: list[str], size: float, sub_titles: list[str] = (),
                   sub_sizes: tuple[float, ...] = ()) -> list[str]:
    """Every disagreement between where headings are printed and what the contents and the outline say.

    ``titles`` are the section headings in order (set at ``size``); ``sub_titles``
    are subsection headings, set at one of ``sub_sizes``. Empty when all agree.
    """
    problems: list[str] = []
    lines = lines_at_sizes(pdf, {size, *sub_sizes})
    printed = find_headings(lines[size], list(titles))
    for sub_size in sub_sizes:
        for title, where in find_headings(lines[sub_size], list(sub_titles)).items():
            printed.setdefault(title, where)
    for title in list(titles) + list(sub_titles):
        if title not in printed:
            problems.append(f"heading '{title}' is not printed at heading size anywhere")
    entries = contents_entries(pdf)
    by_title: dict[str, ContentsEntry] = {}
    for e in entries:  # the contents come first; a cross-reference with the same words comes later
        by_title.setdefault(_key(e.text), e)
    for title in titles:
        where = printed.get(title)
        entry = by_title.get(_key(title))
        if entry is None:
            problems.append(f"contents: no entry for '{title}'")
            continue
        if where is None:
            continue
        if entry.number != where.page:
            problems.append(f"contents: '{title}' says page {entry.number}, printed on page {where.page}")
        if entry.link_page != where.page:
            problems.append(f"contents: link of '{title}' opens page {entry.link_page}, printed on page {where.page}")
        if entry.link_fit != "/XYZ":
            problems.append(f"contents: link of '{title}' opens with {entry.link_fit}, not at the heading (/XYZ)")
    outline = outline_pages(pdf)
    by_outline = {}
    for title, level, page, fit, top in outline:
        by_outline.setdefault(_key(title), (page, fit, top))
    for title in list(titles) + list(sub_titles):
        where = printed.get(title)
        item = by_outline.get(_key(title))
        if item is None:
            problems.append(f"outline: no entry for '{title}'")
            continue
        if where is None:
            continue
        page, fit, top = item
        if page != where.page:
            problems.append(f"outline: '{title}' opens page {page}, printed on page {where.page}")
        if fit != "/XYZ" or top is None or not (where.top <= top <= where.top + size * 2):
            problems.append(f"outline: '{title}' opens at {fit} {top}, heading's line is at {where.top:.1f}")
    return problems
