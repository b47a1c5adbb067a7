"""Styles: ``styles/<name>.yaml`` loaded through a closed schema into a Theme both renderers read.

A style may ``extends:`` another; the child is deep-merged onto its parent before
validation, and each error names the file and line where the offending key was
written. Text styles are named entries with a ``parent`` (``base`` unless given).
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import BriefgenError, Problem, ProblemCollector, StyleError
from ..theme import (  # noqa: F401
    COLOR_ROLES,
    PAGE_SIZES,
    SLIDE_SIZES,
    Box,
    DeckLayout,
    FontRole,
    PageSettings,
    PdfLayout,
    Running,
    SlideSettings,
    SummaryLayout,
    TextStyle,
    Theme,
)
from ..units import Length
from .files import TooLarge, is_file, read_limited
from .fonts import font_file_problem
from .locate import (  # noqa: F401
    DEFAULT_STYLE,
    FONT_DIR,
    PACKAGE_DIR,
    find_style,
    list_styles,
    style_dirs,
)

if TYPE_CHECKING:  # the YAML layer is imported when a style is read, not to unpickle a cached Theme
    from .yaml_source import Located

HEX_RE = re.compile(r"^#[0-9A-Fa-f]{6}$")
MAX_STYLE_BYTES = 1024 * 1024  # the shipped styles are about 6 kB


# Every text style a renderer asks for; a style file may add more, but not fewer.
REQUIRED_TEXT_STYLES = (
    "base", "title", "subtitle", "issuer", "date", "h1", "h2", "h3", "body", "bullet", "key_points_title",
    "key_point", "caption", "fact_value", "fact_label", "table_header", "table_cell", "header", "footer",
    "marking", "toc_title", "toc_entry", "code", "quote", "chart_title", "chart_label", "watermark",
    "slide_title", "slide_subtitle", "slide_issuer", "slide_date", "slide_section", "slide_body",
    "slide_fact_value", "slide_fact_label", "slide_footer", "slide_marking", "slide_table_header",
    "slide_table_cell", "slide_source", "slide_agenda",
)


# -- finding and loading ------------------------------------------------------------------------
def style_description(path: Path) -> str:
    """A style's one-line description, without validating the whole file."""
    try:
        theme = load_theme(path)
        return theme.description
    except BriefgenError as exc:
        return f"(broken: {exc.problems[0]})"


class _Merged:
    """Deep-merged style data and, for each key path, the file and line it came from."""

    def __init__(self) -> None:
        self.data: dict = {}
        self.sources: tuple[Path, ...] = ()
        self.origin: dict[tuple, tuple[Path, int | None, int | None]] = {}

    def add(self, located: Located) -> None:
        self.data = self._merge(self.data, located.data, (), located)

    def _merge(self, base: Any, over: Any, path: tuple, located: Located) -> Any:
        line, col = located.where(path)
        self.origin[path] = (located.file, line, col)
        if isinstance(base, dict) and isinstance(over, dict):
            out = dict(base)
            for k, v in over.items():
                out[k] = self._merge(base.get(k), v, path + (k,), located)
            return out
        if isinstance(over, (dict, list)):
            self._mark(over, path, located)
        return over

    def _mark(self, value: Any, path: tuple, located: Located) -> None:
        items = value.items() if isinstance(value, dict) else enumerate(value)
        for k, v in items:
            line, col = located.where(path + (k,))
            self.origin[path + (k,)] = (located.file, line, col)
            if isinstance(v, (dict, list)):
                self._mark(v, path + (k,), located)

    def problem(self, path: tuple, message: str) -> Problem:
        p = tuple(path)
        while p and p not in self.origin:
            p = p[:-1]
        file, line, col = self.origin.get(p, (None, None, None))
        from .yaml_source import field_name

        return Problem(message, file=file, line=line, column=col, field=field_name(tuple(path)))


