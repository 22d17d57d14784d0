"""Entry point for `python -m citeguide`."""

from citeguide.cli import main

raise SystemExit(main())
