"""Limits on what a template may make: every value's size is checked from its arguments before it is
allocated (padding, formatting, joins, repetition, filters), so no template can take more than a few MB."""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import ItemsView, KeysView, ValuesView
from typing import Any, Callable

MAX_VALUE = 1_000_000  # characters, bytes or items in any one value a template makes
MAX_SEQUENCE = MAX_VALUE  # the name the limit on repetition had first
MAX_INT_BITS = 1 << 16  # an integer briefing text could print has a few dozen digits, not twenty thousand
MAX_PIECES = 100_000  # lists one filter call may make (|slice), as many as the sandbox's range has items


def limit(size: int, what: str, unit: str = "characters") -> None:
    """Refuse, before it is made, a value larger than MAX_VALUE."""
    if size > MAX_VALUE:
        from jinja2.exceptions import SecurityError

        raise SecurityError(f"{what} would build too large a value ({size:,} {unit}; at most {MAX_VALUE:,})")


def text_size(value: Any, limit: int = MAX_VALUE) -> int:
    """An upper bound on ``len(str(value))``, found without building it; counting stops once past ``limit``.

    Strings count their length; inside a container (printed as its repr) a
    string counts what escaping can make of it. Containers count every item
    each time it is referred to, as printing them does.
    """
    if isinstance(value, str):
        return len(value)
    from jinja2.utils import Namespace

    total = 0
    stack = [value]
    while stack and total <= limit:
        v = stack.pop()
        if isinstance(v, str):
            total += (2 if v.isprintable() else 10) * len(v) + 2
        elif isinstance(v, (bytes, bytearray)):
            total += 4 * len(v) + 14
        elif v is None or isinstance(v, bool):
            total += 5
        elif isinstance(v, int):
            total += v.bit_length() * 3 // 10 + 2
        elif isinstance(v, float):
            total += 24
        elif isinstance(v, dict):
            total += 2 + 4 * len(v)
            stack.extend(v.keys())
            stack.extend(v.values())
        elif isinstance(v, (list, tuple, set, frozenset, KeysView, ValuesView, ItemsView)):
            total += 16 + 2 * len(v)
            stack.extend(v)
        elif isinstance(v, Namespace):
            total += 14
            stack.append(object.__getattribute__(v, "_Namespace__attrs"))
        else:  # dates, ranges, and Jinja's loops, macros and cyclers: a short line each
            total += 200
    return total


def shallow_size(value: Any) -> int:
    return len(value) if isinstance(value, (str, bytes, bytearray, list, tuple, dict, set, frozenset)) else 0


# --------------------------------------------------------------------------- methods of values


def _arg(args: tuple, kwargs: dict, i: int, name: str, default: Any) -> Any:
    return args[i] if len(args) > i else kwargs.get(name, default)


def count(value: Any) -> int:
    """An int argument as the size it asks for; anything else is left for the call itself to refuse."""
    return value if isinstance(value, int) else 0


def _padding(s, args, kwargs):  # ljust, rjust, center, zfill
    return max(len(s), count(_arg(args, kwargs, 0, "width", 0))), args, kwargs


def _tabs(s, args, kwargs):
    tab = "\t" if isinstance(s, str) else b"\t"
    return len(s) + s.count(tab) * max(count(_arg(args, kwargs, 0, "tabsize", 8)), 0), args, kwargs


def _replacement(s, args, kwargs):
    old, new = _arg(args, kwargs, 0, "old", None), _arg(args, kwargs, 1, "new", None)
    if not (isinstance(old, type(s)) and isinstance(new, type(s))) or len(new) <= len(old):
        return len(s), args, kwargs
    times = s.count(old) if old else len(s) + 1
    count = _arg(args, kwargs, 2, "count", -1)
    if isinstance(count, int) and count >= 0:
        times = min(times, count)
    return len(s) + times * (len(new) - len(old)), args, kwargs


def _joined(sep, args, kwargs):
    if not args:
        return len(sep), args, kwargs
    items = list(args[0])  # an iterable is read once, here: the join gets the list
    size = len(sep) * max(len(items) - 1, 0)
    for item in items:
        size += len(item) if isinstance(item, (str, bytes, bytearray)) else 0
        if size > MAX_VALUE:
            break
    return size, (items, *args[1:]), kwargs


def _translated(s, args, kwargs):
    table = _arg(args, kwargs, 0, "table", None)
    longest = 1
    if isinstance(table, dict):
        longest = max([len(v) for v in table.values() if isinstance(v, str)] + [1])
    return len(s) * longest, args, kwargs


