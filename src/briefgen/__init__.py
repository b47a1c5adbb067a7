"""briefgen: structured briefing content into a print-ready PDF and an editable PowerPoint deck.

The library API::

    import briefgen
    briefing = briefgen.load_briefing("us-mexico")
    result = briefgen.build("us-mexico", format="pdf", preset="trade")

Names are imported on first use, so ``briefgen --help`` starts without loading
the content stack or either renderer.
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

_EXPORTS = {
    "build": "api", "build_many": "batch", "watch": "api", "prepare": "api", "BuildResult": "api", "read_inputs": "api",
    "build_book": "api",
    "Format": "formats",
    "load_briefing": "load.briefing", "list_briefings": "load.locate",
    "load_theme": "load.style", "list_styles": "load.locate",
    "BriefgenError": "errors", "ContentError": "errors", "StyleError": "errors", "SelectionError": "errors",
    "UsageError": "errors", "RenderError": "errors",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'briefgen' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value
