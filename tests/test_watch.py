"""briefgen watch: one build, then a rebuild after each change to an input; a broken edit keeps the last good
outputs; Ctrl-C (or the stop event) ends it. Every wait polls for its condition, bounded by TIMEOUT."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from conftest import ROOT, squash, write_briefing

import briefgen
from briefgen.errors import ContentError, UsageError

TIMEOUT = 90  # the longest any one condition may take, on a loaded 2-core machine


def poll(condition, what: str, timeout: float = TIMEOUT):
    """``condition()``'s first true value, checked every 20 ms; fails the test after ``timeout`` seconds."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = condition()
        if value:
            return value
        time.sleep(0.02)
    pytest.fail(f"timed out after {timeout} s waiting for {what}")


def pdf_text(path: Path) -> str:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        return squash(" ".join(page.extract_text() or "" for page in pdf.pages))


def text_colours(path: Path) -> set[tuple[float, ...]]:
    """The fill colours of the characters on the PDF's first page, rounded."""
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        return {tuple(round(c, 2) for c in ch["non_stroking_color"]) for ch in pdf.pages[0].chars
                if isinstance(ch.get("non_stroking_color"), (tuple, list))}


class Watching:
    """``briefgen.watch`` run in a thread, each build kept in ``builds``."""

    def __init__(self, briefing, **options):
        self.builds: list = []
        self.stop = threading.Event()
        self.failure: BaseException | None = None
        self.thread = threading.Thread(target=self._run, args=(briefing,), kwargs=options, daemon=True)

    def _run(self, briefing, **options):
        try:
            briefgen.watch(briefing, on_build=self.builds.append, stop=self.stop, **options)
        except BaseException as exc:  # noqa: BLE001 - handed to the test
            self.failure = exc

    def wait_for(self, count: int, what: str):
        poll(lambda: len(self.builds) >= count or self.failure, what)
        assert self.failure is None, self.failure
        return self.builds[count - 1]

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join(TIMEOUT)
        assert not self.thread.is_alive(), "the watch did not stop when told to"


def test_the_command_rebuilds_on_an_edit_keeps_the_last_good_pdf_on_a_broken_one_and_ends_on_ctrl_c(tmp_path):
    briefing = tmp_path / "us-mexico"
    shutil.copytree(ROOT / "content" / "us-mexico", briefing)
    out = tmp_path / "out"
    pdf = out / "us-mexico.pdf"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.Popen([sys.executable, "-m", "briefgen", "watch", str(briefing), "--format", "pdf",
                             "--output", str(out)], cwd=ROOT, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    lines: list[str] = []
    readers = [threading.Thread(target=lambda s=s: lines.extend(s), daemon=True) for s in (proc.stdout, proc.stderr)]
    for r in readers:
        r.start()

    def built(n):
        return sum(line.startswith("built in ") for line in lines) >= n

    try:
        poll(lambda: built(1), "the first build")
        first = pdf.read_bytes()
        sentence = "Watch mode put this sentence here."
        assert sentence not in pdf_text(pdf)  # the check below can fail
        economy = briefing / "sections" / "economy.md"
        economy.write_text(economy.read_text(encoding="utf-8") + f"\n{sentence}\n", encoding="utf-8")
        poll(lambda: built(2), "the rebuild after an edit")
        second = pdf.read_bytes()
        assert second != first
        assert sentence in pdf_text(pdf)

        (briefing / "briefing.yaml").write_text("title: Broken\nsections: [overview\n", encoding="utf-8")
        error = poll(lambda: next((line for line in lines if line.startswith("error: ")), None), "the error line")
        assert "us-mexico/briefing.yaml:3:1: YAML syntax error" in error, error
        assert pdf.read_bytes() == second
        assert [p.name for p in out.iterdir()] == ["us-mexico.pdf"]  # no temporary file left behind

        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=TIMEOUT) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        for r in readers:
            r.join(TIMEOUT)
    text = "".join(lines)
    assert "Traceback" not in text and "Aborted" not in text, text
    assert sum(line.startswith("error: ") for line in lines) == 1, text  # one problem, one line


def test_an_edit_to_the_style_file_rebuilds_with_its_new_colour(tmp_path):
    house = tmp_path / "styles" / "house.yaml"
    house.parent.mkdir()
    house.write_text('extends: formal\ndescription: A test style\ncolors:\n  primary: "#1B365D"\n', encoding="utf-8")
    root = write_briefing(tmp_path / "brief", "title: Colour test\nsections: [a]\n",
                          {"a": "---\ntitle: A\n---\nBody.\n"})
    out = tmp_path / "out"
    with Watching(root, style=house, format="pdf", output_dir=out) as w:
        assert w.wait_for(1, "the first build").error is None
        red = (0.67, 0.0, 0.0)
        assert red not in text_colours(out / "brief.pdf")
        house.write_text(house.read_text(encoding="utf-8").replace("#1B365D", "#AA0000"), encoding="utf-8")
        rebuild = w.wait_for(2, "the rebuild after a style edit")
        assert rebuild.error is None, rebuild.error
        assert house.resolve() in rebuild.changed
        assert red in text_colours(out / "brief.pdf")


