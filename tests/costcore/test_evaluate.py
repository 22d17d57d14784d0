"""The cost core against worked examples recomputed by hand, and its properties.

Hand arithmetic for each case is in the comment next to it. Prices come from the fixture
tables in tests/fixtures/tableroot/content/data, a frozen copy of the bundled tables.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from citeguide.content.tables import load_tables
from citeguide.costcore.evaluate import evaluate
from citeguide.costcore.quantities import HOURS_PER_MONTH, CalcError, parse_number, plain
from citeguide.diagnostics import Diagnostics
from conftest import fixture_library

FIXTURES = Path(__file__).parent.parent / "fixtures"
GBP = Decimal("1.3683")  # USD per GBP in fx.yaml

TABLES = fixture_library()
REGISTRY = TABLES.models


def calc(name: str, **params: object) -> Decimal:
    return evaluate(name, {k: str(v).lower() if isinstance(v, bool) else str(v)
                           for k, v in params.items()}, TABLES).value  # fmt: skip


def approx(value: Decimal, expected: Decimal | str | int, tol: str = "0.000001") -> bool:
    return abs(value - Decimal(expected)) <= Decimal(tol)


def test_a_month_is_730_hours() -> None:
    assert Decimal(8760) / 12 == HOURS_PER_MONTH == 730


@pytest.mark.parametrize(
    ("text", "expected"),
    [("10M", 10_000_000), ("1.5k", 1500), ("2B", 2_000_000_000), ("0.75", Decimal("0.75")),
     ("1,000", 1000), ("1_000_000", 1_000_000), (".5", Decimal("0.5"))],
)  # fmt: skip
def test_numbers_accept_suffixes(text: str, expected: Decimal | int) -> None:
    assert parse_number(text) == expected


@pytest.mark.parametrize("text", ["ten", "1e6", "-5", "5m", "1.2.3", ""])
def test_bad_numbers_are_rejected(text: str) -> None:
    with pytest.raises(CalcError):
        parse_number(text, "tokens")


# ------------------------------------------------------------------ api_cost
@pytest.mark.parametrize(
    ("params", "expected"),
    [
        # 7.5M × $1 + 2.5M × $5 = 7.5 + 12.5
        ({"tokens": "10M", "model": "claude-haiku-4.5"}, "20"),
        # cost-facts: 90% input → 9 + 5 = $14
        ({"tokens": "10M", "model": "claude-haiku-4.5", "input_share": "0.9"}, "14"),
        # cost-facts: 50% input → 5 + 25 = $30
        ({"tokens": "10M", "model": "claude-haiku-4.5", "input_share": "0.5"}, "30"),
        # cost-facts: every token output → 10 × 5 = $50, the most 10M tokens can cost
        ({"tokens": "10M", "model": "claude-haiku-4.5", "input_share": "0"}, "50"),
        # all input → 10 × 1
        ({"tokens": "10M", "model": "claude-haiku-4.5", "input_share": "1"}, "10"),
        # Sonnet blended 0.75 × 3 + 0.25 × 15 = 6 per 1M; × 100
        ({"tokens": "100M", "model": "claude-sonnet-4.5"}, "600"),
        # GPT-5 at 80% input: 0.8 × 1.25 + 0.2 × 10 = 3 per 1M; × 1,000
        ({"tokens": "1B", "model": "gpt-5", "input_share": "0.8"}, "3000"),
        # explicit prices: 0.75 × 2 + 0.25 × 8 = 3.5 per 1M; × 5
        ({"tokens": "5M", "input_price": "2", "output_price": "8"}, "17.5"),
        # batch halves: 2 × 0.5 × 10
        ({"tokens": "10M", "model": "claude-haiku-4.5", "batch": "true"}, "10"),
        # all input cached: 0.75 × 0.10 + 0.25 × 5 = 1.325 per 1M; × 10
        ({"tokens": "10M", "model": "claude-haiku-4.5", "cached_share": "1"}, "13.25"),
        # half cached, batch: (0.75 × 0.55 + 1.25) × 0.5 = 0.83125; × 10
        ({"tokens": "10M", "model": "claude-haiku-4.5", "cached_share": "0.5", "batch": "true"},
         "8.3125"),
        # nothing used, nothing paid
        ({"tokens": "0", "model": "claude-haiku-4.5"}, "0"),
        # 1,500 tokens at $2 per 1M
        ({"tokens": "1.5k", "model": "claude-haiku-4.5"}, "0.003"),
    ],
)  # fmt: skip
def test_api_cost_worked_examples(params: dict[str, str], expected: str) -> None:
    result = evaluate("api_cost", params, TABLES)
    assert result.value == Decimal(expected)
    assert result.unit == "USD/month"


def test_api_cost_in_pounds_uses_the_cited_rate() -> None:
    result = evaluate("api_cost", {"tokens": "10M", "model": "claude-haiku-4.5",
                                   "currency": "GBP"}, TABLES)  # fmt: skip
    assert approx(result.value, Decimal(20) / GBP)  # $20 ÷ 1.3683 = £14.6168
    assert result.display == "£14.62"
    assert result.unit == "GBP/month"
    assert [(f.id, f.rate) for f in result.fx] == [("gbp-usd-2026-02-10", GBP)]
    assert {f.url for f in result.sources} == {
        "https://www.anthropic.com/pricing",
        "https://www.tradingeconomics.com/united-kingdom/currency",
    }


def test_reference_page_range_of_30_to_60_is_impossible() -> None:
    """The seed page's "$30–£60" for 10M Haiku tokens exceeds the $50 ceiling."""
    ceiling = calc("api_cost", tokens="10M", model="claude-haiku-4.5", input_share=0)
    assert ceiling == 50
    assert calc("api_cost", tokens="10M", model="claude-haiku-4.5", input_share=0,
                currency="GBP") < 60 / GBP * GBP  # fmt: skip


