"""briefgen: structured briefing content into a print-ready PDF and an editable PowerPoint deck.

The library API::

    import briefgen
    briefing = briefgen.load_briefing("us-mexico")
    result = briefgen.build("us-mexico", format="pdf", preset="trade")
"""

from .api import BuildResult, Format, build, prepare
from .content import list_briefings, load_briefing
from .errors import BriefgenError, ContentError, RenderError, SelectionError, StyleError, UsageError
from .theme import list_styles, load_theme

__all__ = ["build", "prepare", "load_briefing", "list_briefings", "load_theme", "list_styles", "Format",
           "BuildResult", "BriefgenError", "ContentError", "StyleError", "SelectionError", "UsageError",
           "RenderError"]
__version__ = "0.1.0"
