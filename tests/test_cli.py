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
                         env=_bare_env(None))
    assert res.returncode == 0 and "build" in res.stdout


def _bare_env(root) -> dict[str, str]:
    """A bare environment for a child process, with the tests' cache folder (conftest.py), never the user's."""
    import os

    return {"PYTHONPATH": str(root / "src") if root else "src", "PATH": "/usr/bin:/bin",
            "BRIEFGEN_CACHE_DIR": os.environ["BRIEFGEN_CACHE_DIR"]}


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
                         env=_bare_env(ROOT))
    assert res.stdout.strip().splitlines()[-1] == "[]"


@pytest.mark.parametrize("fmt, absent", [("pdf", "pptx"), ("pptx", "reportlab")])
def test_a_one_format_build_imports_only_its_renderer(tmp_path, fmt, absent):
    import subprocess
    import sys

    from conftest import ROOT

    code = (f"import sys, briefgen\nbriefgen.build(format='{fmt}', output_dir=r'{tmp_path}')\n"
            f"print('{absent}' in sys.modules)")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                         env=_bare_env(ROOT))
    assert res.stdout.strip() == "False", res.stderr


def test_output_file_names_both_outputs(tmp_path):
    res = invoke("build", "--preset", "trade", "--output-file", str(tmp_path / "meeting" / "mtg.pdf"), "-q")
    assert res.exit_code == 0, res.output
    assert sorted(p.name for p in (tmp_path / "meeting").iterdir()) == ["mtg.pdf", "mtg.pptx"]


# the conventions: --version, -h, shell completion, choices listed and taken in any letter case

def _commands() -> list[list[str]]:
    import typer

    return [[], *([name] for name in typer.main.get_command(app).commands)]


def test_version_prints_the_packages_version():
    import tomllib

    from conftest import ROOT

    version = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    res = invoke("--version")
    assert res.exit_code == 0 and res.output == f"briefgen {version}\n"


@pytest.mark.parametrize("command", _commands(), ids=lambda c: " ".join(c) or "briefgen")
def test_dash_h_is_help_on_every_command(command):
    short, long = invoke(*command, "-h"), invoke(*command, "--help")
    assert short.exit_code == long.exit_code == 0
    assert short.output == long.output and "-h, --help" in short.output and "Usage: " in short.output


def test_version_and_dash_h_in_a_real_process():
    import subprocess
    import sys

    from conftest import ROOT

    env = {"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"}
    version = subprocess.run([sys.executable, "-m", "briefgen", "--version"], capture_output=True, text=True, env=env)
    assert version.returncode == 0 and version.stdout.startswith("briefgen ")
    short = subprocess.run([sys.executable, "-m", "briefgen", "watch", "-h"], capture_output=True, text=True, env=env)
    assert short.returncode == 0 and short.stdout.startswith("Usage: briefgen watch ")


def test_watch_takes_the_build_options_but_those_for_many_briefings():
    import typer

    commands = typer.main.get_command(app).commands
    options = {name: {o for p in commands[name].params for o in p.opts if o.startswith("-")}
               for name in ("build", "watch")}
    assert options["build"] - options["watch"] == {"--all", "--jobs", "-j", "--pick"}
    assert options["watch"] - options["build"] == set()


def test_completion_is_offered_and_completes_choices_and_names():
    import subprocess
    import sys

    from conftest import ROOT

    assert "--install-completion" in invoke("--help").output
    script = runner.invoke(app, ["--show-completion", "bash"], prog_name="briefgen")
    assert script.exit_code == 0 and "_BRIEFGEN_COMPLETE" in script.output

    def complete(words: str) -> list[str]:
        env = {"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin", "_BRIEFGEN_COMPLETE": "complete_bash",
               "COMP_WORDS": words, "COMP_CWORD": str(len(words.split(" ")) - 1)}
        res = subprocess.run([sys.executable, "-m", "briefgen"], capture_output=True, text=True, env=env, cwd=ROOT)
        return res.stdout.split()

    from briefgen.theme import PAGE_SIZES

    assert complete("briefgen build --page-size ") == list(PAGE_SIZES)
    assert complete("briefgen build --format p") == ["pdf", "pptx"]
    assert complete("briefgen watch us") == ["us-mexico"]
    assert "modern" in complete("briefgen build --style m")


def test_help_lists_the_choices_each_option_takes():
    from briefgen.theme import PAGE_SIZES, SLIDE_SIZES

    text = " ".join(invoke("build", "--help").output.split())
    assert f"--page-size [{'|'.join(PAGE_SIZES)}]" in text
    assert f"--slide-size [{'|'.join(SLIDE_SIZES)}]" in text
    assert "--format FORMAT[,FORMAT...]" in text
    assert "[pdf|pptx|slides-pdf|handout|summary|all]" in text.replace("- ", "-")  # help wraps at a hyphen


def test_choices_are_taken_in_any_letter_case(tmp_path):
    from pypdf import PdfReader

    res = invoke("build", "--format", "PDF", "--page-size", "A4", "--preset", "trade", "--output", str(tmp_path), "-q")
    assert res.exit_code == 0, res.output
    pdf = tmp_path / "us-mexico--trade.pdf"
    assert [p.name for p in tmp_path.iterdir()] == [pdf.name]
    box = PdfReader(pdf).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4, not the style's letter


@pytest.mark.parametrize("option, value, message", [
    ("--page-size", "B5", "unknown page size 'B5': use letter, a4 or legal"),
    ("--slide-size", "21:9", "unknown slide size '21:9': use 16:9 or 4:3"),
    ("--format", "docx", "unknown format 'docx': use pdf, pptx, slides-pdf, handout, summary or all, or several joined by commas"),
])
def test_an_unknown_choice_is_a_usage_error_naming_the_choices(tmp_path, option, value, message):
    res = invoke("build", option, value, "--output", str(tmp_path))
    assert res.exit_code == 2 and res.output == f"error: {message}\n"
    assert list(tmp_path.iterdir()) == []


def test_the_choice_names_match_the_sizes_the_theme_knows():
    from briefgen import formats, theme

    assert formats.PAGE_SIZE_NAMES == tuple(theme.PAGE_SIZES)
    assert formats.SLIDE_SIZE_NAMES == tuple(theme.SLIDE_SIZES)
