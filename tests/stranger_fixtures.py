"""Fixtures shared by tests of stranger sites: an exchange-rate row (euros into pounds,
a café's roaster and a dental practice's scanner) and a rent-or-buy flat's owning-cost
model (a reader's steps, ranges and charts)."""

from __future__ import annotations

EUR_GBP_FX = """\
eur-gbp:
  base: EUR
  quote: GBP
  rate: 0.87
  source: https://www.example.org/exchange-rates/eur-gbp
  date: 2026-11-28
  confidence: high
"""
OWNING_MODELS = """\
owning_cost:
  title: Yearly cost of owning the flat
  unit: EUR/year
  params:
    flat: {table: housing, label: flat in a city}
    deposit_share: {unit: "%", min: 0, max: 100, default: 20, label: deposit share of the price}
    rate: {unit: "%", min: 0, max: 15, table: housing, column: rate, label: mortgage interest rate}
    savings_rate: {unit: "%", min: -5, max: 10, default: 2.5, label: return the deposit would earn}
  let:
    loan: {expr: flat.price * (1 - deposit_share), label: mortgage loan, unit: EUR}
    deposit: flat.price * deposit_share
  formula: (loan * rate + deposit * savings_rate + flat.price * flat.upkeep) / 1[year]
"""