# ------------------------------------------------------------------ blended_price
@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"model": "claude-haiku-4.5"}, "2"),  # 0.75 + 1.25
        ({"model": "claude-sonnet-4.5"}, "6"),  # 2.25 + 3.75
        ({"model": "gpt-5"}, "3.4375"),  # 0.9375 + 2.5
        ({"model": "claude-haiku-4.5", "batch": "true"}, "1"),  # 2 × 0.5
        # 0.9 × (0.5 × 1 + 0.5 × 0.1) + 0.1 × 5 = 0.495 + 0.5
        ({"model": "claude-haiku-4.5", "input_share": "0.9", "cached_share": "0.5"}, "0.995"),
        ({"model": "gpt-5", "input_share": "1", "cached_share": "1"}, "0.125"),  # cache read
        # (0.75 × (1.5 + 0.15) + 3.75) × 0.5
        ({"model": "claude-sonnet-4.5", "batch": "true", "cached_share": "0.5"}, "2.49375"),
        ({"input_price": "1", "output_price": "5", "input_share": "0.5"}, "3"),
        ({"input_price": "0", "output_price": "0"}, "0"),
        ({"model": "claude-sonnet-4.5", "input_share": "0"}, "15"),  # output only
    ],
)
def test_blended_price_worked_examples(params: dict[str, str], expected: str) -> None:
    result = evaluate("blended_price", params, TABLES)
    assert result.value == Decimal(expected)
    assert result.unit == "USD/1M tokens"


def test_blended_price_in_pounds() -> None:
    assert approx(calc("blended_price", model="claude-haiku-4.5", currency="GBP"), 2 / GBP)


# ------------------------------------------------------------------ selfhost_cost
@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"gpu_hourly": "2"}, "1460"),  # 2 × 730
        ({"gpu_hourly": "2", "gpus": "8"}, "11680"),  # 2 × 8 × 730
        ({"gpu_hourly": "h100-sxm-rental-high"}, "2912.7"),  # 3.99 × 730
        ({"gpu_hourly": "h100-sxm-rental-low", "gpus": "2"}, "3635.4"),  # 2.49 × 2 × 730
        ({"gpu_hourly": "2", "hours": "200"}, "400"),
        ({"gpu_hourly": "2", "ops_monthly": "500"}, "1960"),
        # 36,000 / 36 + 1 kW × 730 h × 0.2
        ({"capex": "36000", "power_kw": "1", "electricity_per_kwh": "0.2"}, "1146"),
        # 36,000 / 24 + 1 × 1.5 × 730 × 0.2
        ({"capex": "36000", "power_kw": "1", "pue": "1.5", "electricity_per_kwh": "0.2",
          "depreciation_months": "24"}, "1719"),
        # 0 + 0 + ops
        ({"capex": "0", "power_kw": "0", "ops_monthly": "100"}, "100"),
    ],
)  # fmt: skip
def test_selfhost_cost_worked_examples(params: dict[str, str], expected: str) -> None:
    assert calc("selfhost_cost", **params) == Decimal(expected)


