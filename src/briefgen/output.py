"""Writing outputs: file names from ids and selections, and atomic replacement."""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

from .errors import BriefgenError, Problem
from .formats import SUFFIXES
from .model import Briefing

_UNSAFE = re.compile(r"[^A-Za-z0-9._+-]+")
MAX_STEM = 120


def output_stem(briefing: Briefing) -> str:
    """The file name without extension: ``<id>`` for the whole briefing, ``<id>--<selection>`` otherwise.

    Characters outside letters, digits, '.', '_', '+' and '-' become '-', and a
    long selection is shortened so that the name stays usable on every file system.
    """
    parts = [_safe(briefing.id) or "briefing"]
    if briefing.selection:
        parts.append(_safe(briefing.selection) or "selection")
    stem = "--".join(parts)
    if len(stem) > MAX_STEM:
        import hashlib

        digest = hashlib.sha1(stem.encode()).hexdigest()[:8]
        stem = stem[: MAX_STEM - 9] + "-" + digest
    return stem


def output_base(output_file: str | Path) -> Path:
    """The path an ``--output-file`` names, without the suffix of any format (``mtg.handout.pdf`` -> ``mtg``)."""
    base = Path(output_file)
    for suffix in sorted(SUFFIXES.values(), key=len, reverse=True):
        if base.name.lower().endswith(suffix) and len(base.name) > len(suffix):
            return base.with_name(base.name[: -len(suffix)])
    return base


def output_path(base: Path, kind: str) -> Path:
    """Where a format's file goes: ``base`` with the format's suffix (``us-mexico--trade.slides.pdf``)."""
    return base.with_name(base.name + SUFFIXES[kind])


def _safe(text: str) -> str:
    text = _UNSAFE.sub("-", text)
    text = re.sub(r"\.{2,}", "-", text)  # no '..' in a name
    return re.sub(r"-{2,}", "-", text).strip("-.")


def write_all_atomic(files: list[tuple[Path, bytes]]) -> None:
    """Write several files so that either all are replaced or none is.

    Every file is first written in full to a temporary file beside its target;
    only when all are on disk are they renamed into place. A failure before the
    renames removes the temporary files and leaves every previous output as it was.
    """
    staged: list[tuple[str, Path]] = []
    try:
        for path, data in files:
            staged.append((_stage(Path(path), data), Path(path)))
        for tmp, path in staged:
            os.replace(tmp, path)
    except BaseException as exc:
        for tmp, _ in staged:
            try:
                os.unlink(tmp)
            except OSError:
                pass
        if isinstance(exc, OSError):
            raise BriefgenError(Problem(f"cannot write file: {exc.strerror or exc}",
                                        file=getattr(exc, "filename", None))) from None
        raise


def _stage(path: Path, data: bytes) -> str:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise BriefgenError(Problem(f"cannot write here: {exc.strerror or exc}", file=path.parent)) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
    except BaseException:
        os.unlink(tmp)
        raise
    return tmp
