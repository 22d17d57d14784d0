"""`citeguide.toml`: defaults when absent, every fault positioned at its key, settings
validated against the rule table and the safe-link policy."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from citeguide.config import LintConfig, SiteConfig, StaleBudgets
from citeguide.config_file import CONFIG_FILE, load_config
from citeguide.diagnostics import ConfigError
from citeguide.rules import RULES


def _faults(root: Path, text: str | bytes) -> list[str]:
    data = text.encode() if isinstance(text, str) else text
    (root / CONFIG_FILE).write_bytes(data)
    with pytest.raises(ConfigError) as caught:
        load_config(root)
    return [d.format() for d in caught.value.diagnostics]


def test_no_file_gives_the_defaults(tmp_path: Path) -> None:
    assert load_config(tmp_path) == SiteConfig()


def test_settings_are_read(tmp_path: Path) -> None:
    (tmp_path / CONFIG_FILE).write_text(
        'title = "Heating guides"\nbase_url = "/guides"\ncurrency = "GBP"\n'
        '[lint.rules]\n"uncited-figure" = "error"\n',
        encoding="utf-8",
    )
    config = load_config(tmp_path)
    assert config.title == "Heating guides"
    assert config.base_url == "/guides/"  # one trailing slash, added
    assert config.currency == "GBP"
    assert config.lint.severity("uncited-figure") == "error"


def test_an_unknown_key_is_named_at_its_line_and_column(tmp_path: Path) -> None:
    text = 'title = "x"\n\n[lint]\nguide_max_age = 30\n  rulez = {}\n'
    assert _faults(tmp_path, text) == [
        "citeguide.toml:5:3: error: unknown key 'lint.rulez' [config-unknown-key]"
    ]


def test_an_unknown_rule_lists_the_rules(tmp_path: Path) -> None:
    (problem,) = _faults(tmp_path, '[lint.rules]\n"uncited-figures" = "off"\n')
    assert problem.startswith("citeguide.toml:1:1: error: lint.rules: unknown rule")
    assert "'uncited-figures'" in problem
    assert "uncited-figure," in problem
    assert problem.endswith("[config-invalid]")


def test_bad_toml_is_positioned(tmp_path: Path) -> None:
    (problem,) = _faults(tmp_path, 'title = "x"\nsearch = yes\n')
    assert problem.startswith("citeguide.toml:2:10: error: invalid TOML")
    assert problem.endswith("[config-syntax]")


def test_a_file_that_is_not_utf8_is_positioned_at_the_first_bad_byte(tmp_path: Path) -> None:
    assert _faults(tmp_path, b'title = "ok"\ndescription = "caf\xe9"\n') == [
        "citeguide.toml:2:19: error: file is not UTF-8 text; save it with UTF-8 encoding [encoding]"
    ]


def test_a_script_url_never_becomes_the_audience_form_action(tmp_path: Path) -> None:
    (problem,) = _faults(tmp_path, '[audience]\nendpoint = "javascript:alert(1)"\n')
    assert problem.startswith("citeguide.toml:2:1: error: audience.endpoint:")


def test_rule_severities_default_to_the_rule_table() -> None:
    lint = LintConfig(rules={"stale-guide": "off"})
    assert lint.severity("stale-guide") == "off"
    for rule in RULES.values():
        if rule.id != "stale-guide":
            assert lint.severity(rule.id) == rule.severity


def test_stale_budgets_count_days_by_confidence() -> None:
    budgets = StaleBudgets(low=30)
    today = date(2026, 12, 2)
    assert not budgets.too_old(date(2026, 11, 2), "low", today)  # 30 days: still fresh
    assert budgets.too_old(date(2026, 11, 1), "low", today)  # 31 days
    assert not budgets.too_old(date(2026, 11, 1), "high", today)


def test_edit_and_report_links_follow_the_repository_host() -> None:
    config = SiteConfig(repo_url="https://github.com/example/guides")
    assert config.edit_url("content/guides/x.md") == (
        "https://github.com/example/guides/edit/main/content/guides/x.md"
    )
    assert SiteConfig(repo_url="https://git.example.net/a/b").edit_url("x.md") is None