def test_owned_a100_from_tables() -> None:
    # 15,000 / 36 = 416.6667; 0.4 kW × 730 h × $0.10 = 29.2
    value = calc("selfhost_cost", hardware="a100-80gb", electricity_per_kwh="0.1")
    assert approx(value, Decimal(15000) / 36 + Decimal("29.2"))
    # two GPUs, average PUE 1.56: 30,000 / 36 + 0.8 × 1.56 × 730 × 0.1 = 833.3333 + 91.104
    value = calc("selfhost_cost", hardware="a100-80gb", gpus=2, pue="pue-industry-2024",
                 electricity_per_kwh="0.1")  # fmt: skip
    assert approx(value, Decimal(30000) / 36 + Decimal("91.104"))


def test_owned_a100_in_pounds_with_uk_electricity() -> None:
    # $15,000 → £10,962.51 / 36 = £304.51; 0.4 × 1.56 × 730 × £0.26 = £118.4352
    value = calc("selfhost_cost", hardware="a100-80gb", pue="pue-industry-2024",
                 electricity_per_kwh="uk-business-electricity-high", currency="GBP")  # fmt: skip
    assert approx(value, Decimal(15000) / GBP / 36 + Decimal("118.4352"))


# ------------------------------------------------------------------ capacity
@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"tokens_per_second": "1"}, 2_628_000),  # 3,600 × 730
        ({"tokens_per_second": "48"}, 126_144_000),  # single-stream ceiling of one H100
        ({"tokens_per_second": "58"}, 152_424_000),  # Oracle's concurrency-1 figure
        # the seed page's "30–50M tokens a month" is only 11.4–19 tokens per second
        ({"tokens_per_second": "11.4"}, 29_959_200),
        ({"tokens_per_second": "19"}, 49_932_000),
        ({"tokens_per_second": "llama-3.3-70b-fp8-h200"}, 7_644_852_000),  # 2,909 × 2,628,000
        # 4,205 for two GPUs is 2,102.5 per GPU; × 2 GPUs
        ({"tokens_per_second": "llama-3.3-70b-fp8-2xh100", "gpus": "2"}, 11_050_740_000),
        ({"tokens_per_second": "100", "utilisation": "0.5"}, 131_400_000),
        ({"tokens_per_second": "100", "gpus": "4"}, 1_051_200_000),
        ({"tokens_per_second": "100", "hours": "100"}, 36_000_000),
        ({"tokens_per_second": "llama-3.3-70b-fp8-h200", "utilisation": "0.25"}, 1_911_213_000),
    ],
)
def test_capacity_worked_examples(params: dict[str, str], expected: int) -> None:
    result = evaluate("capacity", params, TABLES)
    assert result.value == expected
    # Throughputs count generated tokens: capacity is in output tokens, never "tokens".
    assert result.unit == "output tokens/month"


# ------------------------------------------------------------------ selfhost_cost_per_million
@pytest.mark.parametrize(
    ("params", "expected"),
    [
        # published rule: $/GPU-hour ÷ (tokens/s × 3,600) × 1M = 2 / 3.6
        ({"gpu_hourly": "2", "tokens_per_second": "1000"}, Decimal(2) / Decimal("3.6")),
        ({"gpu_hourly": "1", "tokens_per_second": "1000"}, Decimal(1) / Decimal("3.6")),
        # a quarter busy costs four times as much per token
        ({"gpu_hourly": "1", "tokens_per_second": "1000", "utilisation": "0.25"},
         Decimal(4) / Decimal("3.6")),
        # 3.99 / (2,102.5 × 3,600 × 0.5 / 1M) = 3.99 / 3.7845
        ({"gpu_hourly": "3.99", "tokens_per_second": "2102.5", "utilisation": "0.5"},
         Decimal("3.99") / Decimal("3.7845")),
        ({"gpu_hourly": "h100-sxm-rental-high", "tokens_per_second": "llama-3.3-70b-fp8-2xh100",
          "gpus": "2", "utilisation": "0.5"}, Decimal("3.99") / Decimal("3.7845")),
        ({"gpu_hourly": "2", "tokens_per_second": "48"}, Decimal(2) / Decimal("0.1728")),
        # GPUs cancel: each adds its price and its throughput
        ({"gpu_hourly": "2", "tokens_per_second": "500", "gpus": "4"}, Decimal(2) / Decimal("1.8")),
        # operations double the monthly bill: (1,460 + 1,460) / 2,628
        ({"gpu_hourly": "2", "tokens_per_second": "1000", "ops_monthly": "1460"},
         Decimal(2920) / 2628),
        # hours cancel too
        ({"gpu_hourly": "2", "tokens_per_second": "1000", "hours": "365"},
         Decimal(2) / Decimal("3.6")),
        # own: 36,000 / 36 = 1,000 a month over 2,628M tokens
        ({"capex": "36000", "power_kw": "0", "tokens_per_second": "1000"}, Decimal(1000) / 2628),
    ],
)  # fmt: skip
def test_selfhost_cost_per_million_worked_examples(
    params: dict[str, str], expected: Decimal
) -> None:
    assert approx(calc("selfhost_cost_per_million", **params), expected)


