"""The one-page summary (--format summary), read back with pypdf and pdfplumber and compared with the content
files as the loader reads them."""

from __future__ import annotations

import dataclasses
import hashlib
import re
import sys
from pathlib import Path

import pdfplumber
import pypdf
import pytest

import briefgen
from briefgen.api import prepare
from briefgen.model import plain

from conftest import ROOT, need, run

STYLES = ("formal", "modern", "print")
KEY_POINT_MARK = "\u25a0"


# -- the truth: what the content files say, and what the PDF shows ---------------------------------------
def expected_texts(briefing) -> list[tuple[str, str]]:
    """(section id, text) for every section title, key point, fact value and fact label of the sections that
    have key points or facts, in reading order."""
    out = []
    for section in briefing.sections:
        if not (section.key_points or section.facts):
            continue
        out.append((section.id, section.title))
        out.extend((section.id, plain(kp)) for kp in section.key_points)
        for fact in section.facts:
            out.extend([(section.id, fact.value), (section.id, fact.label)])
    return out


def column_text(pdf_path: Path) -> str:
    """The text of every page read column by column (left half of the page, then right half), key-point
    squares dropped."""
    parts = []
    with pdfplumber.open(pdf_path) as pdf:
        for page in pdf.pages:
            mid = page.width / 2
            for box in ((0, 0, mid, page.height), (mid, 0, page.width, page.height)):
                parts.append(page.crop(box).extract_text() or "")
    return " ".join(parts).replace(KEY_POINT_MARK, " ")


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def found_at(needle: str, flat_text: str, start: int = 0) -> int:
    """Where ``needle`` stands in the text with all whitespace removed (-1 if nowhere): compared without
    whitespace, so line breaks never matter, and a hyphen added where a word was broken is allowed."""
    needle = _flat(needle)
    pos = flat_text.find(needle, start)
    if pos >= 0:
        return pos
    pattern = re.compile("-?".join(map(re.escape, needle)))
    match = pattern.search(flat_text, start)
    return match.start() if match else -1


def missing_texts(pdf_path: Path, briefing) -> list[str]:
    """Each expected text that the PDF does not show, and each section title out of order."""
    flat = _flat(column_text(pdf_path))
    gone = [text for _, text in expected_texts(briefing) if found_at(text, flat) < 0]
    pos = 0
    for section in briefing.sections:
        if section.key_points or section.facts:
            at = found_at(section.title, flat, pos)
            if at < 0 and section.title not in gone:
                gone.append(f"{section.title} (out of order)")
            pos = max(pos, at)
    return gone


def page_count(pdf_path: Path) -> int:
    return len(pypdf.PdfReader(pdf_path).pages)


def build_summary(out: Path, briefing=None, **options) -> Path:
    result = briefgen.build(briefing, format="summary", output_dir=out, **options)
    assert len(result.files) == 1
    return result.files[0]


@pytest.fixture(scope="module")
def summaries(tmp_path_factory) -> dict[str, Path]:
    """The default briefing's summary in each shipped style."""
    import os

    out = tmp_path_factory.mktemp("summaries")
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        return {style: build_summary(out / style, style=style) for style in STYLES}
    finally:
        os.chdir(cwd)


# -- the default briefing ---------------------------------------------------------------------------------
@pytest.mark.parametrize("style", STYLES)
def test_the_default_summary_is_one_page_holding_every_key_point_and_fact(summaries, style):
    pdf = summaries[style]
    assert pdf.name == "us-mexico.summary.pdf"
    assert page_count(pdf) == 1
    assert missing_texts(pdf, briefgen.load_briefing("us-mexico")) == []


def test_the_text_check_fails_when_a_key_point_is_missing(tmp_path):
    """The comparison above does see a PDF that lacks one key point (rendered from a model without it)."""
    from briefgen.load.fonts import metrics
    from briefgen.render.summary import SummaryOptions, render_summary

    full = briefgen.load_briefing("us-mexico")
    chosen, theme = prepare("us-mexico")
    economy = chosen.section("economy")
    dropped = plain(economy.key_points[1])
    cut = dataclasses.replace(economy, key_points=economy.key_points[:1] + economy.key_points[2:])
    broken = dataclasses.replace(chosen, sections=tuple(cut if s.id == "economy" else s for s in chosen.sections))
    pdf = tmp_path / "broken.pdf"
    pdf.write_bytes(render_summary(broken, theme, SummaryOptions(), metrics=metrics))
    assert missing_texts(pdf, full) == [dropped]


