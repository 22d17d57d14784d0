"""A change to the site's tables or models processes again only the guides that looked
up what changed, and the site is byte for byte what a cold build makes of it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from citeguide.engine.builder import build_site
from citeguide.engine.incremental import Site
from citeguide.engine.lookups import Lookups, _Memo
from conftest import REPO, TODAY, cold_tree, tree_digest

HEAT_PUMP = "content/guides/heat-pump-or-gas-boiler.md"
COPY = "content/guides/heat-pump-copy.md"


def _site(tmp_path: Path) -> Path:
    """The bundled site (a heat-pump guide on the site's own models and tables, three on
    the LLM pack) and a second heat-pump guide making the same calculations, search off."""
    root = tmp_path / "root"
    shutil.copytree(REPO / "content", root / "content")
    config = (REPO / "citeguide.toml").read_text()
    (root / "citeguide.toml").write_text("search = false\n" + config)
    text = (root / HEAT_PUMP).read_text()
    (root / COPY).write_text(text.replace("\ntitle:", "\nslug: heat-pump-copy\ntitle:", 1))
    return root


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    stamp = time.time_ns() + 2_000_000_000
    os.utime(path, ns=(stamp, stamp))


def _processed(root: Path, changed: set[Path] | None = None) -> list[str]:
    """The guides a build would process now, from the build cache on disk."""
    site = Site(root, today=TODAY, jobs=1)
    site.load_cache()
    return sorted(site.refresh(changed).processed)


@pytest.mark.parametrize(
    ("file", "old", "new"),
    [
        ("content/data/energy.yaml", "price: 0.2573", "price: 0.2611"),  # a row's figure
        ("content/models/heating.yaml", "Yearly saving from heating", "Yearly saving, heating"),
    ],
    ids=["table-row", "model-title"],
)
def test_an_edit_to_a_table_or_model_processes_the_guides_that_looked_it_up(
    tmp_path: Path, file: str, old: str, new: str
) -> None:
    root = _site(tmp_path)
    assert build_site(root, today=TODAY, jobs=1).ok
    _edit(root / file, old, new)
    # The second heat-pump guide reuses the first's results from the memo: it is charged
    # with what they were computed from, so it is processed again too.
    assert _processed(root) == [COPY, HEAT_PUMP]
    # As `serve` sees it: the watcher names the table or model file alone.
    assert _processed(root, {root / file}) == [COPY, HEAT_PUMP]
    assert build_site(root, today=TODAY, jobs=2).ok
    assert _processed(root) == []
    assert tree_digest(root / "site") == cold_tree(root, tmp_path)


def test_a_table_no_guide_looked_up_processes_no_guide(tmp_path: Path) -> None:
    root = _site(tmp_path)
    assert build_site(root, today=TODAY, jobs=1).ok
    table = root / "content" / "data" / "heating.yaml"
    unused = root / "content" / "data" / "garden_tools.yaml"
    # A copy of a table under a new name: no guide asks for it.
    unused.write_text(table.read_text())
    assert _processed(root) == []
    assert build_site(root, today=TODAY).ok
    assert tree_digest(root / "site") == cold_tree(root, tmp_path)


def test_a_table_taken_away_processes_its_guides_again_with_the_error(tmp_path: Path) -> None:
    root = _site(tmp_path)
    assert build_site(root, today=TODAY, jobs=1).ok
    (root / "content" / "data" / "energy.yaml").unlink()
    assert _processed(root) == [COPY, HEAT_PUMP]
    result = build_site(root, today=TODAY)
    assert not result.ok
    assert {d.pos.path for d in result.diagnostics.items if d.severity.value == "error"} >= {
        HEAT_PUMP
    }


def test_the_digests_do_not_depend_on_the_hash_seed(tmp_path: Path) -> None:
    """A model's compiled form holds sets (the models it calls), whose order changes with
    Python's hash seed: the digest walks it, sorting them."""
    script = (
        "from pathlib import Path\n"
        "from citeguide.config_file import load_config\n"
        "from citeguide.content.models import load_library\n"
        "from citeguide.diagnostics import Diagnostics\n"
        "from citeguide.engine.lookups import Names\n"
        f"root = Path({str(REPO)!r})\n"
        "names = Names(load_library(root, load_config(root), Diagnostics()))\n"
        "assert 'unstable' not in names.digests.values(), names.digests\n"
        "print(names.whole)\n"
    )
    seen = set()
    for seed in ("1", "2", "3"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        run = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                             text=True, check=True)  # fmt: skip
        seen.add(run.stdout.strip())
    assert len(seen) == 1


