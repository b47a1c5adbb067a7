"""``briefgen import``: a document a staffer already has (plain text, Markdown, HTML, Word) as a briefing folder.

:func:`import_document` reads the file with the reader for its extension
(:mod:`.text`, :mod:`.markdown`, :mod:`.html`, :mod:`.docx`), each giving the
neutral :class:`~.document.Document`, and :mod:`.writer` writes that as
``content/<id>/``.
"""

from __future__ import annotations

import codecs
import re
import zipfile
from pathlib import Path

from ..errors import ContentError, Problem, UsageError
from ..load.locate import DEFAULT_CONTENT_DIR
from ..load.schema import ID_RE

FORMATS = {".txt": "text", ".text": "text", ".md": "markdown", ".markdown": "markdown", ".html": "html",
           ".htm": "html", ".xhtml": "html", ".docx": "docx"}
MAX_BYTES = 20 * 1024 * 1024  # text formats
MAX_DOCX_BYTES = 100 * 1024 * 1024  # a Word file carries its images


def import_document(file: str | Path, briefing_id: str | None = None, *, force: bool = False,
                    content_dir: str | Path | None = None) -> Path:
    """Read ``file`` and write it as the briefing folder ``<content_dir>/<id>``; return that folder.

    The id is ``briefing_id``, else made from the document's title (else its file
    name). Raises :class:`ContentError` for a file that cannot be imported or an
    existing folder (unless ``force``), :class:`UsageError` for a malformed id.
    """
    from .writer import slug, write_briefing

    path = Path(file)
    if briefing_id is not None and not ID_RE.match(briefing_id):
        raise UsageError(Problem(f"'{briefing_id}' is not a usable id: use lower-case letters, digits, '-' or '_', "
                                 "starting with a letter or digit", field="--id"))
    doc = read_document(path)
    content = Path(content_dir) if content_dir is not None else DEFAULT_CONTENT_DIR
    bid = briefing_id or slug(doc.title or "") or slug(path.stem) or "imported"
    return write_briefing(doc, content / bid, source_name=str(path), force=force)


def read_document(path: Path):
    """The :class:`~.document.Document` in ``path``; a one-problem ContentError for anything unreadable."""
    kind = FORMATS.get(path.suffix.lower())
    if kind is None:
        known = ", ".join(sorted({k for k in FORMATS if k not in (".text", ".markdown", ".xhtml")}))
        what = f"'{path.suffix}' files" if path.suffix else "files without an extension"
        raise ContentError(Problem(f"cannot import {what}; briefgen imports {known}", file=path))
    try:
        if not path.is_file():
            raise ContentError(Problem("no such file" if not path.exists() else "not a file", file=path))
        size = path.stat().st_size
        limit = MAX_DOCX_BYTES if kind == "docx" else MAX_BYTES
        if size > limit:
            raise ContentError(Problem(f"file is {size:,} bytes; the limit is {limit:,}", file=path))
        raw = path.read_bytes()
    except OSError as exc:
        raise ContentError(Problem(f"cannot read the file: {exc.strerror or exc}", file=path)) from None
    if not raw.strip():
        raise ContentError(Problem("the file is empty", file=path))
    try:
        if kind == "docx":
            doc = _read_docx(path, raw)
        else:
            text = decode(raw, path)
            from .document import clean

            text = clean(text)
            if not text.strip():
                raise ContentError(Problem("the file is empty", file=path))
            if kind == "text":
                from .text import read_text

                doc = read_text(text)
            elif kind == "markdown":
                from .markdown import read_markdown

                doc = read_markdown(text)
            else:
                from .html import read_html

                doc = read_html(text)
    except ContentError:
        raise
    except RecursionError:
        raise ContentError(Problem("the document is nested too deeply to read", file=path)) from None
    if not doc.sections:
        what = "no text beyond its title" if doc.title else "no text"
        raise ContentError(Problem(f"nothing to import: the document has {what}", file=path))
    return doc


def decode(raw: bytes, path: Path) -> str:
    """The text of a text file: UTF-8 (or UTF-16 with its byte-order mark); a binary file is refused."""
    for bom, codec in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                       (codecs.BOM_UTF16_BE, "utf-16")):
        if raw.startswith(bom):
            try:
                return raw.decode(codec)
            except UnicodeDecodeError:
                break
    head = raw[:8192]
    if b"\x00" in head or _binary_signature(head):
        raise ContentError(Problem("a binary file, not a text document", file=path))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        if path.suffix.lower() in (".html", ".htm", ".xhtml"):
            declared = _declared_charset(head)
            if declared:
                try:
                    return raw.decode(declared)
                except (LookupError, UnicodeDecodeError):
                    pass
        line = raw[: exc.start].count(b"\n") + 1
        raise ContentError(Problem(f"not UTF-8 text (byte 0x{raw[exc.start]:02x} on line {line}); "
                                   "save it as UTF-8", file=path)) from None
    controls = sum(1 for c in text[:8192] if ord(c) < 32 and c not in "\n\r\t\f")
    if controls > max(8, len(text[:8192]) // 50):
        raise ContentError(Problem("a binary file, not a text document", file=path))
    return text


_SIGNATURES = (b"%PDF", b"PK\x03\x04", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"\xd0\xcf\x11\xe0", b"{\\rtf")


def _binary_signature(head: bytes) -> bool:
    return head.startswith(_SIGNATURES)


def _declared_charset(head: bytes) -> str | None:
    m = re.search(rb"<meta[^>]+charset=[\"']?([A-Za-z0-9_.:-]+)", head, re.I)
    return m.group(1).decode("ascii") if m else None


def _read_docx(path: Path, raw: bytes):
    if not raw.startswith(b"PK") or not zipfile.is_zipfile(path):
        hint = " (an older .doc file? save it as .docx)" if raw.startswith(b"\xd0\xcf\x11\xe0") else ""
        raise ContentError(Problem(f"not a Word .docx file: it is not a zip package{hint}", file=path))
    from .docx import read_docx

    try:
        return read_docx(path)
    except ContentError:
        raise
    except Exception as exc:  # noqa: BLE001 - python-docx raises many kinds for a damaged package
        detail = " ".join(str(exc).split())[:120] or type(exc).__name__
        raise ContentError(Problem(f"not a readable Word .docx file: {detail}", file=path)) from None
