"""The two validation tiers agree: what msgspec accepts, pydantic accepts with the same values.

briefgen checks valid input with msgspec (fast, but it stops at the first
problem) and sends anything msgspec refuses to the pydantic schemas, which
report every problem. That is only sound if msgspec is never more lenient than
pydantic; being stricter merely sends input to the slower tier.
"""

from __future__ import annotations

from pathlib import Path

import msgspec
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefgen.load.briefing import split_front_matter
from briefgen.load.schema_errors import pydantic_model
from briefgen.load.schema import SCHEMAS, convert
from briefgen.load.style import _read_chain
from briefgen.load.yaml_source import load_yaml
from conftest import examples

ROOT = Path(__file__).resolve().parents[1]
PYDANTIC = {kind: pydantic_model(struct) for kind, struct in SCHEMAS.items()}


def pydantic_view(kind: str, data: dict):
    """What the pydantic tier makes of ``data`` as plain data, or None if it refuses."""
    from pydantic import ValidationError

    try:
        return msgspec.to_builtins(PYDANTIC[kind].model_validate(data).model_dump())
    except ValidationError:
        return None


def agree(kind: str, data: dict) -> bool | None:
    """Whether msgspec accepted ``data``; fails the test if it accepted more than pydantic does."""
    fast = convert(kind, data)
    if fast is None:
        return False
    slow = pydantic_view(kind, data)
    assert slow is not None, f"msgspec accepted what pydantic refuses: {data!r}"
    assert msgspec.to_builtins(fast) == slow, data
    return True


def test_both_tiers_have_the_same_keys_and_defaults():
    """The pydantic models are derived from the structs: every struct, nested ones too, field for field."""
    import typing

    pairs = [(struct, PYDANTIC[kind]) for kind, struct in SCHEMAS.items()]
    seen = set()
    while pairs:
        struct, model = pairs.pop()
        if struct in seen:
            continue
        seen.add(struct)
        fields = {f.name: f for f in msgspec.structs.fields(struct)}
        assert list(fields) == list(model.model_fields), struct.__name__
        for name, f in fields.items():
            info = model.model_fields[name]
            if f.default is not msgspec.NODEFAULT:
                assert info.default == f.default, (struct.__name__, name)
            hint = typing.get_type_hints(struct)[name]
            nested = [a for a in (hint, *typing.get_args(hint)) if isinstance(a, type) and issubclass(a, msgspec.Struct)]
            for sub in nested:
                pairs.append((sub, pydantic_model(sub)))
    assert {s.__name__ for s in seen} >= {"PageIn", "SlideIn", "BoxIn", "RunningIn", "ChartIn", "SeriesIn"}


def shipped_inputs():
    for meta in sorted((ROOT / "content").glob("*/briefing.yaml")):
        yield "briefing", load_yaml(meta.read_text(encoding="utf-8"), meta).data
        for section in sorted((meta.parent / "sections").glob("*.md")):
            front, _, _ = split_front_matter(section.read_text(encoding="utf-8"))
            yield "section", load_yaml(front, section).data
    for style in sorted((ROOT / "styles").glob("*.yaml")):
        yield "style", _read_chain(style).data


@pytest.mark.parametrize(("kind", "data"), list(shipped_inputs()))
def test_shipped_content_and_styles_take_the_fast_tier_with_the_same_values(kind, data):
    assert agree(kind, data) is True


# -- generated input: the strings YAML gives us, including every near miss we know of -----------
scalar = st.one_of(st.text(max_size=8), st.none())
value = st.recursive(scalar, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                     st.dictionaries(st.text(max_size=4), inner, max_size=3)),
                     max_leaves=8)


def mostly(strategy: st.SearchStrategy) -> st.SearchStrategy:
    """Nineteen times in twenty ``strategy``, else any value at all."""
    return st.sampled_from([True] * 19 + [False]).flatmap(lambda ok: strategy if ok else value)


