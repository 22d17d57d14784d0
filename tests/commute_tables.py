"""A stranger test's tables, shared by the tests of steps and ranges: an e-bike (its price a
range) against a monthly travel pass, in pounds."""

from __future__ import annotations

COMMUTE_TABLES = {
    "content/data/bikes.yaml": """\
columns:
  price: GBP
  upkeep: GBP/year
rows:
  ebike:
    price: 1800..2400
    upkeep: 120
    source: https://www.example.org/bikes/ebike
    date: 2026-11-15
    confidence: medium
""",
    "content/data/passes.yaml": """\
columns:
  fare: GBP/month
rows:
  zones:
    fare: 205.80
    source: https://www.example.org/fares/zones
    date: 2026-11-15
    confidence: high
""",
}
