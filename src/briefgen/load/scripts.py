"""Right-to-left text, which briefgen refuses rather than draws wrong.

The PDF writer lays text out left to right, one character after another: Arabic
or Hebrew would come out reversed, and Arabic unjoined. Until both outputs shape
and order such text, a right-to-left letter (Unicode bidirectional class R or
AL) or a control that forces right-to-left order (RLE, RLO, RLI) is a content
error that names the script. Digits of those scripts (class AN) are drawn left to
right, as they are read, and stay allowed.
"""

from __future__ import annotations

import functools
import re
import unicodedata

_RTL_CLASSES = frozenset({"R", "AL", "RLE", "RLO", "RLI"})
# every code point of those classes lies in these blocks (Unicode 15: Hebrew to Arabic Extended-A,
# the right-to-left controls, the presentation forms, and the right-to-left blocks of plane 1)
_BLOCKS = ((0x0590, 0x08FF), (0x200F, 0x200F), (0x202B, 0x202B), (0x202E, 0x202E), (0x2067, 0x2067),
           (0xFB1D, 0xFEFF), (0x10800, 0x10FFF), (0x1E800, 0x1EFFF))
_NAMES = {"NKO": "N'Ko", "RIGHT-TO-LEFT": "a right-to-left control character"}


@functools.cache
def _pattern() -> re.Pattern:
    """A character class of every right-to-left code point (built on first use: a few milliseconds)."""
    ranges = []
    for low, high in _BLOCKS:
        start = None
        for cp in range(low, high + 2):
            rtl = cp <= high and unicodedata.bidirectional(chr(cp)) in _RTL_CLASSES
            if rtl and start is None:
                start = cp
            elif not rtl and start is not None:
                ranges.append(f"{re.escape(chr(start))}-{re.escape(chr(cp - 1))}")
                start = None
    return re.compile("[" + "".join(ranges) + "]")


def first_right_to_left(text: str) -> str | None:
    """The first character of ``text`` written right to left, or None."""
    if text.isascii():
        return None
    found = _pattern().search(text)
    return found.group() if found else None


def script_name(ch: str) -> str:
    """The script a right-to-left character belongs to, as a reader names it ('Arabic', 'Hebrew')."""
    name = unicodedata.name(ch, "")
    first = name.split(" ")[0] if name else ""
    if first in _NAMES:
        return _NAMES[first]
    return first.title() if first else f"U+{ord(ch):04X}"


def right_to_left_problem(text: str) -> str | None:
    """Why ``text`` cannot be drawn, if it holds right-to-left writing; else None."""
    ch = first_right_to_left(text)
    if ch is None:
        return None
    shown = "" if unicodedata.category(ch) == "Cf" else f"'{ch}', "  # a control would turn the message round
    return (f"right-to-left text ({script_name(ch)}: {shown}U+{ord(ch):04X}) cannot be drawn yet: the PDF "
            "would show it reversed and unjoined; write this field in a left-to-right script")
