"""Entry point for `python -m citeguide`."""

from citeguide.cli import run

run()
