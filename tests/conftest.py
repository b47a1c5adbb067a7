"""Shared fixtures: the repository as working folder, built outputs, and briefings written on the fly."""

from __future__ import annotations

import atexit
import os
import re
import shutil
import subprocess
import tempfile
import textwrap
from pathlib import Path

import pytest
from hypothesis import settings

# Generated-input tests replay the same examples on every run, locally and in CI, so a red run always
# means a change broke something. BRIEFGEN_LONG_TESTS=1 draws new examples, ten times as many, to look
# for new failures (a long run, by choice).
LONG_TESTS = os.environ.get("BRIEFGEN_LONG_TESTS") == "1"
settings.register_profile("fixed", derandomize=True, database=None)
settings.register_profile("long", derandomize=False, database=None)
settings.load_profile("long" if LONG_TESTS else "fixed")


def examples(n: int) -> int:
    """How many generated examples a test runs: ``n``, or ten times as many in a long run."""
    return n * 10 if LONG_TESTS else n

# The tests never read or fill the user's cache; they do run with a cache, so every build exercises it.
_CACHE = tempfile.mkdtemp(prefix="briefgen-test-cache-")
os.environ["BRIEFGEN_CACHE_DIR"] = _CACHE
os.environ.pop("BRIEFGEN_NO_CACHE", None)
atexit.register(shutil.rmtree, _CACHE, ignore_errors=True)

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "content" / "us-mexico" / "source.txt"


@pytest.fixture(autouse=True)
def _in_repo(monkeypatch):
    """Every test runs from the repository root, where content/ and styles/ live."""
    monkeypatch.chdir(ROOT)


def source_sentences(source: Path = SOURCE) -> list[str]:
    """Every sentence of the fact sheet (or of another plain-text document), and every line that is not prose
    (headings, list entries)."""
    text = source.read_text(encoding="utf-8")
    out = []
    for para in (p.strip() for p in text.split("\n\n")):
        if not para:
            continue
        for line in para.split("\n"):
            pieces = re.split(r"(?<=[.!?])\s+(?=[A-Z“\"])", line.strip())
            merged: list[str] = []
            for piece in pieces:
                # "U.S." and "Ave." end in a full stop without ending the sentence
                if merged and merged[-1].endswith(_ABBREVIATIONS):
                    merged[-1] += " " + piece
                else:
                    merged.append(piece)
            out.extend(m for m in merged if m)
    return out


_ABBREVIATIONS = ("U.S.", "Ave.", "tel.", "Dept.", "No.")


def squash(text: str) -> str:
    """Whitespace folded to single spaces, for comparing extracted text with the source."""
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> dict[str, Path]:
    """The default briefing built once, both formats, with the default style."""
    import briefgen

    out = tmp_path_factory.mktemp("built")
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        result = briefgen.build(output_dir=out)
    finally:
        os.chdir(cwd)
    return {p.suffix.lstrip("."): p for p in result.files}


def write_briefing(folder: Path, meta: str, sections: dict[str, str]) -> Path:
    """A briefing folder from YAML text and section texts (front matter and body)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "briefing.yaml").write_text(textwrap.dedent(meta).lstrip(), encoding="utf-8")
    (folder / "sections").mkdir(exist_ok=True)
    for sid, text in sections.items():
        (folder / "sections" / f"{sid}.md").write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return folder


@pytest.fixture
def make_briefing(tmp_path):
    def make(meta: str, sections: dict[str, str], name: str = "sample") -> Path:
        return write_briefing(tmp_path / name, meta, sections)
    return make


def need(tool: str) -> str:
    """The path of a command-line client the test needs; fail (not skip) when it is missing."""
    path = shutil.which(tool)
    if path is None:
        pytest.fail(f"'{tool}' is not installed: run .ci/run or apt-get install it (see README)")
    return path


def run(*args: str, **kw) -> subprocess.CompletedProcess:
    return subprocess.run(list(args), capture_output=True, text=True, timeout=kw.pop("timeout", 180), **kw)


def soffice_to_pdf(deck: Path, outdir: Path) -> Path:
    """The deck converted to PDF by LibreOffice headless, with a private profile folder."""
    soffice = need("soffice")
    profile = outdir / "lo-profile"
    res = run(soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
              "--outdir", str(outdir), str(deck), timeout=300)
    pdf = outdir / (deck.stem + ".pdf")
    assert pdf.exists(), f"LibreOffice did not convert {deck}: {res.stdout} {res.stderr}"
    return pdf
