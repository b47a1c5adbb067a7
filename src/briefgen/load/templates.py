"""Sandboxed Jinja2 for text fields and section bodies.

Text that contains no template syntax is returned as it is, without touching
Jinja2 at all. Values inserted into Markdown are escaped so that they stay text:
a variable holding ``**x**`` prints two asterisks, never bold.
"""

from __future__ import annotations

import contextlib
import functools
import re
import signal
import threading
import time
import types
from pathlib import Path
from typing import Any, Callable

from ..errors import ContentError, Problem

_HAS_SYNTAX = re.compile(r"\{[{%#]")
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!<>|~&])")
MAX_OUTPUT_CHARS = 2_000_000
MAX_SECONDS = 2.0  # per template; briefing text renders in microseconds
from .template_limits import (
    MAX_INT_BITS,
    MAX_VALUE,
    METHODS,
    Buffer,
    bounded_filter,
    count,
    limit,
    percent_size,
    shallow_size,
    spec_size,
    text_size,
)


def escape_markdown(value: str) -> str:
    """Markdown with every ASCII punctuation that could be markup backslash-escaped."""
    return _MD_SPECIAL.sub(r"\\\1", value)


def _finalizer(escape: bool) -> Callable[[Any], Any]:
    def finalize(value: Any) -> Any:
        if value is None:
            return ""
        if not isinstance(value, str):
            limit(text_size(value), "printing a value")
        text = str(value)
        return escape_markdown(text) if escape else text

    return finalize


@functools.lru_cache(maxsize=1)
def _sandbox_class():
    """The sandbox class, built on first use: most briefings have no template syntax, and then Jinja2
    is never imported."""
    import jinja2
    from jinja2.compiler import CodeGenerator
    from jinja2.runtime import markup_join, str_join
    from jinja2.sandbox import SandboxedEnvironment, SandboxedFormatter
    from jinja2.utils import generate_lorem_ipsum
    from markupsafe import EscapeFormatter, Markup

    class BoundedFormatter(SandboxedFormatter):
        """str.format in the sandbox, counting what each field will print before it is formatted."""

        def vformat(self, format_string, args, kwargs):
            self.made = len(format_string)
            return super().vformat(format_string, args, kwargs)

        def format_field(self, value, format_spec):
            self.made += max(spec_size(format_spec), text_size(value))
            limit(self.made, "format()")
            return super().format_field(value, format_spec)

    class BoundedEscapeFormatter(BoundedFormatter, EscapeFormatter):
        pass

    class Generator(CodeGenerator):
        """Jinja's code generator, but ``a ~ b`` joins through the environment, which checks the size first."""

        def visit_Concat(self, node, frame):
            self.write("environment.join_text((")
            for arg in node.nodes:
                self.visit(arg, frame)
                self.write(", ")
            markup = "context.eval_ctx.volatile" if frame.eval_ctx.volatile else repr(bool(frame.eval_ctx.autoescape))
            self.write(f"), {markup})")

        def buffer(self, frame):
            super().buffer(frame)
            self.writeline(f"{frame.buffer} = environment.text_buffer()")

    class BoundedSandbox(SandboxedEnvironment):
        """The sandbox, with every value a template makes limited to MAX_VALUE before it is made.

        Covered: the methods that grow strings, bytes, lists, dicts and sets
        (padding, replace, join, tab expansion, extend...), ``str.format`` field by
        field, ``%`` formatting, ``+``, ``~``, ``*`` and ``**``, every filter (each
        checks what it would print, and center, indent, format, wordwrap, replace,
        join, sum, batch and slice what their arguments ask for), printing, and the
        text of blocks, macros and ``{% set %}`` blocks. The optimiser is off, so
        nothing is computed at compile time outside these checks.
        """

        code_generator_class = Generator
        intercepted_binops = frozenset(["*", "**", "+", "%"])

        def __init__(self, **options):
            super().__init__(optimized=False, **options)
            self.filters = {name: bounded_filter(name, fn) for name, fn in self.filters.items()}
            self.globals["lipsum"] = self._lipsum

        text_buffer = Buffer

        @staticmethod
        def concat(pieces):  # the text of a block, a macro or a {% set %} block
            pieces = list(pieces)
            limit(sum(map(len, pieces)), "a block of text")
            return "".join(pieces)

        @staticmethod
        def join_text(values, markup):
            size = 0
            for v in values:
                size += text_size(v)
                limit(size, "~")
            return markup_join(values) if markup else str_join(values)

        @staticmethod
        def _lipsum(n=5, html=True, min=20, max=100):  # noqa: A002 - Jinja's own argument names
            limit(count(n) * count(max) * 16, "lipsum()")
            return generate_lorem_ipsum(n, html, min, max)

        def call_binop(self, context, operator, left, right):
            if operator == "*":
                for seq, n in ((left, right), (right, left)):
                    if isinstance(seq, (str, bytes, list, tuple)) and isinstance(n, int) and len(seq) * n > MAX_VALUE:
                        raise jinja2.exceptions.SecurityError("repetition builds too large a value")
                if isinstance(left, int) and isinstance(right, int):
                    self._bits(left.bit_length() + right.bit_length())
            elif operator == "**":
                if isinstance(right, (int, float)) and abs(right) > 1000:
                    raise jinja2.exceptions.SecurityError("exponent too large")
                if isinstance(left, int) and isinstance(right, int) and right > 0:
                    self._bits(left.bit_length() * right)
            elif operator == "+":
                if isinstance(left, (str, bytes, list, tuple)) and isinstance(right, (str, bytes, list, tuple)):
                    limit(len(left) + len(right), "+", "characters" if isinstance(left, (str, bytes)) else "items")
            elif operator == "%" and isinstance(left, (str, bytes)):
                limit(percent_size(left, right), "% formatting")
            return super().call_binop(context, operator, left, right)

        @staticmethod
        def _bits(bits: int) -> None:
            if bits > MAX_INT_BITS:
                raise jinja2.exceptions.SecurityError(f"an integer of {bits:,} bits would be too large a value")

        def call(self, context, obj, /, *args, **kwargs):
            name = getattr(obj, "__name__", None)
            owner = getattr(obj, "__self__", None)
            rule = METHODS.get(name) if isinstance(name, str) else None
            if rule is not None and owner is not None and isinstance(owner, rule[0]):
                size, args, kwargs = rule[1](owner, args, kwargs)
                limit(size, f"{name}()", rule[2])
            result = super().call(context, obj, *args, **kwargs)
            limit(shallow_size(result), f"{name or 'the call'}()")
            return result

        def wrap_str_format(self, value):
            if not (isinstance(value, (types.MethodType, types.BuiltinMethodType))
                    and value.__name__ in ("format", "format_map") and isinstance(value.__self__, str)):
                return None
            template = value.__self__
            by_name = value.__name__ == "format_map"

            def bounded_format(*args, **kwargs):
                if by_name:
                    if kwargs or len(args) != 1:
                        raise TypeError("format_map() takes exactly one argument")
                    args, kwargs = (), args[0]
                formatter = (BoundedEscapeFormatter(self, escape=template.escape) if isinstance(template, Markup)
                             else BoundedFormatter(self))
                return type(template)(formatter.vformat(template, args, kwargs))

            return functools.update_wrapper(bounded_format, value)

        def format_string(self, s, args, kwargs, format_func=None):  # Jinja before 3.1.5 formats through here
            method = getattr(s, format_func.__name__ if format_func is not None else "format")
            return self.wrap_str_format(method)(*args, **kwargs)

    return BoundedSandbox


