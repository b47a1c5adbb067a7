"""Very large input renders or fails cleanly, and never hangs.

Each case runs the CLI in its own process under a generous time limit: the limit
guards against hangs; speed itself is measured by benchmarks/run.py, not here.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

HANG_GUARD = 240  # seconds; every case takes a fraction of this on a 2-core machine
# a bare environment, but the tests' own cache folder (conftest.py): never the user's ~/.cache/briefgen
_ENV = {"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin",
        "BRIEFGEN_CACHE_DIR": os.environ["BRIEFGEN_CACHE_DIR"]}


def _briefing(root: Path, sections: dict[str, str], meta_extra: str = "") -> Path:
    (root / "sections").mkdir(parents=True)
    ids = ", ".join(sections)
    (root / "briefing.yaml").write_text(f"title: Size test\nsections: [{ids}]\n{meta_extra}", encoding="utf-8")
    for sid, text in sections.items():
        (root / "sections" / f"{sid}.md").write_text(text, encoding="utf-8")
    return root


def _prose(words: int) -> str:
    sentence = "The border region represents a combined population of many people. "
    n = words // len(sentence.split())
    paras = [sentence * 20 for _ in range(n // 20)]
    return "\n\n".join(paras)


CASES = {
    "50,000-word section": lambda: {"a": "---\ntitle: Long\nkey_points: [One, Two]\n---\n" + _prose(50_000)},
    "2,000 sections": lambda: {f"s{i}": f"---\ntitle: Section {i}\nkey_points: [Point {i}]\n---\nText {i}.\n"
                               for i in range(2000)},
    "10,000-item list": lambda: {"a": "---\ntitle: List\n---\n" + "\n".join(f"- item {i}" for i in range(10_000))},
    "table cell taller than a page": lambda: {"a": "---\ntitle: Tall\n---\n| a | b |\n| - | - |\n| "
                                              + "tall cell text " * 3000 + " | x |\n"},
    "80 long key points": lambda: {"a": "---\ntitle: Points\nkey_points:\n" + "".join(
        f"  - 'Point {i} with a fair number of words in it to fill the line' \n" for i in range(80)) + "---\nB.\n"},
    "one 20,000-character word": lambda: {"a": "---\ntitle: Word\n---\n" + "x" * 20_000 + "\n"},
}


@pytest.mark.parametrize("name", list(CASES))
def test_large_input_renders_without_hanging(name, tmp_path):
    root = _briefing(tmp_path / "big", CASES[name]())
    res = subprocess.run([sys.executable, "-m", "briefgen", "build", str(root), "-o", str(tmp_path / "out"), "-q"],
                         capture_output=True, text=True, timeout=HANG_GUARD, cwd=ROOT,
                         env=_ENV)
    assert res.returncode == 0, res.stderr
    assert (tmp_path / "out" / "big.pdf").stat().st_size > 1000
    assert (tmp_path / "out" / "big.pptx").stat().st_size > 1000


def test_deep_nesting_fails_cleanly(tmp_path):
    nest = "".join("  " * i + f"- level {i}\n" for i in range(60))
    root = _briefing(tmp_path / "deep", {"a": "---\ntitle: Deep\n---\n" + nest + ">" * 100 + " quote\n"})
    res = subprocess.run([sys.executable, "-m", "briefgen", "build", str(root), "-o", str(tmp_path / "out")],
                         capture_output=True, text=True, timeout=HANG_GUARD, cwd=ROOT,
                         env=_ENV)
    assert res.returncode == 1
    assert res.stderr.startswith("error: ") and "nested more than" in res.stderr and "Traceback" not in res.stderr
