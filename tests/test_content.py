"""The content loader: the default briefing, fidelity to the source, and the content format's rules."""

from __future__ import annotations

import re

import pytest

from briefgen import ContentError, load_briefing
from briefgen.model import BulletList, Paragraph, Table, block_texts, plain, walk

from conftest import SOURCE, source_sentences, squash

SECTION_IDS = ["overview", "economy", "border", "education", "security", "organizations", "representation",
               "further-information"]


def model_text(briefing) -> str:
    parts = [briefing.title, briefing.subtitle or "", briefing.issuer or "", briefing.date_text]
    for s in briefing.sections:
        parts.append(s.title)
        parts.extend(_blocks_text(s.blocks))
    return squash(" ".join(parts))


def _blocks_text(blocks):
    for b in walk(blocks):
        yield from block_texts(b)


def test_default_briefing_loads_with_every_section():
    b = load_briefing()
    assert b.id == "us-mexico"
    assert b.title == "U.S. Relations With Mexico"
    assert b.issuer == "Bureau of Western Hemisphere Affairs"
    assert b.date_text == "April 1, 2018"
    assert [s.id for s in b.sections] == SECTION_IDS
    assert all(s.title and s.blocks for s in b.sections)
    assert set(b.presets) >= {"trade", "security"}


def test_every_sentence_of_the_source_stands_verbatim_in_the_bodies():
    text = model_text(load_briefing())
    sentences = source_sentences()
    assert len(sentences) > 60
    missing = [s for s in sentences if s not in text]
    assert missing == []


def test_body_sentences_keep_the_source_order():
    text = model_text(load_briefing())
    positions = [text.find(s) for s in source_sentences()[5:]]  # after the title block
    assert positions == sorted(positions)


def _figures(text: str) -> set[str]:
    return {m.rstrip(".,") for m in re.findall(r"\d[\d,.]*", text)}


def test_key_points_facts_and_charts_state_no_figure_the_source_lacks():
    source = SOURCE.read_text(encoding="utf-8")
    source_figures = _figures(source)
    b = load_briefing()
    for s in b.sections:
        texts = [plain(k) for k in s.key_points] + [f.value + " " + f.label for f in s.facts]
        if s.chart:
            texts.append(s.chart.title)
            texts.extend(f"{v:,.1f}".removesuffix(".0") for ser in s.chart.series for v in ser.values)
        for text in texts:
            extra = _figures(text) - source_figures
            assert not extra, f"{s.id}: {text!r} states {extra}, which the source does not"


def test_the_default_briefing_has_a_chart_from_source_figures():
    economy = load_briefing().section("economy")
    assert economy.chart is not None
    assert economy.chart.series[0].values == (87.6, 16.8)


@pytest.mark.parametrize("value, expected", [("NO", "NO"), ("1.10", "1.10"), ("on", "on"), ("0x1F", "0x1F")])
def test_yaml_keeps_strings_as_written(make_briefing, value, expected):
    root = make_briefing("title: x\nsections: [a]\n", {"a": f"---\ntitle: {value}\n---\nBody.\n"})
    assert load_briefing(root).sections[0].title == expected


def _problems(root) -> list[str]:
    with pytest.raises(ContentError) as info:
        load_briefing(root)
    return [str(p) for p in info.value.problems]


def test_a_duplicate_key_is_an_error_with_its_line(make_briefing):
    root = make_briefing("title: x\nsubtitle: a\nsubtitle: b\nsections: [a]\n", {"a": "---\ntitle: A\n---\n"})
    (msg,) = _problems(root)
    assert "briefing.yaml:3" in msg and "duplicate key 'subtitle'" in msg and "line 2" in msg


def test_a_missing_title_names_file_and_field(make_briefing):
    root = make_briefing("title: x\nsections: [a]\n", {"a": "---\nkey_points: [one]\n---\nBody.\n"})
    (msg,) = _problems(root)
    assert "sections/a.md" in msg and "title" in msg and "missing" in msg


def test_broken_yaml_names_the_line(make_briefing):
    root = make_briefing("title: x\nsections: [a\n", {})
    (msg,) = _problems(root)
    assert "briefing.yaml:" in msg and "YAML syntax error" in msg


def test_a_misspelled_key_suggests_the_right_one(make_briefing):
    root = make_briefing("title: x\nsections: [a]\n", {"a": "---\ntitle: A\nkey_pionts: [x]\n---\n"})
    (msg,) = _problems(root)
    assert "a.md:3" in msg and "unknown key 'key_pionts'" in msg and "did you mean 'key_points'" in msg


def test_every_problem_is_reported_in_one_run(make_briefing):
    root = make_briefing("title: x\nsections: [a, b, c]\n", {
        "a": "---\ntitl: A\n---\n", "b": "---\ntitle: B\nfacts: [{value: 1}]\n---\n"})
    msgs = _problems(root)
    assert len(msgs) == 4  # a: unknown key + missing title; b: fact without label; c: no file
    assert any("sections/c.md" in m for m in msgs)


def test_an_impossible_date_is_a_clean_error(make_briefing):
    root = make_briefing("title: x\ndate: 2018-02-30\nsections: [a]\n", {"a": "---\ntitle: A\n---\n"})
    (msg,) = _problems(root)
    assert "briefing.yaml:2" in msg and "not a valid date" in msg


