"""YAML read into plain data with the line and column of every key and value.

Scalars stay strings exactly as written (``NO`` stays ``"NO"``, ``1.10`` stays
``"1.10"``); the typed schema decides what a field means. Only ``null``, ``~``
and an empty plain value become ``None``. Duplicate keys, aliases and non-string
keys are errors, reported with file and line.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Any

import yaml

from ..errors import ContentError, Problem

try:  # the C parser is several times faster and composes the same node graph
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader

# C0 controls but tab and line feed, DEL, C1 controls, surrogates, noncharacters: text no one means to print
BAD_CHARS = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"
    "\U0001fffe\U0001ffff\U0002fffe\U0002ffff\U0003fffe\U0003ffff\U0010fffe\U0010ffff]")
_NULL_TAG = "tag:yaml.org,2002:null"
_STANDARD_TAG = "tag:yaml.org,2002:"


class Located:
    """Plain YAML data plus where each key path was written.

    ``where(path)`` gives ``(line, column)`` (1-based) of the deepest node on the
    path that was seen, so a pydantic error location maps to the nearest line.
    """

    def __init__(self, data: Any, positions: dict[tuple, tuple[int, int]], file: Path, line_offset: int = 0):
        self.data = data
        self.positions = positions
        self.file = file
        self.line_offset = line_offset

    def where(self, path: tuple) -> tuple[int | None, int | None]:
        path = tuple(path)
        while path:
            if path in self.positions:
                line, col = self.positions[path]
                return line + self.line_offset, col
            path = path[:-1]
        if () in self.positions:
            line, col = self.positions[()]
            return line + self.line_offset, col
        return None, None

    def problem(self, path: tuple, message: str) -> Problem:
        line, col = self.where(path)
        return Problem(message, file=self.file, line=line, column=col, field=field_name(path))


def field_name(path: tuple) -> str | None:
    """A key path written as a reader would: ``chart.series[0].values``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or None


def load_yaml(text: str, file: Path, line_offset: int = 0) -> Located:
    """Parse one YAML document into :class:`Located` data; raise ContentError on any problem.

    ``line_offset`` shifts reported lines, for YAML that starts partway into a file
    (front matter). An empty document gives ``{}``.
    """
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 + line_offset if mark else None
        col = mark.column + 1 if mark else None
        what = exc.problem or exc.context or "invalid YAML"
        if mark is not None and _tab_at(text, mark.line, mark.column):
            what = "a tab character; YAML indents with spaces only: replace the tab with spaces"
        raise ContentError(Problem(f"YAML syntax error: {what}", file=file, line=line, column=col)) from None
    except yaml.YAMLError as exc:
        raise ContentError(Problem(f"YAML error: {exc}", file=file)) from None
    if node is None:
        return Located({}, {(): (1, 1)}, file, line_offset)
    problems: list[Problem] = []
    positions: dict[tuple, tuple[int, int]] = {}
    seen: set[int] = set()
    data = _convert(node, (), positions, seen, problems, file, line_offset)
    if problems:
        raise ContentError(problems)
    return Located(data, positions, file, line_offset)


def _tab_at(text: str, line: int, column: int) -> bool:
    """Whether the YAML error at ``line``/``column`` (0-based) is a tab: at that place or in the line's indent.

    PyYAML's own words for it ("found character that cannot start any token") do
    not say which character, and a tab looks like spaces in most editors.
    """
    lines = text.split("\n")
    if not 0 <= line < len(lines):
        return False
    row = lines[line]
    indent = row[: len(row) - len(row.lstrip(" \t"))]
    return (column < len(row) and row[column] == "\t") or "\t" in indent


def _convert(node, path, positions, seen, problems, file, offset):
    positions[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if id(node) in seen and not isinstance(node, yaml.ScalarNode):
        problems.append(Problem("YAML aliases (*name) are not allowed; write the value out",
                                file=file, line=node.start_mark.line + 1 + offset, field=field_name(path)))
        return None
    seen.add(id(node))
    if not node.tag.startswith(_STANDARD_TAG) or node.tag.startswith(_STANDARD_TAG + "python"):
        problems.append(Problem(f"YAML tags such as '{node.tag}' are not allowed; write plain values",
                                file=file, line=node.start_mark.line + 1 + offset, field=field_name(path)))
        return None
    if isinstance(node, yaml.ScalarNode):
        if node.tag == _NULL_TAG and node.style is None:
            return None
        value = node.value
        bad = BAD_CHARS.search(value)
        if bad:
            # only an escape ("\0", "\a") can put these here: the file's own text was checked before
            problems.append(Problem(f"control or non-character U+{ord(bad.group()):04X} is not allowed; delete it",
                                    file=file, line=node.start_mark.line + 1 + offset, field=field_name(path)))
            return value
        # an escape such as "e\u0301" can build decomposed text that the file itself did not hold
        return value if value.isascii() else unicodedata.normalize("NFC", value)
    if isinstance(node, yaml.SequenceNode):
        return [_convert(child, path + (i,), positions, seen, problems, file, offset)
                for i, child in enumerate(node.value)]
    result: dict[str, Any] = {}
    for key_node, value_node in node.value:
        line = key_node.start_mark.line + 1 + offset
        if not isinstance(key_node, yaml.ScalarNode):
            problems.append(Problem("a key must be plain text", file=file, line=line, field=field_name(path)))
            continue
        key = key_node.value
        if key == "<<":
            problems.append(Problem("YAML merge keys (<<) are not allowed; write the keys out",
                                    file=file, line=line, field=field_name(path)))
            continue
        if key in result:
            first = positions[path + (key,)][0] + offset
            problems.append(Problem(f"duplicate key '{key}' (first given on line {first})",
                                    file=file, line=line, field=field_name(path + (key,))))
            continue
        result[key] = _convert(value_node, path + (key,), positions, seen, problems, file, offset)
        # point the key path at the key itself: that is where a reader looks
        positions[path + (key,)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
    return result
