"""Renderers: the document model and a Theme in, file bytes out. Nothing here parses input."""
