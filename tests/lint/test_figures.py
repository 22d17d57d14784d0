"""Spotting figures, hand arithmetic and currency conversions in single sentences.

The sentences quoted from issue 22 (a writer's guides on a heat pump, SQLite or Postgres
and Kubernetes) and issue 21 come first; `test_figures_corpus.py` measures the same rules
on labelled real prose.
"""

from __future__ import annotations

import pytest

from citeguide.lint.arithmetic import worked_by_hand
from citeguide.lint.currencies import converts
from citeguide.lint.figures import figures


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # Units outside LLM prose: pence, millimetres, heat loss per kelvin.
        ("Electricity costs 24.5p per kWh on the capped tariff.", ["24.5p"]),
        ("Microbore pipe is 10 mm across.", ["10 mm"]),
        ("A typical semi-detached house loses 250 W/K.", ["250 W/K"]),
        ("The loft needs 270 mm of insulation.", ["270 mm"]),
        # Counts: with a scale word, with thousands separators, after a comparison.
        ("The UK wants 1.5 million heat pumps installed.", ["1.5 million"]),
        ("About 50,000 developers use the tool.", ["50,000"]),
        ("SQLite does not support joins containing more than 64 tables.", ["more than 64"]),
        ("It handles 400K requests a day.", ["400K requests a day"]),
        ("The survey covered 165 heat pump systems.", ["165 heat pump systems"]),
        # Multiples in words.
        ("A heat pump delivers four times as much heat as it uses.", ["four times as much"]),
        ("Postgres is twice as fast on this query.", ["twice as fast"]),
        ("Connection pooling gave a tenfold rise in throughput.", ["tenfold"]),
        # Measured values and shares.
        ("The systems reach an SPF of 3.86 on average.", ["3.86"]),
        ("About 1 in 3 adults has high blood pressure.", ["1 in 3"]),
    ],
)
def test_figures_outside_llm_prose(sentence: str, expected: list[str]) -> None:
    assert figures(sentence) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        # A target the author sets, not a fact to cite (issue 22).
        "Plan for 99.9% uptime.",
        "Aim for a flow temperature of 45°C.",
        "Goal: 5,000 nodes per cluster.",
        # Measurements used as adjectives name a kind of thing (issue 22).
        "A 50°C flow needs larger radiators.",
        "The 16 kW unit uses the same compressor.",
        "Systems designed for 35°C run close to it.",
        "Use 64-bit integers for row ids.",
        # Names, versions, ordinals, examples, suppositions.
        "Kubernetes 1.27 changed how deleted Pods end.",
        "It needs CUDA 11.8 or 12.1 to run.",
        "System 68 is a Viessmann.",
        "The first half of the year was mild.",
        "A small object (say ~300B) and a large one (e.g. 1MB) behave differently.",
        "If the value is 0, no limit is enforced.",
        "When n = 8, the coefficient is 1.75.",
        "There are 3 ways to run it.",
    ],
)
def test_targets_adjectives_and_names_are_not_figures(sentence: str) -> None:
    assert figures(sentence) == []


def test_a_measurement_naming_an_amount_stays_a_figure() -> None:
    """ "A 300 ms delay" states the delay; "a 50°C flow" names a kind of flow."""
    assert figures("Each hop adds a 300 ms delay.") == ["300 ms"]
    assert figures("It is a 10 kW Grant with a 3.8 kW measured heat loss.") == ["3.8 kW"]


@pytest.mark.parametrize(
    ("sentence", "described"),
    [
        (
            "If you use 3,000 kWh a year at 24.5p per kWh, you pay £735.",
            "'£735' is worked out by hand from '3,000 kWh a year', '24.5p'",
        ),
        (
            "If the pump uses 3,500 kWh at 30p per kWh, that's £1,050 a year.",
            "'£1,050' is worked out by hand from '3,500 kWh', '30p'",
        ),
        (
            "We plan for 5,000 x 32 core machines = 160,000 cores.",
            "'5,000 x 32 core machines = 160,000 cores' is worked out by hand",
        ),
        (
            "You paid basic rate tax at 20% on £22,430 (£35,000 minus £12,570).",
            "'£35,000 minus £12,570' is worked out by hand",
        ),
    ],
)
def test_hand_arithmetic_is_spotted(sentence: str, described: str) -> None:
    hand = worked_by_hand(sentence)
    assert hand is not None
    assert hand.describe() == described


@pytest.mark.parametrize(
    "sentence",
    [
        "If the server sends the first token in 1 sec, the user waits.",
        "If you need 4 vCPUs and 8 GiB memory, use a c5.xlarge.",
        "A heat pump uses 3,000 kWh a year.",
        "1GBps = 8Gbps",
    ],
)
def test_suppositions_without_a_result_are_not_hand_arithmetic(sentence: str) -> None:
    assert worked_by_hand(sentence) is None


@pytest.mark.parametrize(
    ("sentence", "cited", "expected"),
    [
        # Issue 21: an honest conversion that names its rate.
        ("£7,500 is about $10,000 at the October 2025 HMRC rate.", False, True),
        ("£7,500 (roughly $10,000 at $1.33 to the pound) covers it.", False, True),
        ("£7,500 is about $10,000.", True, True),
        # A conversion with no rate stated or cited, and a range mixing currencies.
        ("£7,500 is about $10,000.", False, False),
        ("10M tokens cost roughly $30-£60.", True, False),
        ("It costs £5 here and $9 there at today's rate.", False, False),
    ],
)
def test_a_conversion_must_state_or_cite_its_rate(
    sentence: str, cited: bool, expected: bool
) -> None:
    assert converts(sentence, cited) is expected
