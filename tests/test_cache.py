"""The cache of read inputs: used only when nothing that went into it changed, never a cause of failure."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefgen import api, cache
from briefgen.load import briefing as content, fonts
from briefgen.cli import app
from briefgen.load.locate import FONT_DIR

ROOT = Path(__file__).resolve().parents[1]


def _age(folder: Path, seconds: float = 60) -> None:
    """Make every file look written a while ago, as content is when a build runs (see cache.RACY_NS)."""
    then = time.time() - seconds
    for p in [folder, *folder.rglob("*")]:
        os.utime(p, (then, then))


@pytest.fixture
def setup(tmp_path, monkeypatch):
    """A copy of the default briefing, an empty cache and a working folder of its own."""
    monkeypatch.setenv("BRIEFGEN_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("BRIEFGEN_NO_CACHE", raising=False)
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    briefing = tmp_path / "brief"
    shutil.copytree(ROOT / "content" / "us-mexico", briefing)
    _age(briefing)
    return briefing


def _no_reading(monkeypatch):
    """From here on, reading content or styles fails the test: only the cache can answer."""
    def refuse(*args, **kwargs):
        raise AssertionError("inputs were read although the cache should have answered")

    monkeypatch.setattr(content, "load_briefing", refuse)
    from briefgen.load import style as theme
    monkeypatch.setattr(theme, "load_theme", refuse)


def _entries(kind: str = "inputs") -> list[Path]:
    return sorted((Path(os.environ["BRIEFGEN_CACHE_DIR"]) / kind).glob("*" + cache.SUFFIX))


def test_a_second_build_comes_from_the_cache_with_identical_bytes(setup, tmp_path, monkeypatch):
    first = api.build(setup, output_dir=tmp_path / "a")
    assert len(_entries()) == 1
    with monkeypatch.context() as m:
        _no_reading(m)
        second = api.build(setup, output_dir=tmp_path / "b", sections="economy,border")
        again = api.build(setup, output_dir=tmp_path / "c")
    assert [len(s.sections) for s in (first.briefing, second.briefing, again.briefing)] == [8, 2, 8]
    monkeypatch.setenv("BRIEFGEN_NO_CACHE", "1")
    fresh = api.build(setup, output_dir=tmp_path / "d")
    for a, b in zip(again.files, fresh.files, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name


def test_an_edit_is_seen_even_with_the_same_size_and_time(setup, tmp_path):
    api.build(setup, format="pdf", output_dir=tmp_path / "a")
    assert _entries()
    section = setup / "sections" / "border.md"
    stat = section.stat()
    text = section.read_text(encoding="utf-8")
    assert "Mexico" in text
    section.write_text(text.replace("Mexico", "MEXICO", 1), encoding="utf-8")
    os.utime(section, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert section.stat().st_size == stat.st_size
    result = api.build(setup, format="pdf", output_dir=tmp_path / "b")
    border = next(s for s in result.briefing.sections if s.id == "border")
    assert "MEXICO" in str(border)


def test_a_new_style_that_would_now_be_found_first_is_used(setup, tmp_path):
    before = api.build(setup, format="pdf", output_dir=tmp_path / "a")
    assert before.theme.name == "formal"
    styles = Path("styles")
    styles.mkdir()
    (styles / "formal.yaml").write_text("extends: print\nname: local formal\n", encoding="utf-8")
    after = api.build(setup, format="pdf", output_dir=tmp_path / "b")
    assert after.theme.name == "local formal"


def test_a_change_to_a_parent_style_is_seen(setup, tmp_path):
    folder = tmp_path / "mystyles"
    folder.mkdir()
    (folder / "child.yaml").write_text("extends: parent.yaml\nname: child\n", encoding="utf-8")
    parent = folder / "parent.yaml"
    parent.write_text("extends: formal\ndescription: first\n", encoding="utf-8")
    _age(folder)
    assert api.build(setup, format="pdf", style=folder / "child.yaml",
                     output_dir=tmp_path / "a").theme.description == "first"
    assert _entries()
    parent.write_text("extends: formal\ndescription: second\n", encoding="utf-8")
    assert api.build(setup, format="pdf", style=folder / "child.yaml",
                     output_dir=tmp_path / "b").theme.description == "second"


def test_content_broken_after_a_cached_build_is_reported(setup, tmp_path):
    api.build(setup, format="pdf", output_dir=tmp_path / "a")
    meta = setup / "briefing.yaml"
    meta.write_text(meta.read_text(encoding="utf-8") + "colour: blue\n", encoding="utf-8")
    with pytest.raises(content.ContentError, match="colour"):
        api.build(setup, format="pdf", output_dir=tmp_path / "b")


def test_a_new_file_in_the_briefing_counts_as_a_change(setup, tmp_path, monkeypatch):
    api.build(setup, format="pdf", output_dir=tmp_path / "a")
    (setup / "notes.txt").write_text("an unrelated file", encoding="utf-8")
    calls = []
    real = content.load_briefing
    monkeypatch.setattr(content, "load_briefing", lambda *a, **k: calls.append(1) or real(*a, **k))
    api.build(setup, format="pdf", output_dir=tmp_path / "b")
    assert calls == [1]


def test_inputs_written_moments_ago_are_not_stored(setup, tmp_path):
    (setup / "sections" / "border.md").touch()
    api.build(setup, format="pdf", output_dir=tmp_path / "a")
    assert _entries() == []


def test_damaged_entries_are_read_around_and_replaced(setup, tmp_path):
    api.build(setup, output_dir=tmp_path / "a")
    damaged = _entries() + _entries("fonts")
    assert damaged
    for entry in damaged:
        entry.write_bytes(b"not an entry")
    result = api.build(setup, output_dir=tmp_path / "b")
    assert len(result.files) == 2
    assert all(e.read_bytes() != b"not an entry" for e in _entries())


def test_a_cache_folder_that_cannot_be_written_costs_nothing_but_time(setup, tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("BRIEFGEN_CACHE_DIR", str(blocker / "cache"))
    result = api.build(setup, output_dir=tmp_path / "out")
    assert len(result.files) == 2


def test_no_cache_reads_and_keeps_nothing(setup, tmp_path, monkeypatch):
    monkeypatch.setenv("BRIEFGEN_NO_CACHE", "")  # so that what --no-cache sets is undone after the test
    res = CliRunner().invoke(app, ["build", str(setup), "-f", "pdf", "-q", "--no-cache", "-o", str(tmp_path / "o")])
    assert res.exit_code == 0, res.output
    assert not Path(os.environ["BRIEFGEN_CACHE_DIR"]).exists()
    assert cache.directory() is not None  # an option of one build, not a setting left behind


def test_cached_font_metrics_equal_the_font_file(setup):
    path = FONT_DIR / "Carlito-Regular.ttf"
    fonts.forget_metrics()
    first = fonts.metrics(path)  # read with fontTools, then stored
    assert _entries("fonts")
    fonts.forget_metrics()
    kept = fonts.metrics(path)
    fresh = fonts._read_metrics(path)
    for m in (first, kept):
        assert (m.widths, m.default_width, m.ascent, m.descent) == (
            fresh.widths, fresh.default_width, fresh.ascent, fresh.descent)


def test_a_cached_build_imports_no_reading_library(setup, tmp_path):
    """What makes a cached build fast: YAML, Markdown, templates and the schemas are never imported."""
    import subprocess
    import sys

    code = ("import sys; from briefgen import api; api.build(sys.argv[1], output_dir=sys.argv[2]); "
            "print(sorted(m for m in ('yaml', 'markdown_it', 'jinja2', 'fontTools', 'briefgen.load.briefing', "
            "'briefgen.load.style') if m in sys.modules))")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}  # the library builds in one process: it sees all
    runs = [subprocess.run([sys.executable, "-c", code, str(setup), str(tmp_path / "out")], env=env,
                           capture_output=True, text=True, check=True).stdout.strip() for _ in range(2)]
    assert "yaml" in runs[0] and "briefgen.load.briefing" in runs[0]
    assert runs[1] == "[]"


def test_builds_running_at_once_share_one_cache(setup, tmp_path):
    """Two processes filling the same entry at the same moment: both finish, and agree."""
    import subprocess
    import sys

    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    procs = [subprocess.Popen([sys.executable, "-m", "briefgen", "build", str(setup), "-q", "-o",
                               str(tmp_path / f"out{i}")], env=env, stderr=subprocess.PIPE) for i in range(3)]
    for p in procs:
        _, err = p.communicate(timeout=120)
        assert p.returncode == 0, err.decode()
    assert len(_entries()) == 1
    for ext in ("pdf", "pptx"):
        blobs = {(tmp_path / f"out{i}" / f"brief.{ext}").read_bytes() for i in range(3)}
        assert len(blobs) == 1, ext


def test_a_reader_process_that_dies_is_an_error_not_a_hang(setup, tmp_path, monkeypatch):
    monkeypatch.setattr(api, "can_fork", lambda: True)
    monkeypatch.setattr(api, "read_fresh", lambda *a: os._exit(3))  # runs only in the forked reader
    with pytest.raises(RuntimeError, match="ended unexpectedly"):
        api.build(setup, output_dir=tmp_path / "out", processes=True, cache=False)
    assert not (tmp_path / "out").exists()


def test_old_entries_are_dropped_by_count_and_size(tmp_path, monkeypatch):
    monkeypatch.setenv("BRIEFGEN_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(cache, "MAX_ENTRIES", 3)
    def store(key, value, age):
        cache.store("test", key, value, str)
        then = time.time() - age  # entries written in one clock tick would otherwise tie
        os.utime(cache._entry("test", key), (then, then))

    for i in range(5):
        store(i, "x" * 10, 100 - i)
    assert sorted(cache.load("test", i, str) for i in range(5) if cache.load("test", i, str)) == ["x" * 10] * 3
    assert cache.load("test", 4, str) == "x" * 10  # the newest stay
    monkeypatch.setattr(cache, "MAX_BYTES", 1000)
    store("big", "y" * 5000, 0)
    assert cache.load("test", "big", str) == "y" * 5000  # the newest is kept whatever its size
    assert cache.load("test", 4, str) is None


def test_a_pipe_in_the_briefing_folder_is_not_opened(setup, tmp_path):
    """A named pipe nobody writes to would block a reader forever: the fingerprint only notes it."""
    os.mkfifo(setup / "a-pipe")
    result = api.build(setup, format="pdf", output_dir=tmp_path / "out")
    assert result.files
    assert cache.fingerprint(setup) == cache.fingerprint(setup)


def test_only_the_briefing_folder_is_walked(setup, tmp_path):
    """A style kept in a big folder (a home directory) must not make every build read that folder."""
    big = tmp_path / "home"
    (big / "photos").mkdir(parents=True)
    for i in range(50):
        (big / "photos" / f"{i}.jpg").write_bytes(b"x" * 1000)
    (big / "mine.yaml").write_text("extends: formal\nname: mine\n", encoding="utf-8")
    theme = api.read_inputs(setup, big / "mine.yaml", None)[1]
    from briefgen import inputs as input_stage

    inputs = input_stage._inputs_of(setup.resolve(), theme)
    assert [p for p, mode in inputs if mode == "tree"] == [setup.resolve()]
    assert (big.resolve(), "names") in inputs and (big.resolve() / "mine.yaml", "file") in inputs
