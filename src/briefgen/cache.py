"""A cache of what reading inputs produces: validated briefings with their themes, and font metrics.

Rebuilding the same briefing with other sections, another format or another
page size is the common case, and most of a small build goes to reading,
validating and parsing inputs that have not changed. A cache entry is used only
when every input that went into it is unchanged:

* every file under the briefing folder (following links), each style file of
  the theme's chain and each font and logo file it names — by size,
  modification time and, up to 1 MiB, a hash of the bytes — and the names in
  every folder a style or font is looked up in (so a file that appears where a
  lookup would now find it counts as a change);
* the code that produced the entry: briefgen's own files (modules and fonts),
  the libraries that read inputs (PyYAML, markdown-it-py, Jinja2, msgspec,
  pydantic, Pillow, fontTools) and the Python version.

Only successful reads are stored, so every error is always found afresh. The
cache lives in ``$BRIEFGEN_CACHE_DIR``, else ``$XDG_CACHE_HOME/briefgen``, else
``~/.cache/briefgen``; ``BRIEFGEN_NO_CACHE=1`` (or ``briefgen build --no-cache``)
turns it off. A cache that cannot be read or written is skipped silently: it
can make a build faster, never make one fail.
"""

from __future__ import annotations

import contextlib
import contextvars
import hashlib
import importlib.util
import os
import pickle
import stat
import sys
import tempfile
from pathlib import Path
from typing import Any

FORMAT = "briefgen-cache-1"
HASH_LIMIT = 1 << 20  # files up to this size are hashed; larger ones are known by size and time
MAX_ENTRIES = 64  # per kind; the least recently written go first
MAX_BYTES = 256 << 20  # per kind; the newest entry is kept whatever its size
RACY_NS = 2_000_000_000  # inputs changed this close to a read are not trusted to be settled
MAX_FILES = 5000  # a folder with more entries than this is not worth fingerprinting on every build
_LIBRARIES = ("yaml", "markdown_it", "jinja2", "msgspec", "pydantic", "pydantic_core", "PIL", "fontTools")
_code_stamp: str | None = None


_off: contextvars.ContextVar[bool] = contextvars.ContextVar("briefgen_cache_off", default=False)


@contextlib.contextmanager
def switched_off(off: bool = True):
    """No cache read or written inside this block (``--no-cache``, ``build(cache=False)``); the calls that
    read inputs inside it see no cache at all."""
    token = _off.set(off or _off.get())
    try:
        yield
    finally:
        _off.reset(token)