# ------------------------------------------------------------------ breakeven_tokens
@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"selfhost_monthly": "2000", "model": "claude-haiku-4.5"}, Decimal("1e9")),  # 2000 / 2
        # cost-facts: £1,500 at Haiku prices → 1,500 × 1.3683 / 2 = 1.026 billion
        ({"selfhost_monthly": "1500", "currency": "GBP", "model": "claude-haiku-4.5"},
         Decimal(1500) * GBP / 2 * 10**6),
        ({"selfhost_monthly": "2500", "currency": "GBP", "model": "claude-haiku-4.5"},
         Decimal(2500) * GBP / 2 * 10**6),
        ({"selfhost_monthly": "1500", "currency": "GBP", "model": "claude-haiku-4.5",
          "input_share": "0.5"}, Decimal(1500) * GBP / 3 * 10**6),
        ({"selfhost_monthly": "2500", "currency": "GBP", "model": "claude-haiku-4.5",
          "input_share": "0.9"}, Decimal(2500) * GBP / Decimal("1.4") * 10**6),
        ({"selfhost_monthly": "600", "model": "claude-sonnet-4.5"}, Decimal("1e8")),
        ({"gpu_hourly": "h100-sxm-rental-high", "model": "claude-haiku-4.5"},
         Decimal("2912.7") / 2 * 10**6),
        ({"selfhost_monthly": "1000", "input_price": "1", "output_price": "5"}, Decimal("5e8")),
        ({"selfhost_monthly": "1000", "model": "claude-haiku-4.5", "batch": "true"},
         Decimal("1e9")),
        ({"gpu_hourly": "2", "gpus": "2", "model": "gpt-5"},
         Decimal(2920) / Decimal("3.4375") * 10**6),
    ],
)  # fmt: skip
def test_breakeven_worked_examples(params: dict[str, str], expected: Decimal) -> None:
    assert approx(calc("breakeven_tokens", **params), expected, "0.001")


def test_breakeven_reports_whether_the_gpus_can_serve_it() -> None:
    slow = evaluate("breakeven_tokens", {"selfhost_monthly": "2000", "model": "claude-haiku-4.5",
                                         "tokens_per_second": "48"}, TABLES)  # fmt: skip
    assert slow.value == Decimal("1e9")
    assert slow.extra == {"feasible": False}  # 126M a month < 1B
    fast = evaluate("breakeven_tokens", {"selfhost_monthly": "2000", "model": "claude-haiku-4.5",
                                         "tokens_per_second": "1000"}, TABLES)  # fmt: skip
    assert fast.extra == {"feasible": True}  # 2.628B ≥ 1B
    assert fast.as_dict()["feasible"] is True


# ------------------------------------------------------------------ hybrid_cost
@pytest.mark.parametrize(
    ("params", "expected"),
    [
        # 1,000 + 20M × $6 per 1M
        ({"tokens": "100M", "local_share": "0.8", "local_monthly": "1000",
          "model": "claude-sonnet-4.5"}, "1120"),
        ({"tokens": "100M", "local_share": "0", "local_monthly": "1000",
          "model": "claude-sonnet-4.5"}, "1600"),
        ({"tokens": "100M", "local_share": "1", "local_monthly": "1000",
          "model": "claude-sonnet-4.5"}, "1000"),
        ({"tokens": "10M", "local_share": "0.5", "local_monthly": "0",
          "model": "claude-haiku-4.5"}, "10"),
        # a rented A100 all month: 1.49 × 730 = 1,087.70; + 20M × 6
        ({"tokens": "100M", "local_share": "0.8", "local_monthly": "a100-80gb-rental-low",
          "model": "claude-sonnet-4.5"}, "1207.7"),
        # 2,000 + 100M × 3.4375
        ({"tokens": "1B", "local_share": "0.9", "local_monthly": "2000", "model": "gpt-5"},
         "2343.75"),
        ({"tokens": "100M", "local_share": "0.5", "local_monthly": "500",
          "model": "claude-haiku-4.5", "batch": "true"}, "550"),
        ({"tokens": "10M", "local_share": "0.5", "local_monthly": "100", "input_price": "2",
          "output_price": "8"}, "117.5"),
        ({"tokens": "0", "local_share": "0.5", "local_monthly": "300",
          "model": "claude-haiku-4.5"}, "300"),
        # input only: 100 + 50M × $1
        ({"tokens": "100M", "local_share": "0.5", "local_monthly": "100",
          "model": "claude-haiku-4.5", "input_share": "1"}, "150"),
    ],
)  # fmt: skip
def test_hybrid_cost_worked_examples(params: dict[str, str], expected: str) -> None:
    assert calc("hybrid_cost", **params) == Decimal(expected)


