"""citeguide: a static site generator for cited decision guides."""

__version__ = "0.1.0"
