"""Which marking a book carries when its file does not give one: the most restrictive of its briefings'.

A book printed under a lower marking than one of its briefings would mislabel that
briefing's pages, so the book takes the highest marking among them. Markings are
ranked by the book file's ``markings:`` list when it has one (least restrictive
first; every briefing's marking must be in it), else by :data:`DEFAULT_ORDER`:
a marking written exactly as one of those takes its place; one that starts with one
of them and adds controls after ``//`` (``SECRET//NOFORN``) ranks just above it; any
other marking ranks above them all (it may mean more than briefgen knows). When
the highest rank is shared by markings that differ (``SECRET//NOFORN`` and
``SECRET//REL TO MEX``, or two unknown ones) there is no telling which to print:
that is a problem to settle in the book file, never a guess. Markings are compared
without regard to letter case or runs of spaces.
"""

from __future__ import annotations

from dataclasses import dataclass, field

DEFAULT_ORDER = ("UNCLASSIFIED", "CONFIDENTIAL", "SECRET", "TOP SECRET")
CONTROLS = "//"  # what separates a classification from the controls added to it
_UNKNOWN = float("inf")


@dataclass
class Choice:
    """The book's marking (None for none), what to tell the user about it, and problems that stop the build."""

    marking: str | None
    notes: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def normal(marking: str) -> str:
    """A marking as it is compared: capitals, single spaces."""
    return " ".join(marking.split()).upper()


def _rank(marking: str, order: tuple[str, ...]) -> tuple[float, int]:
    """Where a marking stands in ``order``: (its place, 1 if it adds controls), unknown ones above all."""
    text = normal(marking)
    places = {normal(m): i for i, m in enumerate(order)}
    if text in places:
        return places[text], 0
    head = text.split(CONTROLS, 1)[0].strip()
    if CONTROLS in text and head in places:
        return places[head], 1
    return _UNKNOWN, 0


def book_marking(given: str | None, order: list[str] | tuple[str, ...],
                 markings: list[tuple[str, str | None]]) -> Choice:
    """The marking a book carries: ``given`` (the book file's ``marking:``) when there is one, else the most
    restrictive of ``markings`` ((briefing id, marking or None) in book order), ranked by ``order`` (the book
    file's ``markings:``) or, when that is empty, by :data:`DEFAULT_ORDER`."""
    present = [(bid, m) for bid, m in markings if m]
    explicit = tuple(order)
    ranking = explicit or DEFAULT_ORDER
    if explicit:
        listed = {normal(m) for m in explicit}
        missing = [(bid, m) for bid, m in present if normal(m) not in listed]
        if missing:
            return Choice(None, problems=[f"briefing '{bid}' is marked '{m}', which 'markings:' does not list; "
                                          "add it where it ranks" for bid, m in missing])
    if given:
        choice = Choice(given)
        mine = _rank(given, ranking)
        for bid, m in present:
            if normal(m) != normal(given) and _rank(m, ranking) > mine and mine[0] != _UNKNOWN:
                choice.notes.append(f"briefing '{bid}' is marked '{m}', above the book's marking '{given}'")
        return choice
    if not present:
        return Choice(None)
    top = max(_rank(m, ranking) for _, m in present)
    highest: dict[str, tuple[str, str]] = {}
    for bid, m in present:
        if _rank(m, ranking) == top:
            highest.setdefault(normal(m), (bid, m))
    if len(highest) > 1:
        named = ", ".join(f"'{m}' ('{bid}')" for bid, m in highest.values())
        return Choice(None, problems=[f"cannot tell which of the briefings' markings {named} is the most "
                                      "restrictive; give the book its 'marking:', or a 'markings:' list "
                                      "ordered from least to most restrictive"])
    bid, chosen = next(iter(highest.values()))
    choice = Choice(chosen)
    others = {normal(m) for _, m in present} - {normal(chosen)}
    if top[0] == _UNKNOWN and others:
        choice.notes.append(f"book marked '{chosen}' (from '{bid}'): not one of {' < '.join(DEFAULT_ORDER)}, so "
                            "ranked above the others; give the book its 'marking:' or a 'markings:' order to decide")
    return choice
