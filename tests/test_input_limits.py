"""What briefgen reads: only files inside the briefing's folder, never more bytes than a limit (checked
before reading), fonts it can embed, text it can draw the right way round, and every problem of a run
together. Cases that fit in a folder are in tests/hostile/; these need a file made on the spot."""

from __future__ import annotations

import os
import struct
import sys
import unicodedata
from pathlib import Path

import pytest
from typer.testing import CliRunner

import briefgen
from briefgen.cli import app
from briefgen.errors import ContentError, StyleError
from briefgen.load.fonts import MAX_FONT_BYTES, font_file_problem
from briefgen.load.locate import FONT_DIR
from briefgen.load.style import MAX_STYLE_BYTES, load_theme


def _briefing(root: Path, body: str = "Body.", extra: dict[str, str] | None = None) -> Path:
    (root / "sections").mkdir(parents=True)
    (root / "briefing.yaml").write_text("title: T\nsections: [a]\n")
    (root / "sections" / "a.md").write_text(f"---\ntitle: A\n---\n{body}\n")
    for name, text in (extra or {}).items():
        (root / name).write_text(text)
    return root


def _cli(*args: str):
    return CliRunner().invoke(app, list(args))


# -- confined reads ------------------------------------------------------------------------------
def test_a_symlink_to_a_file_inside_the_folder_is_read(tmp_path):
    root = _briefing(tmp_path / "b")
    (root / "shared.md").write_text("---\ntitle: Shared\n---\nShared words.\n")
    (root / "sections" / "a.md").unlink()
    os.symlink("../shared.md", root / "sections" / "a.md")
    assert briefgen.load_briefing(root).sections[0].title == "Shared"


def test_a_section_that_is_a_symlink_to_a_device_is_refused_unread(tmp_path):
    root = _briefing(tmp_path / "b")
    (root / "sections" / "a.md").unlink()
    os.symlink("/dev/zero", root / "sections" / "a.md")
    with pytest.raises(ContentError, match="leads outside the briefing's folder"):
        briefgen.load_briefing(root)


def test_a_pipe_where_a_section_file_should_be_does_not_hang(tmp_path):
    root = _briefing(tmp_path / "b")
    (root / "sections" / "a.md").unlink()
    os.mkfifo(root / "sections" / "a.md")
    with pytest.raises(ContentError, match="has no file sections/a.md"):
        briefgen.load_briefing(root)


def test_a_style_file_over_the_limit_is_refused_before_reading(tmp_path):
    style = tmp_path / "big.yaml"
    with style.open("w") as fh:
        fh.write("extends: formal\n")
        fh.truncate(MAX_STYLE_BYTES + 1)  # sparse: no memory or disk spent
    with pytest.raises(StyleError, match=f"style file is {MAX_STYLE_BYTES + 1:,} bytes"):
        load_theme(style)


def test_a_font_file_over_the_limit_is_refused_naming_the_key(tmp_path):
    font = tmp_path / "huge.ttf"
    with font.open("wb") as fh:
        fh.write((FONT_DIR / "Carlito-Regular.ttf").read_bytes()[:4096])
        fh.truncate(MAX_FONT_BYTES + 1)
    (tmp_path / "s.yaml").write_text("extends: formal\nfonts:\n  body: {family: Calibri, regular: huge.ttf}\n")
    with pytest.raises(StyleError) as err:
        load_theme(tmp_path / "s.yaml")
    assert [p.field for p in err.value.problems] == ["fonts.body.regular"]
    assert "the limit for a font file" in str(err.value)


def test_every_shipped_font_passes_the_font_check():
    fonts = sorted(FONT_DIR.glob("*.ttf"))
    assert fonts and all(font_file_problem(f) is None for f in fonts)


def test_a_font_whose_table_runs_past_its_end_is_refused(tmp_path):
    data = bytearray((FONT_DIR / "Carlito-Regular.ttf").read_bytes())
    count = struct.unpack(">H", data[4:6])[0]
    last = 12 + 16 * (count - 1)
    struct.pack_into(">L", data, last + 12, len(data))  # the last table's length: as long as the whole file
    (tmp_path / "bad.ttf").write_bytes(bytes(data))
    assert "ends past the end of the file" in font_file_problem(tmp_path / "bad.ttf")


# -- styles that used to break listing or loading ---------------------------------------------------
def test_briefgen_styles_lists_a_broken_style_as_broken(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "styles").mkdir()
    (tmp_path / "styles" / "listy.yaml").write_text("extends: [formal]\n")
    res = _cli("styles")
    assert res.exit_code == 0, res.output
    assert "listy" in res.output and "(broken: " in res.output and "'extends' takes one style" in res.output


# -- right-to-left text ---------------------------------------------------------------------------
def test_every_right_to_left_code_point_is_caught():
    from briefgen.load.scripts import _RTL_CLASSES, first_right_to_left

    rtl = [chr(cp) for cp in range(sys.maxunicode + 1) if unicodedata.bidirectional(chr(cp)) in _RTL_CLASSES]
    assert len(rtl) > 1000
    assert all(first_right_to_left(f"a{ch}b") == ch for ch in rtl)


@pytest.mark.parametrize("text", ["Mexico", "Ελλάδα", "Россия", "Tiếng Việt", "١٢٣ digits", "a\u200eb"])
def test_left_to_right_text_is_not_refused(text):
    from briefgen.load.scripts import right_to_left_problem

    assert right_to_left_problem(text) is None


def test_right_to_left_from_a_template_value_is_refused_too(tmp_path):
    root = _briefing(tmp_path / "b", body="Capital: {{ capital }}")
    (root / "briefing.yaml").write_text("title: T\nsections: [a]\nvars: {capital: \"\u05d9\u05e8\u05d5\u05e9\u05dc\u05d9\u05dd\"}\n")
    with pytest.raises(ContentError, match=r"body: right-to-left text \(Hebrew"):
        briefgen.load_briefing(root)


# -- notes -----------------------------------------------------------------------------------------
def test_a_section_file_not_listed_is_a_note_for_library_callers_and_check(tmp_path):
    root = _briefing(tmp_path / "b", extra={"sections/extra.md": "---\ntitle: X\n---\nX.\n"})
    notes: list[str] = []
    result = briefgen.build(root, format="pdf", output_dir=tmp_path / "out", on_note=notes.append)
    assert any("extra.md: not listed under 'sections:'" in n for n in notes), notes
    assert result.notes == notes
    res = _cli("check", str(root))
    assert res.exit_code == 0 and "note: " in res.output and "extra.md: not listed" in res.output


def test_a_listed_briefing_has_no_notes():
    assert briefgen.load_briefing("us-mexico").notes == ()
