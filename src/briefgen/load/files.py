"""Reading input files safely: confined to the folder they belong to, and never more bytes than a limit.

Every input file briefgen opens goes through :func:`read_limited`, which checks
the size before reading and reads at most one byte past the limit, so a file
that grows while it is read (or a device that never ends) cannot take memory.
"""

from __future__ import annotations

import os
from pathlib import Path


class TooLarge(Exception):
    """A file over its size limit; ``size`` is what was found (at least ``limit + 1``)."""

    def __init__(self, size: int, limit: int):
        super().__init__(f"file is {size:,} bytes; the limit is {limit:,}")
        self.size = size
        self.limit = limit


def read_limited(path: Path, limit: int) -> bytes:
    """The bytes of ``path``; raises :class:`TooLarge` past ``limit`` bytes, ``OSError`` if it cannot be read.

    Only regular files are read: a folder, a pipe or a device is refused as an
    ``OSError`` without being opened for reading (opening a pipe would wait).
    """
    st = os.stat(path)
    if not _regular(st.st_mode):
        raise OSError(0, "not a regular file (a folder, pipe or device)", str(path))
    if st.st_size > limit:
        raise TooLarge(st.st_size, limit)
    with open(path, "rb") as fh:
        data = fh.read(limit + 1)
    if len(data) > limit:
        raise TooLarge(len(data), limit)
    return data


def _regular(mode: int) -> bool:
    import stat

    return stat.S_ISREG(mode)


def is_file(path: Path) -> bool:
    """Whether ``path`` is a file (after symlinks); False too when the name cannot even be looked up
    (too long, say), where ``Path.is_file`` would raise."""
    try:
        return path.is_file()
    except (OSError, ValueError):  # ValueError: a NUL in the name
        return False


def is_dir(path: Path) -> bool:
    """Whether ``path`` is a folder (after symlinks); False when the name cannot be looked up."""
    try:
        return path.is_dir()
    except (OSError, ValueError):
        return False


def leads_outside(path: Path, root: Path) -> bool:
    """Whether ``path``, with every symlink followed, lies outside the folder ``root`` (also followed)."""
    try:
        return not path.resolve().is_relative_to(root.resolve())
    except (OSError, RuntimeError, ValueError):  # a symlink loop resolves nowhere: treat it as outside
        return True
