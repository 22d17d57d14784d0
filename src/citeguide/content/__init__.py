"""Reading content: discovering guides, splitting front matter, parsing one guide."""
