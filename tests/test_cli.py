"""The command line, end to end through typer's CliRunner."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from briefgen.cli import app

runner = CliRunner()


def invoke(*args):
    return runner.invoke(app, list(args))


def test_build_writes_both_files(tmp_path):
    res = invoke("build", "--output", str(tmp_path), "--quiet")
    assert res.exit_code == 0, res.output
    assert (tmp_path / "us-mexico.pdf").stat().st_size > 10_000
    assert (tmp_path / "us-mexico.pptx").stat().st_size > 10_000


def test_build_one_format_with_a_preset(tmp_path):
    res = invoke("build", "--format", "pdf", "--preset", "trade", "--output", str(tmp_path))
    assert res.exit_code == 0, res.output
    assert [p.name for p in tmp_path.iterdir()] == ["us-mexico--trade.pdf"]
    assert "wrote" in res.output


def test_sections_lists_every_section_and_the_presets():
    res = invoke("sections")
    assert res.exit_code == 0, res.output
    for sid in ["overview", "economy", "border", "education", "security", "organizations", "representation",
                "further-information"]:
        assert sid in res.output
    assert "PRESETS" in res.output and "trade" in res.output


def test_the_slides_column_counts_the_slides_the_deck_gives_each_section(tmp_path):
    from pptx import Presentation

    res = invoke("sections")
    rows = [line.split() for line in res.output.splitlines()[3:] if line and line.split()[0] != "PRESETS"]
    counts = {row[0]: int(row[-1]) for row in rows if row[-1].isdigit() and len(row) > 4}
    res = invoke("build", "--format", "pptx", "--output", str(tmp_path), "--quiet")
    deck = Presentation(tmp_path / "us-mexico.pptx")
    titles = [next(sh.text_frame.text for sh in s.shapes if sh.name in ("Title", "Cover")) for s in deck.slides]
    assert len(counts) == 8 and sum(counts.values()) == len(titles) - 3  # title, agenda and sources slides
    assert counts["economy"] == sum(t.startswith("Bilateral Economic Issues") or t.startswith("Stock of foreign")
                                    for t in titles)


def test_styles_lists_the_shipped_styles_with_descriptions():
    res = invoke("styles")
    assert res.exit_code == 0
    lines = res.output.strip().splitlines()
    assert {line.split()[0] for line in lines} >= {"formal", "modern", "print"}
    assert all(len(line.split(None, 1)[1]) > 20 for line in lines)


def test_check_passes_on_the_default_briefing():
    res = invoke("check")
    assert res.exit_code == 0 and res.output.startswith("ok: us-mexico")


def test_an_unknown_section_exits_1_naming_it_and_writes_nothing(tmp_path):
    res = invoke("build", "--sections", "nosuch", "--output", str(tmp_path))
    assert res.exit_code == 1
    assert "nosuch" in res.output
    assert "Traceback" not in res.output
    assert list(tmp_path.iterdir()) == []


def test_sections_with_preset_is_a_usage_error(tmp_path):
    res = invoke("build", "--sections", "economy", "--preset", "trade", "--output", str(tmp_path))
    assert res.exit_code == 2
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("meta, section, expected", [
    ("title: x\nsections: [a]\n", "---\nkey_points: [k]\n---\nBody.\n", "a.md:2:1: title: required key 'title' is missing"),
    ("title: x\nsections: [a\n", "---\ntitle: A\n---\n", "briefing.yaml:3:1: YAML syntax error"),
    ("title: x\nsections: [a]\n", "---\ntitle: [A\n---\n", "a.md:3:1: YAML syntax error"),
])
def test_bad_content_exits_1_with_one_line_naming_file_line_and_field(make_briefing, tmp_path, meta, section,
                                                                        expected):
    root = make_briefing(meta, {"a": section})
    out = tmp_path / "out"
    res = invoke("build", str(root), "--output", str(out))
    assert res.exit_code == 1
    lines = res.output.strip().splitlines()
    assert len(lines) == 1, res.output
    assert lines[0].startswith("error: ") and expected in lines[0], lines[0]
    assert not out.exists()


def test_a_failed_build_leaves_the_previous_output_untouched(make_briefing, tmp_path):
    root = make_briefing("title: x\nsections: [a]\n", {"a": "---\ntitle: A\n---\nBody.\n"})
    out = tmp_path / "out"
    assert invoke("build", str(root), "--output", str(out), "-q").exit_code == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    (root / "sections" / "a.md").write_text("---\ntitle: A\nfacts: [1]\n---\n")
    assert invoke("build", str(root), "--output", str(out)).exit_code == 1
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_pick_without_a_terminal_is_a_usage_error_with_a_hint(tmp_path):
    res = invoke("build", "--pick", "--output", str(tmp_path))
    assert res.exit_code == 2
    assert "--sections" in res.output


def test_python_dash_m_runs_the_cli():
    import subprocess
    import sys

    res = subprocess.run([sys.executable, "-m", "briefgen", "--help"], capture_output=True, text=True,
                         env={"PYTHONPATH": "src", "PATH": "/usr/bin:/bin"})
    assert res.returncode == 0 and "build" in res.stdout


def _content_with(tmp_path, names, broken=()):
    from conftest import write_briefing

    content = tmp_path / "content"
    for name in names:
        write_briefing(content / name, f"title: {name}\nsections: [a]\n", {"a": "---\ntitle: A\n---\nBody.\n"})
    for name in broken:
        write_briefing(content / name, "title: x\nsections: [a]\n", {"a": "---\ntitl: A\n---\n"})
    return content


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_build_all_builds_every_briefing_and_reports_the_broken_one(tmp_path, jobs):
    content = _content_with(tmp_path, ["one", "two", "three"], broken=["bad"])
    out = tmp_path / "out"
    res = invoke("build", "--all", "--jobs", jobs, "--content-dir", str(content), "--output", str(out), "-q")
    assert res.exit_code == 1
    assert sorted(p.name for p in out.iterdir()) == sorted(
        f"{n}.{ext}" for n in ("one", "two", "three") for ext in ("pdf", "pptx"))
    assert "bad/sections/a.md" in res.output and "unknown key 'titl'" in res.output


def test_parallel_and_serial_batches_write_identical_files(tmp_path):
    content = _content_with(tmp_path, ["one", "two"])
    for jobs in ("1", "2"):
        assert invoke("build", "one", "two", "-j", jobs, "--content-dir", str(content), "-o",
                      str(tmp_path / jobs), "-q").exit_code == 0
    for name in ("one.pdf", "one.pptx", "two.pdf", "two.pptx"):
        assert (tmp_path / "1" / name).read_bytes() == (tmp_path / "2" / name).read_bytes()


def test_all_with_names_is_a_usage_error(tmp_path):
    assert invoke("build", "--all", "us-mexico", "-o", str(tmp_path)).exit_code == 2


def test_help_sections_and_check_import_neither_renderer():
    import subprocess
    import sys

    from conftest import ROOT

    code = ("import sys\nfrom briefgen.cli import app\nfor args in (['--help'], ['sections'], ['check']):\n"
            "    try:\n        app(args)\n    except SystemExit:\n        pass\n"
            "print(sorted(m for m in ('reportlab', 'pptx') if m in sys.modules))")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                         env={"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"})
    assert res.stdout.strip().splitlines()[-1] == "[]"


@pytest.mark.parametrize("fmt, absent", [("pdf", "pptx"), ("pptx", "reportlab")])
def test_a_one_format_build_imports_only_its_renderer(tmp_path, fmt, absent):
    import subprocess
    import sys

    from conftest import ROOT

    code = (f"import sys, briefgen\nbriefgen.build(format='{fmt}', output_dir=r'{tmp_path}')\n"
            f"print('{absent}' in sys.modules)")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                         env={"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"})
    assert res.stdout.strip() == "False", res.stderr


def test_output_file_names_both_outputs(tmp_path):
    res = invoke("build", "--preset", "trade", "--output-file", str(tmp_path / "meeting" / "mtg.pdf"), "-q")
    assert res.exit_code == 0, res.output
    assert sorted(p.name for p in (tmp_path / "meeting").iterdir()) == ["mtg.pdf", "mtg.pptx"]
