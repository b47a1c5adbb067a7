"""Hostile input: each case under tests/hostile/ is one hazard with its expected outcome (expect.yaml).

A case that should fail must exit 1 with one-line errors naming the problem and
write nothing; a case that should pass must put its text, literally, into both
the PDF and the deck. A case marked ``isolated`` (the memory bombs) runs in a
process of its own whose address space is limited, so a regression fails the
test instead of taking the machine's memory, and its peak memory must stay small; ``seconds`` bounds
its time (the cases that once took minutes or never ended: they are killed at the bound and fail).
"""

from __future__ import annotations

import os
import re
import resource
import subprocess
import sys
import threading
from pathlib import Path

import pypdf
import pytest
import yaml
from pptx import Presentation
from typer.testing import CliRunner

from briefgen.cli import app

CORPUS = Path(__file__).parent / "hostile"
CASES = sorted(p.name for p in CORPUS.iterdir() if (p / "expect.yaml").is_file())
ROOT = Path(__file__).resolve().parents[1]
ADDRESS_SPACE = 1536 << 20  # an isolated case's whole process, libraries included
# what an isolated case may use at most: a build's own needs (its forked processes included, which is
# close to 256 MiB at times), far below what the bombs took before they were bounded (2.9 to 8.6 GiB)
PEAK_RSS = 512 << 20


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))


def _build_isolated(args: list[str], out: Path, seconds: float = 120) -> tuple[int, str, int]:
    """Exit status, output and peak resident memory (bytes) of ``briefgen ARGS`` in its own process, killed
    after ``seconds``."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.Popen([sys.executable, "-m", "briefgen", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, env=env, cwd=ROOT, preexec_fn=_limit_memory)
    guard = threading.Timer(seconds, proc.kill)
    guard.start()
    try:
        output = proc.stdout.read()
        _, status, usage = os.wait4(proc.pid, 0)  # the usage includes the processes the build forked and reaped
    finally:
        guard.cancel()
        proc.stdout.close()
    proc.returncode = os.waitstatus_to_exitcode(status)
    return proc.returncode, output, usage.ru_maxrss * 1024


def _pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(path).pages)


def _deck_text(path: Path) -> str:
    prs = Presentation(path)
    parts = [sh.text_frame.text for s in prs.slides for sh in s.shapes if sh.has_text_frame]
    parts += [s.notes_slide.notes_text_frame.text for s in prs.slides if s.has_notes_slide]
    return "\n".join(parts)


def _found(needle: str, text: str) -> bool:
    squashed = re.sub(r"\s+", " ", text)
    return needle in squashed or needle in text.replace("\n", "")


def test_the_corpus_is_there():
    assert len(CASES) >= 40


@pytest.mark.parametrize("case", CASES)
def test_hostile_case(case, tmp_path):
    """One case: ``expect.yaml`` holds ``exit``, then ``message`` (one text or a list: each must be on an
    error line) or ``contains`` (text both outputs hold); optionally ``note`` (a note line the build
    prints), ``style`` (a style file of the case's), ``args`` (more command-line arguments), ``isolated``
    (a process of its own, limited in memory) and ``seconds`` (its time limit)."""
    folder = CORPUS / case
    expect = yaml.safe_load((folder / "expect.yaml").read_text(encoding="utf-8"))
    out = tmp_path / "out"
    args = ["build", str(folder), "--output", str(out)] + ([] if "note" in expect else ["--quiet"])
    if "style" in expect:
        args += ["--style", str(folder / expect["style"])]
    args += [a.replace("{out}", str(out)) for a in expect.get("args", [])]
    if expect.get("isolated"):
        exit_code, output, peak = _build_isolated(args, out, expect.get("seconds", 120))
        assert peak < PEAK_RSS, f"peak memory {peak >> 20} MiB"
    else:
        res = CliRunner().invoke(app, args)
        exit_code, output = res.exit_code, res.output
    assert "Traceback" not in output
    assert exit_code == expect["exit"], output
    if expect["exit"]:
        lines = output.strip().splitlines()
        assert lines and all(line.startswith("error: ") for line in lines), output
        assert all("internal error" not in line for line in lines), output
        messages = expect["message"] if isinstance(expect["message"], list) else [expect["message"]]
        for message in messages:
            assert any(message in line and expect.get("where", "") in line for line in lines), (message, output)
        assert not out.exists() or not any(out.iterdir())
    else:
        files = {p.suffix: p for p in out.iterdir()}
        assert set(files) == {".pdf", ".pptx"}
        assert _found(expect["contains"], _pdf_text(files[".pdf"])), _pdf_text(files[".pdf"])[:500]
        assert _found(expect["contains"], _deck_text(files[".pptx"]))
        if "note" in expect:
            assert any(line.startswith("note: ") and expect["note"] in line
                       for line in output.splitlines()), output


def _one_section(root: Path, body: str) -> Path:
    (root / "sections").mkdir(parents=True)
    (root / "briefing.yaml").write_text("title: T\nsections: [a]\n")
    (root / "sections" / "a.md").write_text(f"---\ntitle: A\n---\n{body}\n")
    return root


def test_an_image_symlink_that_leads_outside_is_refused(tmp_path):
    outside = tmp_path / "outside.png"
    from PIL import Image

    Image.new("RGB", (10, 10)).save(outside)
    root = _one_section(tmp_path / "b", "![x](inside.png)")
    os.symlink(outside, root / "sections" / "inside.png")
    res = CliRunner().invoke(app, ["build", str(root), "--output", str(tmp_path / "out")])
    assert res.exit_code == 1 and "leads outside" in res.output


def test_a_decompression_bomb_is_refused_before_decoding(tmp_path):
    from PIL import Image

    root = _one_section(tmp_path / "b", "![x](bomb.png)")
    Image.new("1", (9000, 9000)).save(root / "sections" / "bomb.png")  # 81 Mpx in a few kB
    assert (root / "sections" / "bomb.png").stat().st_size < 100_000
    res = CliRunner().invoke(app, ["build", str(root), "--output", str(tmp_path / "out")])
    assert res.exit_code == 1 and "pixels" in res.output


def test_a_failed_write_leaves_earlier_outputs_and_no_temporary_files(tmp_path):
    root = _one_section(tmp_path / "b", "Body.")
    out = tmp_path / "out"
    assert CliRunner().invoke(app, ["build", str(root), "--output", str(out), "-q"]).exit_code == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    (out / "b.pptx").unlink()
    (out / "b.pptx").mkdir()  # the deck cannot be written over a folder
    (out / "b.pptx" / "keep").write_text("x")
    res = CliRunner().invoke(app, ["build", str(root), "--output", str(out)])
    assert res.exit_code == 1 and res.output.startswith("error: ")
    assert (out / "b.pdf").read_bytes() == before["b.pdf"]
    assert sorted(p.name for p in out.iterdir()) == ["b.pdf", "b.pptx"]


def test_file_names_from_preset_names_stay_inside_the_output_folder(tmp_path):
    root = tmp_path / "b"
    _one_section(root, "Body.")
    (root / "sections" / "c.md").write_text("---\ntitle: C\n---\nMore.\n")
    (root / "briefing.yaml").write_text("title: T\nsections: [a, c]\npresets:\n  '../../evil name': [a]\n")
    out = tmp_path / "out"
    res = CliRunner().invoke(app, ["build", str(root), "--preset", "../../evil name", "--output", str(out), "-q"])
    assert res.exit_code == 0, res.output
    assert sorted(p.name for p in out.iterdir()) == ["b--evil-name.pdf", "b--evil-name.pptx"]
