"""Writing outputs: file names from ids and selections, and atomic replacement."""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

from .errors import BriefgenError, Problem
from .model import Briefing

_UNSAFE = re.compile(r"[^A-Za-z0-9._+-]+")
MAX_STEM = 120


def output_stem(briefing: Briefing) -> str:
    """The file name without extension: ``<id>`` for the whole briefing, ``<id>--<selection>`` otherwise.

    Characters outside letters, digits, '.', '_', '+' and '-' become '-', and a
    long selection is shortened so that the name stays usable on every file system.
    """
    stem = briefing.id if not briefing.selection else f"{briefing.id}--{briefing.selection}"
    stem = _UNSAFE.sub("-", stem).strip("-.") or "briefing"
    if len(stem) > MAX_STEM:
        import hashlib

        digest = hashlib.sha1(stem.encode()).hexdigest()[:8]
        stem = stem[: MAX_STEM - 9] + "-" + digest
    return stem


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename.

    A failure leaves any previous file at ``path`` as it was and no temporary file behind.
    """
    path = Path(path)
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
        os.replace(tmp, path)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise BriefgenError(Problem(f"cannot write file: {exc.strerror or exc}", file=path)) from None
        raise