def directory() -> Path | None:
    """The cache folder, or None when caching is off."""
    if _off.get() or os.environ.get("BRIEFGEN_NO_CACHE", "") not in ("", "0"):
        return None
    explicit = os.environ.get("BRIEFGEN_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "briefgen"


def _file_print(path: str, st: os.stat_result) -> tuple:
    if not stat.S_ISREG(st.st_mode):  # a pipe or device: never opened (reading one could block forever)
        return 0, 0, stat.S_IFMT(st.st_mode)
    digest = b""
    if st.st_size <= HASH_LIMIT:
        with open(path, "rb") as f:
            digest = hashlib.blake2b(f.read(), digest_size=16).digest()
    return st.st_size, st.st_mtime_ns, digest


def fingerprint(path: Path, mode: str = "tree") -> tuple | None:
    """What a path holds, compared between builds; None when it is too big to be worth it.

    ``mode``: "tree", every file and folder below ``path`` (following links);
    "names", only the names directly in the folder (whether a lookup would now
    find something new); "file", one file. A missing path has a fingerprint too,
    so a file that later appears is a change.
    """
    path = Path(path)
    try:
        st = os.stat(path)
    except OSError:
        return ("absent", str(path))
    if not os.path.isdir(path):
        return ("file", str(path), _file_print(str(path), st))
    if mode == "names":
        names = sorted(os.listdir(path))
        return ("names", str(path), tuple(names)) if len(names) <= MAX_FILES else None
    items: list[tuple] = []
    seen: set[tuple[int, int]] = set()
    for dirpath, dirnames, filenames in os.walk(path, followlinks=True):
        dst = os.stat(dirpath)
        if (dst.st_dev, dst.st_ino) in seen:  # a link back up the tree
            dirnames[:] = []
            continue
        seen.add((dst.st_dev, dst.st_ino))
        dirnames.sort()
        rel = os.path.relpath(dirpath, path)
        items.append(("dir", rel, tuple(sorted(dirnames))))
        for name in sorted(filenames):
            full = os.path.join(dirpath, name)
            try:
                fst = os.stat(full)
                items.append((rel, name, _file_print(full, fst)))
            except OSError:  # a dangling link: its presence still counts
                items.append((rel, name, "unreadable"))
            if len(items) > MAX_FILES:
                return None
    return ("dir", str(path), tuple(items))


def code_stamp() -> str:
    """Changes whenever the code that reads inputs changes: briefgen's modules, the reading libraries, Python."""
    global _code_stamp
    if _code_stamp is None:
        parts: list[Any] = [FORMAT, sys.version]
        package = Path(__file__).resolve().parent
        for f in sorted(package.rglob("*")):  # modules and the fonts shipped beside them
            if f.is_file() and "__pycache__" not in f.parts:
                st = f.stat()
                parts.append((str(f), st.st_size, st.st_mtime_ns))
        for name in _LIBRARIES:
            try:
                spec = importlib.util.find_spec(name)
            except (ImportError, ValueError):
                spec = None
            origin = spec.origin if spec else None
            if origin and os.path.exists(origin):
                st = os.stat(origin)
                parts.append((name, origin, st.st_size, st.st_mtime_ns))
            else:
                parts.append((name, None))
        _code_stamp = hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()
    return _code_stamp


def _entry(kind: str, key: Any) -> Path | None:
    root = directory()
    if root is None:
        return None
    digest = hashlib.blake2b(repr((code_stamp(), key)).encode(), digest_size=20).hexdigest()
    return root / kind / f"{digest}.pickle"


def load(kind: str, key: Any) -> Any | None:
    """The value stored under ``key`` if its inputs are unchanged, else None.

    A value is stored with the fingerprints of its inputs; each is taken again
    and compared before the value is used.
    """
    path = _entry(kind, key)
    if path is None:
        return None
    try:
        with open(path, "rb") as f:
            inputs, value = pickle.load(f)
        for where, mode, seen in inputs:
            if fingerprint(Path(where), mode) != seen:
                return None
        return value
    except Exception:  # noqa: BLE001 - missing, damaged or from another version: read the inputs instead
        return None


def _newest(seen: tuple) -> int:
    """The latest modification time of any file in a fingerprint."""
    if seen[0] == "file":
        return seen[2][1]
    if seen[0] == "dir":
        return max((item[2][1] for item in seen[2] if item[0] != "dir" and isinstance(item[2], tuple)), default=0)
    return 0


def store(kind: str, key: Any, value: Any, inputs: list[tuple[Path, str]], started_ns: int) -> None:
    """Keep ``value`` under ``key`` with the fingerprints of ``inputs`` (path, mode: see fingerprint).

    ``started_ns`` is when reading the inputs began. Nothing is stored if any
    input was modified less than two seconds before that: a file written while
    it was being read could otherwise be remembered with its new fingerprint but
    its old content (the "racy file" rule version control systems use).
    """
    path = _entry(kind, key)
    if path is None:
        return
    try:
        prints = []
        for where, mode in inputs:
            seen = fingerprint(where, mode)
            if seen is None or _newest(seen) >= started_ns - RACY_NS:
                return
            prints.append((str(where), mode, seen))
        data = pickle.dumps((prints, value), protocol=pickle.HIGHEST_PROTOCOL)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise
        _prune(path.parent)
    except Exception:  # noqa: BLE001 - a read-only or full disk only costs speed
        return


def _prune(folder: Path) -> None:
    """Keep the newest entries: at most MAX_ENTRIES of them and MAX_BYTES in all."""
    entries = []
    for e in os.scandir(folder):
        if e.name.endswith(".pickle"):
            try:
                st = e.stat()
            except OSError:
                continue
            entries.append((st.st_mtime_ns, st.st_size, e.path))
    entries.sort(reverse=True)
    kept = total = 0
    for _, size, path in entries:
        kept += 1
        total += size
        if kept > MAX_ENTRIES or (total > MAX_BYTES and kept > 1):
            try:
                os.unlink(path)
            except OSError:
                pass
