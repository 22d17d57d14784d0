"""The JSON twin: generated schema matches the committed file, every twin validates."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
import pytest

from citeguide.cli import main
from citeguide.engine.builder import build_site
from citeguide.render.twin import schema_json, twin_schema
from conftest import REPO, SITES, TODAY

COMMITTED = REPO / "schemas" / "cite.schema.json"


def _validator() -> jsonschema.protocols.Validator:
    schema = json.loads(COMMITTED.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def test_committed_schema_is_generated_from_the_model() -> None:
    assert COMMITTED.read_text(encoding="utf-8") == schema_json(), (
        "schemas/cite.schema.json drifted from the CiteTwin model; run `make schema`"
    )


def test_schema_command_prints_the_schema(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == 0
    assert json.loads(capsys.readouterr().out) == twin_schema()


@pytest.mark.parametrize("site_dir", [REPO, SITES / "golden"], ids=["bundled", "golden"])
def test_every_built_twin_validates(site_dir: Path, tmp_path: Path) -> None:
    root = tmp_path / "root"
    shutil.copytree(site_dir / "content", root / "content")
    if (site_dir / "citeguide.toml").exists():
        shutil.copy(site_dir / "citeguide.toml", root)
    result = build_site(root, today=TODAY)
    assert result.ok, result.diagnostics.render()
    twins = sorted((root / "site").glob("*.cite.json"))
    assert len(twins) == len(result.pages) >= 2
    validator = _validator()
    for twin in twins:
        data = json.loads(twin.read_text(encoding="utf-8"))
        errors = [e.message for e in validator.iter_errors(data)]
        assert errors == [], f"{twin.name}: {errors}"
    # The published schema is the committed one with the site's own `$id`, which is
    # where each twin's `$schema` points.
    published = json.loads((root / "site" / "schemas" / "cite.schema.json").read_text())
    schema_id = published.pop("$id")
    assert schema_id.endswith("/schemas/cite.schema.json")
    assert published == json.loads(COMMITTED.read_text(encoding="utf-8"))
    for twin in twins:
        assert json.loads(twin.read_text(encoding="utf-8"))["$schema"] == schema_id


def test_twin_references_resolve(tmp_path: Path) -> None:
    root = tmp_path / "root"
    shutil.copytree(SITES / "golden", root, ignore=shutil.ignore_patterns("expected"))
    assert build_site(root, today=TODAY).ok
    twin = json.loads((root / "site" / "serving.cite.json").read_text(encoding="utf-8"))
    source_ids = {s["id"] for s in twin["sources"]}
    claim_ids = {c["id"] for c in twin["claims"]}
    numbers = [cit["n"] for c in twin["claims"] for cit in c["citations"]]
    assert sorted(numbers) == list(range(1, len(numbers) + 1))
    for claim in twin["claims"]:
        assert claim["anchor"] == f"https://guides.example.org/serving/#{claim['id']}"
        assert {cit["source"] for cit in claim["citations"]} <= source_ids
    for source in twin["sources"]:
        assert set(source["claims"]) <= claim_ids
        assert source["link"]["status"] == "unchecked"
    # github.com/vllm-project/vllm and .../vllm/ are one source with one date
    vllm = [s for s in twin["sources"] if "vllm-project" in s["url"]]
    assert len(vllm) == 1
    assert vllm[0]["dates_cited"] == ["2026-03-10"]
    assert twin["updated"] == "2026-04-02"
    assert [u["version"] for u in twin["updates"]] == ["v2", "v1"]


def test_a_guide_without_updates_is_updated_when_published(tmp_path: Path) -> None:
    root = tmp_path / "root"
    shutil.copytree(SITES / "golden", root, ignore=shutil.ignore_patterns("expected"))
    assert build_site(root, today=TODAY).ok
    twin = json.loads((root / "site" / "sizes.cite.json").read_text(encoding="utf-8"))
    assert twin["updated"] == twin["published"] == "2026-02-01"
    assert twin["claims"][0]["section"] == "How much memory does a model need?"


def test_calculations_say_where_they_stand_and_facts_carry_row_values(tmp_path: Path) -> None:
    from conftest import write_site

    body = (
        "---\ntitle: T\nsummary: S.\npublished: 2026-01-01\n---\n\n## What does it cost?\n\n"
        "Renting is simple. One GPU costs [calc: selfhost_cost gpu_hourly=2.5] a month.\n"
    )
    root = write_site(tmp_path / "s", {"content/guides/t.md": body})
    assert build_site(root, today=TODAY).ok
    twin = json.loads((root / "site/t.cite.json").read_text(encoding="utf-8"))
    calc = twin["calculations"][0]
    assert calc["sentence"] == "One GPU costs $1,825 a month."
    assert calc["section"] == "What does it cost?"
    assert calc["anchor"].endswith(f"/t/#{calc['id']}")
    assert calc["steps"] == ["rent = $2.50/GPU/h × 1 GPU × 730 h/month = $1,825.00/month"]


def test_every_bundled_figure_recomputes_from_the_twin_alone(tmp_path: Path) -> None:
    """An evaluator written from docs/twin.md, importing nothing from citeguide, gets every
    bundled figure from the twin's trees, tables and rates (issue 19, item 8)."""
    from fractions import Fraction

    from twin_evaluator import Twin

    site = tmp_path / "site"
    assert build_site(REPO, out=site, today=TODAY, use_cache=False).ok
    checked = 0
    for path in sorted(site.glob("*.cite.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        twin = Twin(data)
        for calc in data["calculations"]:
            values = {p["name"]: p["value"] for p in calc["params"]}
            given = {p["name"] for p in calc["params"] if p["origin"] == "given"}
            result = twin.evaluate(calc["model"], values, given)
            expected = Fraction(repr(calc["value"]))
            assert abs(result.value - expected) <= abs(expected) * Fraction(1, 10**6) + Fraction(
                1, 10**6
            ), (path.name, calc["display"], float(result.value))
            # `derived` is each let folded into the unit the steps write it in (docs:
            # Recomputing a figure, 9), in the currency `derived_units` names.
            derived = twin.derived()
            assert set(derived) <= set(calc["derived"]), (path.name, calc["id"])
            for name, value in derived.items():
                published = Fraction(repr(calc["derived"][name]))
                assert abs(value.value - published) <= abs(published) * Fraction(1, 10**6) + (
                    Fraction(1, 10**6)
                ), (path.name, calc["id"], name, float(value.value))
                unit = calc["derived_units"][name]
                where = (path.name, calc["id"], name, unit, value.currency)
                assert unit.startswith(value.currency or ("USD", "GBP", "EUR")) == bool(
                    value.currency
                ), where
            assert twin.flags() == calc["flags"], (path.name, calc["id"])
            checked += 1
    assert checked >= 40
