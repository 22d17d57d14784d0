"""Publishing a parsed guide: HTML page, JSON twin, site-wide files."""