def test_hybrid_in_pounds_converts_only_the_api_side() -> None:
    value = calc("hybrid_cost", tokens="100M", local_share="0.8", local_monthly="1000",
                 model="claude-sonnet-4.5", currency="GBP")  # fmt: skip
    assert approx(value, 1000 + Decimal(120) / GBP)


# ------------------------------------------------------------------ errors
@pytest.mark.parametrize(
    ("name", "params", "param", "fragment"),
    [
        ("api_cost", {"tokens": "10M", "model": "nope"}, "model", "no such row"),
        ("api_cost", {"tokens": "10M", "model": "claude-haiku-4.5", "input_share": "1.5"},
         "input_share", "between 0 and 1"),
        ("api_cost", {"model": "claude-haiku-4.5"}, "tokens", "missing tokens"),
        ("api_cost", {"tokens": "10M"}, "input_price", "model=... or input_price"),
        ("api_cost", {"tokens": "10M", "model": "claude-haiku-4.5", "input_price": "1"},
         "input_price", "model= already sets"),
        ("api_cost", {"tokens": "10M", "input_price": "1", "output_price": "5", "batch": "true"},
         "batch_multiplier", "explicit prices with batch=true need"),
        ("api_cost", {"tokens": "10M", "model": "claude-haiku-4.5", "currency": "JPY"},
         "currency", "no exchange rate"),
        ("api_cost", {"tokens": "10M", "model": "claude-haiku-4.5", "tokenz": "1"}, "tokenz",
         "did you mean tokens"),
        ("selfhost_cost", {}, "gpu_hourly", "needs gpu_hourly"),
        ("selfhost_cost", {"gpu_hourly": "2", "hardware": "a100-80gb"}, "gpu_hourly",
         "choose rent"),
        ("selfhost_cost", {"gpu_hourly": "2", "pue": "1.5"}, "pue", "owned hardware"),
        ("selfhost_cost", {"capex": "1000"}, "power_kw", "power_kw"),
        ("selfhost_cost", {"hardware": "a100-80gb"}, "electricity_per_kwh", "draws power"),
        ("selfhost_cost", {"gpu_hourly": "a100-80gb-purchase"}, "gpu_hourly",
         "purchase price, not a rental"),
        # A hardware id is not a price: the row to rent is named (was: picked when alone).
        ("selfhost_cost", {"gpu_hourly": "a100-80gb"}, "gpu_hourly", "no such row"),
        ("selfhost_cost", {"gpu_hourly": "2", "hours": "800"}, "hours", "744"),
        ("capacity", {"tokens_per_second": "0"}, "tokens_per_second", None),
        ("breakeven_tokens", {"selfhost_monthly": "1", "input_price": "0", "output_price": "0"},
         "input_price", "never breaks even"),
    ],
)  # fmt: skip
def test_bad_parameters_name_the_parameter(
    name: str, params: dict[str, str], param: str, fragment: str | None
) -> None:
    with pytest.raises(CalcError) as caught:
        evaluate(name, params, TABLES)
    assert caught.value.param == param
    if fragment:
        assert fragment in caught.value.message


def test_unknown_calculator_suggests_the_closest() -> None:
    with pytest.raises(CalcError, match="did you mean api_cost"):
        evaluate("api_costs", {}, TABLES)


def test_result_lists_the_inputs_read_with_defaults_and_derived_values_apart() -> None:
    result = evaluate("api_cost", {"tokens": "10M", "model": "claude-haiku-4.5"}, TABLES)
    # What api_cost read: given, defaulted (the site's currency among them); the row's
    # prices are its facts, the blended price a step of the called model.
    assert result.inputs == {
        "batch": False, "cached_share": 0, "currency": "USD", "input_share": 0.75,
        "model": "claude-haiku-4.5", "tokens": 10_000_000,
    }  # fmt: skip
    assert {p.name: p.origin for p in result.params}["tokens"] == "given"
    assert {p.name: p.origin for p in result.params}["input_share"] == "default"
    assert [(r.table, r.id) for r in result.sources] == [("api_prices", "claude-haiku-4.5")]
    assert result.derived == {}