def _read_chain(path: Path) -> _Merged:
    chain: list[Located] = []
    seen: list[Path] = []
    current = path
    while True:
        real = current.resolve()
        if real in seen:
            names = " -> ".join(p.stem for p in seen + [real])
            raise StyleError(Problem(f"style inheritance loops: {names}", file=current, field="extends"))
        seen.append(real)
        try:
            text = read_limited(current, MAX_STYLE_BYTES).decode("utf-8-sig")
        except TooLarge as exc:
            raise StyleError(Problem(f"style {exc}", file=current)) from None
        except OSError as exc:
            raise StyleError(Problem(f"cannot read style: {exc.strerror or exc}", file=current)) from None
        except UnicodeDecodeError:
            raise StyleError(Problem("not valid UTF-8; save the style as UTF-8", file=current)) from None
        try:
            from .yaml_source import load_yaml

            located = load_yaml(text, current)
        except Exception as exc:  # ContentError from the YAML layer: re-raise as a style problem
            problems = getattr(exc, "problems", [Problem(str(exc), file=current)])
            raise StyleError(problems) from None
        if not isinstance(located.data, dict):
            raise StyleError(Problem("a style is a YAML mapping of keys", file=current, line=1))
        chain.append(located)
        parent = located.data.get("extends")
        if not parent:
            break
        if not isinstance(parent, str):
            line, col = located.where(("extends",))
            raise StyleError(Problem("'extends' takes one style: a name or a file, not a list or mapping",
                                     file=current, line=line, column=col, field="extends"))
        try:
            current = find_style(parent, relative_to=current.parent)
        except StyleError:
            line, col = located.where(("extends",))
            raise StyleError(Problem(f"parent style '{parent}' not found", file=current, line=line,
                                     column=col, field="extends")) from None
    merged = _Merged()
    for located in reversed(chain):
        merged.add(located)
    merged.data.pop("extends", None)
    merged.data["name"] = chain[0].data.get("name") or path.stem
    merged.sources = tuple(located.file for located in chain)
    return merged


def load_theme(ref: str | Path | None = None) -> Theme:
    """The Theme for a style name or file; raises StyleError listing every problem with file and line."""
    path = find_style(ref)
    merged = _read_chain(path)
    problems = ProblemCollector()
    from .schema import convert

    spec = convert("style", merged.data)  # valid styles, without importing pydantic
    if spec is None:
        spec = _validate_style(merged, problems)
    theme = _resolve(spec, path, merged, problems)
    problems.raise_if_any(StyleError)
    assert theme is not None
    return theme


def _validate_style(merged: _Merged, problems: ProblemCollector):
    """The style through the pydantic schema: its value, or every problem with its file and line."""
    from pydantic import ValidationError

    from .schema import StyleIn
    from .schema_errors import keys_at, pydantic_model

    schema = pydantic_model(StyleIn)
    try:
        return schema.model_validate(merged.data)
    except ValidationError as exc:
        for err in exc.errors(include_url=False):
            loc = tuple(err["loc"])
            if err["type"] == "extra_forbidden":
                msg = f"unknown key '{loc[-1]}'"
                close = difflib.get_close_matches(str(loc[-1]), keys_at(schema, loc), n=1)
                if close:
                    msg += f"; did you mean '{close[0]}'?"
            elif err["type"] == "missing":
                msg = f"required key '{loc[-1]}' is missing"
            else:
                msg = err["msg"].removeprefix("Value error, ")
            problems.problems.append(merged.problem(loc, msg))
        raise StyleError(problems.problems) from None


