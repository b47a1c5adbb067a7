"""The briefing book: several briefings bound into one PDF (a cover, one contents, continuous page numbers,
bookmarks per briefing), one deck (the book's title slide and agenda, then each briefing's slides) and one
file of summaries (a summary per briefing)."""
