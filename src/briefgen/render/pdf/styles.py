"""Fonts and text styles for the PDF: TrueType faces registered with reportlab, Theme text styles as
paragraph styles, author text as escaped reportlab markup."""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from reportlab.lib import colors as rl_colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, TableStyle

from ...errors import RenderError
from ...model import Briefing, CodeBlock, Inline, inline_texts, walk
from ...theme import FALLBACK_ROLE, TextStyle, Theme

_ALIGN = {"left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT, "justify": TA_JUSTIFY}
_WHITESPACE = frozenset("\n\t \u00a0")
_PERCENT = 100  # a style's cmyk values are percentages
_CMYK_PARTS = 4  # a colour given as a tuple of four parts is CMYK (three: RGB)
_FACES = (("regular", False, False), ("bold", True, False), ("italic", False, True), ("bold_italic", True, True))


# -- fonts ------------------------------------------------------------------------------------
def _font_name(path) -> str:
    return "bg-" + path.stem


def needed_faces(briefing: Briefing, theme: Theme) -> set[tuple[str, bool, bool]]:
    """The (role, bold, italic) faces this PDF can draw with; parsing a TrueType file costs ~10 ms, so only
    these are registered."""
    faces = {(ts.font, ts.bold, ts.italic) for name, ts in theme.text.items()
             if not name.startswith("slide_") and name != "code"}
    faces.add((theme.text["chart_label"].font, theme.text["chart_label"].bold, True))  # chart units
    combos: set[tuple[bool, bool]] = set()
    code = False
    for section in briefing.sections:
        for block in walk(section.blocks):
            code = code or isinstance(block, CodeBlock)
            for runs in inline_texts(block):
                for r in runs:
                    combos.add((r.bold, r.italic))
                    code = code or r.code
        for runs in section.key_points:
            for r in runs:
                combos.add((r.bold, r.italic))
                code = code or r.code
    for name in ("body", "bullet", "key_point", "table_cell", "table_header", "quote", "h2", "h3", "toc_entry"):
        ts = theme.text[name]
        faces.update((ts.font, ts.bold or b, ts.italic or i) for b, i in combos)
    if code:
        ts = theme.text["code"]
        faces.update((ts.font, ts.bold or b, ts.italic or i) for b, i in combos | {(False, False)})
    if FALLBACK_ROLE in theme.fonts:
        faces.add((FALLBACK_ROLE, False, False))  # key-point squares and characters the text fonts lack
    return faces


def register_fonts(theme: Theme, needed: set[tuple[str, bool, bool]]) -> dict[str, dict[tuple[bool, bool], str]]:
    """reportlab names for every role and face; each needed TrueType file is registered once per process.

    A face that is not needed (and was not registered before) stands in as its
    role's regular face, so that every name handed out is usable.
    """
    from reportlab.lib.fonts import addMapping

    registered = set(pdfmetrics.getRegisteredFontNames())
    names: dict[str, dict[tuple[bool, bool], str]] = {}
    for role, font in theme.fonts.items():
        want = {(b, i) for r, b, i in needed if r == role}
        if not want:
            continue
        want.add((False, False))
        faces = {}
        for attr, bold, italic in _FACES:
            path = getattr(font, attr)
            name = _font_name(path)
            if name not in registered and (bold, italic) in want:
                try:
                    pdfmetrics.registerFont(TTFont(name, str(path)))
                except Exception as exc:
                    raise RenderError(f"{path}: cannot use this font file: {exc}") from None
                registered.add(name)
            faces[(bold, italic)] = name
        regular = faces[(False, False)]
        faces = {k: (v if v in registered else regular) for k, v in faces.items()}
        for face in set(faces.values()):
            # each face maps back to its family, so <b> and <i> inside a run find the right file
            for (b, i), target in faces.items():
                addMapping(face, b, i, target)
        names[role] = faces
    return names


class PdfStyles:
    """Colours, fonts, paragraph styles and markup, all from the Theme (a part of the PDF builder)."""

    def color(self, ref: str | None):
        """A palette name or hex value as a reportlab colour: CMYK when printing in CMYK; ``None`` for none."""
        if ref is None:
            return None
        hexv = self.t.color(ref)
        if hexv is None:
            return None
        return self._cmyk(hexv) if self.o.cmyk else rl_colors.HexColor(hexv)

    def _cmyk(self, hexv: str, alpha: float = 1) -> rl_colors.CMYKColor:
        """A hex colour in CMYK: the style's own values for a colour it names with ``cmyk``, otherwise
        converted without a colour profile."""
        name = next((n for n, v in self.t.colors.items() if v.upper() == hexv.upper() and n in self.t.cmyk), None)
        if name:
            c, m, y, k = (v / _PERCENT for v in self.t.cmyk[name])
            return rl_colors.CMYKColor(c, m, y, k, alpha=alpha)
        rgb = rl_colors.HexColor(hexv)
        r, g, b = rgb.red, rgb.green, rgb.blue
        k = 1 - max(r, g, b)
        if k >= 1:
            return rl_colors.CMYKColor(0, 0, 0, 1, alpha=alpha)
        return rl_colors.CMYKColor((1 - r - k) / (1 - k), (1 - g - k) / (1 - k), (1 - b - k) / (1 - k), k, alpha=alpha)

    def as_cmyk(self, color) -> rl_colors.CMYKColor:
        """Any colour the canvas is asked to set, in CMYK: the canvas's colour check when printing in CMYK,
        so that reportlab's own defaults (black text, table and chart lines) are CMYK too."""
        if isinstance(color, rl_colors.CMYKColor):
            return color
        if isinstance(color, (tuple, list)):
            color = rl_colors.CMYKColor(*color) if len(color) == _CMYK_PARTS else rl_colors.Color(*color)
            if isinstance(color, rl_colors.CMYKColor):
                return color
        color = rl_colors.toColor(color)
        if isinstance(color, rl_colors.CMYKColor):
            return color
        return self._cmyk("#" + color.hexval()[2:], alpha=color.alpha)

    def font(self, ts: TextStyle, bold: bool | None = None, italic: bool | None = None) -> str:
        return self.fonts[ts.font][(ts.bold if bold is None else bold, ts.italic if italic is None else italic)]

    def pstyle(self, name: str, **overrides) -> ParagraphStyle:
        key = name + repr(sorted(overrides.items()))
        if key in self.styles:
            return self.styles[key]
        ts = self.t.text[name]
        style = ParagraphStyle(
            name=key, fontName=self.font(ts), fontSize=ts.size, leading=ts.leading,
            textColor=self.color(ts.color), spaceBefore=ts.space_before, spaceAfter=ts.space_after,
            alignment=_ALIGN[ts.align], allowWidows=0, allowOrphans=0, splitLongWords=1,
            bulletFontName=self.font(ts, bold=False, italic=False), bulletFontSize=ts.size,
            linkUnderline=0,
        )
        for k, v in overrides.items():
            setattr(style, k, v)
        self.styles[key] = style
        return style

    # -- text into reportlab markup (author text is always escaped) ----------------------------------
    def markup(self, runs: Inline, style: str) -> str:
        ts = self.t.text[style]
        out = []
        for r in runs:
            text = r.text.upper() if ts.upper else r.text
            piece = self._escape_with_fallback(text, "mono" if r.code else ts.font)
            if r.code:
                piece = f'<font face="{self.fonts["mono"][(False, False)]}">{piece}</font>'
            if r.strike:
                piece = f"<strike>{piece}</strike>"
            if r.italic:
                piece = f"<i>{piece}</i>"
            if r.bold:
                piece = f"<b>{piece}</b>"
            if r.href:
                link_color = self.t.color("primary")
                piece = f'<a href={quoteattr(r.href)} color="{link_color}">{piece}</a>'
            out.append(piece)
        return "".join(out)

    def text_markup(self, text: str, style: str) -> str:
        ts = self.t.text[style]
        return self._escape_with_fallback(text.upper() if ts.upper else text, ts.font)

    def _escape_with_fallback(self, text: str, role: str) -> str:
        face = self.metrics(self.t.fonts[role].regular)  # read when a role is first used
        if self.fallback_name is None or not (set(text) - face.charset - _WHITESPACE):
            return escape(text).replace("\n", "<br/>")
        out = []
        for c in text:
            if c == "\n":
                out.append("<br/>")
            elif face.covers(c) or c.isspace():
                out.append(escape(c))
            else:
                out.append(f'<font face="{self.fallback_name}">{escape(c)}</font>')
        return "".join(out)

    def table_style(self, commands: list) -> TableStyle:
        """A TableStyle whose cell font is the body font (reportlab's default would be Helvetica)."""
        body = self.t.text["body"]
        return TableStyle([("FONT", (0, 0), (-1, -1), self.font(body), body.size, body.leading), *commands])

    def para(self, runs: Inline, style: str, **overrides) -> Paragraph:
        return Paragraph(self.markup(runs, style), self.pstyle(style, **overrides))

    def text_para(self, text: str, style: str, **overrides) -> Paragraph:
        return Paragraph(self.text_markup(text, style), self.pstyle(style, **overrides))
