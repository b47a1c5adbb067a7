"""The printed briefing: the document model and a Theme into PDF bytes (reportlab platypus)."""

from .document import PdfOptions, render_pdf

__all__ = ["PdfOptions", "render_pdf"]
