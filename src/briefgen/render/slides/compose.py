"""A section's points slide composed by measured fit: bullets, and fact cards beside or below them.

Every arrangement is measured at the deck's bullet size before one is chosen: key points and facts
share one slide when they fit (bullets above a row of cards, or beside a column of them, whichever
fills the content area more fully). When they do not, the points keep a slide to themselves if they
fit there and the cards take the next; only what still does not fit is split, over as few slides as
the measure allows, evened out so that no slide is left with a bullet or two while the one before it
is full.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from ...model import Fact
from ...theme import Theme
from ..plan import Box, Rect, TextBox, TextPara
from .content import Item
from .grid import Grid
from .text import SHRINK_STEP, Typesetter

BISECT_STEPS = 24  # halvings of the height limit when evening out a split: far below a point
Page = list[Box]


def column_height(paras: list[TextPara]) -> float:
    """The height paragraphs take stacked: the last one's space after is not part of it."""
    return sum(p.height for p in paras) - (paras[-1].space_after if paras else 0.0)


def balanced(heights: list[float], trails: list[float], weights: list[int], cap: float, most: int,
             per_page: int = 1) -> list[list[int]]:
    """Item indices cut into runs, each no taller than ``cap`` (an item's trailing space does not
    count at the end of a run) and of weight at most ``most``: as few runs as will do, filling whole
    pages of ``per_page`` runs, and then evened out by lowering the height limit as far as that
    number of runs allows."""

    def runs(limit: float) -> list[list[int]]:
        out: list[list[int]] = []
        cur: list[int] = []
        used, count = 0.0, 0
        for i, (h, t, w) in enumerate(zip(heights, trails, weights)):
            if cur and (used + h - t > limit or count + w > most):
                out.append(cur)
                cur, used, count = [], 0.0, 0
            cur.append(i)
            used += h
            count += w
        if cur:
            out.append(cur)
        return out

    first = runs(cap)
    if len(first) <= 1:
        return first
    target = -(-len(first) // per_page) * per_page
    lo = min(cap, max(h - t for h, t in zip(heights, trails)))
    hi = cap
    for _ in range(BISECT_STEPS):
        mid = (lo + hi) / 2
        if len(runs(mid)) <= target:
            hi = mid
        else:
            lo = mid
    return runs(hi)


@dataclass(frozen=True)
class Cards:
    """Fact cards measured at one width: their values (one size for all) and labels."""

    values: tuple[TextPara, ...]
    labels: tuple[TextPara, ...]
    width: float
    pad: float
    gap: float

    @property
    def value_h(self) -> float:
        return max(v.height for v in self.values)

    @property
    def label_h(self) -> float:
        return max(lb.height for lb in self.labels)

    @property
    def height(self) -> float:
        """The measured height of a card: padding, the tallest value, the gap, the tallest label."""
        return 2 * self.pad + self.value_h + self.gap + self.label_h


class Composer:
    """Bullets and fact cards laid out in a Grid's content area."""

    def __init__(self, ts: Typesetter, grid: Grid, theme: Theme):
        self.ts, self.g, self.t = ts, grid, theme
        self.lay = lay = theme.slide.layout
        self.gap = grid.margin * lay.block_gap
        self.col_gap = grid.margin * lay.column_gap
        self.card_gap = grid.margin * lay.card_gap
        # "about six": a slide takes a bullet or two more when that saves a slide (runs are then evened out)
        self.most = theme.slide.max_bullets + lay.bullets_leeway

    # -- bullets ---------------------------------------------------------------------------------
    def paras(self, items: list[Item], width: float, size: float | None, style: str = "slide_body",
              spacing: float = 1.0) -> list[TextPara]:
        """Items measured at ``width``; ``spacing`` scales the style's space after each."""
        ts = self.ts.style(style)
        after = ts.space_after * (size or ts.size) / ts.size * spacing
        return [self.ts.para(it.runs, style, width, size=size, bullet=it.bullet, number=it.number, digits=it.digits,
                             level=it.level, hang=it.hang, space_after=after) for it in items]

    def cut_tall(self, paras: list[TextPara]) -> tuple[list[TextPara], int]:
        """Paragraphs taller than the content area cut between lines; and how many were cut."""
        out: list[TextPara] = []
        cut = 0
        for p in paras:
            if p.height - p.space_after > self.g.h:
                out.extend(self.ts.cut(p, self.g.h))
                cut += 1
            else:
                out.append(p)
        return out, cut

    def list_pages(self, items: list[Item], size: float | None, what: str, note: Callable[[str], None], *,
                   style: str = "slide_body", columns: bool = False, most: int | None = None,
                   name: str = "Body") -> list[Page]:
        """Items in one column, or two when that takes fewer slides, over as few slides as they need.

        One column holds ``most`` items at most (by default the style's ``max_bullets`` and its leeway);
        two columns, for a list of short items such as references, set closer and are bounded by their
        height alone."""
        best = None
        for cols in ((1, 2) if columns else (1,)):
            width = (self.g.w - self.col_gap * (cols - 1)) / cols
            spacing = self.lay.list_spacing if cols > 1 else 1.0  # short items, closely set
            paras, cut = self.cut_tall(self.paras(items, width, size, style, spacing))
            groups = balanced([p.height for p in paras], [p.space_after for p in paras], [1] * len(paras),
                              self.g.h, (most or self.most) if cols == 1 else len(paras), cols)
            pages = -(-len(groups) // cols)
            if best is None or pages < best[0]:
                best = (pages, cols, width, paras, groups, cut)
        pages, cols, width, paras, groups, cut = best
        if cut:
            note(f"split a long paragraph of '{what}' over slides")
        out: list[Page] = []
        for k in range(0, len(groups), cols):
            page: Page = []
            for c, group in enumerate(groups[k:k + cols]):
                column = [paras[i] for i in group]
                page.append(TextBox(self.g.x + c * (width + self.col_gap), self.g.y, width, column_height(column),
                                    tuple(column), name=name))
            out.append(page)
        return out

    # -- fact cards --------------------------------------------------------------------------------
    def cards(self, facts: list[Fact], width: float, note: Callable[[str], None]) -> Cards:
        """Cards ``width`` wide: values as large as lets every one stay on one line, down to a floor."""
        lay, ts = self.lay, self.ts
        pad = self.t.fact_box.padding * lay.card_padding
        inner = width - 2 * pad
        style = ts.style("slide_fact_value")
        floor = max(ts.min_size, style.size * lay.card_value_floor)
        size = style.size
        while size - SHRINK_STEP >= floor and not all(ts.fits_line(f.value, "slide_fact_value", inner, size)
                                                       for f in facts):
            size -= SHRINK_STEP
        values = tuple(ts.para(f.value, "slide_fact_value", inner, size=size, space_after=0) for f in facts)
        labels = []
        for f in facts:
            label = ts.para(f.label, "slide_fact_label", inner, space_after=0)
            if label.height > self.g.h * lay.card_label_share:
                label = ts.fit(f.label, "slide_fact_label", inner, self.g.h * lay.card_label_share,
                               what="a fact label", note=note)
            labels.append(label)
        return Cards(values, tuple(labels), width, pad, size * lay.card_value_gap)

    def rows(self, facts: list[Fact], note, per: int = 0) -> list[Cards]:
        """Facts in rows across the content width, at most ``per`` (``facts_per_row``) to a row, as even
        as that allows."""
        per = per or self.lay.facts_per_row
        n_rows = -(-len(facts) // per)
        size = -(-len(facts) // n_rows)
        out = []
        for k in range(0, len(facts), size):
            row = facts[k:k + size]
            width = (self.g.w - self.card_gap * (len(row) - 1)) / len(row)
            out.append(self.cards(row, width, note))
        return out

    def draw_card(self, page: Page, x: float, y: float, h: float, cards: Cards, i: int) -> None:
        fill = self.t.color(self.t.slide.fact_fill)
        if fill:
            page.append(Rect(x, y, cards.width, h, fill, name="Fact card"))
        else:
            page.append(Rect(x, y, cards.width, self.lay.card_rule, self.t.color("primary"), name="Fact rule"))
        top = y + cards.pad + (h - cards.height) / 2  # a card grown into free space keeps its text centred
        inner = cards.width - 2 * cards.pad
        page.append(TextBox(x + cards.pad, top, inner, cards.value_h, (cards.values[i],), anchor="bottom",
                            name="Fact value"))
        page.append(TextBox(x + cards.pad, top + cards.value_h + cards.gap, inner, cards.label_h,
                            (cards.labels[i],), name="Fact label"))

    # -- composing -----------------------------------------------------------------------------------
    def stack(self, paras: list[TextPara], rows: list[Cards]) -> Page:
        """Bullets across the content width with rows of fact cards below them; cards grow into the free
        space (on a slide of their own, to at least ``card_alone`` of its height)."""
        g, lay = self.g, self.lay
        page: Page = []
        y = g.y
        if paras:
            bh = column_height(paras)
            page.append(TextBox(g.x, y, g.w, bh, tuple(paras), name="Body"))
            y += bh + self.gap
        if rows:
            natural = sum(r.height for r in rows) + self.card_gap * (len(rows) - 1)
            free = max(0.0, g.y + g.h - y - natural) / len(rows)
            for r in rows:
                grow = r.height * (lay.card_grow - 1)
                if not paras:
                    grow = max(grow, g.h * lay.card_alone / len(rows) - r.height)
                h = r.height + min(free, grow)
                for i in range(len(r.values)):
                    self.draw_card(page, g.x + i * (r.width + self.card_gap), y, h, r, i)
                y += h + self.card_gap
        return page

    def above(self, items: list[Item], facts: list[Fact], size: float, note) -> tuple[float, Page] | None:
        paras = self.paras(items, self.g.w, size)
        rows = self.rows(facts, note)
        need = column_height(paras) + self.gap + sum(r.height for r in rows) + self.card_gap * (len(rows) - 1)
        if need > self.g.h or len(paras) > self.most:
            return None
        return need, self.stack(paras, rows)

    def beside(self, items: list[Item], facts: list[Fact], size: float, note) -> tuple[float, Page] | None:
        g, lay = self.g, self.lay
        bw = (g.w - self.col_gap) * lay.beside_share
        cw = g.w - self.col_gap - bw
        paras = self.paras(items, bw, size)
        cards = self.cards(facts, cw, note)
        bh = column_height(paras)
        stacked = len(facts) * cards.height + self.card_gap * (len(facts) - 1)
        need = max(bh, stacked)
        if need > g.h or len(paras) > self.most:
            return None
        h = cards.height + min((need - stacked) / len(facts), cards.height * (lay.card_grow - 1))
        page: Page = [TextBox(g.x, g.y, bw, bh, tuple(paras), name="Body")]
        for i in range(len(facts)):
            self.draw_card(page, g.x + bw + self.col_gap, g.y + i * (h + self.card_gap), h, cards, i)
        return need, page

    def facts_pages(self, facts: list[Fact], note) -> list[Page]:
        """Fact cards alone: in one row, or in two when that fills the content area more fully (wider
        cards keep their values on one line), over more slides only if they must."""
        options = []
        for per in sorted({min(len(facts), self.lay.facts_per_row), -(-len(facts) // 2)}):
            rows = self.rows(facts, note, per)
            need = sum(r.height for r in rows) + self.card_gap * (len(rows) - 1)
            if need <= self.g.h:
                options.append((need, rows))
        if options:
            return [self.stack([], max(options, key=lambda o: o[0])[1])]
        rows = self.rows(facts, note)
        groups = balanced([r.height + self.card_gap for r in rows], [self.card_gap] * len(rows), [0] * len(rows),
                          self.g.h, 1)
        return [self.stack([], [rows[i] for i in group]) for group in groups]

    def points(self, items: list[Item], facts: list[Fact], size: float, what: str, note, *,
               columns: bool = False) -> list[Page]:
        """The slides of a section's points: ``items`` at ``size`` and ``facts`` as cards (see the module)."""
        if not facts:
            return self.list_pages(items, size, what, note, columns=columns) if items else []
        if not items:
            return self.facts_pages(facts, note)
        options = [o for o in (self.above(items, facts, size, note), self.beside(items, facts, size, note)) if o]
        if options:
            return [max(options, key=lambda o: o[0])[1]]
        bullets = self.list_pages(items, size, what, note)
        if len(bullets) == 1:  # the points stay together; the cards get a slide of their own
            return bullets + self.facts_pages(facts, note)
        # split: bullets across the width, then the rows of cards, evened out over the slides
        paras, cut = self.cut_tall(self.paras(items, self.g.w, size))
        if cut:
            note(f"split a long paragraph of '{what}' over slides")
        rows = self.rows(facts, note)
        heights = [p.height for p in paras] + [self.gap + r.height for r in rows]
        trails = [p.space_after for p in paras] + [0.0] * len(rows)
        groups = balanced(heights, trails, [1] * len(paras) + [0] * len(rows), self.g.h, self.most)
        n = len(paras)
        return [self.stack([paras[i] for i in grp if i < n], [rows[i - n] for i in grp if i >= n]) for grp in groups]
