"""`citeguide calc`: the contract's JSON object, text output, --list and errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from citeguide.cli import main
from conftest import REPO, guide_text, write_site


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["calc", "--root", str(REPO), *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_json_has_the_contract_fields(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "api_cost", "tokens=10M", "model=claude-haiku-4.5", "--json")
    assert code == 0
    data = json.loads(out)
    assert {"calculator", "inputs", "value", "unit", "display", "sources"} <= set(data)
    assert data["calculator"] == "api_cost"
    assert data["value"] == 20
    assert data["unit"] == "USD/month"
    assert data["display"] == "$20.00"
    assert data["inputs"]["input_share"] == 0.75  # default, resolved
    assert data["sources"] == ["https://www.anthropic.com/pricing"]


def test_text_output_shows_value_inputs_and_sources(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "breakeven_tokens", "selfhost_monthly=1500", "currency=GBP",
                        "model=claude-haiku-4.5", "tokens_per_second=48")  # fmt: skip
    assert code == 0
    # £1,500 × 1.3399 USD/GBP ÷ $2.00 per 1M = 1,004.9M tokens, shown to 3 figures.
    assert out.startswith("breakeven_tokens = 1 billion tokens (tokens/month)")
    # the conversion is its own step, stated as the cited rate is
    assert "= blended price: $2.00/1M tokens ÷ 1.3399 USD/GBP (gbp-usd-hmrc-2026-06" in out
    assert "feasible: false" in out
    assert "converted at 1 GBP = 1.3399 USD" in out
    # The arithmetic replaces the generic formula; unused defaults are not inputs.
    assert "computes:" not in out
    assert "depreciation_months" not in out


def test_a_ranged_figures_steps_are_introduced_not_equated(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A stranger's ranged figure began its steps `= With every range at its
    midpoint:`, an equals sign before words."""
    code, out, _ = _run(capsys, "running_cost", "demand=7000..9000", "efficiency=2.8",
                        "tariff=elec-cap-2026q3")  # fmt: skip
    assert code == 0
    lines = out.splitlines()
    assert lines[2] == "  With every range at its midpoint:"
    assert lines[3].startswith("  = ")
    assert "= With every range" not in out


def test_list_describes_every_model(capsys: pytest.CaptureFixture[str]) -> None:
    from citeguide.config_file import load_config
    from citeguide.content.models import load_library
    from citeguide.diagnostics import Diagnostics

    code, out, _ = _run(capsys, "--list")
    assert code == 0
    library = load_library(REPO, load_config(REPO), Diagnostics())
    for name, model in library.models.items():
        assert f"{name}: {model.title} [{model.unit_text}]" in out
    # The site's own models in full; the bundled pack's, beside them, one line each.
    own, bundled = out.split("\nAlso bundled (`citeguide calc --list NAME` describes one):\n")
    assert "declared in content/models/" in own
    assert "<pack llm>" not in own
    assert "  api_cost: Monthly API bill for a token volume [money/month]" in bundled.splitlines()
    code, out, _ = _run(capsys, "--list", "api_cost")
    assert "input_share (default 0.75): share of tokens that are input (prompt) tokens" in out
    code, out, _ = _run(capsys, "--list", "model_memory", "--json")
    assert code == 0
    tree = json.loads(out)["model_memory"]
    assert tree["formula"]["op"] == "conv"  # bits to GB, an exact factor
    assert tree["formula"]["factor"] == "1/8000000000"


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["api_cost", "tokens=10M", "model=nope"], "no such row in api_prices.yaml"),
        (["api_cost", "tokens"], "'tokens' is not key=value"),
        (["nope"], "unknown model"),
        ([], "name a model"),
    ],
)
def test_bad_input_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], args: list[str], fragment: str
) -> None:
    code, _, err = _run(capsys, *args)
    assert code == 2
    assert fragment in err
    assert "Traceback" not in err


def test_a_site_of_its_own_reads_its_models_first_and_the_packs_in_a_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A stranger's tennis-club site listed its four models, then 150 lines of the LLM
    pack's; the pack's models are one line each now, and a site with no models of its own
    still reads the pack's in full."""
    write_site(tmp_path / "bare", {"content/guides/g.md": guide_text("Floodlights")})
    assert main(["calc", "--root", str(tmp_path / "bare"), "--list"]) == 0
    assert "Also bundled" not in capsys.readouterr().out
    write_site(tmp_path / "club", {
        "content/guides/g.md": guide_text("Floodlights"),
        "content/models/lights.yaml": (
            "yearly_energy:\n  title: Yearly electricity the floodlights use\n"
            "  unit: kWh/year\n  params:\n    power: {unit: kW, label: power}\n"
            "    hours: {unit: h/year, label: hours on a year}\n  formula: power * hours\n"
        ),
    })  # fmt: skip
    assert main(["calc", "--root", str(tmp_path / "club"), "--list"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("yearly_energy: Yearly electricity the floodlights use [kWh/year]\n")
    assert "  hours: hours on a year [number in h/year]" in out
    assert "formula: tokens * blended_price" not in out
    assert "\n  selfhost_cost: Monthly cost of rented or owned GPUs [money/month]" in out