@pytest.mark.parametrize("values, message", [
    ("[1,234]", None),  # YAML flow list of two numbers: wrong length, caught below
    ('["1,234", 5]', "not a plain number"),
    ('["$5", 5]', "not a plain number"),
    ('[.nan, 5]', "not a plain number"),
])
def test_chart_values_must_be_plain_finite_numbers(make_briefing, values, message):
    chart = (f"chart:\n  type: column\n  title: T\n  categories: [a, b, c]\n  series:\n"
             f"    - {{name: s, values: {values}}}\n")
    root = make_briefing("title: x\nsections: [a]\n", {"a": f"---\ntitle: A\n{chart}---\n"})
    msgs = _problems(root)
    assert any((message or "has 2 values for 3 categories") in m for m in msgs)


def test_templates_fill_vars_and_keep_inserted_text_literal(make_briefing):
    root = make_briefing("title: '{{ country }} brief'\nvars: {country: Mexico, odd: '**x** <b>'}\nsections: [a]\n",
                         {"a": "---\ntitle: '{{ section.id }}'\n---\nAbout {{ country }}: {{ odd }}.\n"})
    b = load_briefing(root)
    assert b.title == "Mexico brief"
    assert b.sections[0].title == "a"
    (para,) = b.sections[0].blocks
    assert plain(para.runs) == "About Mexico: **x** <b>."
    assert not any(r.bold for r in para.runs)


def test_an_undefined_template_name_is_an_error_with_file_and_line(make_briefing):
    root = make_briefing("title: x\nsections: [a]\n", {"a": "---\ntitle: A\n---\n\nLine one.\n\n{{ nosuch }}\n"})
    (msg,) = _problems(root)
    assert "a.md:" in msg and "nosuch" in msg and "undefined" in msg


def test_the_sandbox_refuses_unsafe_attribute_access(make_briefing):
    root = make_briefing("title: x\nsections: [a]\n",
                         {"a": "---\ntitle: A\n---\n{{ ''.__class__.__mro__[1].__subclasses__() }}\n"})
    (msg,) = _problems(root)
    assert "a.md" in msg


@pytest.mark.parametrize("ref", ["/etc/passwd", "../outside.png", "https://example.org/x.png", "file:///etc/x.png",
                                 "missing.png"])
def test_images_must_be_files_inside_the_briefing(make_briefing, ref):
    root = make_briefing("title: x\nsections: [a]\n", {"a": f"---\ntitle: A\n---\n![alt]({ref})\n"})
    (msg,) = _problems(root)
    assert "a.md:4" in msg and "image" in msg


def test_raw_html_and_markup_characters_stay_text(make_briefing):
    root = make_briefing("title: x\nsections: [a]\n", {"a": "---\ntitle: A\n---\nAT&T <b>bold?</b> &amp; 1 < 2\n"})
    (para,) = load_briefing(root).sections[0].blocks
    assert plain(para.runs) == "AT&T <b>bold?</b> &amp; 1 < 2"


def test_control_characters_are_refused_with_line_and_column(make_briefing):
    root = make_briefing("title: x\nsections: [a]\n", {"a": "---\ntitle: A\n---\nok\nbad\x07here\n"})
    (msg,) = _problems(root)
    assert "a.md:5:4" in msg and "U+0007" in msg


def test_crlf_bom_and_decomposed_text_are_normalised(make_briefing):
    root = make_briefing("title: x\nsections: [a]\n", {})
    (root / "sections" / "a.md").write_bytes("\ufeff---\r\ntitle: Cafe\u0301\r\n---\r\nLine\r\n".encode())
    s = load_briefing(root).sections[0]
    assert s.title == "Café" and plain(s.blocks[0].runs) == "Line"


@pytest.mark.parametrize("front, field", [
    ("title: '  '\n", "title"),
    ("title: A\nkey_points: ['', x]\n", "key_points[0]"),
    ("title: A\nfacts: [{value: \"\\n\", label: x}]\n", "facts[0].value"),
])
def test_blank_text_where_text_is_required_is_an_error(make_briefing, front, field):
    root = make_briefing("title: x\nsections: [a]\n", {"a": f"---\n{front}---\nBody.\n"})
    (msg,) = _problems(root)
    assert f"{field}: must not be empty" in msg


def test_the_walk_reaches_blocks_at_any_depth_and_refuses_strangers():
    from briefgen.model import CodeBlock, ListItem, Quote, Run, Visitor

    table = Table(header=((Run("h"),),), rows=(((Run("c"),),),), align=(None,))
    nested = BulletList(items=(ListItem(blocks=(Paragraph((Run("p"),)), Quote(blocks=(table, CodeBlock("x"))))),))
    assert [type(b).__name__ for b in walk([nested])] == ["BulletList", "Paragraph", "Quote", "Table", "CodeBlock"]

    class OnlyParagraphs(Visitor):
        def visit_paragraph(self, node):
            return "p"

    assert OnlyParagraphs().visit(Paragraph((Run("p"),))) == "p"
    with pytest.raises(TypeError, match="OnlyParagraphs has no rule for Table"):
        OnlyParagraphs().visit(table)
    with pytest.raises(TypeError, match="not a block"):
        list(walk(["a string"]))