def test_inputs_leave_out_what_the_branch_did_not_read() -> None:
    """Renting reads the rental row, GPUs and hours; the owning branch's defaults
    (depreciation, PUE) and breakeven's unused self-hosting defaults are not inputs."""
    rent = evaluate("selfhost_cost", {"gpu_hourly": "h100-sxm-rental-low"}, TABLES)
    assert set(rent.inputs) == {"gpu_hourly", "gpus", "hours", "ops_monthly"}
    given = evaluate(
        "breakeven_tokens",
        {"selfhost_monthly": "1500", "currency": "GBP", "model": "claude-haiku-4.5"},
        TABLES,
    )
    assert "depreciation_months" not in given.inputs
    assert "pue" not in given.inputs
    assert "utilisation" not in given.inputs
    assert "gpus" not in given.inputs
    assert given.inputs["selfhost_monthly"] == 1500
    assert given.inputs["currency"] == "GBP"
    assert given.derived["price"] == pytest.approx(float(2 / GBP))  # the blended price
    assert "price" not in given.inputs


# ------------------------------------------------------------------ properties
money = st.decimals(min_value=Decimal("0.01"), max_value=Decimal(10**6), places=2)
shares = st.decimals(min_value=0, max_value=1, places=3)
volumes = st.integers(min_value=0, max_value=10**12)
models = st.sampled_from(sorted(TABLES.tables.tables["api_prices"].rows))


@settings(max_examples=200, deadline=None)
@given(tokens=volumes, factor=st.integers(min_value=1, max_value=1000), share=shares, model=models)
def test_api_cost_is_linear_in_tokens(tokens: int, factor: int, share: Decimal, model: str) -> None:
    one = calc("api_cost", tokens=tokens, model=model, input_share=share)
    many = calc("api_cost", tokens=tokens * factor, model=model, input_share=share)
    assert abs(many - one * factor) <= abs(many) * Decimal("1e-20") + Decimal("1e-20")


@settings(max_examples=200, deadline=None)
@given(monthly=money, share=shares, model=models, currency=st.sampled_from(["USD", "GBP"]))
def test_breakeven_times_blended_price_is_the_monthly_cost(
    monthly: Decimal, share: Decimal, model: str, currency: str
) -> None:
    price = calc("blended_price", model=model, input_share=share, currency=currency)
    tokens = calc("breakeven_tokens", selfhost_monthly=monthly, model=model, input_share=share,
                  currency=currency)  # fmt: skip
    assert abs(tokens * price / 10**6 - monthly) <= monthly * Decimal("1e-20")


@settings(max_examples=200, deadline=None)
@given(amount=money)
def test_converting_there_and_back_returns_the_amount(amount: Decimal) -> None:
    _, to_gbp = TABLES.tables.fx_rate("USD", "GBP")
    _, to_usd = TABLES.tables.fx_rate("GBP", "USD")
    assert (amount * to_gbp * to_usd).quantize(Decimal("0.01")) == amount


@settings(max_examples=300, deadline=None)
@given(
    name=st.sampled_from(sorted(REGISTRY)),
    params=st.dictionaries(
        st.sampled_from(sorted({p for c in REGISTRY.values() for p in c.params})),
        st.one_of(
            st.sampled_from(["0", "1", "10M", "0.5", "true", "GBP", "claude-haiku-4.5",
                             "a100-80gb", "h100-sxm-rental-low", "pue-industry-2024",
                             "llama-3.3-70b-fp8-h200", "1e400", "-1", ""]),
            st.text(max_size=8),
        ),
        max_size=6,
    ),
)  # fmt: skip
def test_any_input_gives_a_result_or_a_calc_error(name: str, params: dict[str, str]) -> None:
    try:
        result = evaluate(name, params, TABLES)
    except CalcError as exc:
        message = exc.message
    else:
        message = result.display
        assert result.value >= 0
    assert message


# ---------------------------------------------------------------- model memory and feasibility


@pytest.mark.parametrize(
    ("params", "bits", "overhead", "gb"),
    [
        ("70B", 16, None, "168"),  # 70e9 × 16 ÷ 8 = 140e9 B = 140 GB; × 1.2 = 168
        ("70B", 8, None, "84"),  # 70 GB of weights × 1.2
        ("70B", 4, None, "42"),  # 35 GB × 1.2
        ("7B", 16, None, "16.8"),  # 14 GB × 1.2 (the model-size guide: fits 24 GB)
        ("14B", 8, None, "16.8"),  # 14 GB × 1.2 (fits 24 GB)
        ("14B", 16, None, "33.6"),  # 28 GB × 1.2 (does not fit 24 GB)
        ("32B", 4, None, "19.2"),  # 16 GB × 1.2
        ("32B", 8, None, "38.4"),  # 32 GB × 1.2
        ("72B", 4, None, "43.2"),  # 36 GB × 1.2
        ("8B", 16, "0", "16"),  # no overhead: 16 GB of weights
        ("405B", 8, "0.1", "445.5"),  # 405 GB × 1.1
        ("1.5B", 4.5, None, "1.0125"),  # 1.5e9 × 4.5 ÷ 8 = 0.84375 GB × 1.2
    ],
)
def test_model_memory_by_hand(params: str, bits: float, overhead: str | None, gb: str) -> None:
    extra = {} if overhead is None else {"overhead": overhead}
    assert calc("model_memory", params=params, bits=bits, **extra) == Decimal(gb)


