"""``briefgen new``: a starter briefing that shows every feature once and checks and builds as written."""

from __future__ import annotations

from typer.testing import CliRunner

import briefgen
from briefgen.cli import app
from briefgen.model import BulletList, Paragraph, Table, plain

runner = CliRunner()


def test_new_writes_a_briefing_that_checks_and_builds(tmp_path):
    content = tmp_path / "content"
    res = runner.invoke(app, ["new", "demo", "--content-dir", str(content)])
    assert res.exit_code == 0, res.output
    assert "demo" in res.output
    folder = content / "demo"
    assert sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()) == [
        "briefing.yaml", "sections/economy.md", "sections/next-steps.md", "sections/overview.md"]
    res = runner.invoke(app, ["check", "demo", "--content-dir", str(content)])
    assert res.exit_code == 0 and res.output.startswith("ok: demo: 3 sections"), res.output
    result = briefgen.build(folder, output_dir=tmp_path / "out")
    assert sorted(p.name for p in result.files) == ["demo.pdf", "demo.pptx"]
    short = briefgen.build(folder, preset="short", output_dir=tmp_path / "out")
    assert [p.name for p in short.files] == ["demo--short.pdf", "demo--short.pptx"]


def test_the_sample_shows_every_feature_once(tmp_path):
    from briefgen.scaffold import new_briefing

    b = briefgen.load_briefing(new_briefing("demo", tmp_path))
    sections = {s.id: s for s in b.sections}
    assert "Examplia" in b.title and "{{" not in b.title  # a template variable, filled in
    assert b.presets == {"short": ("overview", "economy")}
    assert all(s.key_points for s in b.sections)
    assert sections["overview"].facts and sections["overview"].notes
    assert sections["economy"].chart is not None and sections["economy"].chart.series[0].name == "Exports to Examplia"
    blocks = [blk for s in b.sections for blk in s.blocks]
    assert any(isinstance(blk, Table) for blk in blocks)
    lists = [blk for blk in blocks if isinstance(blk, BulletList)]
    assert {blk.ordered for blk in lists} == {False, True}
    runs = [r for blk in blocks if isinstance(blk, Paragraph) for r in blk.runs]
    assert any(r.href and r.href.startswith("https://") for r in runs)
    assert any(r.href == "#economy" for r in runs)
    text = " ".join(plain(blk.runs) for blk in blocks if isinstance(blk, Paragraph))
    assert "{{ not a variable }}" in text  # a raw block prints braces as typed
    assert b.sources and "sample" in b.sources[0].title.lower()


def test_the_sample_files_explain_themselves_in_comments(tmp_path):
    from briefgen.scaffold import new_briefing

    folder = new_briefing("demo", tmp_path)
    meta = (folder / "briefing.yaml").read_text(encoding="utf-8")
    for word in ("SAMPLE", "presets", "vars", "sources", "briefgen build demo"):
        assert word in meta
    assert "# " in (folder / "sections" / "economy.md").read_text(encoding="utf-8")


def test_an_existing_id_is_an_error_and_nothing_is_touched(tmp_path):
    content = tmp_path / "content"
    folder = content / "demo"
    folder.mkdir(parents=True)
    (folder / "notes.txt").write_text("mine", encoding="utf-8")
    res = runner.invoke(app, ["new", "demo", "--content-dir", str(content)])
    assert res.exit_code == 1
    lines = res.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and "already exists" in lines[0]
    assert [p.name for p in folder.iterdir()] == ["notes.txt"]
    assert sorted(p.name for p in content.iterdir()) == ["demo"]


def test_a_malformed_id_is_a_usage_error(tmp_path):
    res = runner.invoke(app, ["new", "My Briefing", "--content-dir", str(tmp_path)])
    assert res.exit_code == 2
    assert res.output.startswith("error: ") and "My Briefing" in res.output
    assert list(tmp_path.iterdir()) == []
