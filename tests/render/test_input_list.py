"""A figure's list of inputs ("How the numbers were computed", and the Markdown twin's
footnote) shows numbers as the figures show them: grouped in the site's locale, a range
with a dash. It echoed the typed text (`20000 km/year`, `2.5..3.2 h/day`; found in a
stranger test); the form's own fields keep the typed value."""

from __future__ import annotations

import pytest

from citeguide.costcore.display import shown_input


@pytest.mark.parametrize(
    ("typed", "locale", "shown"),
    [
        ("20000", "en", "20,000"),
        ("10000000", "de", "10.000.000"),
        ("0.75", "fr", "0,75"),
        ("2.5..3.2", "en", "2.5–3.2"),
        ("1150..1400", "en", "1,150–1,400"),
        ("-5..3", "en", "-5 to 3"),  # a negative end is written out
        ("10M", "en", "10M"),  # as written: the author's own shorthand
        ("true", "en", "true"),
        ("gas-cap-2026q4", "en", "gas-cap-2026q4"),
        ("1..2..3", "en", "1..2..3"),  # no range
    ],
)
def test_inputs_are_shown_as_figures_are(typed: str, locale: str, shown: str) -> None:
    assert shown_input(typed, locale) == shown