def _encoded(s, args, kwargs):
    return len(s) * 10, args, kwargs  # '&#1114111;' is the longest any character becomes


def _hexed(s, args, kwargs):
    return len(s) * 3, args, kwargs


def _timed(d, args, kwargs):
    fmt = _arg(args, kwargs, 0, "format", "")
    return (len(fmt) * 16 if isinstance(fmt, str) else 0), args, kwargs


def _int_bytes(n, args, kwargs):
    return count(_arg(args, kwargs, 0, "length", 1)), args, kwargs


def _one_more(seq, args, kwargs):
    return len(seq) + 1, args, kwargs


def _extended(seq, args, kwargs):
    if not args:
        return len(seq), args, kwargs
    items = list(args[0])
    return len(seq) + len(items), (items, *args[1:]), kwargs


def _updated(mapping, args, kwargs):
    items = tuple(list(a.items()) if isinstance(a, dict) else list(a) for a in args)
    return len(mapping) + sum(map(len, items)) + len(kwargs), items, kwargs


_TEXT = (str, bytes, bytearray)
# method name: (the values whose method it is, what the call would make, its unit)
METHODS: dict[str, tuple[tuple[type, ...], Callable, str]] = {
    "ljust": (_TEXT, _padding, "characters"), "rjust": (_TEXT, _padding, "characters"),
    "center": (_TEXT, _padding, "characters"), "zfill": (_TEXT, _padding, "characters"),
    "expandtabs": (_TEXT, _tabs, "characters"), "replace": (_TEXT, _replacement, "characters"),
    "join": (_TEXT, _joined, "characters"), "translate": (_TEXT, _translated, "characters"),
    "encode": ((str,), _encoded, "bytes"), "hex": ((bytes, bytearray), _hexed, "characters"),
    "strftime": ((dt.date, dt.time), _timed, "characters"), "to_bytes": ((int,), _int_bytes, "bytes"),
    "append": ((list,), _one_more, "items"), "insert": ((list,), _one_more, "items"),
    "add": ((set,), _one_more, "items"), "setdefault": ((dict,), _one_more, "items"),
    "extend": ((list, bytearray), _extended, "items"), "update": ((dict, set), _updated, "items"),
}


# --------------------------------------------------------------------------- operators and formatting

_PERCENT = re.compile(r"%(?:\((?P<key>[^)]*)\))?[#0 +-]*(?P<width>\*|\d+)?(?:\.(?P<prec>\*|\d*))?[hlL]?(?P<conv>.)",
                      re.S)
_SPEC = re.compile(r"(?:.?[<>=^])?[-+ ]?z?#?0?(?P<width>\d*)[,_]?(?:\.(?P<prec>\d*))?", re.S)


def percent_size(template: str | bytes, values: Any) -> int:
    """An upper bound on the length of ``template % values``: each conversion's width, precision and value."""
    text = template.decode("latin-1") if isinstance(template, (bytes, bytearray)) else template
    positional = list(values) if isinstance(values, tuple) else [values]
    mapping = values if isinstance(values, dict) else None
    size = len(text)
    taken = 0

    def next_value() -> Any:
        nonlocal taken
        taken += 1
        return positional[taken - 1] if taken <= len(positional) else None

    for m in _PERCENT.finditer(text):
        if m["conv"] == "%":
            continue
        width = count(next_value()) if m["width"] == "*" else int(m["width"] or 0)
        prec = count(next_value()) if m["prec"] == "*" else int(m["prec"] or 0)
        if mapping is not None:
            value = mapping.get(m["key"]) if m["key"] is not None else mapping
        else:
            value = next_value()
        shown = text_size([value]) if m["conv"] in "ra" else text_size(value)
        size += max(abs(width), prec, shown) + 24  # a number prints within a float's 24 characters
        if size > MAX_VALUE:
            break
    return size


def spec_size(spec: str) -> int:
    """An upper bound on what one format spec adds to a field: its width or precision, or a strftime format."""
    m = _SPEC.match(spec)
    width = int(m["width"] or 0) if m else 0
    prec = int(m["prec"] or 0) if m else 0
    return max(width, prec + 24) + 16 * len(spec)


# --------------------------------------------------------------------------- filters

def _filter_center(a):
    return max(text_size(a["value"]), count(a.get("width", 80)))


def _filter_indent(a):
    s = str(a["s"])
    width = a.get("width", 4)
    step = len(width) if isinstance(width, str) else count(width)
    return len(s) + (s.count("\n") + 1) * step


def _filter_format(a):
    return percent_size(str(a["value"]), a.get("kwargs") or tuple(a.get("args", ())))


