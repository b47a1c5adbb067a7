"""One process or several, cached or not: the same files and the same errors.

Asked to (``processes=True``, as the CLI does), a build on a multi-core Linux
machine reads uncached inputs in a forked process and renders the deck in
another; otherwise it all happens in the caller's process. Whichever way runs,
users must see the same thing.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefgen import api
from briefgen.cli import app

ROOT = Path(__file__).resolve().parents[1]
WAYS = {  # (fork, cache)
    "one process, read afresh": (False, False),
    "forked, read afresh": (True, False),
    "one process, cached": (False, True),
    "forked, cached": (True, True),
}


@pytest.fixture
def aged_copy(tmp_path, monkeypatch):
    monkeypatch.setenv("BRIEFGEN_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(api, "can_fork", lambda: True)  # even on a one-core machine
    folder = tmp_path / "brief"
    shutil.copytree(ROOT / "content" / "us-mexico", folder)
    then = time.time() - 60
    for p in [folder, *folder.rglob("*")]:
        os.utime(p, (then, then))
    return folder


def test_every_way_of_running_writes_the_same_bytes(aged_copy, tmp_path, monkeypatch):
    outputs = {}
    for i, (way, (fork, cache)) in enumerate(WAYS.items()):
        result = api.build(aged_copy, output_dir=tmp_path / f"out{i}", sections="economy,border,security",
                           processes=fork, cache=cache)
        outputs[way] = tuple(p.read_bytes() for p in result.files)
    assert len(set(outputs.values())) == 1, [w for w in outputs if outputs[w] != outputs["forked, cached"]]


def test_every_way_of_running_reports_the_same_problems(aged_copy, tmp_path, monkeypatch):
    meta = aged_copy / "briefing.yaml"
    meta.write_text(meta.read_text(encoding="utf-8") + "colour: blue\n", encoding="utf-8")
    style = tmp_path / "bad.yaml"
    style.write_text("extends: formal\npage:\n  margin_top: 2 inches\n", encoding="utf-8")
    seen = {}
    for way, (fork, cache) in WAYS.items():
        monkeypatch.setattr(api, "can_fork", lambda fork=fork: fork)  # the CLI asks to fork where it can
        res = CliRunner().invoke(app, ["build", str(aged_copy), "--style", str(style), "-o", str(tmp_path / "o"),
                                       *([] if cache else ["--no-cache"])])
        seen[way] = (res.exit_code, res.output)
    first = next(iter(seen.values()))
    assert first[0] == 1 and "colour" in first[1] and "margin_top" in first[1], first
    assert all(v == first for v in seen.values()), seen
    assert not (tmp_path / "o").exists()


def test_the_library_builds_in_the_callers_process_unless_asked(aged_copy, tmp_path, monkeypatch):
    """A server or notebook calling build() must never see a fork it did not ask for."""
    def no_fork():
        raise AssertionError("build() forked without being asked")

    monkeypatch.setattr(os, "fork", no_fork)
    result = api.build(aged_copy, output_dir=tmp_path / "out", cache=False)
    assert [p.suffix for p in result.files] == [".pdf", ".pptx"]


def test_a_crash_in_the_child_keeps_its_traceback_under_debug(aged_copy, tmp_path, monkeypatch):
    def broken(*args):
        raise ValueError("a fault deep in the reader")

    monkeypatch.setattr(api, "read_fresh", broken)  # runs in the forked reader
    res = CliRunner().invoke(app, ["--debug", "build", str(aged_copy), "--no-cache", "-o", str(tmp_path / "o")])
    assert res.exit_code == 1
    assert "in the child process" in res.output and "in broken" in res.output, res.output
    assert "ValueError: a fault deep in the reader" in res.output
