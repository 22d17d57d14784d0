"""The one list of site inputs (engine/inputs.py), as the inputs key and the no-op record
read it: what is in each, and what is deliberately left out of the key."""

from __future__ import annotations

import shutil
from pathlib import Path

from citeguide.config_file import CONFIG_FILE
from citeguide.content.discover import GUIDES_DIR
from citeguide.content.models import MODELS_DIR
from citeguide.content.tables import DATA_DIR
from citeguide.engine import inputs, noop
from citeguide.engine.inputs import Role, inputs_key, inputs_keys, links_key, site_inputs
from citeguide.linkcheck.state import STATE_FILE
from conftest import REPO, TODAY


def _root(tmp_path: Path) -> Path:
    root = tmp_path / "root"
    shutil.copytree(REPO / "content", root / "content")
    (root / "citeguide.toml").write_text("search = false\n", encoding="utf-8")
    (root / "templates").mkdir()
    (root / "templates" / "base.html").write_text("{% block body %}{% endblock %}\n")
    return root


def test_the_names_agree_with_the_modules_that_read_those_files() -> None:
    assert inputs.CONFIG == CONFIG_FILE
    assert str(STATE_FILE) == inputs.LINK_STATE
    assert (
        DATA_DIR.as_posix(), MODELS_DIR.as_posix(), GUIDES_DIR.as_posix()
    ) == (inputs.DATA, inputs.MODELS, inputs.GUIDES)  # fmt: skip


def test_the_list_holds_config_templates_tables_models_links_and_guides(tmp_path: Path) -> None:
    root = _root(tmp_path)
    roles = {found.path: found.role for found in site_inputs(root)}
    assert roles[root / "citeguide.toml"] is Role.KEY
    assert roles[root / "templates"] is Role.KEY
    assert roles[root / "content" / "data"] is Role.LIBRARY
    assert roles[root / "content" / "models"] is Role.LIBRARY
    assert roles[root / "citeguide-links.json"] is Role.LINKS
    assert roles[root / "content"] is Role.GUIDES
    stamped = noop._inputs(root)
    assert stamped is not None
    assert str(root / "content" / "models" / "heating.yaml") in stamped
    assert str(root / "templates" / "base.html") in stamped
    assert str(root / "content" / "guides" / "model-size-for-one-gpu.md") in stamped
    assert str(Path(inputs.__file__).resolve()) in inputs.code_files()


def test_a_model_or_template_edit_changes_the_key_but_a_link_state_does_not(
    tmp_path: Path,
) -> None:
    root = _root(tmp_path)
    key = inputs_key(root, today=TODAY)
    assert inputs_key(root, today=TODAY) == key
    (root / "citeguide-links.json").write_text('{"version": 1, "links": {}}\n')
    assert inputs_key(root, today=TODAY) == key  # per guide: cache.links_digest
    assert links_key(root) != "-"
    entries = inputs_keys(root, today=TODAY)[1]
    model = root / "content" / "models" / "heating.yaml"
    model.write_text(model.read_text() + "\n# edited\n")
    edited = inputs_key(root, today=TODAY)
    assert edited != key
    # The entries key leaves the site's tables and models out: each guide is checked
    # against the ones it looked up (engine/lookups.py).
    assert inputs_keys(root, today=TODAY)[:2] == (edited, entries)
    (root / "templates" / "base.html").write_text("{% block body %}x{% endblock %}\n")
    assert inputs_key(root, today=TODAY) not in (key, edited)
    assert inputs_keys(root, today=TODAY)[1] != entries


def test_a_guide_edit_leaves_the_key_and_changes_the_stamps(tmp_path: Path) -> None:
    root = _root(tmp_path)
    key, stamps = inputs_key(root, today=TODAY), noop._inputs(root)
    guide = root / "content" / "guides" / "model-size-for-one-gpu.md"
    guide.write_text(guide.read_text() + "\nOne more line.\n")
    assert inputs_key(root, today=TODAY) == key  # each guide is its own cache entry
    assert noop._inputs(root) != stamps
