"""An interrupted build leaves the previous outputs as they were and no temporary file beside them."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from briefgen import api
from conftest import ROOT, write_briefing

# Builds a briefing with one of its output writes held up (the n-th fsync), and says so on stdout when it is,
# so that the test can interrupt it right there.
DRIVER = textwrap.dedent("""
    import os, sys, time
    import briefgen

    held, real, calls = int(sys.argv[3]), os.fsync, []

    def slow_fsync(fd):
        calls.append(fd)
        if len(calls) == held:
            print("writing", flush=True)
            time.sleep(120)
        real(fd)

    os.fsync = slow_fsync
    briefgen.build(sys.argv[1], output_dir=sys.argv[2])
    print("finished", flush=True)
""")


def _briefing(folder: Path, body: str) -> Path:
    return write_briefing(folder, "title: Interrupted\nsections: [a]\n",
                          {"a": f"---\ntitle: A\nkey_points: [One]\n---\n{body}\n"})


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
@pytest.mark.parametrize("held", [1, 2], ids=["writing the PDF", "writing the deck"])
def test_an_interrupted_write_leaves_the_previous_outputs_and_no_temporary_file(tmp_path, signum, held):
    folder = _briefing(tmp_path / "brief", "The first version.")
    out = tmp_path / "out"
    api.build(folder, output_dir=out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    assert sorted(before) == ["brief.pdf", "brief.pptx"]
    _briefing(tmp_path / "brief", "The second version, which never arrives.")
    driver = tmp_path / "driver.py"
    driver.write_text(DRIVER, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.Popen([sys.executable, str(driver), str(folder), str(out), str(held)], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "writing", proc.stderr.read()
        assert any(p.name.endswith(".tmp") for p in out.iterdir())  # caught in the middle of the write
        proc.send_signal(signum)
        proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stdout.close()
        proc.stderr.close()
    assert proc.returncode == -signum  # it ends as that signal ends a process
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
