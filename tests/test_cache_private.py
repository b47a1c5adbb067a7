"""The cache holds data, not code, in folders nobody else can write.

A planted or damaged entry can at worst be a miss: entries are MessagePack
decoded into declared types, never unpickled, and a folder another user owns or
may write to is not used at all.
"""

from __future__ import annotations

import dataclasses
import os
import pickle
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from briefgen import api, cache
from briefgen.load import fonts
from briefgen import inputs as input_stage
from briefgen.inputs import INPUTS as _INPUTS

ROOT = Path(__file__).resolve().parents[1]
HOSTILE = Path(__file__).parent / "hostile"


class _Payload:
    """A pickle that creates ``marker`` when it is loaded: what an attacker would plant."""

    def __init__(self, marker: Path):
        self.marker = str(marker)

    def __reduce__(self):
        return (open, (self.marker, "w"))


def _age(folder: Path, seconds: float = 60) -> None:
    import time

    then = time.time() - seconds
    for p in [folder, *folder.rglob("*")]:
        os.utime(p, (then, then))


@pytest.fixture
def briefing(tmp_path, monkeypatch):
    """A copy of the default briefing, old enough to be cached, and an empty cache folder of the test's own."""
    monkeypatch.setenv("BRIEFGEN_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("BRIEFGEN_NO_CACHE", raising=False)
    folder = tmp_path / "brief"
    shutil.copytree(ROOT / "content" / "us-mexico", folder)
    _age(folder)
    return folder


def _build(folder: Path, out: Path, *extra: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.run([sys.executable, "-m", "briefgen", "build", str(folder), "-q", "-o", str(out), *extra],
                          env=env, cwd=ROOT, capture_output=True, text=True, timeout=300)


def _entries() -> list[Path]:
    return sorted(p for p in Path(os.environ["BRIEFGEN_CACHE_DIR"]).rglob("*") if p.is_file())


def _outputs(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_a_planted_pickle_runs_nothing_and_changes_nothing(briefing, tmp_path):
    assert _build(briefing, tmp_path / "first").returncode == 0
    entries = _entries()
    assert {p.parent.name for p in entries} == {"inputs", "fonts"}
    marker = tmp_path / "payload-ran"
    payload = pickle.dumps(_Payload(marker), protocol=pickle.HIGHEST_PROTOCOL)
    for entry in entries:  # in the place of every entry, and beside it under the name pickles were kept under
        entry.write_bytes(payload)
        entry.with_suffix(".pickle").write_bytes(payload)
    cached = _build(briefing, tmp_path / "cached")
    assert cached.returncode == 0, cached.stderr
    assert not marker.exists()
    fresh = _build(briefing, tmp_path / "fresh", "--no-cache")
    assert fresh.returncode == 0, fresh.stderr
    assert _outputs(tmp_path / "cached") == _outputs(tmp_path / "fresh") == _outputs(tmp_path / "first")
    assert not marker.exists()
    assert not list(Path(os.environ["BRIEFGEN_CACHE_DIR"]).rglob("*.pickle"))  # swept away when entries were stored


def _one_entry(briefing: Path) -> tuple[tuple, Path]:
    key = input_stage.cache_key(briefing, None, None)
    api.read_inputs(briefing, None, None)
    entry = cache._entry("inputs", key)
    assert entry.is_file() and cache.load("inputs", key, _INPUTS) is not None
    return key, entry


def test_damaged_and_truncated_entries_are_misses(briefing, tmp_path):
    key, entry = _one_entry(briefing)
    whole = entry.read_bytes()
    for damaged in (whole[: len(whole) // 2], whole[:-1], whole[:10], b"", whole[:-40] + b"\xff" * 40,
                    whole.replace(b"Mexico", b"Mex\xffco", 1)):
        entry.write_bytes(damaged)
        os.chmod(entry, 0o600)
        assert cache.load("inputs", key, _INPUTS) is None
    entry.write_bytes(whole)
    assert cache.load("inputs", key, _INPUTS) is not None
    result = api.build(briefing, output_dir=tmp_path / "out")  # reads around a damaged entry and replaces it
    assert len(result.files) == 2


def test_an_entry_read_as_another_type_is_a_miss(tmp_path, monkeypatch):
    monkeypatch.setenv("BRIEFGEN_CACHE_DIR", str(tmp_path / "cache"))
    cache.store("test", "k", {"a": 1.5}, dict[str, float])
    assert cache.load("test", "k", dict[str, float]) == {"a": 1.5}
    assert cache.load("test", "k", dict[str, str]) is None
    assert cache.load("test", "k", _INPUTS) is None


def test_an_entry_copied_over_another_key_is_a_miss(briefing, tmp_path, monkeypatch):
    cache.store("test", "one", "first value", str)
    cache.store("test", "two", "second value", str)
    shutil.copyfile(cache._entry("test", "one"), cache._entry("test", "two"))
    assert cache.load("test", "one", str) == "first value"
    assert cache.load("test", "two", str) is None


def test_folders_are_made_private_and_entries_are_0600(briefing, tmp_path, monkeypatch):
    monkeypatch.setenv("BRIEFGEN_CACHE_DIR", str(tmp_path / "deeper" / "cache"))
    fonts.forget_metrics()
    old = os.umask(0)  # the most permissive umask: the cache must not follow it
    try:
        api.build(briefing, output_dir=tmp_path / "out")
    finally:
        os.umask(old)
    root = tmp_path / "deeper" / "cache"
    for folder in (root, root / "inputs", root / "fonts"):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
    entries = _entries()
    assert entries
    for entry in entries:
        assert stat.S_IMODE(entry.stat().st_mode) == 0o600, entry


@pytest.mark.parametrize("mode", [0o777, 0o775, 0o757, 0o1777])
@pytest.mark.parametrize("which", ["root", "kind"])
def test_a_folder_others_may_write_is_not_used(briefing, tmp_path, capsys, mode, which):
    api.build(briefing, format="pdf", output_dir=tmp_path / "a")
    root = Path(os.environ["BRIEFGEN_CACHE_DIR"])
    folder = root if which == "root" else root / "inputs"
    os.chmod(folder, mode)
    before = sorted((p, p.stat().st_mtime_ns) for p in root.rglob("*"))
    cache._noted.clear()
    capsys.readouterr()
    assert cache.load("inputs", input_stage.cache_key(briefing, None, None), _INPUTS) is None
    api.build(briefing, format="pdf", output_dir=tmp_path / "b")
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if line.startswith("note: cache folder")]
    assert lines == [f"note: cache folder {folder} is not private (mode {mode:04o}); not using it"], err
    assert sorted((p, p.stat().st_mtime_ns) for p in root.rglob("*")) == before  # nothing read into, or written
    assert stat.S_IMODE(folder.stat().st_mode) == mode & 0o7777  # and left as it was
    assert (tmp_path / "a" / "brief.pdf").read_bytes() == (tmp_path / "b" / "brief.pdf").read_bytes()


def test_a_folder_another_user_owns_is_not_used(briefing, tmp_path, capsys, monkeypatch):
    api.build(briefing, format="pdf", output_dir=tmp_path / "a")
    key = input_stage.cache_key(briefing, None, None)
    assert cache.load("inputs", key, _INPUTS) is not None
    owner = Path(os.environ["BRIEFGEN_CACHE_DIR"]).stat().st_uid
    monkeypatch.setattr(os, "getuid", lambda: owner + 1)  # as seen by another user, this folder is not theirs
    cache._noted.clear()
    capsys.readouterr()
    assert cache.load("inputs", key, _INPUTS) is None
    cache.store("inputs", key, ("not", "stored"), tuple[str, str])
    err = capsys.readouterr().err
    assert err == (f"note: cache folder {os.environ['BRIEFGEN_CACHE_DIR']} is not private (owner uid {owner}); "
                   "not using it\n")


def test_an_entry_file_another_user_owns_or_others_may_write_is_a_miss(briefing, monkeypatch):
    key, entry = _one_entry(briefing)
    os.chmod(entry, 0o666)
    assert cache.load("inputs", key, _INPUTS) is None
    os.chmod(entry, 0o600)
    assert cache.load("inputs", key, _INPUTS) is not None
    owner = entry.stat().st_uid
    real = os.stat
    monkeypatch.setattr(os, "fstat", lambda fd: _owned_by(real(fd), owner + 1))
    assert cache.load("inputs", key, _INPUTS) is None


def _owned_by(st: os.stat_result, uid: int) -> os.stat_result:
    fields = list(st)
    fields[stat.ST_UID] = uid
    return os.stat_result(fields)


def test_folders_of_ones_own_that_others_can_only_read_are_used(briefing, tmp_path, capsys):
    """Folders made before folders were made private followed the umask (0755): they are kept, and the folders
    of entries made 0700; the cache folder itself is left alone (it may be one that holds other things)."""
    root = Path(os.environ["BRIEFGEN_CACHE_DIR"])
    (root / "inputs").mkdir(parents=True)
    os.chmod(root, 0o755)
    os.chmod(root / "inputs", 0o755)
    fonts.forget_metrics()  # so that this build stores font metrics too, whatever ran before it
    api.build(briefing, format="pdf", output_dir=tmp_path / "a")
    assert stat.S_IMODE((root / "inputs").stat().st_mode) == 0o700
    assert stat.S_IMODE((root / "fonts").stat().st_mode) == 0o700
    assert stat.S_IMODE(root.stat().st_mode) == 0o755
    assert list((root / "inputs").iterdir())
    assert "note:" not in capsys.readouterr().err


def _same(a, b, where="value"):
    """Equal, and of exactly the same types all the way down (an int must not come back a float)."""
    assert type(a) is type(b), (where, type(a), type(b))
    if dataclasses.is_dataclass(a):
        for f in dataclasses.fields(a):
            _same(getattr(a, f.name), getattr(b, f.name), f"{where}.{f.name}")
    elif isinstance(a, (tuple, list)):
        assert len(a) == len(b), where
        for i, (x, y) in enumerate(zip(a, b)):
            _same(x, y, f"{where}[{i}]")
    elif isinstance(a, dict):
        assert list(a) == list(b), where
        for k in a:
            _same(a[k], b[k], f"{where}[{k!r}]")
    elif hasattr(a, "__dict__"):
        _same(vars(a), vars(b), where)
    else:
        assert a == b, where


PASSING = sorted(p.name for p in HOSTILE.iterdir() if (p / "expect.yaml").is_file()
                 and "exit: 0" in (p / "expect.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("style", ["formal", "modern", "print"])
def test_the_default_briefing_and_each_shipped_style_come_back_exactly(style):
    value = api.read_inputs(None, style, None)
    codec = cache.codec_for(_INPUTS)
    _same(value, codec.decode(codec.encode(value)))


@pytest.mark.parametrize("case", PASSING)
def test_hostile_input_that_builds_comes_back_exactly(case):
    value = api.read_inputs(HOSTILE / case, None, None)
    codec = cache.codec_for(_INPUTS)
    _same(value, codec.decode(codec.encode(value)))


def test_font_metrics_come_back_exactly(tmp_path, monkeypatch):
    monkeypatch.setenv("BRIEFGEN_CACHE_DIR", str(tmp_path / "cache"))
    from briefgen.load.locate import FONT_DIR

    fresh = fonts._read_metrics(FONT_DIR / "DejaVuSans.ttf")
    value = (fresh.widths, fresh.default_width, fresh.ascent, fresh.descent)
    codec = cache.codec_for(fonts._METRICS)
    _same(value, codec.decode(codec.encode(value)))