def _resolve(spec, path: Path, merged: _Merged, problems: ProblemCollector) -> Theme | None:
    colors: dict[str, str] = {}
    for name, value in spec.colors.items():
        if not HEX_RE.match(value):
            problems.problems.append(merged.problem(("colors", name), f"'{value}' is not a colour: write #RRGGBB"))
        colors[name] = value.upper()

    def color(ref: str | None, loc: tuple) -> str | None:
        if ref is None or ref == "none":
            return None
        if ref.startswith("#"):
            if HEX_RE.match(ref):
                return ref.upper()
            problems.problems.append(merged.problem(loc, f"'{ref}' is not a colour: write #RRGGBB"))
            return None
        if ref not in colors:
            close = difflib.get_close_matches(ref, list(colors), n=1)
            hint = f"; did you mean '{close[0]}'?" if close else f" (colours: {', '.join(colors)})"
            problems.problems.append(merged.problem(loc, f"unknown colour '{ref}'{hint}"))
            return None
        return colors[ref]

    for role, use in COLOR_ROLES.items():
        if role not in colors:
            problems.problems.append(merged.problem(("colors",), f"colour role '{role}' is missing ({use})"))
    for name in spec.cmyk:
        if name not in colors:
            problems.problems.append(merged.problem(("cmyk", name), f"cmyk given for unknown colour '{name}'"))

    fonts: dict[str, FontRole] = {}
    for role, f in spec.fonts.items():
        files = {}
        for key in ("regular", "bold", "italic", "bold_italic"):
            name = getattr(f, key)
            given = name is not None  # a face that falls back is reported under the key that names its file
            if name is None:
                # a missing face falls back: bold_italic -> bold -> regular, italic -> regular
                name = {"bold": f.regular, "italic": f.regular,
                        "bold_italic": f.bold or f.italic or f.regular}.get(key, f.regular)
            fp = _font_path(name, path.parent)
            if not given:
                pass
            elif fp is None:
                problems.problems.append(merged.problem(("fonts", role, key),
                                                        f"font file '{name}' not found (looked in the style's "
                                                        f"folder and {FONT_DIR})"))
            elif (wrong := font_file_problem(fp)) is not None:
                problems.problems.append(merged.problem(("fonts", role, key), f"font file '{name}' {wrong}"))
            files[key] = fp or Path(name)
        fonts[role] = FontRole(role=role, family=f.family, **files)
    for needed in ("body", "heading", "mono"):
        if needed not in fonts:
            problems.problems.append(merged.problem(("fonts",), f"font role '{needed}' is missing"))

    text: dict[str, TextStyle] = {}
    for name in REQUIRED_TEXT_STYLES:
        if name not in spec.text:
            problems.problems.append(merged.problem(("text",), f"text style '{name}' is missing"))
    for name in spec.text:
        ts = _resolve_text(name, spec.text, merged, problems, color, fonts, [])
        if ts is not None:
            text[name] = ts

    page_size = _page_size(spec.page.size, merged, problems)
    margins = {k: Length.parse(spec.page.margins.get(k, "0.9in")).pt for k in ("top", "bottom", "left", "right")}
    for loc, ref in [(("page", "table_rule"), spec.page.table_rule),
                     (("page", "table_header_fill"), spec.page.table_header_fill),
                     (("page", "table_zebra"), spec.page.table_zebra),
                     (("page", "marking_fill"), spec.page.marking_fill),
                     (("slide", "title_rule"), spec.slide.title_rule),
                     (("slide", "section_fill"), spec.slide.section_fill),
                     (("slide", "fact_fill"), spec.slide.fact_fill),
                     (("slide", "footer_rule"), spec.slide.footer_rule)]:
        color(ref, loc)

    def box(b, key: str) -> Box:
        return Box(fill=color(b.fill, ("page", key, "fill")), border=color(b.border, ("page", key, "border")),
                   border_width=b.border_width, accent_width=b.accent_width, padding=b.padding)

    palette = tuple(c for c in (color(ref, ("chart_palette", i)) for i, ref in enumerate(spec.chart_palette)) if c)
    logo = logo_size = None
    if spec.logo:
        from .images import check_image

        logo = (path.parent / spec.logo).resolve()
        if not is_file(logo):
            problems.problems.append(merged.problem(("logo",), f"logo file '{spec.logo}' not found"))
        else:
            logo_size = check_image(logo, spec.logo,
                                    lambda msg: problems.problems.append(merged.problem(("logo",), msg)))
    from .scripts import right_to_left_problem

    for where in ("header", "footer"):
        for part in ("left", "center", "right"):
            if rtl := right_to_left_problem(getattr(getattr(spec.page, where), part)):
                problems.problems.append(merged.problem(("page", where, part), rtl))
    bleed = Length.parse(spec.page.bleed).pt
    if bleed > MAX_BLEED:
        problems.problems.append(merged.problem(("page", "bleed"), f"'{spec.page.bleed}' is more bleed than a "
                                                f"printer trims; at most {MAX_BLEED / 72:g}in"))
    _check_room(spec, page_size, margins, text, merged, problems)
    pdf_layout = _layout(PdfLayout, spec.page.layout, ("page", "layout"), merged, problems)
    deck_layout = _layout(DeckLayout, spec.slide.layout, ("slide", "layout"), merged, problems)
    summary_layout = _layout(SummaryLayout, spec.page.summary, ("page", "summary"), merged, problems)
    if problems.problems:
        return None
    pg, sl = spec.page, spec.slide
    # colours resolve to hex; "none" in an optional colour means no colour (None)
    page = PageSettings(
        header=Running(pg.header.left, pg.header.center, pg.header.right),
        footer=Running(pg.footer.left, pg.footer.center, pg.footer.right),
        rule_width=float(pg.rule_width), cover=pg.cover, cover_band=float(pg.cover_band),
        table_rule=color(pg.table_rule, ()), table_header_fill=color(pg.table_header_fill, ()),
        table_zebra=color(pg.table_zebra, ()), marking_fill=color(pg.marking_fill, ()),
        toc_min_sections=pg.toc_min_sections, chart_height=float(pg.chart_height),
        image_max_height=float(pg.image_max_height), logo_height=float(pg.logo_height), layout=pdf_layout,
        summary=summary_layout)
    slide = SlideSettings(
        size=sl.size, margin=Length.parse(sl.margin).pt, title_height=Length.parse(sl.title_height).pt,
        footer_height=Length.parse(sl.footer_height).pt, min_font_size=float(sl.min_font_size),
        max_bullets=sl.max_bullets, max_words=sl.max_words, cover=sl.cover, dividers=sl.dividers,
        title_rule=color(sl.title_rule, ()),
        section_fill=color(sl.section_fill, ()), fact_fill=color(sl.fact_fill, ()),
        footer_rule=color(sl.footer_rule, ()), logo_height=float(sl.logo_height), layout=deck_layout)
    return Theme(
        name=spec.name or path.stem, description=spec.description, file=path, colors=colors,
        cmyk={k: tuple(v) for k, v in spec.cmyk.items()}, chart_palette=palette, fonts=fonts, text=text,
        page=page, page_size=page_size, margins=margins, bleed=bleed,
        key_points_box=box(spec.page.key_points, "key_points"), fact_box=box(spec.page.fact, "fact"),
        slide=slide, slide_size=SLIDE_SIZES[spec.slide.size], logo=logo, logo_size=logo_size,
        sources=merged.sources)


