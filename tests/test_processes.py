"""One process or several, cached or not: the same files and the same errors.

On a multi-core Linux machine a build reads uncached inputs in a forked process
and renders the deck in another; elsewhere (or with BRIEFGEN_NO_FORK=1) it all
happens in one. Whichever way runs, users must see the same thing.
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
WAYS = {
    "one process, read afresh": {"BRIEFGEN_NO_FORK": "1", "BRIEFGEN_NO_CACHE": "1"},
    "forked, read afresh": {"BRIEFGEN_NO_FORK": "", "BRIEFGEN_NO_CACHE": "1"},
    "one process, cached": {"BRIEFGEN_NO_FORK": "1", "BRIEFGEN_NO_CACHE": ""},
    "forked, cached": {"BRIEFGEN_NO_FORK": "", "BRIEFGEN_NO_CACHE": ""},
}


@pytest.fixture
def aged_copy(tmp_path, monkeypatch):
    monkeypatch.setenv("BRIEFGEN_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(api, "_can_fork", lambda: not os.environ.get("BRIEFGEN_NO_FORK"))
    folder = tmp_path / "brief"
    shutil.copytree(ROOT / "content" / "us-mexico", folder)
    then = time.time() - 60
    for p in [folder, *folder.rglob("*")]:
        os.utime(p, (then, then))
    return folder


def test_every_way_of_running_writes_the_same_bytes(aged_copy, tmp_path, monkeypatch):
    outputs = {}
    for i, (way, env) in enumerate(WAYS.items()):
        for k, v in env.items():
            monkeypatch.setenv(k, v)
        result = api.build(aged_copy, output_dir=tmp_path / f"out{i}", sections="economy,border,security")
        outputs[way] = tuple(p.read_bytes() for p in result.files)
    assert len(set(outputs.values())) == 1, [w for w in outputs if outputs[w] != outputs["forked, cached"]]


def test_every_way_of_running_reports_the_same_problems(aged_copy, tmp_path, monkeypatch):
    meta = aged_copy / "briefing.yaml"
    meta.write_text(meta.read_text(encoding="utf-8") + "colour: blue\n", encoding="utf-8")
    style = tmp_path / "bad.yaml"
    style.write_text("extends: formal\npage:\n  margin_top: 2 inches\n", encoding="utf-8")
    seen = {}
    for way, env in WAYS.items():
        for k, v in env.items():
            monkeypatch.setenv(k, v)
        res = CliRunner().invoke(app, ["build", str(aged_copy), "--style", str(style), "-o", str(tmp_path / "o")])
        seen[way] = (res.exit_code, res.output)
    first = next(iter(seen.values()))
    assert first[0] == 1 and "colour" in first[1] and "margin_top" in first[1], first
    assert all(v == first for v in seen.values()), seen
    assert not (tmp_path / "o").exists()
