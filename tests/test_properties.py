"""Property: any Unicode in any text field gives valid outputs that hold the text, or one clean error line."""

from __future__ import annotations

import re
import shutil
import tempfile
import unicodedata
from pathlib import Path

import pypdf
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pptx import Presentation
from typer.testing import CliRunner

from briefgen.cli import app
from briefgen.load.templates import escape_markdown
from conftest import examples

# Any character but surrogates (which cannot be written to a UTF-8 file at all); half the time only
# characters of the scripts the shipped fonts cover, so that builds succeed often enough to check text.
any_text = st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=40)
covered_text = st.text(st.characters(max_codepoint=0x52F, exclude_categories=("Cs", "Cc")), min_size=1,
                       max_size=40)


def normalise(s: str) -> str:
    """What a reader compares: NFC, no invisible format characters, no white space."""
    s = unicodedata.normalize("NFC", s)
    return "".join(c for c in s if not c.isspace() and unicodedata.category(c) not in ("Cf", "Zl", "Zp"))


def write(root: Path, fields: dict[str, str]) -> None:
    (root / "sections").mkdir(parents=True)
    meta = {"title": fields["title"], "sections": ["a"]}
    # keep Jinja out of the way: the property is about text, templates have their own tests
    # key points are inline Markdown, like the body: escaped so that their characters are text
    front = {"title": fields["section_title"], "key_points": [escape_markdown(fields["key_point"])],
             "facts": [{"value": fields["fact_value"], "label": fields["fact_label"]}]}
    (root / "briefing.yaml").write_text(yaml.safe_dump(meta, allow_unicode=True), encoding="utf-8")
    body = escape_markdown(" ".join(fields["body"].split()))
    (root / "sections" / "a.md").write_text(
        "---\n" + yaml.safe_dump(front, allow_unicode=True) + "---\n\n" + body + "\n", encoding="utf-8")


def _no_jinja(s: str) -> bool:
    return not re.search(r"\{[{%#]|[{%#]\}", s)


FIELDS = ("title", "section_title", "key_point", "fact_value", "fact_label", "body")
fields = st.one_of(*(st.fixed_dictionaries({k: t.filter(_no_jinja) for k in FIELDS}) for t in (any_text, covered_text)))


def build_and_compare(fields: dict[str, str]) -> int:
    """Build a briefing holding ``fields``; assert a clean failure or outputs holding every field. The exit code."""
    tmp = Path(tempfile.mkdtemp())
    try:
        root = tmp / "b"
        write(root, fields)
        out = tmp / "out"
        res = CliRunner().invoke(app, ["build", str(root), "--output", str(out), "--quiet"])
        assert "Traceback" not in res.output
        if res.exit_code != 0:
            assert res.exit_code == 1, res.output
            lines = res.output.strip().splitlines()
            assert lines and all(line.startswith("error: ") and "internal error" not in line for line in lines)
            assert not out.exists() or not any(out.iterdir())
            return res.exit_code
        # pieces are joined by a line break, not run together: a lone combining mark ending one field
        # must not compose with the first letter of the next one
        pdf_text = normalise("\n".join(p.extract_text() for p in pypdf.PdfReader(out / "b.pdf").pages))
        prs = Presentation(out / "b.pptx")
        deck_text = normalise("\n".join(sh.text_frame.text for s in prs.slides for sh in s.shapes
                                        if sh.has_text_frame))
        for name, value in fields.items():
            want = normalise(value)
            assert want in pdf_text, (name, value)
            if name != "body":
                assert want in deck_text or want.upper() in deck_text, (name, value)
        return 0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def test_any_text_in_any_field_builds_or_fails_cleanly():
    """The property over generated text; it must see successful builds too, not only refusals."""
    outcomes: dict[int, int] = {}

    @settings(max_examples=examples(40), deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(fields)
    def each(fields):
        code = build_and_compare(fields)
        outcomes[code] = outcomes.get(code, 0) + 1

    each()
    assert outcomes.get(0, 0) >= 5 and sum(outcomes.values()) >= 40, outcomes