MAX_BLEED = 72.0  # 1in; print bleed is usually an eighth of that
PAGE_SIDE = (144.0, 14400.0)  # 2in to 200in: PDF readers refuse pages beyond 200in
MIN_TEXT_AREA = 144.0  # 2in: the least width and height of the text area of a page
ROOM_AROUND = 72.0  # 1in: room on a page for a chart's title and source, or an image's caption
MIN_SLIDE_BODY = (144.0, 72.0)  # the least width and height of a slide's body, between title and footer


def _check_room(spec, page_size: tuple[float, float], margins: dict[str, float], text: dict[str, TextStyle],
                merged: _Merged, problems: ProblemCollector) -> None:
    """What the renderers need room for, on the style's page and on every page and slide size a build may
    choose (``--page-size``, ``--slide-size``): a text area the margins leave, charts and images that fit in
    it with their captions, a slide body between title and footer. Without it a build fails in layout."""
    w, h = page_size
    if not (PAGE_SIDE[0] <= w <= PAGE_SIDE[1] and PAGE_SIDE[0] <= h <= PAGE_SIDE[1]):
        problems.problems.append(merged.problem(("page", "size"), f"a page of {w / 72:g}in x {h / 72:g}in; "
                                                f"each side is {PAGE_SIDE[0] / 72:g}in to {PAGE_SIDE[1] / 72:g}in"))
        return
    pg = spec.page
    for name, (pw, ph) in [("this style's", page_size)] + [(f"a {n}", size) for n, size in PAGE_SIZES.items()]:
        area_w = pw - margins["left"] - margins["right"]
        area_h = ph - margins["top"] - margins["bottom"]
        if area_w < MIN_TEXT_AREA or area_h < MIN_TEXT_AREA:
            problems.problems.append(merged.problem(
                ("page", "margins"), f"on {name} page the margins leave a text area of {area_w / 72:.2f}in x "
                f"{area_h / 72:.2f}in; leave at least {MIN_TEXT_AREA / 72:g}in each way"))
            break
        too_tall = [key for key in ("chart_height", "image_max_height") if getattr(pg, key) > area_h - ROOM_AROUND]
        for key in too_tall:
            problems.problems.append(merged.problem(
                ("page", key), f"{getattr(pg, key):g}pt does not fit on {name} page with its title and "
                f"caption: the margins leave a text area {area_h:.0f}pt high, so at most {area_h - ROOM_AROUND:.0f}pt "
                "(or make the margins smaller)"))
        if too_tall:
            break
    sl = spec.slide
    margin, title, footer = (Length.parse(v).pt for v in (sl.margin, sl.title_height, sl.footer_height))
    marking = text.get("slide_marking")
    marking_band = marking.leading + marking.size * 0.6 if marking else 0.0
    for size, (sw, sh) in SLIDE_SIZES.items():
        # as the slide planner lays a slide out (render/slides.py): a marking band above and below
        body_w = sw - 2 * margin
        body_h = sh - title - footer - 1.5 * margin - 2 * marking_band
        if body_w < MIN_SLIDE_BODY[0] or body_h < MIN_SLIDE_BODY[1]:
            problems.problems.append(merged.problem(
                ("slide",), f"on a {size} slide the margin, title and footer heights leave a body of "
                f"{body_w:.0f}pt x {body_h:.0f}pt; leave at least {MIN_SLIDE_BODY[0]:.0f}pt x "
                f"{MIN_SLIDE_BODY[1]:.0f}pt"))
            return


