"""The deck writer: a SlidePlan serialised to .pptx with python-pptx."""

from .writer import render_pptx

__all__ = ["render_pptx"]