def test_model_memory_default_overhead_is_cited() -> None:
    result = evaluate("model_memory", {"params": "70B", "bits": "16"}, TABLES)
    assert result.display == "168 GB"
    assert [f.url for f in result.sources] == [
        "https://bentoml.com/llm/getting-started/calculating-gpu-memory-for-llms"
    ]
    # The default overhead is a cited row of the pack's rules_of_thumb table.
    assert result.inputs["overhead"] == "serving-memory-overhead"
    assert {p.name: p.number for p in result.params}["overhead"] == 0.2


@pytest.mark.parametrize("gpus", [1, 3])
def test_throughput_row_measured_on_two_gpus_refuses_other_counts(gpus: int) -> None:
    with pytest.raises(CalcError, match=r"measured on 2 GPUs; \d GPUs? cannot run that setup"):
        calc("capacity", tokens_per_second="llama-3.3-70b-fp8-2xh100", gpus=gpus)


def test_throughput_row_on_multiples_of_its_gpus() -> None:
    two = calc("capacity", tokens_per_second="llama-3.3-70b-fp8-2xh100", gpus=2)
    four = calc("capacity", tokens_per_second="llama-3.3-70b-fp8-2xh100", gpus=4)
    assert two == Decimal(4205) * 3600 * 730  # the whole pair's measured 4,205 tok/s
    assert four == 2 * two


def test_breakeven_on_the_feasible_pair_of_h100s() -> None:
    # 2 × $2.49 × 730 h = $3,635.40 a month; Haiku at 0.75 × $1 + 0.25 × $5 = $2 per 1M:
    # 3,635.40 ÷ 2 × 1M = 1.8177 billion tokens.
    tokens = calc(
        "breakeven_tokens", gpu_hourly="h100-sxm-rental-low", gpus=2,
        tokens_per_second="llama-3.3-70b-fp8-2xh100", model="claude-haiku-4.5",
    )  # fmt: skip
    assert tokens == Decimal("1817700000")


def test_a_model_that_does_not_fit_is_refused() -> None:
    with pytest.raises(
        CalcError, match=r"needs about 168 GB at 16 bits/parameter, but 1 GPU \(h200\) hold 141 GB"
    ):
        calc("capacity", tokens_per_second="llama-3.3-70b-fp8-h200", params="70B", bits=16)
    assert calc("capacity", tokens_per_second="llama-3.3-70b-fp8-h200", params="70B", bits=8)


def test_fit_check_follows_the_rental_row_to_its_hardware() -> None:
    with pytest.raises(CalcError, match=r"2 GPUs \(h100-sxm\) hold 160 GB"):
        calc(
            "breakeven_tokens", gpu_hourly="h100-sxm-rental-low", gpus=2, params="70B", bits=16,
            model="claude-haiku-4.5",
        )  # fmt: skip


def test_batch_with_explicit_prices_needs_the_multiplier() -> None:
    with pytest.raises(CalcError, match="need the provider's batch discount"):
        calc("api_cost", tokens="10M", input_price=1, output_price=5, batch=True)
    # 10M ÷ 1M × (0.75 × 1 + 0.25 × 5) × 0.5 = 10 × 2 × 0.5 = $10
    cost = calc(
        "api_cost", tokens="10M", input_price=1, output_price=5, batch=True, batch_multiplier=0.5
    )
    assert cost == Decimal(10)


def test_batch_multiplier_without_batch_is_an_error() -> None:
    with pytest.raises(CalcError, match="applies only with batch=true"):
        calc("api_cost", tokens="10M", input_price=1, output_price=5, batch_multiplier=0.5)


def _steps(name: str, **params: object) -> list[str]:
    raw = {k: str(v).lower() if isinstance(v, bool) else str(v) for k, v in params.items()}
    return evaluate(name, raw, TABLES).steps


def test_explanation_is_the_sum_done_not_the_generic_formula() -> None:
    assert _steps("selfhost_cost", gpu_hourly="h100-sxm-rental-low") == [
        "rent = $2.49/GPU/h × 1 GPU × 730 h/month = $1,817.70/month"
    ]
    result = evaluate("selfhost_cost", {"gpu_hourly": "h100-sxm-rental-low"}, TABLES)
    # only what renting used: no depreciation, no PUE, no hardware row
    assert "depreciation_months" not in result.inputs
    assert "pue" not in result.inputs
    assert [f.table for f in result.sources] == ["gpu_prices"]