def _layout(cls, given: dict, loc: tuple, merged: _Merged, problems: ProblemCollector):
    """A layout dataclass with the style's values over its defaults; unknown keys are problems."""
    import dataclasses

    fields = {f.name: f for f in dataclasses.fields(cls)}
    values = {}
    for key, value in given.items():
        if key not in fields:
            close = difflib.get_close_matches(key, list(fields), n=1)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            problems.problems.append(merged.problem(loc + (key,), f"unknown layout key '{key}'{hint}"))
        elif fields[key].type == "int" and value != int(value):
            problems.problems.append(merged.problem(loc + (key,), f"'{key}' is a whole number"))
        else:
            values[key] = int(value) if fields[key].type == "int" else float(value)
    return cls(**values)


def _font_path(name: str, style_dir: Path) -> Path | None:
    for base in (style_dir, FONT_DIR):
        cand = (base / name)
        if is_file(cand):
            return cand.resolve()
    return None


_FIELDS = ("font", "size", "leading", "bold", "italic", "color", "space_before", "space_after", "align", "upper",
           "tracking")
_DEFAULTS = {"font": "body", "size": 11.0, "leading": 1.3, "bold": False, "italic": False, "color": "#000000",
             "space_before": 0.0, "space_after": 0.0, "align": "left", "upper": False, "tracking": 0.0}


def _resolve_text(name, specs, merged, problems, color, fonts, trail) -> TextStyle | None:
    if name in trail:
        problems.problems.append(merged.problem(("text", name, "parent"),
                                                f"text style parents loop: {' -> '.join(trail + [name])}"))
        return None
    spec = specs[name]
    values: dict[str, Any] = {}
    parent = spec.parent if spec.parent is not None else ("base" if name != "base" else None)
    if parent is not None:
        if parent not in specs:
            problems.problems.append(merged.problem(("text", name, "parent"), f"unknown parent text style '{parent}'"))
            return None
        p = _resolve_text(parent, specs, merged, problems, color, fonts, trail + [name])
        if p is None:
            return None
        values = {f: getattr(p, f) for f in _FIELDS}
        values["leading"] = p.leading / p.size  # inherit the ratio, not the absolute leading
    else:
        values = dict(_DEFAULTS)
    for f in _FIELDS:
        v = getattr(spec, f)
        if v is not None:
            values[f] = v
    if spec.color is not None:
        values["color"] = color(spec.color, ("text", name, "color")) or "#000000"
    if values["font"] not in fonts:
        problems.problems.append(merged.problem(("text", name, "font"), f"unknown font role '{values['font']}'"))
        return None
    return TextStyle(name=name, font=values["font"], size=float(values["size"]),
                     leading=float(values["leading"]) * float(values["size"]), bold=values["bold"],
                     italic=values["italic"], color=values["color"], space_before=float(values["space_before"]),
                     space_after=float(values["space_after"]), align=values["align"], upper=values["upper"],
                     tracking=float(values["tracking"]))


def _page_size(size, merged, problems) -> tuple[float, float]:
    if isinstance(size, str):
        if size.lower() in PAGE_SIZES:
            return PAGE_SIZES[size.lower()]
        problems.problems.append(merged.problem(("page", "size"),
                                                f"unknown page size '{size}': use letter, a4, legal or [width, height]"))
        return PAGE_SIZES["letter"]
    try:
        w, h = (Length.parse(v).pt for v in size)
        return (w, h)
    except ValueError as exc:
        problems.problems.append(merged.problem(("page", "size"), str(exc)))
        return PAGE_SIZES["letter"]