class Templater:
    """Renders template text against one briefing's variables.

    Two sandboxed environments share the settings: one for Markdown fields (values
    escaped), one for plain fields. Undefined names are errors (StrictUndefined).
    """

    def __init__(self, context: dict[str, Any]):
        self.context = context
        self._envs: dict[bool, Any] = {}

    def _env(self, markdown: bool):
        if markdown not in self._envs:
            import jinja2

            self._envs[markdown] = _sandbox_class()(
                undefined=jinja2.StrictUndefined, autoescape=False, finalize=_finalizer(markdown),
                keep_trailing_newline=True)
        return self._envs[markdown]

    def render(self, text: str, *, file: Path, field: str, line: int | None = None,
               markdown: bool, extra: dict[str, Any] | None = None) -> str:
        """The text with its template syntax evaluated; plain text comes back unchanged.

        ``line`` is the file line where ``text`` starts, so a template error points
        into the file rather than into the field.
        """
        if not _HAS_SYNTAX.search(text):
            return text
        import jinja2

        env = self._env(markdown)
        ctx = self.context if not extra else {**self.context, **extra}
        try:
            out = _bounded(env.from_string(text), ctx)
        except _TooMuch as exc:
            raise ContentError(Problem(f"template {exc}", file=file, line=line, field=field)) from None
        except jinja2.TemplateSyntaxError as exc:
            raise ContentError(Problem(f"template syntax error: {exc.message}", file=file,
                                       line=_line(line, exc.lineno), field=field)) from None
        except jinja2.UndefinedError as exc:
            raise ContentError(Problem(f"template error: {exc.message}; define it under 'vars' in briefing.yaml",
                                       file=file, line=line, field=field)) from None
        except jinja2.exceptions.SecurityError as exc:
            raise ContentError(Problem(f"template refused by the sandbox: {exc}", file=file, line=line,
                                       field=field)) from None
        except Exception as exc:  # a template can raise anything Python can (1/0, bad filter args)
            raise ContentError(Problem(f"template error: {type(exc).__name__}: {exc}", file=file,
                                       line=line, field=field)) from None
        return out


class _TooMuch(Exception):
    """A template ran longer or wrote more than a briefing's text can need."""


@contextlib.contextmanager
def _alarm(seconds: float):
    """Interrupt the block after ``seconds`` (main thread on Unix; elsewhere the output checks still apply)."""
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return

    def stop(signum, frame):
        raise _TooMuch(f"took longer than {seconds:g} s; simplify its loops")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _bounded(template, ctx) -> str:
    """The template's output, stopped once it is too long or too slow to be briefing text."""
    chunks = []
    size = 0
    deadline = time.monotonic() + MAX_SECONDS
    with _alarm(MAX_SECONDS):
        for chunk in template.generate(ctx):
            size += len(chunk)
            if size > MAX_OUTPUT_CHARS:
                raise _TooMuch(f"output is larger than {MAX_OUTPUT_CHARS:,} characters")
            if time.monotonic() > deadline:
                raise _TooMuch(f"took longer than {MAX_SECONDS:g} s; simplify its loops")
            chunks.append(chunk)
    return "".join(chunks)


def _line(start: int | None, lineno: int | None) -> int | None:
    if start is None:
        return lineno
    return start + (lineno or 1) - 1