def test_a_first_build_that_fails_is_reported_and_the_fix_is_built(tmp_path):
    root = write_briefing(tmp_path / "brief", "title: Fix me\nsections: [a]\n", {"a": "---\ntitl: A\n---\nBody.\n"})
    out = tmp_path / "out"
    with Watching(root, format="pdf", output_dir=out) as w:
        first = w.wait_for(1, "the first build")
        assert isinstance(first.error, ContentError) and first.result is None
        assert "unknown key 'titl'" in str(first.error)
        assert not out.exists()
        (root / "sections" / "a.md").write_text("---\ntitle: A\n---\nFixed body.\n", encoding="utf-8")
        second = w.wait_for(2, "the build after the fix")
        assert second.error is None and [p.name for p in second.result.files] == ["brief.pdf"]
        assert "Fixed body." in pdf_text(out / "brief.pdf")


def test_options_no_edit_can_fix_end_the_watch_at_once(tmp_path):
    root = write_briefing(tmp_path / "brief", "title: x\nsections: [a]\n", {"a": "---\ntitle: A\n---\nBody.\n"})
    with pytest.raises(UsageError, match="unknown page size 'b5'"):
        briefgen.watch(root, page_size="b5", output_dir=tmp_path / "out")
    with pytest.raises(ContentError, match="no briefing"):
        briefgen.watch(tmp_path / "nowhere", output_dir=tmp_path / "out")


def test_what_counts_as_a_change(tmp_path):
    from watchfiles import Change

    from briefgen.watching import Inputs, Rebuild, _inputs_after

    root = write_briefing(tmp_path / "brief", "title: x\nsections: [a]\n", {"a": "---\ntitle: A\n---\nBody.\n"})
    result = briefgen.build(root, format="pdf", output_dir=tmp_path / "out")
    inputs = _inputs_after(Rebuild((), 0.0, result), root.resolve(), None, None)
    style = (ROOT / "styles" / "formal.yaml").resolve()
    font = next(iter(result.theme.fonts.values())).regular.resolve()
    assert {style, font} <= inputs.files

    folder = str(root.resolve())
    assert inputs.covers(Change.modified, f"{folder}/sections/a.md")
    assert inputs.covers(Change.added, f"{folder}/images/map.png")
    assert inputs.covers(Change.modified, str(style)) and inputs.covers(Change.modified, str(font))
    other = style.parent / "modern.yaml"
    assert not inputs.covers(Change.modified, str(other))  # a style this build does not use
    assert inputs.covers(Change.added, str(style.parent / "new.yaml"))  # a name a lookup might now find
    # the build's own outputs, and the files they are written through, even inside the briefing folder
    assert not inputs.covers(Change.added, f"{folder}/brief.pdf")
    assert not inputs.covers(Change.added, f"{folder}/.brief.pptx.x1y2z3.tmp")
    assert isinstance(inputs, Inputs) and root.resolve() in inputs.folders()


def test_an_edit_made_before_the_watcher_is_in_place_is_still_built(tmp_path):
    """The first build's callback edits a section before any watcher exists: the watch still sees it."""
    root = write_briefing(tmp_path / "brief", "title: Early\nsections: [a]\n", {"a": "---\ntitle: A\n---\nFirst.\n"})
    out = tmp_path / "out"

    class EditingOnce(Watching):
        def _run(self, briefing, **options):
            def on_build(rebuild):
                if not self.builds:
                    (root / "sections" / "a.md").write_text("---\ntitle: A\n---\nSecond.\n", encoding="utf-8")
                self.builds.append(rebuild)

            briefgen.watch(briefing, on_build=on_build, stop=self.stop, **options)

    with EditingOnce(root, format="pdf", output_dir=out) as w:
        w.wait_for(2, "the build of the early edit")
        assert "Second." in pdf_text(out / "brief.pdf")


def test_outputs_written_inside_the_briefing_folder_are_no_change(tmp_path):
    """Else a build writing into the folder it watches would set off the next build, for ever."""
    from briefgen.watching import Rebuild, _inputs_after

    root = write_briefing(tmp_path / "brief", "title: x\nsections: [a]\n", {"a": "---\ntitle: A\n---\nBody.\n"})
    result = briefgen.build(root, output_dir=root / "out")
    inputs = _inputs_after(Rebuild((), 0.0, result), root.resolve(), None, None)
    before = inputs.stamp()
    briefgen.build(root, output_dir=root / "out", draft=True)  # other bytes, same names
    assert inputs.stamp() == before
    (root / "sections" / "a.md").write_text("---\ntitle: A\n---\nOther body.\n", encoding="utf-8")
    assert inputs.stamp() != before  # the comparison does see an edit