def _filter_wordwrap(a):
    s = str(a["s"])
    wrap = a.get("wrapstring")
    return len(s) + (len(s) + 1) * (len(str(wrap)) if wrap is not None else 2)


def _filter_replace(a):
    s, old, new, count = str(a["s"]), str(a["old"]), str(a["new"]), a.get("count")
    return _replacement(s, (old, new, -1 if count is None else count), {})[0]


def _filter_join(a):
    sep = text_size(a.get("d", ""))
    size = 0
    for n, item in enumerate(a["value"]):
        size += text_size(item) + (sep if n else 0)
        if size > MAX_VALUE:
            break
    return size


def _filter_sum(a):
    start = a.get("start", 0)
    if not isinstance(start, (list, tuple, str)):
        return 0
    return len(start) + sum(shallow_size(item) for item in a["iterable"])


def _filter_slices(a):
    return count(a.get("slices", 0)) * (MAX_VALUE // MAX_PIECES)


def _filter_batch(a):
    return count(a.get("linecount", 0))


# filter: (what it would make, from its arguments by name with defaults applied; its unit; the arguments
# read into a list first, so the check and the filter see the same items)
_FILTER_SIZES: dict[str, tuple[Callable[[dict], int], str, tuple[str, ...]]] = {
    "center": (_filter_center, "characters", ()), "indent": (_filter_indent, "characters", ()),
    "format": (_filter_format, "characters", ()), "wordwrap": (_filter_wordwrap, "characters", ()),
    "replace": (_filter_replace, "characters", ()), "join": (_filter_join, "characters", ("value",)),
    "sum": (_filter_sum, "items", ("iterable",)), "slice": (_filter_slices, "items", ()),
    "batch": (_filter_batch, "items", ()),
}
# filters that look at a list's items rather than print the list
_NOT_PRINTING = frozenset([
    "abs", "attr", "batch", "count", "d", "default", "dictsort", "first", "float", "groupby", "int", "items",
    "join", "last", "length", "list", "map", "max", "min", "random", "reject", "rejectattr", "reverse", "round",
    "select", "selectattr", "slice", "sort", "sum", "unique", "filesizeformat"])


def bounded_filter(name: str, fn: Callable) -> Callable:
    """A filter that refuses to make a value larger than MAX_VALUE, checked from its arguments first.

    It takes the template's context, as Jinja does only for filters it must not
    run at compile time: so no filter runs outside a render and its checks.
    """
    import inspect

    from jinja2.utils import _PassArg, pass_context

    passes = _PassArg.from_obj(fn)
    params = list(inspect.signature(fn).parameters.values())
    if _PassArg.from_obj(inspect.unwrap(fn)) is not None:
        params = params[1:]  # the environment or context Jinja passes: not one of the template's arguments
    signature = inspect.Signature(params)
    rule = _FILTER_SIZES.get(name)
    prints = name not in _NOT_PRINTING

    @pass_context
    @functools.wraps(fn, assigned=("__module__", "__name__", "__qualname__", "__doc__"))
    def bounded(context, *args: Any, **kwargs: Any) -> Any:
        first = {_PassArg.context: (context,), _PassArg.eval_context: (context.eval_ctx,),
                 _PassArg.environment: (context.environment,)}.get(passes, ())
        try:
            bound = signature.bind(*args, **kwargs)
        except TypeError:
            return fn(*first, *args, **kwargs)  # wrong arguments: the filter's own error says which
        bound.apply_defaults()
        named = bound.arguments
        if prints:
            for value in named.values():
                if not isinstance(value, str):
                    limit(text_size(value), f"|{name}")
        if rule is not None:
            size_of, unit, materialise = rule
            for key in materialise:
                if not isinstance(named.get(key), (list, tuple, str)):
                    named[key] = list(named[key])
            limit(size_of(named), f"|{name}", unit)
        result = fn(*first, *bound.args, **bound.kwargs)
        limit(shallow_size(result), f"|{name}")
        return result

    return bounded


class Buffer(list):
    """Where Jinja collects the text of a block, a macro or a ``{% set %}`` block: refuses to grow too large."""

    __slots__ = ("size",)

    def __init__(self) -> None:
        super().__init__()
        self.size = 0

    def append(self, piece: str) -> None:
        self.size += len(piece)
        limit(self.size, "a block of text")
        super().append(piece)

    def extend(self, pieces) -> None:
        pieces = tuple(pieces)
        self.size += sum(map(len, pieces))
        limit(self.size, "a block of text")
        super().extend(pieces)
