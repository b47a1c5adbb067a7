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
from pathlib import Path
from typing import Any, Callable

from ..errors import ContentError, Problem

_HAS_SYNTAX = re.compile(r"\{[{%#]")
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!<>|~&])")
MAX_OUTPUT_CHARS = 2_000_000
MAX_SECONDS = 2.0  # per template; briefing text renders in microseconds


def escape_markdown(value: str) -> str:
    """Markdown with every ASCII punctuation that could be markup backslash-escaped."""
    return _MD_SPECIAL.sub(r"\\\1", value)


def _finalizer(escape: bool) -> Callable[[Any], Any]:
    def finalize(value: Any) -> Any:
        if value is None:
            return ""
        text = str(value)
        return escape_markdown(text) if escape else text

    return finalize


MAX_SEQUENCE = 1_000_000  # characters or items one template expression may build


@functools.lru_cache(maxsize=1)
def _sandbox_class():
    """The sandbox class, built on first use: most briefings have no template syntax, and then Jinja2
    is never imported."""
    import jinja2
    from jinja2.sandbox import SandboxedEnvironment

    class BoundedSandbox(SandboxedEnvironment):
        """The sandbox, plus limits on ``*`` and ``**`` so one expression cannot take all memory or time."""

        intercepted_binops = frozenset(["*", "**"])

        def call_binop(self, context, operator, left, right):
            if operator == "*":
                for seq, n in ((left, right), (right, left)):
                    if isinstance(seq, (str, list, tuple)) and isinstance(n, int) and len(seq) * n > MAX_SEQUENCE:
                        raise jinja2.exceptions.SecurityError("repetition builds too large a value")
            if operator == "**" and isinstance(right, (int, float)) and abs(right) > 1000:
                raise jinja2.exceptions.SecurityError("exponent too large")
            return super().call_binop(context, operator, left, right)

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
