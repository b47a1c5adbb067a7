"""Property: whatever ``briefgen check`` accepts, ``briefgen build`` builds, and neither ever shows an internal error.

The inputs are the shipped styles and the default briefing, each changed in one
place: every key dropped, or its value given the wrong type, emptied, negated,
made huge or zero. ``check`` must refuse the change with one-line errors, or
accept it, and then ``build`` must write both outputs. A run replays a fixed
spread of the changes (every k-th of them, each file and kind represented);
``BRIEFGEN_LONG_TESTS=1`` runs every one of them (several thousand, most of an
hour on two cores).
"""

from __future__ import annotations

import functools
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from briefgen.cli import app
from conftest import LONG_TESTS, ROOT

BRIEFING = ROOT / "content" / "us-mexico"
STYLES = sorted((ROOT / "styles").glob("*.yaml"))
KINDS = ("drop", "wrong-type", "empty", "negative", "huge", "zero")
FIXED_RUN = 36  # changes replayed in a normal run


@dataclass(frozen=True)
class Change:
    """One change to one input file: ``kind`` applied to the value at key ``path``."""

    file: str  # relative to the repository: styles/formal.yaml, content/us-mexico/sections/economy.md
    path: tuple
    kind: str

    def __str__(self) -> str:
        """``economy.md:chart.type:huge``: the file's name (unique among the inputs), key path and kind."""
        return f"{Path(self.file).name}:{'.'.join(map(str, self.path))}:{self.kind}"


_DROP = object()


def changed(value, kind: str):
    """``value`` changed by ``kind``; _DROP to remove it; None when the kind does not apply to it."""
    number = isinstance(value, (int, float)) and not isinstance(value, bool)
    measure = isinstance(value, str) and re.fullmatch(r"[0-9.]+([a-z]*)", value)
    if kind == "drop":
        return _DROP
    if kind == "wrong-type":
        return {"x": 1} if not isinstance(value, (dict, list)) else "x"
    if kind == "empty":
        return type(value)() if isinstance(value, (dict, list)) else ""
    if kind == "negative":
        if number:
            return -value if value else -1
        if isinstance(value, str) and value:
            return "-" + value
        return None
    if kind == "huge":
        if number:
            return 10 ** 9
        if measure:
            return "1000000" + measure.group(1)
        if isinstance(value, str):
            return " ".join(["Wide"] * 1200)
        if isinstance(value, list) and value:
            return (value * (200 // len(value) + 1))[:200]
        return None
    if kind == "zero":
        return 0 if number else ("0" + measure.group(1) if measure else None)
    raise ValueError(kind)


def key_paths(data, path: tuple = ()):
    """Every key path in ``data``, parents before children."""
    items = data.items() if isinstance(data, dict) else enumerate(data) if isinstance(data, list) else ()
    for key, value in items:
        yield path + (key,)
        yield from key_paths(value, path + (key,))


def _get(data, path):
    for part in path:
        data = data[part]
    return data


def apply(data, change: Change):
    """A copy of ``data`` with ``change`` made, or None if its kind does not apply there."""
    import copy

    new = changed(_get(data, change.path), change.kind)
    if new is None:
        return None
    data = copy.deepcopy(data)
    parent = _get(data, change.path[:-1])
    if new is _DROP:
        del parent[change.path[-1]]
    else:
        parent[change.path[-1]] = new
    return data


# -- reading and writing the inputs as plain data ------------------------------------------------
def read(file: Path) -> tuple[dict, str]:
    """The YAML data of a style, briefing.yaml or section front matter, and the body after it."""
    text = file.read_text(encoding="utf-8")
    if file.suffix == ".md":
        _, front, body = text.split("---\n", 2)
        return yaml.safe_load(front), body
    return yaml.safe_load(text), ""


def write(file: Path, data, body: str) -> None:
    dumped = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)
    file.write_text(f"---\n{dumped}---\n{body}" if file.suffix == ".md" else dumped, encoding="utf-8")


def inputs() -> list[Path]:
    return [*STYLES, BRIEFING / "briefing.yaml", *sorted((BRIEFING / "sections").glob("*.md"))]


@functools.cache
def all_changes() -> tuple[Change, ...]:
    """Every change of every kind that applies, file by file, key by key."""
    out = []
    for file in inputs():
        data, _ = read(file)
        for path in key_paths(data):
            value = _get(data, path)
            out += [Change(str(file.relative_to(ROOT)), path, kind) for kind in KINDS
                    if changed(value, kind) is not None]
    return tuple(out)


def chosen_changes() -> list[Change]:
    """Every change in a long run; else a fixed spread of FIXED_RUN of them over every file and kind."""
    everything = all_changes()
    if LONG_TESTS:
        return list(everything)
    out = []
    # half from the styles, half from the content (the styles have four times as many keys); the offset
    # walks through the kinds, so that the spread does not land on one kind only
    for group in ([c for c in everything if c.file.startswith("styles/")],
                  [c for c in everything if not c.file.startswith("styles/")]):
        n = FIXED_RUN // 2
        step = len(group) / n
        out += [group[min(int(i * step) + i % len(KINDS), len(group) - 1)] for i in range(n)]
    return out


def set_up(change: Change | None, tmp: Path) -> tuple[Path, Path]:
    """A copy of the default briefing and of the shipped styles, with ``change`` made; (briefing, style)."""
    briefing = tmp / "us-mexico"
    shutil.copytree(BRIEFING, briefing)
    styles = tmp / "styles"
    styles.mkdir()
    for style in STYLES:
        shutil.copy(style, styles / style.name)
    target_style = styles / "formal.yaml"
    if change is not None:
        source = ROOT / change.file
        data, body = read(source)
        if source.parent == ROOT / "styles":
            target = target_style = styles / source.name
        else:
            target = briefing / source.relative_to(BRIEFING)
        write(target, apply(data, change), body)
    return briefing, target_style


def clean_errors(output: str) -> list[str]:
    lines = output.strip().splitlines()
    assert "Traceback" not in output, output
    assert lines and all(line.startswith(("error: ", "note: ")) for line in lines), output
    assert not any("internal error" in line for line in lines), output
    return lines


def check_then_build(change: Change | None, tmp: Path) -> bool:
    """Run check on the changed inputs, and build if check accepted them; whether check accepted."""
    briefing, style = set_up(change, tmp)
    runner = CliRunner()
    checked = runner.invoke(app, ["check", str(briefing), "--style", str(style)])
    if checked.exit_code != 0:
        assert checked.exit_code == 1, checked.output
        clean_errors(checked.output)
        return False
    assert "Traceback" not in checked.output and "internal error" not in checked.output
    out = tmp / "out"
    built = runner.invoke(app, ["build", str(briefing), "--style", str(style), "--output", str(out), "--quiet",
                                "--no-cache"])
    assert built.exit_code == 0, f"check accepted {change} but build failed:\n{built.output}"
    assert sorted(p.suffix for p in out.iterdir()) == [".pdf", ".pptx"]
    return True


def test_the_unchanged_inputs_survive_the_round_trip(tmp_path):
    """Reading and writing the inputs as plain YAML changes nothing check or build care about."""
    assert check_then_build(None, tmp_path)


def test_every_kind_of_change_is_in_the_fixed_run():
    chosen = chosen_changes()
    assert {c.kind for c in chosen} == set(KINDS)
    assert {c.file.split("/")[0] for c in chosen} == {"styles", "content"}


@pytest.mark.parametrize("change", chosen_changes(), ids=str)
def test_what_check_accepts_build_builds(change, tmp_path):
    check_then_build(change, tmp_path)
