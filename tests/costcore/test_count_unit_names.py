"""Count units of a site's own, as a stranger writing a guide on Kubernetes or one VM
declared them: `[units] count = ["node", "vCPU"]` was refused with a regular expression
(`units.count.1: String should match pattern '^[a-z][a-z_]{1,30}$'`), though the bundled
`GPU` is written in capitals; `count = ["hour"]` was taken, and made `USD/hour` a price
per hour-count that never converts from `USD/h`. A column typed `USD/mo` was told `did
you mean m?` (a metre)."""

from __future__ import annotations

from pathlib import Path

import pytest

from citeguide.config_file import load_config
from citeguide.costcore.units import UnitError, count_units, parse_unit
from citeguide.diagnostics import ConfigError


def _config(tmp_path: Path, count: str) -> str:
    (tmp_path / "citeguide.toml").write_text(f'currency = "USD"\n[units]\ncount = {count}\n')
    try:
        load_config(tmp_path)
    except ConfigError as exc:
        return "\n".join(d.format() for d in exc.diagnostics)
    return ""


def test_a_count_unit_may_be_written_with_capitals(tmp_path: Path) -> None:
    assert _config(tmp_path, '["node", "vCPU"]') == ""
    units = count_units(load_config(tmp_path).units.count)
    assert parse_unit("USD/vCPU/h", units).text() == "USD/vCPU/h"
    assert parse_unit("vCPUs/node", units).text() == "vCPU/node"
    assert not parse_unit("vCPU", units).same_dims(parse_unit("GPU", units))


@pytest.mark.parametrize(
    ("count", "message"),
    [
        ('["hour"]', "'hour' is already citeguide's unit h (docs/models.md, Units): a count "
         "unit needs a name of its own"),
        ('["minute"]', "'minute' is already citeguide's unit min"),
        ('["token"]', ""),  # the bundled count itself: the same unit, harmless
        ('["tokens"]', "'tokens' is already citeguide's unit token"),
        ('["USD"]', "'USD' is a currency, not a count of things"),
        ('["vm2"]', "'vm2' cannot name a count unit: 2 to 31 letters or `_`, starting with a "
         'letter (such as "seat", "node" or "vCPU")'),
    ],
)  # fmt: skip
def test_a_count_unit_that_cannot_be_one_is_told_why(
    tmp_path: Path, count: str, message: str
) -> None:
    problems = _config(tmp_path, count)
    if not message:
        assert problems == ""
        return
    assert "citeguide.toml:3:1: error: units.count.0: " in problems
    assert message in problems
    assert "String should match pattern" not in problems


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("USD/mo", "unknown unit 'mo'; did you mean month?"),
        ("h/mth", "unknown unit 'mth'; did you mean month?"),
        ("USD/wk", "unknown unit 'wk'; did you mean week?"),
        ("hrs/month", "unknown unit 'hrs'; did you mean h?"),
        ("USD/vCPU", "unknown unit 'vCPU' (a count of things of your own? declare it in "
         'citeguide.toml: [units] count = ["vCPU"])'),

    ],
)  # fmt: skip
def test_an_abbreviated_time_is_told_the_unit(written: str, message: str) -> None:
    with pytest.raises(UnitError) as caught:
        parse_unit(written)
    assert str(caught.value) == message
