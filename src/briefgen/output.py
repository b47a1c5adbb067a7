"""Writing outputs: file names from ids and selections, and atomic replacement."""

from __future__ import annotations

import contextlib
import os
import re
import signal
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
    parts = [_safe(briefing.id) or "briefing"]
    if briefing.selection:
        parts.append(_safe(briefing.selection) or "selection")
    stem = "--".join(parts)
    if len(stem) > MAX_STEM:
        import hashlib

        digest = hashlib.sha1(stem.encode()).hexdigest()[:8]
        stem = stem[: MAX_STEM - 9] + "-" + digest
    return stem


# what each format adds to the output's name
_SUFFIXES = {"pdf": ".pdf", "pptx": ".pptx", "summary": ".summary.pdf"}


def output_base(output_file: str | Path) -> Path:
    """The path an ``--output-file`` names, without the suffix of any format (``mtg.summary.pdf`` -> ``mtg``)."""
    base = Path(output_file)
    for suffix in sorted(_SUFFIXES.values(), key=len, reverse=True):
        if base.name.lower().endswith(suffix) and len(base.name) > len(suffix):
            return base.with_name(base.name[: -len(suffix)])
    return base


def output_path(base: Path, kind: str) -> Path:
    """Where a format's file goes: ``base`` with the format's suffix (``us-mexico--trade.summary.pdf``)."""
    return base.with_name(base.name + _SUFFIXES[kind])


def _safe(text: str) -> str:
    text = _UNSAFE.sub("-", text)
    text = re.sub(r"\.{2,}", "-", text)  # no '..' in a name
    return re.sub(r"-{2,}", "-", text).strip("-.")


def write_all_atomic(files: list[tuple[Path, bytes]]) -> None:
    """Write several files so that either all are replaced or none is.

    Every file is first written in full to a temporary file beside its target;
    only when all are on disk are they renamed into place. A failure before the
    renames removes the temporary files and leaves every previous output as it
    was; so does an interruption: SIGINT, and SIGTERM, which while files are
    written ends the process only once its temporary files are gone. Creating a
    temporary file and noting it, the renames, and the clean-up are never cut in
    two by either signal: one arriving then is acted on right after.
    """
    staged: list[tuple[str, Path]] = []
    try:
        with _terminate_cleanly():
            for path, data in files:
                _stage(Path(path), data, staged)
            with _signals_held():
                for tmp, path in staged:
                    os.replace(tmp, path)
                staged.clear()
    except BaseException as exc:
        with _signals_held():
            for tmp, _ in staged:
                try:
                    os.unlink(tmp)
                except OSError:
                    pass
        if isinstance(exc, _Terminated):
            os.kill(os.getpid(), signal.SIGTERM)  # the handler before ours is back: end as SIGTERM would have
            raise KeyboardInterrupt from None  # that handler chose to carry on: this build still stops
        if isinstance(exc, OSError):
            raise BriefgenError(Problem(f"cannot write file: {exc.strerror or exc}",
                                        file=getattr(exc, "filename", None))) from None
        raise


class _Terminated(BaseException):
    """SIGTERM arrived while outputs were being written."""


@contextlib.contextmanager
def _terminate_cleanly():
    """SIGTERM raises _Terminated for the duration, as SIGINT raises KeyboardInterrupt, so clean-up code runs.

    Only the main thread can set a signal handler; elsewhere SIGTERM keeps its own.
    """
    def terminated(signum, frame):
        raise _Terminated

    try:
        previous = signal.signal(signal.SIGTERM, terminated)
    except ValueError:  # not the main thread
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextlib.contextmanager
def _signals_held():
    """SIGINT and SIGTERM wait until the block is done, then take effect (where the platform can hold them)."""
    hold = getattr(signal, "pthread_sigmask", None)
    if hold is None:
        yield
        return
    before = hold(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    try:
        yield
    finally:
        hold(signal.SIG_SETMASK, before)


def _stage(path: Path, data: bytes, staged: list[tuple[str, Path]]) -> None:
    """Write ``data`` to a new temporary file beside ``path``, noted in ``staged`` from the moment it exists."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with _signals_held():
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            staged.append((tmp, path))
    except OSError as exc:
        raise BriefgenError(Problem(f"cannot write here: {exc.strerror or exc}", file=path.parent)) from None
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.chmod(tmp, 0o644)
