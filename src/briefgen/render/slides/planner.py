"""The deck's order and furniture: title slide, agenda, each section's slides, sources; titles,
footers, slide numbers and marking bands."""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from typing import Callable

from ...model import Briefing, Image, Run, Section, Table
from ...theme import MetricsLookup, Theme
from ..plan import FURNITURE, TITLE, PictureBox, PlannedSlide, Rect, SlidePlan, TextBox, TextPara
from .compose import Composer, Page, value_lines
from .content import BULLET, Item, Shown, bullets, find_visuals, section_notes
from .grid import Grid
from .text import SHRINK_STEP, Typesetter, short
from .visuals import VisualSlides

LUMA = (0.299, 0.587, 0.114)  # the weights of red, green and blue in a colour's brightness
ACCENTS = 6  # accent colours in a deck theme
SLIDE_NUMBER = "slidenum"  # the PowerPoint field that shows a slide's own number
VISUAL_KINDS = ("chart", "table", "image")
UNNAMED = ("title", "divider")  # slide kinds whose titles may repeat another slide's


@dataclasses.dataclass(frozen=True)
class Parts:
    """What a section shows on its points slides, and the tables and images that get slides of their own."""

    items: list[Item]
    visuals: list[Table | Image]
    columns: bool  # the items are the body's own text, which may run in two columns