def test_a_memoised_result_charges_what_it_was_computed_from() -> None:
    lookups = Lookups()
    memo = _Memo(lookups)
    assert "calc" not in memo  # a miss: what is read from now on is this result's
    lookups.touch("t:energy")
    memo["calc"] = 1
    lookups.reset()  # the next guide
    assert "calc" in memo
    assert memo["calc"] == 1
    assert lookups.keys() == ["t:energy"]
    # Stored without a miss seen first: what it was made from is unknown, so everything.
    lookups.reset()
    memo["other"] = 2
    assert memo["other"] == 2
    assert lookups.keys() is None
    # A nested memo (the quiet calls between models) keeps its results' reads too.
    lookups.reset()
    inner = memo.setdefault("quiet-calls", {})
    assert isinstance(inner, _Memo)
    assert "call" not in inner
    lookups.touch("m:energy_cost")
    inner["call"] = 3
    lookups.reset()
    assert memo.setdefault("quiet-calls", {})["call"] == 3
    assert lookups.keys() == ["m:energy_cost"]


GARDEN = """\
pump_cost:
  title: Yearly cost of running a garden pond pump
  unit: GBP/year
  params:
    energy: {unit: kWh/year, min: 0, label: electricity the pump uses a year}
    price: {unit: GBP/kWh, min: 0, label: unit rate}
  formula: energy * price
"""


def test_a_model_no_guide_uses_is_not_published_and_processes_no_guide(tmp_path: Path) -> None:
    """No guide is processed again, and the what-if models (`whatif.json`: the models the
    guides use) do not carry it; the build is still no no-op (the site's models changed),
    and the site is what a cold build makes."""
    root = _site(tmp_path)
    assert build_site(root, today=TODAY, jobs=1).ok
    before = (root / "site" / "whatif.json").read_bytes()
    (root / "content" / "models" / "garden.yaml").write_text(GARDEN)
    assert _processed(root) == []
    result = build_site(root, today=TODAY)
    assert result.ok
    assert not result.noop
    assert (root / "site" / "whatif.json").read_bytes() == before
    assert b'"pump_cost"' not in before
    assert tree_digest(root / "site") == cold_tree(root, tmp_path)
    assert build_site(root, today=TODAY).noop


def test_a_guide_that_starts_using_a_model_puts_it_in_whatif_json(tmp_path: Path) -> None:
    """The what-if models follow the guides: a model a guide's edit starts using is added
    to `whatif.json` (with the table it reads), and taken out when the guide stops."""
    import json

    root = _site(tmp_path)
    (root / "content" / "models" / "garden.yaml").write_text(GARDEN)
    assert build_site(root, today=TODAY, jobs=1).ok
    whatif = root / "site" / "whatif.json"
    assert "pump_cost" not in json.loads(whatif.read_bytes())["models"]
    marker = "\nA pond pump costs [calc: pump_cost energy=150 price=0.25] a year to run.\n"
    with (root / COPY).open("a") as handle:
        handle.write(marker)
    assert _processed(root) == [COPY]
    assert build_site(root, today=TODAY).ok
    assert "pump_cost" in json.loads(whatif.read_bytes())["models"]
    assert tree_digest(root / "site") == cold_tree(root, tmp_path)
    _edit(root / COPY, marker, "\n")
    assert build_site(root, today=TODAY).ok
    assert "pump_cost" not in json.loads(whatif.read_bytes())["models"]
    assert tree_digest(root / "site") == cold_tree(root, tmp_path)


def test_a_guide_edited_again_in_one_process_is_charged_the_same_lookups(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As in `serve`: the library and its memoised results are kept between refreshes,
    and the guide edited again, whose calculations now come from the memo, still looks
    up what they were computed from; its digest is kept, not made again, while the
    library is unchanged."""
    from citeguide.engine import lookups

    root = _site(tmp_path)
    site = Site(root, today=TODAY, jobs=1)
    site.refresh()
    first = site.entries[HEAT_PUMP]
    made: list[list[str] | None] = []
    slice_digest = lookups.Names.slice_digest

    def counted(self: lookups.Names, keys: list[str] | None) -> str:
        made.append(keys)
        return slice_digest(self, keys)

    monkeypatch.setattr(lookups.Names, "slice_digest", counted)
    _edit(root / HEAT_PUMP, "\n## ", "\nOne more sentence.\n\n## ")
    assert list(site.refresh({root / HEAT_PUMP}).processed) == [HEAT_PUMP]
    again = site.entries[HEAT_PUMP]
    assert again.result.library_keys == first.result.library_keys
    assert "t:energy" in (again.result.library_keys or [])
    assert again.library == first.library
    assert made == []