def test_the_title_block_metadata_and_fonts(summaries):
    pdf = summaries["formal"]
    briefing = briefgen.load_briefing("us-mexico")
    with pdfplumber.open(pdf) as doc:
        text = doc.pages[0].extract_text()
    for line in (briefing.issuer.upper(), briefing.title, briefing.subtitle, briefing.date_text):
        assert line in text
    meta = pypdf.PdfReader(pdf).metadata
    assert meta.title == briefing.title
    assert meta.subject.startswith("Summary: Overview, Bilateral Economic Issues")
    res = run(need("pdffonts"), str(pdf))
    rows = [line.split() for line in res.stdout.splitlines()[2:] if line.strip()]
    assert rows and all(row[-5] == "yes" for row in rows), res.stdout
    assert run(need("qpdf"), "--check", str(pdf)).returncode == 0


def test_a_rebuild_is_byte_identical(tmp_path):
    first = build_summary(tmp_path / "a", preset="trade")
    second = build_summary(tmp_path / "b", preset="trade")
    assert first.name == "us-mexico--trade.summary.pdf"
    assert hashlib.sha256(first.read_bytes()).digest() == hashlib.sha256(second.read_bytes()).digest()


@pytest.mark.parametrize("style", STYLES)
def test_a_preset_summarises_only_its_sections(tmp_path, style):
    pdf = build_summary(tmp_path, preset="trade", style=style)
    full = briefgen.load_briefing("us-mexico")
    trade = prepare("us-mexico", preset="trade")[0]
    assert page_count(pdf) == 1
    assert missing_texts(pdf, trade) == []
    flat = _flat(column_text(pdf))
    others = [s for s in full.sections if s.id not in full.presets["trade"]]
    for section in others:
        for text in [section.title, *(plain(kp) for kp in section.key_points)]:
            assert found_at(text, flat) < 0, text


# -- columns and marking ----------------------------------------------------------------------------------
def column_bottoms(pdf_path: Path) -> tuple[float, float]:
    """How far down the last page each half of the page has text (above the footer's rule)."""
    with pdfplumber.open(pdf_path) as pdf:
        page = pdf.pages[-1]
        body = [c for c in page.chars if c["bottom"] < page.height * 0.9]
        mid = page.width / 2
        left = max(c["bottom"] for c in body if c["x1"] < mid)
        right = max(c["bottom"] for c in body if c["x0"] > mid)
    return left, right


def test_the_columns_are_balanced(tmp_path):
    pdf = build_summary(tmp_path, preset="trade")
    left, right = column_bottoms(pdf)
    assert abs(left - right) < 40, (left, right)  # about three lines of key points


def test_the_balance_check_fails_on_columns_filled_one_after_the_other(tmp_path, monkeypatch):
    from briefgen.render import summary

    def unbalanced(self, scale, pieces, pages):
        columns = summary._pack(pieces, self.capacities(pages))
        return summary.Fit(scale, pieces, [columns[k:k + self.ncols] for k in range(0, len(columns), self.ncols)])

    monkeypatch.setattr(summary.SummarySheet, "_balanced", unbalanced)
    left, right = column_bottoms(build_summary(tmp_path, preset="trade", cache=False))
    assert abs(left - right) >= 40


def marked(meta_extra: str = "") -> str:
    return f"title: Marked\nissuer: Test Office\ndate: 2021-03-04\n{meta_extra}sections: [one, two]\n"


SECTIONS = {
    "one": """\
        ---
        title: First Part
        key_points: ["The first point, written out in full.", "A second point."]
        facts: [{value: "42", label: Things counted}]
        ---

        Body.
        """,
    "two": """\
        ---
        title: Second Part
        facts: [{value: "$7 million", label: Money spent}, {value: "3", label: Places}]
        ---

        Body.
        """,
}


def marking_positions(pdf_path: Path, word: str) -> list[float]:
    """The top of each line where ``word`` is printed, as a share of the page height."""
    with pdfplumber.open(pdf_path) as pdf:
        page = pdf.pages[0]
        return sorted(w["top"] / page.height for w in page.extract_words() if w["text"] == word)


def test_the_marking_is_printed_at_the_top_and_bottom(make_briefing, tmp_path):
    folder = make_briefing(marked("marking: Unclassified\n"), SECTIONS)
    pdf = build_summary(tmp_path / "out", folder)
    where = marking_positions(pdf, "UNCLASSIFIED")
    assert len(where) == 2 and where[0] < 0.05 and where[1] > 0.95, where
    assert missing_texts(pdf, briefgen.load_briefing(folder)) == []


def test_the_marking_check_fails_without_a_marking(make_briefing, tmp_path):
    folder = make_briefing(marked(), SECTIONS)
    assert marking_positions(build_summary(tmp_path / "out", folder), "UNCLASSIFIED") == []