def test_currency_conversion_is_its_own_step() -> None:
    # The conversion is stated as the cited row states the rate (USD per GBP), and no
    # unit price is rounded: £1.4617 is shown to four decimals, marked ≈.
    assert _steps("api_cost", tokens="10M", model="claude-haiku-4.5", currency="GBP") == [
        "blended price: 0.75 × $1.00/1M input tokens + (1 − 0.75) × $5.00/1M output tokens "
        "= $2.00/1M tokens",
        "blended price: $2.00/1M tokens ÷ 1.3683 USD/GBP (gbp-usd-2026-02-10, 2026-02-10) "
        "= ≈£1.4617/1M tokens",
        "10,000,000 tokens/month × ≈£1.4617/1M tokens = ≈£14.6167/month",
    ]


def test_owning_shows_depreciation_energy_and_operations() -> None:
    steps = _steps(
        "selfhost_cost", capex=36000, depreciation_months=36, power_kw=1, pue=1.5,
        electricity_per_kwh=0.2, ops_monthly=100,
    )  # fmt: skip
    assert steps == [
        "depreciation = $36,000.00 ÷ 36 months = $1,000.00/month",
        "energy = 1 kW × 1.5 × 730 h/month × $0.20/kWh = $219.00/month",
        "owning = $1,000.00/month + $219.00/month = $1,219.00/month",
        "$1,219.00/month + $100.00/month = $1,319.00/month",
    ]


def test_breakeven_and_memory_steps() -> None:
    steps = _steps(
        "breakeven_tokens", gpu_hourly="h100-sxm-rental-low", gpus=2, model="claude-haiku-4.5"
    )
    assert steps[-1] == "$3,635.40/month ÷ $2.00/1M tokens = 1,817,700,000 tokens/month"
    assert _steps("model_memory", params="70B", bits=16) == [
        "70,000,000,000 parameters × 16 bits/parameter × (1 + 0.2) ÷ 8,000,000,000 bits/GB = 168 GB"
    ]


def test_facts_carry_the_rows_own_values() -> None:
    result = evaluate("selfhost_cost", {"gpu_hourly": "h100-sxm-rental-low"}, TABLES)
    values = dict(result.sources[0].shown)
    assert values["price"] == 2.49
    assert values["kind"] == "rental"
    assert values["hardware"] == "h100-sxm"


ESTIMATE_ROW = """\
single-stream:
  model: M
  hardware: h100-sxm
  gpus: 1
  precision: FP8
  setup: one request at a time
  tokens_per_second: 48
  source: https://www.nvidia.com/en-us/data-center/h100/
  date: 2026-11-01
  confidence: {confidence}
  estimate: true
{note}"""


@pytest.mark.parametrize(
    ("confidence", "note", "problem"),
    [
        ("low", "", "an estimate needs a note"),
        ("high", "  note: bandwidth ÷ weight bytes.\n", "an estimate is low or medium"),
    ],
)
def test_an_estimate_row_explains_itself_and_is_never_high(
    tmp_path: Path, confidence: str, note: str, problem: str
) -> None:
    data = tmp_path / "content" / "data"
    data.mkdir(parents=True)
    hardware = (FIXTURES / "tableroot" / "content" / "data" / "hardware.yaml").read_text()
    (data / "hardware.yaml").write_text(hardware, encoding="utf-8")
    (data / "throughput.yaml").write_text(
        ESTIMATE_ROW.format(confidence=confidence, note=note), encoding="utf-8"
    )
    diags = Diagnostics()
    load_tables(tmp_path, diags)
    assert problem in diags.render()


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        # 480 h/year as a share of a year's 8,760 hours, times 8,760, at $120/h, to 34
        # digits: a stranger's range read `range: 16000 to 57600.0` in `calc` and
        # `"low": 16000, "high": 57600.0` in `calc --json`.
        (Decimal("57599.99999999999999999999999999"), 57600),
        (Decimal("-2.0000000001"), -2),
        (Decimal("101.11111111111"), 101.111111),
        (Decimal("0.5"), 0.5),
        (Decimal("12"), 12),
    ],
)
def test_a_plain_number_is_whole_when_its_six_decimals_are(
    value: Decimal, expected: int | float
) -> None:
    shown = plain(value)
    assert shown == expected
    assert type(shown) is type(expected)
    assert repr(shown) == repr(expected)
