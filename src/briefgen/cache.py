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

Entries hold data, never code: each is MessagePack, decoded by msgspec into the
type the caller names (the model's frozen dataclasses, the Theme, font metrics),
so what comes out of the cache can only ever be values of those types. An entry
that is damaged, of another version, filed under another key or not of the
declared type is a miss. Folders are created private (0700) and entries 0600; a
folder that another user owns or that others may write to is not used (one note
on stderr), since whoever can write there could choose what a build draws.

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
import stat
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import msgspec
import msgspec.structs

FORMAT = "briefgen-cache-2"  # 2: MessagePack of declared types in private folders (1 was pickle)
SUFFIX = ".msgpack"
HASH_LIMIT = 1 << 20  # files up to this size are hashed; larger ones are known by size and time
MAX_ENTRIES = 64  # per kind; the least recently written go first
MAX_BYTES = 256 << 20  # per kind; the newest entry is kept whatever its size
RACY_NS = 2_000_000_000  # inputs changed this close to a read are not trusted to be settled
MAX_FILES = 5000  # a folder with more entries than this is not worth fingerprinting on every build
STALE_TMP_SECONDS = 600  # a temporary file this old was left by a build that was killed while storing
_LIBRARIES = ("yaml", "markdown_it", "jinja2", "msgspec", "pydantic", "pydantic_core", "PIL", "fontTools")
_code_stamp: str | None = None
_noted: set[str] = set()  # folders already reported as not private by this process

from .cache_codec import ENTRY_DECODER, ENTRY_ENCODER, Entry, codec_for

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
    """The cache folder, or None when caching is off (it may not exist yet, nor be usable: see _folder)."""
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


# ---------------------------------------------------------------- where entries live


def _folder(kind: str, create: bool) -> Path | None:
    """The folder of one kind of entry, when it is private to this user; None means no cache this time."""
    root = directory()
    if root is None:
        return None
    if _private(root, create, tighten=False) and _private(root / kind, create, tighten=True):
        return root / kind
    return None


def _private(folder: Path, create: bool, tighten: bool) -> bool:
    """Whether ``folder`` is this user's and nobody else may write in it; a missing one is made 0700.

    Whoever can write in a cache folder chooses what a build draws, so a folder
    owned by another user or writable by group or others is not used, with one
    note on stderr. With ``tighten``, a folder of this user's that others can
    only read (a folder of entries made before folders were made private) is
    made private; the cache folder itself is left as it is, since
    BRIEFGEN_CACHE_DIR may name a folder that holds other things too.
    """
    try:
        st = os.stat(folder)
    except FileNotFoundError:
        if not create:
            return False
        try:
            folder.parent.mkdir(parents=True, exist_ok=True)
            os.mkdir(folder, 0o700)
        except FileExistsError:  # another build made it at the same moment: checked below like any other
            pass
        except OSError:
            return False
        try:
            st = os.stat(folder)
        except OSError:
            return False
    except OSError:
        return False
    if not stat.S_ISDIR(st.st_mode):
        return False
    mode = stat.S_IMODE(st.st_mode)
    problems = []
    getuid = getattr(os, "getuid", None)
    if getuid is not None and st.st_uid != getuid():
        problems.append(f"owner uid {st.st_uid}")
    if mode & 0o022:
        problems.append(f"mode {mode:04o}")
    if problems:
        if str(folder) not in _noted:
            _noted.add(str(folder))
            print(f"note: cache folder {folder} is not private ({', '.join(problems)}); not using it",
                  file=sys.stderr)
        return False
    if tighten and mode & 0o077:
        try:
            os.chmod(folder, mode & 0o700)
        except OSError:
            return False
    return True


def _name(kind: str, key: Any) -> str:
    """The file name of an entry: changes with the key and with the code that reads inputs."""
    return hashlib.blake2b(repr((code_stamp(), kind, key)).encode(), digest_size=20).hexdigest()


def _entry(kind: str, key: Any) -> Path | None:
    """Where the entry for ``key`` is (or would be) kept; None when caching is off."""
    root = directory()
    return None if root is None else root / kind / (_name(kind, key) + SUFFIX)


# ---------------------------------------------------------------- reading and writing entries


def load(kind: str, key: Any, type_: Any) -> Any | None:
    """The value stored under ``key`` if its inputs are unchanged, else None.

    ``type_`` is the Python type the value was stored as; the entry is decoded
    into it and into nothing else. A value is stored with the fingerprints of
    its inputs; each is taken again and compared before the value is used.
    """
    folder = _folder(kind, create=False)
    if folder is None:
        return None
    name = _name(kind, key)
    try:
        data = _read(folder / (name + SUFFIX))
        if data is None:
            return None
        entry = ENTRY_DECODER.decode(data)
        if entry.format != FORMAT or entry.name != name:
            return None
        for where, mode, seen in entry.inputs:
            if _digest(fingerprint(Path(where), mode)) != seen:
                return None
        return codec_for(type_).decode(entry.value)
    except (OSError, ValueError, TypeError, RecursionError, msgspec.MsgspecError):
        return None  # damaged, of another version, or not of the declared type: read the inputs instead


def _read(path: Path) -> bytes | None:
    """An entry's bytes, if it is a regular file of this user's that nobody else may write; else None."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        return None
    try:
        st = os.fstat(fd)
        getuid = getattr(os, "getuid", None)
        if not stat.S_ISREG(st.st_mode) or st.st_mode & 0o022 or (getuid is not None and st.st_uid != getuid()):
            return None
        with os.fdopen(fd, "rb", closefd=False) as f:
            return f.read()
    finally:
        os.close(fd)


def _digest(seen: tuple | None) -> bytes:
    return hashlib.blake2b(repr(seen).encode(), digest_size=16).digest()


def _newest(seen: tuple) -> int:
    """The latest modification time of any file in a fingerprint."""
    if seen[0] == "file":
        return seen[2][1]
    if seen[0] == "dir":
        return max((item[2][1] for item in seen[2] if item[0] != "dir" and isinstance(item[2], tuple)), default=0)
    return 0


def store(kind: str, key: Any, value: Any, type_: Any, inputs: list[tuple[Path, str]] = (),
          started_ns: int = 0) -> None:
    """Keep ``value``, of type ``type_``, under ``key`` with the fingerprints of ``inputs`` (path, mode).

    ``started_ns`` is when reading the inputs began. Nothing is stored if any
    input was modified less than two seconds before that: a file written while
    it was being read could otherwise be remembered with its new fingerprint but
    its old content (the "racy file" rule version control systems use). Nor is
    a value that would not read back equal to itself.
    """
    folder = _folder(kind, create=True)
    if folder is None:
        return
    name = _name(kind, key)
    try:
        prints = []
        for where, mode in inputs:
            seen = fingerprint(where, mode)
            if seen is None or _newest(seen) >= started_ns - RACY_NS:
                return
            prints.append((str(where), mode, _digest(seen)))
        codec = codec_for(type_)
        body = codec.encode(value)
        if codec.decode(body) != value:
            return
        _write(folder, name + SUFFIX, ENTRY_ENCODER.encode(Entry(FORMAT, name, prints, msgspec.Raw(body))))
        _prune(folder)
    except Exception:  # noqa: BLE001 - a read-only or full disk, or a value the cache cannot hold, only costs speed
        return


def _write(folder: Path, name: str, data: bytes) -> None:
    """Put ``data`` in place whole or not at all: written to a private temporary file, then renamed."""
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-")  # mode 0600
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, folder / name)
    except BaseException:
        os.unlink(tmp)
        raise


def _prune(folder: Path) -> None:
    """Keep the newest entries: at most MAX_ENTRIES of them and MAX_BYTES in all.

    Also removed: entries of the earlier pickle format, never read again, and
    temporary files left by a build killed while it stored an entry.
    """
    entries = []
    old = time.time_ns() - STALE_TMP_SECONDS * 1_000_000_000
    for e in os.scandir(folder):
        try:
            st = e.stat(follow_symlinks=False)
        except OSError:
            continue
        if e.name.endswith(".pickle") or (e.name.startswith(".tmp-") and st.st_mtime_ns < old):
            _unlink(e.path)
        elif e.name.endswith(SUFFIX):
            entries.append((st.st_mtime_ns, st.st_size, e.path))
    entries.sort(reverse=True)
    kept = total = 0
    for _, size, path in entries:
        kept += 1
        total += size
        if kept > MAX_ENTRIES or (total > MAX_BYTES and kept > 1):
            _unlink(path)


def _unlink(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass
