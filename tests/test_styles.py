"""Styles: one file drives both outputs; inheritance; strict schema; fonts and glyph coverage."""

from __future__ import annotations

import dataclasses
import textwrap
import zipfile

import pypdf
import pytest
from typer.testing import CliRunner

import briefgen
from briefgen import RenderError, StyleError
from briefgen.cli import app
from conftest import ROOT
from briefgen.load.style import list_styles, load_theme

from test_pdf import fonts_of, STANDARD_14

SHIPPED = ["formal", "modern", "print"]


@pytest.mark.parametrize("style", SHIPPED)
def test_each_shipped_style_builds_both_outputs_with_its_fonts_and_colours(style, tmp_path):
    res = briefgen.build(style=style, sections="overview,economy", output_dir=tmp_path)
    theme = load_theme(style)
    pdf, deck = res.files
    rows = fonts_of(pdf)
    assert rows and all(r[-5] == "yes" and not r[0].split("+")[-1].startswith(STANDARD_14) for r in rows)
    embedded = {r[0].split("+")[-1] for r in rows}
    body_file = theme.fonts["body"].regular.stem
    assert any(body_file.split("-")[0] in name for name in embedded)
    with zipfile.ZipFile(deck) as z:
        xml = z.read("ppt/theme/theme1.xml").decode()
        slide = z.read("ppt/slides/slide3.xml").decode()
    assert theme.color("primary")[1:] in xml
    assert f'typeface="{theme.fonts["heading"].family}"' in xml
    assert f'typeface="{theme.fonts["body"].family}"' in slide


def test_the_three_styles_differ_in_character():
    themes = {n: load_theme(n) for n in SHIPPED}
    assert len({t.color("primary") for t in themes.values()}) == 3
    assert len({(t.fonts["heading"].family, t.fonts["body"].family) for t in themes.values()}) == 3
    assert themes["print"].key_points_box.fill is None and themes["formal"].key_points_box.fill is not None
    assert themes["modern"].page.cover != themes["formal"].page.cover


