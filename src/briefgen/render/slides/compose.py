"""A section's points slide composed by measured fit: bullets, and fact cards beside or below them.

Every arrangement is measured at the deck's bullet size and fact-value size (one of each for the whole
deck, chosen by the planner) before one is chosen: key points and facts share one slide when they fit
(bullets above rows of cards, one row or a 2x2 grid, or beside a column of them): of those that fit, the
one that wraps fewest values, then the one that fills the content area most. When none fits, the
points keep a slide to themselves if they fit there and the cards take the next; only what still does
not fit is split, over as few slides as the measure allows, evened out so that no slide is left with a
bullet or two while the one before it is full.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from ...model import Fact, plain
from ...theme import Theme
from ..plan import Box, Rect, TextBox, TextPara
from .content import Item
from .grid import Grid
from .text import Typesetter

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


def cut_word(p: TextPara) -> bool:
    """Whether a line of ``p`` ends inside a word (a word wider than its box is cut between letters)."""
    text = plain(p.runs)
    text = text.upper() if p.upper else text
    at = 0
    for line in p.lines[:-1]:
        at = text.find(line, at)
        if at < 0:
            return False
        at += len(line)
        if at < len(text) and not text[at].isspace():
            return True
    return False


def value_lines(page: Page) -> dict[str, tuple[int, bool]]:
    """The fact values on ``page``: the lines each takes, and whether a word of it is cut for want of width."""
    return {plain(p.runs): (len(p.lines), cut_word(p)) for box in page
            if isinstance(box, TextBox) and box.name == "Fact value" for p in box.paragraphs}


@dataclass(frozen=True)
class Cards:
    """Fact cards measured at one width: their values (at the deck's one value size) and labels."""

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

    @property
    def misfits(self) -> tuple[int, int]:
        """Values with a word cut, and values on more than one line (see :func:`value_misfits`)."""
        return sum(map(cut_word, self.values)), sum(len(v.lines) > 1 for v in self.values)


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
        # a deck is composed at several sizes before one is chosen: what does not change with the size is
        # measured once: items by width and size, fact values by width and size, fact labels by width (with
        # any note their shrinking made)
        self._paras: dict[tuple, list[TextPara]] = {}
        self._values: dict[tuple[str, float, float], TextPara] = {}
        self._labels: dict[tuple[str, float], tuple[TextPara, list[str]]] = {}

    # -- bullets ---------------------------------------------------------------------------------
    def paras(self, items: list[Item], width: float, size: float | None, style: str = "slide_body",
              spacing: float = 1.0) -> list[TextPara]:
        """Items measured at ``width``; ``spacing`` scales the style's space after each."""
        key = (tuple(items), width, size, style, spacing)
        if key not in self._paras:
            ts = self.ts.style(style)
            after = ts.space_after * (size or ts.size) / ts.size * spacing
            self._paras[key] = [self.ts.para(it.runs, style, width, size=size, bullet=it.bullet, number=it.number,
                                             digits=it.digits, level=it.level, hang=it.hang, space_after=after)
                                for it in items]
        return list(self._paras[key])

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
    def cards(self, facts: list[Fact], width: float, value: float, note: Callable[[str], None]) -> Cards:
        """Cards ``width`` wide, their values set at ``value`` (the deck's one value size; a value too long
        for one line wraps between words)."""
        pad = self.t.fact_box.padding * self.lay.card_padding
        inner = width - 2 * pad
        values = []
        for f in facts:
            key = (f.value, inner, value)
            if key not in self._values:
                self._values[key] = self.ts.para(f.value, "slide_fact_value", inner, size=value, space_after=0)
            values.append(self._values[key])
        return Cards(tuple(values), tuple(self.label(f.label, inner, note) for f in facts), width, pad,
                     value * self.lay.card_value_gap)

    def label(self, text: str, inner: float, note: Callable[[str], None]) -> TextPara:
        """A fact's label ``inner`` wide, shrunk when taller than ``card_label_share`` of the content area."""
        key = (text, inner)
        if key not in self._labels:
            said: list[str] = []
            limit = self.g.h * self.lay.card_label_share
            label = self.ts.para(text, "slide_fact_label", inner, space_after=0)
            if label.height > limit:
                label = self.ts.fit(text, "slide_fact_label", inner, limit, what="a fact label", note=said.append)
            self._labels[key] = (label, said)
        label, said = self._labels[key]
        for message in said:
            note(message)
        return label

    def per_row(self, facts: list[Fact]) -> list[int]:
        """How many cards a row below the points may hold: ``facts_per_row`` at most and, for four facts or
        more, also half of them (a 2x2 grid), whose wider cards keep longer values on one line."""
        most = min(len(facts), self.lay.facts_per_row)
        return sorted({most, -(-len(facts) // 2)} if len(facts) >= 4 else {most}, reverse=True)

    def rows(self, facts: list[Fact], value: float, note, per: int = 0) -> list[Cards]:
        """Facts in rows across the content width, at most ``per`` (``facts_per_row``) to a row, as even
        as that allows."""
        per = per or self.lay.facts_per_row
        n_rows = -(-len(facts) // per)
        size = -(-len(facts) // n_rows)
        out = []
        for k in range(0, len(facts), size):
            row = facts[k:k + size]
            width = (self.g.w - self.card_gap * (len(row) - 1)) / len(row)
            out.append(self.cards(row, width, value, note))
        return out

    def draw_card(self, page: Page, x: float, y: float, h: float, cards: Cards, i: int, own: bool = False) -> None:
        """Card ``i`` of ``cards`` at ``x, y``, ``h`` tall. Cards side by side share their lines: every
        value starts at one top (a value that wraps runs on downwards) and every label at one top, below
        the tallest value. A card standing alone in its row (``own``) centres its own value and label."""
        fill = self.t.color(self.t.slide.fact_fill)
        if fill:
            page.append(Rect(x, y, cards.width, h, fill, name="Fact card"))
        else:
            page.append(Rect(x, y, cards.width, self.lay.card_rule, self.t.color("primary"), name="Fact rule"))
        value_h = cards.values[i].height if own else cards.value_h
        label_h = cards.labels[i].height if own else cards.label_h
        content = value_h + cards.gap + label_h
        top = y + cards.pad + (h - 2 * cards.pad - content) / 2  # a card grown into free space keeps its text centred
        inner = cards.width - 2 * cards.pad
        page.append(TextBox(x + cards.pad, top, inner, value_h, (cards.values[i],), name="Fact value"))
        page.append(TextBox(x + cards.pad, top + value_h + cards.gap, inner, label_h, (cards.labels[i],),
                            name="Fact label"))

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
                    self.draw_card(page, g.x + i * (r.width + self.card_gap), y, h, r, i, own=len(r.values) == 1)
                y += h + self.card_gap
        return page

    def above(self, items: list[Item], facts: list[Fact], size: float, value: float, note) -> list[Option]:
        """Bullets above rows of cards, for each number of cards to a row that fits."""
        paras = self.paras(items, self.g.w, size)
        if len(paras) > self.most:
            return []
        out = []
        for per in self.per_row(facts):
            rows = self.rows(facts, value, note, per)
            need = column_height(paras) + self.gap + sum(r.height for r in rows) + self.card_gap * (len(rows) - 1)
            if need <= self.g.h:
                out.append(Option(misfits(rows), need, self.stack(paras, rows)))
        return out

    def beside(self, items: list[Item], facts: list[Fact], size: float, value: float, note) -> list[Option]:
        """Bullets beside a column of cards, when that fits."""
        g, lay = self.g, self.lay
        bw = (g.w - self.col_gap) * lay.beside_share
        cw = g.w - self.col_gap - bw
        paras = self.paras(items, bw, size)
        cards = self.cards(facts, cw, value, note)
        bh = column_height(paras)
        stacked = len(facts) * cards.height + self.card_gap * (len(facts) - 1)
        need = max(bh, stacked)
        if need > g.h or len(paras) > self.most:
            return []
        h = cards.height + min((need - stacked) / len(facts), cards.height * (lay.card_grow - 1))
        page: Page = [TextBox(g.x, g.y, bw, bh, tuple(paras), name="Body")]
        for i in range(len(facts)):
            self.draw_card(page, g.x + bw + self.col_gap, g.y + i * (h + self.card_gap), h, cards, i, own=True)
        return [Option(cards.misfits, need, page)]

    def facts_pages(self, facts: list[Fact], value: float, note) -> list[Page]:
        """Fact cards alone: in one row, or in two when that fills the content area more fully (wider
        cards keep their values on one line), over more slides only if they must."""
        options = []
        for per in sorted({min(len(facts), self.lay.facts_per_row), -(-len(facts) // 2)}):
            rows = self.rows(facts, value, note, per)
            need = sum(r.height for r in rows) + self.card_gap * (len(rows) - 1)
            if need <= self.g.h:
                options.append(Option(misfits(rows), need, rows))
        if options:
            return [self.stack([], best(options).page)]
        rows = self.rows(facts, value, note)
        groups = balanced([r.height + self.card_gap for r in rows], [self.card_gap] * len(rows), [0] * len(rows),
                          self.g.h, 1)
        return [self.stack([], [rows[i] for i in group]) for group in groups]

    def points(self, items: list[Item], facts: list[Fact], size: float, value: float, what: str, note, *,
               columns: bool = False) -> list[Page]:
        """The slides of a section's points: ``items`` at ``size`` and ``facts`` as cards with their values
        at ``value`` (see the module)."""
        if not facts:
            return self.list_pages(items, size, what, note, columns=columns) if items else []
        if not items:
            return self.facts_pages(facts, value, note)
        options = self.above(items, facts, size, value, note) + self.beside(items, facts, size, value, note)
        if options:
            return [best(options).page]
        bullets = self.list_pages(items, size, what, note)
        if len(bullets) == 1:  # the points stay together; the cards get a slide of their own
            return bullets + self.facts_pages(facts, value, note)
        # split: bullets across the width, then the rows of cards, evened out over the slides
        paras, cut = self.cut_tall(self.paras(items, self.g.w, size))
        if cut:
            note(f"split a long paragraph of '{what}' over slides")
        rows = min((self.rows(facts, value, note, per) for per in self.per_row(facts)),
                   key=lambda rs: (misfits(rs), len(rs)))
        heights = [p.height for p in paras] + [self.gap + r.height for r in rows]
        trails = [p.space_after for p in paras] + [0.0] * len(rows)
        groups = balanced(heights, trails, [1] * len(paras) + [0] * len(rows), self.g.h, self.most)
        n = len(paras)
        return [self.stack([paras[i] for i in grp if i < n], [rows[i - n] for i in grp if i >= n]) for grp in groups]


@dataclass(frozen=True)
class Option:
    """One arrangement of a section's points slide: its fact values' misfits (cut, wrapped), the height it
    takes, and its boxes (or its rows of cards)."""

    misfits: tuple[int, int]
    need: float
    page: object


def misfits(rows: list[Cards]) -> tuple[int, int]:
    cut, wrapped = zip(*(r.misfits for r in rows))
    return sum(cut), sum(wrapped)


def best(options: list[Option]) -> Option:
    """The arrangement that cuts and wraps fewest values, and of those the one that fills the slide most."""
    return min(options, key=lambda o: (o.misfits, -o.need))