# -- too long: more pages, or refused -------------------------------------------------------------------
def long_briefing(make_briefing, sections: int, points: int, name: str = "long") -> Path:
    """A briefing of ``sections`` sections with ``points`` key points each, all of the same fixed text."""
    ids = [f"part-{k + 1}" for k in range(sections)]
    meta = "title: A Long Briefing\nissuer: Test Office\ndate: 2020-01-02\nsections:\n"
    meta += "".join(f"  - {i}\n" for i in ids)
    files = {}
    n = 0
    for k, sid in enumerate(ids):
        lines = []
        for _ in range(points):
            n += 1
            lines.append(f'  - "Key point {n} says something of moderate length about the matter at hand."\n')
        files[sid] = (f"---\ntitle: Part {k + 1}\nkey_points:\n{''.join(lines)}"
                      f"facts:\n  - {{value: \"{k + 1}\", label: Part number}}\n---\n\nBody.\n")
    return make_briefing(meta, files, name=name)


def test_pages_allows_a_longer_summary(make_briefing, tmp_path):
    folder = long_briefing(make_briefing, 4, 20)
    with pytest.raises(briefgen.RenderError, match="does not fit on one page"):
        build_summary(tmp_path / "one", folder)
    pdf = build_summary(tmp_path / "two", folder, pages=2)
    assert page_count(pdf) == 2
    assert missing_texts(pdf, briefgen.load_briefing(folder)) == []


def test_a_summary_of_240_key_points_is_refused_and_nothing_is_written(make_briefing, tmp_path):
    folder = long_briefing(make_briefing, 12, 20)
    out = tmp_path / "out"
    out.mkdir()
    previous = out / "long.summary.pdf"
    previous.write_bytes(b"the summary built before")
    res = run(sys.executable, "-m", "briefgen", "build", str(folder), "-f", "summary", "-o", str(out),
              cwd=ROOT, env=_env())
    assert res.returncode == 1, res.stderr
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in res.stderr, res.stderr
    message = lines[0]
    over = re.search(r"(\d+) lines over", message)
    assert over and int(over.group(1)) > 100, message
    suggested = re.search(r"--exclude ([\w,-]+)", message)
    assert suggested, message
    assert sorted(p.name for p in out.iterdir()) == ["long.summary.pdf"]
    assert previous.read_bytes() == b"the summary built before"
    # the sections it names are enough: without them the summary fits on one page
    ok = run(sys.executable, "-m", "briefgen", "build", str(folder), "-f", "summary", "-o", str(tmp_path / "ok"),
             "-x", suggested.group(1), cwd=ROOT, env=_env())
    assert ok.returncode == 0, ok.stderr
    assert page_count(next((tmp_path / "ok").iterdir())) == 1


def _env() -> dict:
    import os

    return {**os.environ, "PYTHONPATH": str(ROOT / "src")}


# -- options ---------------------------------------------------------------------------------------------
def test_the_format_takes_any_letter_case_and_pages_must_be_positive(tmp_path):
    res = run(sys.executable, "-m", "briefgen", "build", "-f", "SUMMARY", "-p", "short", "-o", str(tmp_path), "-q",
              cwd=ROOT, env=_env())
    assert res.returncode == 0, res.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["us-mexico--short.summary.pdf"]
    res = run(sys.executable, "-m", "briefgen", "build", "-f", "summary", "--pages", "0", "-o", str(tmp_path),
              cwd=ROOT, env=_env())
    assert res.returncode == 2
    with pytest.raises(briefgen.UsageError):
        briefgen.build(format="summary", pages=0, output_dir=tmp_path)


def test_output_file_names_the_summary(tmp_path):
    result = briefgen.build(format="summary", output_file=tmp_path / "meeting.summary.pdf", preset="trade")
    assert result.files == [tmp_path / "meeting.summary.pdf"]
    assert result.files[0].is_file()


def test_sections_without_key_points_or_facts_are_left_out_with_a_note(tmp_path):
    notes = []
    pdf = build_summary(tmp_path, on_note=notes.append)
    assert any("further-information" in n for n in notes), notes
    assert found_at("Further Information", _flat(column_text(pdf))) < 0


# -- the style's say -------------------------------------------------------------------------------------
def square_columns(pdf_path: Path) -> int:
    """How many columns the key points stand in: the distinct left edges of their squares."""
    with pdfplumber.open(pdf_path) as pdf:
        return len({round(c["x0"]) for page in pdf.pages for c in page.chars if c["text"] == KEY_POINT_MARK})


@pytest.mark.parametrize("columns", [2, 3])
def test_a_style_sets_the_summary_columns_under_page_summary(tmp_path, columns):
    style = tmp_path / "house.yaml"
    style.write_text(f"extends: formal\npage:\n  summary: {{columns: {columns}}}\n", encoding="utf-8")
    pdf = build_summary(tmp_path / "out", style=style, preset="short")
    assert square_columns(pdf) == columns


def test_a_misspelled_summary_key_names_the_file_and_key(tmp_path):
    style = tmp_path / "house.yaml"
    style.write_text("extends: formal\npage:\n  summary: {colums: 3}\n", encoding="utf-8")
    with pytest.raises(briefgen.StyleError, match=r"house.yaml:3.*unknown layout key 'colums'; did you mean 'columns'"):
        build_summary(tmp_path / "out", style=style)