def mapping(fields: dict, required: tuple = ()) -> st.SearchStrategy:
    """Dicts with some of ``fields`` (each mostly drawn from its own strategy), now and then with a stray key."""
    base = st.fixed_dictionaries({k: mostly(fields[k]) for k in required},
                                 optional={k: mostly(fields[k]) for k in fields if k not in required})
    stray = st.tuples(base, value).map(lambda mv: {**mv[0], "stray": mv[1]})
    return st.sampled_from([True] * 19 + [False]).flatmap(lambda ok: base if ok else stray)


def often(good: list, bad: list) -> st.SearchStrategy:
    """Mostly a good value, often enough one of the near misses."""
    return st.sampled_from(good * (2 * len(bad)) + bad)


number = often(["1", "1.5", "2", "6", "12", "14", "50", "200"],
               ["0", "-1", "+1", ".5", "5.", "4.0", "1e3", "1E400", "-0", "nan", "NaN", "inf", "-inf", "12%",
                "1,234", "x", "", "400", "401"])
numbers = st.lists(number, max_size=3)
flag = often(["true", "false"], ["True", "TRUE", "yes", "on", "1", "0", "2", "x", ""])
length = often(["0.75in", "18mm", "12pt", "1cm"], ["12", "2 inches", "-1in", "in", "", ".5in", "1e1pt"])
text = st.one_of(often(["Title", "x", "a\nb", "Mexico"], [" ", "", "\t"]), st.text(min_size=1, max_size=6))
series = mapping({"name": text, "values": numbers}, ("name", "values"))
chart = mapping({"type": often(["bar", "column", "pie", "line"], ["donut", "Bar"]), "title": text,
                 "categories": st.lists(text, min_size=1, max_size=3), "series": st.lists(series, max_size=2),
                 "unit": text, "source": text}, ("type", "title", "categories", "series"))
fact = mapping({"value": text, "label": text}, ("value", "label"))
source = mapping({"title": text, "url": text}, ("title",))
section = mapping({"title": text, "key_points": st.lists(text, max_size=3), "facts": st.lists(fact, max_size=2),
                   "chart": st.one_of(st.none(), chart), "notes": text, "sources": st.lists(source, max_size=2)},
                  ("title",))
ids = st.sampled_from([True] * 6 + [False]).flatmap(
    lambda ok: st.lists(st.sampled_from(["economy", "border", "a-b", "x_1"]), min_size=1, max_size=3, unique=True)
    if ok else st.lists(st.sampled_from(["economy", "A", "", "economy ", "-x"]), max_size=3))
date = often(["2018-04-01", "2026-11-25"], ["2018-4-1", "2018-04-01T00:00:00", "20180401", "1523000000",
                                            "April 1", "", "2018-02-30"])
briefing = mapping({"title": text, "sections": ids, "subtitle": text, "issuer": text, "date": date,
                    "marking": text, "presets": st.dictionaries(st.sampled_from(["trade", "x"]), ids, max_size=2),
                    "vars": st.dictionaries(st.sampled_from(["a", "b"]), value, max_size=2),
                    "sources": st.lists(source, max_size=2),
                    "labels": st.dictionaries(st.sampled_from(["key_points", "contents", "nope"]), text,
                                              max_size=2)}, ("title", "sections"))
color = often(["#112233", "primary", "none"], ["x", "", "#12"])
box = mapping({"fill": color, "border": color, "border_width": number, "accent_width": number, "padding": number})
running = mapping({k: text for k in ("left", "center", "right")})
text_style = mapping({"parent": text, "font": text, "size": number, "leading": number, "bold": flag,
                      "italic": flag, "color": color, "space_before": number, "space_after": number,
                      "align": often(["left", "center", "right", "justify"], ["middle", "Left", ""]), "upper": flag,
                      "tracking": number})
covers = often(["centered", "left", "block"], ["right", ""])
page = mapping({"size": st.one_of(often(["letter", "a4"], ["x", ""]), st.lists(length, max_size=3)),
                "margins": st.dictionaries(st.sampled_from(["top", "left", "middle"]), length, max_size=2),
                "bleed": length, "header": running, "footer": running, "key_points": box, "fact": box,
                "rule_width": number, "cover": covers, "cover_band": number, "table_rule": color,
                "table_header_fill": color, "table_zebra": color, "marking_fill": color,
                "toc_min_sections": number, "chart_height": number, "image_max_height": number,
                "logo_height": number})
