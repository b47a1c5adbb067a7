"""Input readers: the only code that opens input files.

Briefing folders (YAML, templates, Markdown), style files, fonts and images are
read and validated here into the document model and the Theme; nothing
downstream parses a file.
"""
