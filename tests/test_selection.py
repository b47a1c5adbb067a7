"""Choosing sections: explicit ids, presets, exclusions, errors, and the file-name rule."""

from __future__ import annotations

import pytest

from briefgen import SelectionError, UsageError, load_briefing
from briefgen.output import output_stem
from briefgen.selection import Selection, select


@pytest.fixture(scope="module")
def full():
    import os

    from conftest import ROOT

    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        return load_briefing()
    finally:
        os.chdir(cwd)


@pytest.mark.parametrize("kwargs, ids, stem", [
    ({}, ["overview", "economy", "border", "education", "security", "organizations", "representation",
          "further-information"], "us-mexico"),
    ({"sections": "economy,border"}, ["economy", "border"], "us-mexico--economy+border"),
    ({"sections": "border,economy"}, ["border", "economy"], "us-mexico--border+economy"),
    ({"preset": "trade"}, ["overview", "economy", "border"], "us-mexico--trade"),
    ({"preset": "trade", "exclude": "border"}, ["overview", "economy"], "us-mexico--trade-without-border"),
    ({"exclude": "further-information,organizations"},
     ["overview", "economy", "border", "education", "security", "representation"],
     "us-mexico--without-further-information+organizations"),
    ({"sections": " economy , security "}, ["economy", "security"], "us-mexico--economy+security"),
])
def test_selection_picks_sections_in_order_and_names_the_file(full, kwargs, ids, stem):
    chosen = select(full, Selection.parse(**kwargs))
    assert [s.id for s in chosen.sections] == ids
    assert output_stem(chosen) == stem


def test_selecting_every_section_in_order_is_the_full_briefing(full):
    ids = ",".join(s.id for s in full.sections)
    assert output_stem(select(full, Selection.parse(sections=ids))) == "us-mexico"


@pytest.mark.parametrize("kwargs, fragment", [
    ({"sections": "econmy"}, "unknown section 'econmy'; did you mean 'economy'"),
    ({"sections": "nosuch"}, "unknown section 'nosuch'"),
    ({"exclude": "nosuch"}, "unknown section 'nosuch'"),
    ({"preset": "trad"}, "unknown preset 'trad'; did you mean 'trade'"),
    ({"sections": "economy,economy"}, "section 'economy' is given twice"),
    ({"sections": "economy", "exclude": "economy"}, "leaves no section"),
])
def test_bad_selections_are_errors_that_name_the_ids(full, kwargs, fragment):
    with pytest.raises(SelectionError) as info:
        select(full, Selection.parse(**kwargs))
    assert any(fragment in str(p) for p in info.value.problems)


def test_sections_with_preset_is_a_usage_error(full):
    with pytest.raises(UsageError):
        select(full, Selection.parse(sections="economy", preset="trade"))


def test_file_names_from_odd_ids_are_sanitised(full):
    import dataclasses

    odd = dataclasses.replace(full, selection="a/../../b c" + "x" * 300)
    stem = output_stem(odd)
    assert "/" not in stem and " " not in stem and len(stem) <= 120


SOURCED = {
    "a": "---\ntitle: Trade\nsources: [{title: Trade statistics annex, url: 'https://example.org/trade'}]\n---\nA.\n",
    "b": "---\ntitle: Security\nsources: [{title: Security report annex}]\n---\nB.\n",
}


def test_sources_metadata_and_notes_follow_the_selection(make_briefing, tmp_path):
    import pypdf
    from pptx import Presentation

    import briefgen

    root = make_briefing("title: T\nsources: [{title: The fact sheet}]\nsections: [a, b]\n", SOURCED)
    res = briefgen.build(root, sections="b", output_dir=tmp_path)
    pdf, deck = res.files
    reader = pypdf.PdfReader(pdf)
    text = " ".join(p.extract_text() for p in reader.pages)
    assert "Security report annex" in text and "The fact sheet" in text
    assert "Trade statistics annex" not in text and "Trade" not in text.replace("Trade statistics", "")
    assert reader.metadata.subject.endswith("Security") and "Trade" not in reader.metadata.subject
    prs = Presentation(deck)
    deck_text = " ".join(sh.text_frame.text for s in prs.slides for sh in s.shapes if sh.has_text_frame)
    notes = " ".join(s.notes_slide.notes_text_frame.text for s in prs.slides if s.has_notes_slide)
    assert "Security report annex" in deck_text and "Trade" not in deck_text + notes
    assert prs.core_properties.subject == "Security"


def test_pick_builds_what_was_ticked_in_a_terminal(make_briefing, tmp_path):
    import os
    import sys

    import pexpect

    from conftest import ROOT

    root = make_briefing("title: T\nsections: [a, b]\n", SOURCED)
    out = tmp_path / "out"
    child = pexpect.spawn(sys.executable, ["-m", "briefgen", "build", str(root), "--pick", "-o", str(out), "-q"],
                          cwd=str(ROOT), env={**os.environ, "PYTHONPATH": str(ROOT / "src"), "TERM": "xterm"},
                          timeout=60, dimensions=(30, 100))
    child.expect("Sections to build")
    child.send(" ")  # untick the first section (all start ticked)
    child.send("\r")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before
    assert sorted(p.name for p in out.iterdir()) == ["sample--b.pdf", "sample--b.pptx"]
