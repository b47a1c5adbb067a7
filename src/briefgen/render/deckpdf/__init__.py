"""The deck as PDF: a slides PDF (one page per slide) and a speaker handout (slides with their notes), both
drawn with reportlab from the same SlidePlan the PPTX writer serialises; python-pptx is never imported."""

from .deck import SlidesPdfOptions, render_slides_pdf
from .handout import PER_PAGE, HandoutOptions, render_handout

__all__ = ["PER_PAGE", "HandoutOptions", "SlidesPdfOptions", "render_handout", "render_slides_pdf"]
