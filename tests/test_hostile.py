"""Hostile input: each case under tests/hostile/ is one hazard with its expected outcome (expect.yaml).

A case that should fail must exit 1 with one-line errors naming the problem and
write nothing; a case that should pass must put its text, literally, into both
the PDF and the deck.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pypdf
import pytest
import yaml
from pptx import Presentation
from typer.testing import CliRunner

from briefgen.cli import app

CORPUS = Path(__file__).parent / "hostile"
CASES = sorted(p.name for p in CORPUS.iterdir() if (p / "expect.yaml").is_file())


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
    expect = yaml.safe_load((CORPUS / case / "expect.yaml").read_text(encoding="utf-8"))
    out = tmp_path / "out"
    quiet = [] if "note" in expect else ["--quiet"]  # a case may name a note it must print
    res = CliRunner().invoke(app, ["build", str(CORPUS / case), "--output", str(out), *quiet])
    assert "Traceback" not in res.output
    assert res.exit_code == expect["exit"], res.output
    if expect["exit"]:
        lines = res.output.strip().splitlines()
        assert lines and all(line.startswith("error: ") for line in lines), res.output
        assert all("internal error" not in line for line in lines), res.output
        assert any(expect["message"] in line for line in lines), res.output
        assert not out.exists() or not any(out.iterdir())
    else:
        files = {p.suffix: p for p in out.iterdir()}
        assert set(files) == {".pdf", ".pptx"}
        assert _found(expect["contains"], _pdf_text(files[".pdf"])), _pdf_text(files[".pdf"])[:500]
        assert _found(expect["contains"], _deck_text(files[".pptx"]))
        if "note" in expect:
            assert any(line.startswith("note: ") and expect["note"] in line for line in res.output.splitlines()), \
                res.output


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
