"""Sandboxed Jinja2 for text fields and section bodies.

Text that contains no template syntax is returned as it is, without touching
Jinja2 at all. Values inserted into Markdown are escaped so that they stay text:
a variable holding ``**x**`` prints two asterisks, never bold.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Callable

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from .errors import ContentError, Problem

_HAS_SYNTAX = re.compile(r"\{[{%#]")
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!<>|~&])")
MAX_OUTPUT_CHARS = 2_000_000


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


class Templater:
    """Renders template text against one briefing's variables.

    Two sandboxed environments share the settings: one for Markdown fields (values
    escaped), one for plain fields. Undefined names are errors (StrictUndefined).
    """

    def __init__(self, context: dict[str, Any]):
        self.context = context
        self._envs = {
            escape: SandboxedEnvironment(
                undefined=jinja2.StrictUndefined,
                autoescape=False,
                finalize=_finalizer(escape),
                keep_trailing_newline=True,
            )
            for escape in (True, False)
        }

    def render(self, text: str, *, file: Path, field: str, line: int | None = None,
               markdown: bool, extra: dict[str, Any] | None = None) -> str:
        """The text with its template syntax evaluated; plain text comes back unchanged.

        ``line`` is the file line where ``text`` starts, so a template error points
        into the file rather than into the field.
        """
        if not _HAS_SYNTAX.search(text):
            return text
        env = self._envs[markdown]
        ctx = self.context if not extra else {**self.context, **extra}
        try:
            out = env.from_string(text).render(ctx)
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
        if len(out) > MAX_OUTPUT_CHARS:
            raise ContentError(Problem(f"template output is larger than {MAX_OUTPUT_CHARS:,} characters",
                                       file=file, line=line, field=field))
        return out


def _line(start: int | None, lineno: int | None) -> int | None:
    if start is None:
        return lineno
    return start + (lineno or 1) - 1