def _contrast(a: str, b: str) -> float:
    def lum(h):
        c = [int(h[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        c = [x / 12.92 if x <= 0.03928 else ((x + 0.055) / 1.055) ** 2.4 for x in c]
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]
    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_print_style_text_meets_wcag_aa_on_white():
    theme = load_theme("print")
    for name, ts in theme.text.items():
        if name in ("watermark", "marking", "slide_marking", "slide_section") or ts.color == theme.color("on_primary"):
            continue
        assert _contrast(ts.color, "#FFFFFF") >= 4.5, name


def test_styles_lists_every_shipped_style():
    assert set(SHIPPED) <= set(list_styles())


def write_style(tmp_path, name: str, text: str):
    path = tmp_path / f"{name}.yaml"
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


def test_a_user_style_that_extends_changes_only_what_it_overrides(tmp_path):
    path = write_style(tmp_path, "house", """
        extends: formal
        description: House colours
        colors:
          primary: "#5B2333"
        """)
    base, house = load_theme("formal"), load_theme(path)
    assert house.color("primary") == "#5B2333"
    assert {k: v for k, v in house.colors.items() if k != "primary"} == {
        k: v for k, v in base.colors.items() if k != "primary"}
    assert house.fonts == base.fonts
    for block in ("page", "slide"):  # colours are resolved: only settings that named primary differ
        mine, theirs = dataclasses.asdict(getattr(house, block)), dataclasses.asdict(getattr(base, block))
        changed = {k for k in mine if mine[k] != theirs[k]}
        assert all(mine[k] == "#5B2333" and theirs[k] == base.color("primary") for k in changed), changed
    for name, ts in house.text.items():
        b = base.text[name]
        if b.color == base.color("primary"):
            assert ts.color == "#5B2333"
        assert dataclasses.replace(ts, color=b.color) == b


def test_a_typo_in_a_style_exits_1_with_file_line_and_key(tmp_path):
    path = write_style(tmp_path, "typo", """
        extends: formal
        text:
          h1: {fontsize: 30}
        """)
    res = CliRunner().invoke(app, ["build", "--style", str(path), "--output", str(tmp_path / "out")])
    assert res.exit_code == 1
    (line,) = res.output.strip().splitlines()
    assert "typo.yaml:3" in line and "text.h1.fontsize" in line and "unknown key 'fontsize'" in line


@pytest.mark.parametrize("text, fragment", [
    ("extends: formal\ncolors:\n  primary: navy\n", "'navy' is not a colour"),
    ("extends: formal\ntext:\n  h1: {color: primry}\n", "unknown colour 'primry'; did you mean 'primary'"),
    ("extends: formal\ntext:\n  h1: {size: -3}\n", "text.h1.size"),
    ("extends: formal\nfonts:\n  body: {family: X, regular: nosuch.ttf}\n", "font file 'nosuch.ttf' not found"),
    ("extends: formal\npage: {size: folio}\n", "unknown page size 'folio'"),
    ("extends: formal\npage:\n  margins: {top: 2 inches}\n", "not a length"),
    ("extends: formal\nslide: {margin: wide}\n", "not a length"),
    ("extends: nosuch\n", "parent style 'nosuch' not found"),
    ("extends: formal\ntext:\n  h1: {parent: h2}\n  h2: {parent: h1}\n", "parents loop"),
])
def test_bad_styles_are_errors_naming_the_key(tmp_path, text, fragment):
    path = write_style(tmp_path, "bad", text)
    with pytest.raises(StyleError) as info:
        load_theme(path)
    assert any(fragment in str(p) and "bad.yaml" in str(p) for p in info.value.problems), info.value


def test_an_inheritance_cycle_is_an_error(tmp_path):
    write_style(tmp_path, "a", "extends: b\n")
    path = write_style(tmp_path, "b", "extends: a\n")
    with pytest.raises(StyleError, match="loops"):
        load_theme(path)


def test_a_character_no_font_has_is_reported_with_section_field_and_code_point(make_briefing, tmp_path):
    root = make_briefing("title: T\nsections: [a]\n", {"a": "---\ntitle: A\nkey_points: [\"Beijing 北京\"]\n---\nB.\n"})
    with pytest.raises(RenderError) as info:
        briefgen.build(root, output_dir=tmp_path)
    msgs = [str(p) for p in info.value.problems]
    assert any("U+5317" in m and "a.md" in m and "key_points[0]" in m for m in msgs)
    assert not (tmp_path / "sample.pdf").exists()


def test_a_symbol_missing_from_the_body_font_is_drawn_from_the_fallback(make_briefing, tmp_path):
    root = make_briefing("title: T\nsections: [a]\n", {"a": "---\ntitle: A\n---\nWeather: \u2603 snow.\n"})
    res = briefgen.build(root, format="pdf", output_dir=tmp_path)
    rows = fonts_of(res.files[0])
    assert any("DejaVuSans" in r[0] for r in rows)
    assert "\u2603" in pypdf.PdfReader(res.files[0]).pages[0].extract_text()


def test_slide_text_is_measured_with_the_fonts_the_pdf_embeds():
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    from briefgen.load.fonts import metrics

    theme = load_theme("formal")
    text = "Mexico is the United States’ second-largest export market"
    for role in ("body", "heading"):
        path = theme.fonts[role].regular
        pdfmetrics.registerFont(TTFont("measure-" + path.stem, str(path)))
        assert metrics(path).width(text, 20) == pytest.approx(
            pdfmetrics.stringWidth(text, "measure-" + path.stem, 20), rel=1e-3)


def test_a_style_logo_appears_on_the_cover_of_both_outputs(tmp_path):
    from PIL import Image
    from pptx import Presentation

    Image.new("RGB", (300, 120), "#1B365D").save(tmp_path / "seal.png")
    path = write_style(tmp_path, "branded", "extends: formal\nlogo: seal.png\n")
    res = briefgen.build(style=str(path), sections="overview", output_dir=tmp_path / "out")
    pdf, deck = res.files
    first = pypdf.PdfReader(pdf).pages[0]
    assert len(first.images) == 1
    pics = [sh for sh in Presentation(deck).slides[0].shapes if sh.shape_type == 13]
    assert len(pics) == 1
    assert pics[0]._element.xpath("./p:nvPicPr/p:cNvPr")[0].get("descr").endswith("logo")


def test_a_logo_that_is_not_an_image_is_refused(tmp_path):
    (tmp_path / "seal.png").write_text("not an image")
    path = write_style(tmp_path, "branded", "extends: formal\nlogo: seal.png\n")
    with pytest.raises(StyleError, match="not an image"):
        load_theme(path)


def test_a_style_missing_a_colour_role_is_refused_by_check(tmp_path):
    """A renderer draws with every role: check must say so before build does (never a KeyError later)."""
    text = (ROOT / "styles" / "formal.yaml").read_text(encoding="utf-8")
    lines = [ln for ln in text.splitlines() if not ln.strip().startswith("muted:")]
    style = tmp_path / "nomuted.yaml"
    style.write_text("\n".join(lines) + "\n", encoding="utf-8")
    res = CliRunner().invoke(app, ["check", "--style", str(style)])
    assert res.exit_code == 1
    assert "colour role 'muted' is missing" in res.output and "nomuted.yaml" in res.output, res.output


def test_layout_numbers_are_the_styles_to_change(tmp_path):
    style = write_style(tmp_path, "wide", """
        extends: formal
        page:
          layout:
            facts_per_row: 2
            list_indnt: 3
        """)
    with pytest.raises(StyleError) as err:
        load_theme(style)
    (problem,) = err.value.problems
    assert "unknown layout key 'list_indnt'; did you mean 'list_indent'?" in str(problem)
    assert "wide.yaml:5" in str(problem)
    style.write_text(style.read_text(encoding="utf-8").replace("    list_indnt: 3\n", ""), encoding="utf-8")
    theme = load_theme(style)
    assert theme.page.layout.facts_per_row == 2 and theme.page.layout.list_indent == 1.4