class Planner:
    def __init__(self, briefing: Briefing, theme: Theme, on_note: Callable[[str], None], metrics: MetricsLookup):
        self.b, self.t, self.note = briefing, theme, on_note
        self.lay = theme.slide.layout
        self.ts = Typesetter(theme, metrics, on_note)
        self.marking = self.marking_para()
        self.g = Grid.of(theme, self.marking is not None,
                         (len(self.marking.lines) - 1) * self.marking.line_height if self.marking else 0.0)
        self.compose = Composer(self.ts, self.g, theme)
        self.visuals = VisualSlides(briefing, self.ts, self.g, theme)
        self.slides: list[PlannedSlide] = []
        self.parts = {s.id: self.parts_of(s) for s in briefing.sections}
        self._composed: dict[tuple, tuple[list[Page], list[str]]] = {}  # (section id, sizes): slides, notes

    def marking_para(self) -> TextPara | None:
        """The marking as one line across the slide, shrunk down to ``marking_floor`` of its size if need be,
        else broken over lines at that size (its bands grow to hold them); None without a marking."""
        b, t = self.b, self.t
        if not b.marking:
            return None
        size = self.ts.style("slide_marking").size
        width = t.slide_size[0] - 2 * t.slide.margin
        p = self.ts.fit(b.marking, "slide_marking", width, float("inf"), max_lines=1,
                        floor=size * self.lay.marking_floor)
        return p if t.color(t.page.marking_fill) else dataclasses.replace(p, color=t.color("text"))

    @staticmethod
    def parts_of(section: Section) -> Parts:
        """Key points when the author wrote them; else the facts and chart carry the slide; else the body's
        own text is shown. Prose is always in the notes; tables and images, at any depth, get slides."""
        if section.key_points:
            return Parts(bullets(section.key_points), find_visuals(section.blocks), False)
        if section.facts or section.chart:
            return Parts([], find_visuals(section.blocks), False)
        shown = Shown().collect(section.blocks)
        return Parts(shown.items, shown.visuals, True)

    def add(self, kind: str, title: str, section: Section | None = None, boxes=(), notes: str = "") -> PlannedSlide:
        slide = PlannedSlide(kind=kind, title=title, boxes=list(boxes), notes=notes,
                             section_id=section.id if section else None)
        self.slides.append(slide)
        return slide

    # -- the deck ----------------------------------------------------------------------------------
    def plan(self) -> SlidePlan:
        b, t = self.b, self.t
        self.title_slide()
        self.agenda()
        size, pages = self.bullet_size()
        mode = t.slide.dividers
        dividers = mode == "always" or (mode == "auto" and len(b.sections) > self.lay.dividers_after)
        for section in b.sections:
            if dividers:
                self.divider(section)
            self.section(section, pages[section.id], size)
        for page in pages[None]:
            self.add("sources", b.labels["sources"], boxes=page)
        self.name_slides()
        dark = self.fill_is_dark()
        for number, slide in enumerate(self.slides, start=1):
            if slide.kind not in UNNAMED:
                self.title_box(slide)
            self.furniture(slide, number, dark and slide.kind == "divider")
        return SlidePlan(
            width=self.g.width, height=self.g.height, slides=self.slides, title=b.title, author=b.issuer or "",
            subject=", ".join(s.title for s in b.sections), keywords=", ".join(s.id for s in b.sections),
            date=b.date, theme_colors=self.theme_colors(), heading_family=t.fonts["heading"].family,
            body_family=t.fonts["body"].family, notes_family=t.fonts["body"].family, lang=b.lang)

    def bullet_size(self) -> tuple[float, dict[str | None, list[Page]]]:
        """The one bullet size of the deck and every section's points slides at it (sources under None).

        The style's size, unless a smaller one (down to ``body_floor`` of it, never below the minimum
        size) needs fewer slides: then the largest size that needs fewest, on every slide alike (the slides
        counted with the fact cards at their most compact). Then the deck's one fact-value size is chosen
        at that bullet size (see :meth:`value_size`)."""
        style = self.ts.style("slide_body").size
        floor = max(self.ts.min_size, style * self.lay.body_floor)
        smallest = self.value_sizes()[-1]  # the cards at their most compact: the fewest slides a size can take
        best_size, best = style, self.points_at(style, smallest)[0]
        size = style - SHRINK_STEP
        while size >= floor and any(len(p) > 1 for p in best.values()):
            pages = self.points_at(size, smallest)[0]
            if sum(map(len, pages.values())) < sum(map(len, best.values())):
                best_size, best = size, pages
            size -= SHRINK_STEP
        best_value, best, best_notes = self.value_size(best_size)
        if best_size < style:
            self.note(f"set the deck's bullets at {best_size:g} pt (the style's {style:g} pt) so that they need "
                      f"fewer slides")
        value_style = self.ts.style("slide_fact_value").size
        if best_value < value_style:
            self.note(f"set the deck's fact values at {best_value:g} pt (the style's {value_style:g} pt), the "
                      f"largest that keeps every value in its card")
        for message in best_notes:
            self.note(message)
        for section in self.b.sections:
            if len(best[section.id]) > 1:
                self.note(f"'{short(section.title)}' continues over {len(best[section.id])} slides")
        return best_size, best

    def value_size(self, size: float) -> tuple[float, dict[str | None, list[Page]], list[str]]:
        """The deck's one fact-value size with its bullets at ``size``, and the points slides at both.

        The largest of :meth:`value_sizes` at which the deck needs no more slides than at the smallest, and
        no value takes more lines (or has a word cut) than it does at the smallest: every value on one line
        in its card wherever a size allows that, and as large as that allows."""
        sizes = self.value_sizes()
        if not any(s.facts for s in self.b.sections):
            return (sizes[0], *self.points_at(size, sizes[0]))
        tried: dict[int, tuple] = {}

        def outcome(i: int) -> tuple:
            if i not in tried:
                pages, notes = self.points_at(size, sizes[i])
                lines = {(sid, text): fit for sid, run in pages.items() for page in run
                         for text, fit in value_lines(page).items()}
                tried[i] = (sum(map(len, pages.values())), lines, pages, notes)
            return tried[i]

        least, smallest = outcome(len(sizes) - 1)[:2]

        def good(i: int) -> bool:
            n, lines = outcome(i)[:2]
            at_least = (smallest.get(key, (1, False)) for key in lines)
            return n <= least and all(k <= k0 and c <= c0 for (k, c), (k0, c0) in zip(lines.values(), at_least))

        lo, hi = -1, len(sizes) - 1  # sizes[hi] does as well as the smallest; sizes[lo] does not
        while hi - lo > 1:  # halving: a larger value size never needs fewer slides nor wraps fewer values
            mid = (lo + hi) // 2 if lo >= 0 else 0  # the style's own size first
            if good(mid):
                hi = mid
            else:
                lo = mid
        return (sizes[hi], *outcome(hi)[2:])

    def value_sizes(self) -> list[float]:
        """The fact-value sizes a deck may take, largest first: the style's, down to ``card_value_floor`` of
        it (never below the minimum size)."""
        style = self.ts.style("slide_fact_value").size
        floor = max(self.ts.min_size, style * self.lay.card_value_floor)
        sizes = [style]
        while sizes[-1] - SHRINK_STEP >= floor:
            sizes.append(sizes[-1] - SHRINK_STEP)
        return sizes

    def points_at(self, size: float, value: float) -> tuple[dict[str | None, list[Page]], list[str]]:
        """Every section's points slides, bullets at ``size`` and fact values at ``value``, and the notes
        composing them made; sections without facts (and the sources) are composed once a size."""
        notes: list[str] = []
        pages: dict[str | None, list[Page]] = {}
        for s in self.b.sections:
            key = (s.id, size, value if s.facts else None)
            if key not in self._composed:
                said: list[str] = []
                part = self.parts[s.id]
                self._composed[key] = (self.compose.points(part.items, list(s.facts), size, value, short(s.title),
                                                           said.append, columns=part.columns), said)
            pages[s.id], said = self._composed[key]
            notes.extend(said)
        key = (None, size, None)
        if key not in self._composed:
            said = []
            sources = [Item((Run(src.title, href=src.url),), BULLET) for src in self.b.all_sources]
            self._composed[key] = (self.compose.list_pages(sources, size, self.b.labels["sources"], said.append,
                                                           columns=True, name="Sources"), said)
        pages[None], said = self._composed[key]
        notes.extend(said)
        return pages, notes

    def section(self, section: Section, pages: list[Page], size: float) -> None:
        """A section's slides: its points, then its chart, tables and images. A first table that fits
        below a lone points slide joins it; a chart or image joins points short enough to leave it room."""
        lone = pages[0] if len(pages) == 1 and pages[0] else None
        shown = []
        for n, visual in enumerate(self.parts[section.id].visuals):
            shown.extend(self.visuals.visit(visual, section.title, size, self.note, lone if n == 0 else None))
        if section.chart:
            shown.insert(0, self.visuals.chart(section.chart, lone))
        first = len(self.slides)
        for page in pages:
            self.add("points", section.title, section, page)
        joined = [v.notes for v in shown if not v.boxes]  # a chart or image now on the points slide
        for v in shown:
            if v.boxes:
                self.add(v.kind, v.title, section, v.boxes, v.notes)
        if len(self.slides) == first:  # nothing to show: the section still has its slide, and its notes
            self.add("points", section.title, section)
        lead = self.slides[first]
        lead.notes = "\n\n".join(n for n in (section_notes(section), *joined, lead.notes) if n)

    def name_slides(self) -> None:
        """Slides that would share a title are told apart: 'Title (2 of 3)'."""
        by_title: dict[str, list[PlannedSlide]] = defaultdict(list)
        for slide in self.slides:
            if slide.kind not in UNNAMED:
                by_title[slide.title].append(slide)
        label = self.b.labels["part"]
        for title, group in by_title.items():
            if len(group) > 1:
                for n, slide in enumerate(group, start=1):
                    slide.title = f"{title} {label.replace('{n}', str(n)).replace('{total}', str(len(group)))}"

    # -- slide kinds -----------------------------------------------------------------------------------
    def title_slide(self) -> None:
        b, t, g, lay, ts = self.b, self.t, self.g, self.lay, self.ts
        slide = self.add("title", b.title)
        cover = t.slide.cover
        on = None
        inset = g.margin * lay.cover_inset
        if cover == "block":
            block_w = g.width * lay.cover_block_share
            slide.boxes.append(Rect(0, g.mark_h, block_w, g.height - 2 * g.mark_h, t.color("primary"),
                                    name="Cover block"))
            x, w, align, on = inset, block_w - 2 * inset, "left", t.color("on_primary")
        elif cover == "left":
            x, w, align = inset, g.width - 2 * inset, "left"
        else:
            x, w, align = g.margin, g.w, "center"
        issuer = []
        if b.issuer:
            issuer.append(ts.para(b.issuer, "slide_issuer", w, align=align, color=on, space_after=lay.cover_issuer_gap))
        # the cover title is set larger than slide titles, shrinking as far as its lines need
        title = ts.fit(b.title, "slide_title", w, g.height * lay.cover_title_share, max_lines=lay.cover_title_lines,
                       what="cover title",
                       start=ts.style("slide_title").size * lay.cover_title_scale)
        title = dataclasses.replace(title, align=align, color=on or title.color, space_after=lay.cover_title_gap)
        rest = []
        if b.subtitle:
            rest.append(ts.para(b.subtitle, "slide_subtitle", w, align=align, color=on,
                                space_after=lay.cover_subtitle_gap))
        if b.date:
            rest.append(ts.para(b.date_text, "slide_date", w, align=align, color=on, space_after=0))
        paras = [*issuer, title, *rest]
        block_h = sum(p.height for p in paras)
        logo_h = logo_w = 0.0
        if t.logo and t.logo_size:
            lw, lh = t.logo_size
            logo_h = t.slide.logo_height
            logo_w = lw * logo_h / lh
        logo_room = logo_h + g.margin * lay.logo_gap if logo_h else 0.0
        top = g.mark_h + (g.height - 2 * g.mark_h - block_h - logo_room) / 2
        logo = None
        if logo_h:
            lx = x + (w - logo_w) / 2 if align == "center" else x
            logo = PictureBox(lx, top, logo_w, logo_h, str(t.logo), alt=f"{b.issuer or b.title} logo")
            top += logo_room
        # the title in a box of its own (the deck's title placeholder), read first; the issuer above it and
        # the subtitle and date below it in theirs, where the one block of the three used to stand
        issuer_h, title_h = sum(p.height for p in issuer), title.height
        slide.boxes.append(TextBox(x, top + issuer_h, w, title_h, (title,), name="Cover title", role=TITLE))
        if issuer:
            slide.boxes.append(TextBox(x, top, w, issuer_h, tuple(issuer), name="Issuer"))
        if rest:
            slide.boxes.append(TextBox(x, top + issuer_h + title_h, w, block_h - issuer_h - title_h, tuple(rest),
                                       name="Cover"))
        if logo is not None:
            slide.boxes.append(logo)
        rule = t.color(t.slide.title_rule)
        if cover != "block" and rule:
            rule_w = g.width * lay.title_rule_length
            rx = (g.width - rule_w) / 2 if align == "center" else x
            slide.boxes.append(Rect(rx, top + block_h + lay.cover_title_gap, rule_w, lay.title_rule, rule,
                                    name="Title rule"))

    def agenda(self) -> None:
        b = self.b
        if len(b.sections) < 2:
            return
        digits = len(str(len(b.sections)))
        items = [Item((Run(s.title),), number=i, digits=digits) for i, s in enumerate(b.sections, start=1)]
        for page in self.compose.list_pages(items, None, b.labels["agenda"], self.note, style="slide_agenda",
                                            columns=True, most=len(items), name="Agenda"):
            self.add("agenda", b.labels["agenda"], boxes=page)

    def divider(self, section: Section) -> None:
        t, g, lay = self.t, self.g, self.lay
        slide = self.add("divider", section.title, section)
        slide.boxes.append(Rect(0, g.mark_h, g.width, g.height - 2 * g.mark_h, t.color(t.slide.section_fill),
                                name="Section background"))
        w = g.w * lay.divider_share
        p = self.ts.fit(section.title, "slide_section", w, g.height / 2, max_lines=lay.cover_title_lines,
                        what=f"section title '{short(section.title)}'")
        if not self.fill_is_dark():
            p = dataclasses.replace(p, color=t.color("text"))
        y = (g.height - p.height) / 2
        x = g.margin * lay.divider_inset
        slide.boxes.append(TextBox(x, y, w, p.height, (p,), name="Section title", role=TITLE))
        rule = t.color(t.slide.title_rule)
        if rule:
            slide.boxes.append(Rect(x, y + p.height + lay.divider_rule_drop, g.width * lay.title_rule_length,
                                    lay.divider_rule, rule, name="Title rule"))

    # -- furniture -------------------------------------------------------------------------------------
    def title_box(self, slide: PlannedSlide) -> None:
        g, lay, ts = self.g, self.lay, self.ts
        p = None
        if slide.kind in VISUAL_KINDS:  # a chart, table or image takes a one-line title when it can
            style = ts.style("slide_title")
            p = ts.fit(slide.title, "slide_title", g.w, g.title_h, max_lines=1, floor=style.size * lay.title_one_line)
            p = p if len(p.lines) == 1 else None
        if p is None:
            p = ts.fit(slide.title, "slide_title", g.w, g.title_h, max_lines=lay.title_lines,
                       what=f"title '{short(slide.title)}'")
        if p.height > g.title_h:  # too long even at the smallest size: cut, and said so
            p = ts.clamp(p, "slide_title", g.w, max(1, int(g.title_h // p.line_height)))
            self.note(f"cut the title '{short(slide.title)}' to fit its slide")
        slide.boxes.insert(0, TextBox(g.x, g.title_y, g.w, g.title_h, (p,), anchor="bottom", name="Title",
                                      role=TITLE))
        rule = self.t.color(self.t.slide.title_rule)
        if rule:
            y = g.title_y + g.title_h + lay.title_rule_drop
            slide.boxes.insert(1, Rect(g.x, y, g.width * lay.title_rule_length, lay.title_rule, rule, name="Title rule"))

    def furniture(self, slide: PlannedSlide, number: int, on_dark: bool) -> None:
        """Marking bands on every slide; below the title slide, a footer with the title and the slide's number."""
        t, b, g, ts, lay = self.t, self.b, self.g, self.ts, self.lay
        if b.marking:
            fill = t.color(t.page.marking_fill)
            for y in (0.0, g.height - g.mark_h):
                if fill:
                    slide.boxes.append(Rect(0, y, g.width, g.mark_h, fill, name="Marking band"))
                slide.boxes.append(TextBox(g.margin, y, g.w, g.mark_h, (self.marking,), anchor="middle",
                                           name="Marking", role=FURNITURE))
        if slide.kind == "title":
            return
        rule = t.color(t.slide.footer_rule)
        if rule and not on_dark:
            slide.boxes.append(Rect(g.x, g.footer_y, g.w, lay.footer_rule, rule, name="Footer rule"))
        color = t.color("on_primary") if on_dark else None
        left_w = g.w * lay.footer_share
        left = ts.clamp(ts.para(b.title, "slide_footer", left_w, space_after=0, color=color), "slide_footer", left_w)
        num = dataclasses.replace(ts.para(str(number), "slide_footer", g.w - left_w, space_after=0, align="right",
                                          color=color), field=SLIDE_NUMBER)
        slide.boxes.append(TextBox(g.x, g.footer_y, left_w, g.footer_h, (left,), anchor="middle", name="Footer",
                                   role=FURNITURE))
        slide.boxes.append(TextBox(g.x + left_w, g.footer_y, g.w - left_w, g.footer_h, (num,), anchor="middle",
                                   name="Slide number", role=FURNITURE))

    def fill_is_dark(self) -> bool:
        fill = self.t.color(self.t.slide.section_fill)
        return sum(w * c for w, c in zip(LUMA, bytes.fromhex(fill.lstrip("#")))) < self.lay.dark_below

    def theme_colors(self) -> dict[str, str]:
        t = self.t
        palette = list(t.chart_palette) + [t.color("secondary"), t.color("muted"), t.color("rule")] * 2
        return {"dk1": t.color("text"), "lt1": t.color("background"), "dk2": t.color("primary"),
                "lt2": t.color("panel"), **{f"accent{i + 1}": palette[i] for i in range(ACCENTS)},
                "hlink": t.color("primary"), "folHlink": t.color("secondary")}