slide = mapping({"size": often(["16:9", "4:3"], ["16:10", ""]), "margin": length, "title_height": length,
                 "footer_height": length, "min_font_size": number, "max_bullets": number, "max_words": number,
                 "cover": covers, "title_rule": color, "section_fill": color, "fact_fill": color,
                 "footer_rule": color, "logo_height": number,
                 "dividers": often(["auto", "always", "never"], ["sometimes", ""])})
font = mapping({k: text for k in ("family", "regular", "bold", "italic", "bold_italic")}, ("family", "regular"))
style = mapping({"colors": st.dictionaries(st.sampled_from(["primary", "text"]), color, max_size=2),
                 "chart_palette": st.lists(color, min_size=1, max_size=2),
                 "fonts": st.dictionaries(st.sampled_from(["body"]), font, max_size=1),
                 "text": st.dictionaries(st.sampled_from(["base", "h1"]), text_style, min_size=1, max_size=2),
                 "cmyk": st.dictionaries(st.sampled_from(["primary"]), numbers, max_size=1),
                 "page": page, "slide": slide, "name": text, "description": text, "extends": text,
                 "logo": text}, ("colors", "chart_palette", "fonts", "text"))

GENERATED = settings(max_examples=examples(300), deadline=None, suppress_health_check=[HealthCheck.too_slow])


def explore(kind: str, strategy: st.SearchStrategy) -> list[dict]:
    """Every generated ``kind`` input checked by :func:`agree`; the ones both tiers accepted.

    Each test runs its own exploration and asserts on what it found, so no test
    depends on another having run first.
    """
    accepted: list[dict] = []

    @GENERATED
    @given(strategy)
    def each(data):
        if agree(kind, data):
            accepted.append(data)

    each()
    return accepted


# Not only refusals: each generator must also produce input both tiers accept, with its optional parts.
def test_generated_front_matter():
    assert any("chart" in d for d in explore("section", section))


def test_generated_briefing_yaml():
    assert any("date" in d for d in explore("briefing", briefing))


def test_generated_styles():
    accepted = explore("style", style)
    assert any("page" in d for d in accepted) and any("slide" in d for d in accepted)


def test_input_only_pydantic_accepts_still_builds_the_same(tmp_path, make_briefing):
    """Stricter msgspec only means slower: "yes", " 12" and "+5" go to pydantic, and mean what they say."""
    from briefgen import api
    from briefgen.load.style import load_theme

    lax = tmp_path / "lax.yaml"
    lax.write_text("extends: formal\ntext:\n  h1:\n    bold: 'yes'\n    size: ' 20'\n", encoding="utf-8")
    plain = tmp_path / "plain.yaml"
    plain.write_text("extends: formal\ntext:\n  h1:\n    bold: true\n    size: 20\n", encoding="utf-8")
    assert convert("style", _read_chain(lax).data) is None  # the pydantic tier reads it
    assert convert("style", _read_chain(plain).data) is not None
    assert load_theme(lax).text == load_theme(plain).text

    chart = ("chart:\n  type: bar\n  title: T\n  categories: [a, b]\n  series:\n"
             "    - name: s\n      values: [{}, {}]\n")
    roots = [make_briefing("title: B\nsections: [a]\n", {"a": "---\ntitle: A\n" + chart.format(*v) + "---\nText.\n"},
                           name=n) for n, v in (("lax", ("'+5'", "'.5'")), ("plain", ("5", "0.5")))]
    assert convert("section", {"title": "A", "chart": {"type": "bar", "title": "T", "categories": ["a", "b"],
                                                       "series": [{"name": "s", "values": ["+5", ".5"]}]}}) is None
    built = [api.build(r, format="pdf", output_dir=tmp_path / r.name) for r in roots]
    assert built[0].briefing.sections[0].chart == built[1].briefing.sections[0].chart
