"""Every chart type renders natively in both outputs, with its data and the style's colours."""

from __future__ import annotations

import pypdf
import pytest
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE

import briefgen

from conftest import need, run

CHARTS = {
    "bar": ("bar", "[a long category name, b]", "[{name: s, values: [3.5, 1.25]}]", XL_CHART_TYPE.BAR_CLUSTERED),
    "column": ("column", "[a, b, c]", "[{name: s, values: [1000, 2000, 1500]}, {name: t, values: [1, 2, 3]}]",
               XL_CHART_TYPE.COLUMN_CLUSTERED),
    "line": ("line", "[2015, 2016, 2017]", "[{name: exports, values: [10, 12, 11]}, {name: imports, values: [8, 9, 13]}]",
             XL_CHART_TYPE.LINE_MARKERS),
    "pie": ("pie", "[goods, services]", "[{name: share, values: [70, 30]}]", XL_CHART_TYPE.PIE),
}


@pytest.mark.parametrize("name", list(CHARTS))
def test_chart_type_renders_in_both_outputs(make_briefing, tmp_path, name):
    kind, categories, series, expected = CHARTS[name]
    chart = f"chart:\n  type: {kind}\n  title: The {name} chart\n  unit: units\n  categories: {categories}\n" \
            f"  series: {series}\n  source: Test data\n"
    root = make_briefing("title: T\nsections: [a]\n", {"a": f"---\ntitle: A\n{chart}---\nBody.\n"})
    pdf, deck = briefgen.build(root, output_dir=tmp_path).files
    assert run(need("qpdf"), "--check", str(pdf)).returncode == 0
    text = pypdf.PdfReader(pdf).pages[0].extract_text()
    assert f"The {name} chart" in text and "Source: Test data" in text
    charts = [sh for s in Presentation(deck).slides for sh in s.shapes if sh.has_chart]
    assert len(charts) == 1 and charts[0].chart.chart_type == expected
    plot = charts[0].chart.plots[0]
    assert len(plot.series) == series.count("name:")


@pytest.mark.parametrize("name", list(CHARTS))
def test_chart_text_stays_inside_the_margins(make_briefing, tmp_path, name):
    import pdfplumber

    from briefgen.load.style import load_theme

    kind, categories, series, _ = CHARTS[name]
    chart = f"chart: {{type: {kind}, title: T, unit: billion US$, categories: {categories}, series: {series}}}\n"
    root = make_briefing("title: T\nsections: [a]\n", {"a": f"---\ntitle: A\n{chart}---\nBody.\n"})
    (pdf,) = briefgen.build(root, format="pdf", output_dir=tmp_path).files
    m = load_theme("formal").margins
    with pdfplumber.open(pdf) as doc:
        page = doc.pages[0]
        for ch in page.chars:
            assert m["left"] - 1 <= ch["x0"] and ch["x1"] <= page.width - m["right"] + 1, ch["text"]
