"""Field descriptions from attribute docstrings (citeguide/docstrings.py), with pydantic's
own `use_attribute_docstrings` as the oracle: the same models must give the same JSON
Schema, byte for byte."""

from __future__ import annotations

import importlib
import importlib.util
import json
import pkgutil
import sys
from pathlib import Path
from types import ModuleType

from pydantic import BaseModel

import citeguide
from citeguide.docstrings import DocumentedSchema, field_doc
from citeguide.render import precompiled

# One source, imported twice: as citeguide writes models, and with pydantic reading the
# docstrings itself (the oracle).
MODELS = '''
from pydantic import BaseModel, ConfigDict, Field


class Plain(BaseModel):
    """A model documented the citeguide way."""

    model_config = ConfigDict(extra="forbid"{extra})

    name: str
    """The name as it should be shown."""
    default: str | None = None
    """A field named `default`: pydantic leaves its schema unsorted."""
    explicit: int = Field(0, description="Said in the field itself.")
    """Not this docstring."""
    bare: int = 1
    multi: list[str] = []
    """First line.

        An indented second paragraph."""
    spelled: str = Field("x", alias="spelled-out")
    """A field with an alias."""


class Child(Plain):
    """Inherits `name` documented, redefines `bare` undocumented."""

    bare: int = 2
    extra: str = ""
    """A field of its own."""


class Holder(BaseModel):
    """Nests the others."""

    model_config = ConfigDict({config})

    one: Plain
    """A nested model."""
    many: dict[str, Child] = {{}}
    """Nested in a mapping."""
'''


def _module(tmp_path: Path, name: str, oracle: bool) -> ModuleType:
    flag = "use_attribute_docstrings=True"
    source = MODELS.format(extra=f", {flag}" if oracle else "", config=flag if oracle else "")
    path = tmp_path / f"{name}.py"
    path.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # inspect finds a class's source through its module
    spec.loader.exec_module(module)
    return module


def test_the_schema_and_field_docs_are_pydantics_own(tmp_path: Path) -> None:
    ours, oracle = _module(tmp_path, "plain_models", False), _module(tmp_path, "read", True)
    try:
        for mode in ("validation", "serialization"):
            for name in ("Plain", "Child", "Holder"):
                mine = getattr(ours, name).model_json_schema(
                    mode=mode, schema_generator=DocumentedSchema
                )
                theirs = getattr(oracle, name).model_json_schema(mode=mode)
                assert json.dumps(mine, indent=2) == json.dumps(theirs, indent=2)
                for field, info in getattr(oracle, name).model_fields.items():
                    assert field_doc(getattr(ours, name), field) == info.description
        assert field_doc(ours.Plain, "multi") == "First line.\n\nAn indented second paragraph."
        assert field_doc(ours.Child, "name") == "The name as it should be shown."  # inherited
        assert field_doc(ours.Child, "bare") is None  # redefined without one
        assert field_doc(ours.Plain, "explicit") == "Said in the field itself."
    finally:
        del sys.modules["plain_models"], sys.modules["read"]


def test_no_citeguide_model_has_pydantic_read_its_docstrings_at_import() -> None:
    """Every module imported: none asks pydantic to read docstrings while its classes are
    created (the start-up cost docstrings.py exists to avoid)."""
    for module in pkgutil.walk_packages(citeguide.__path__, "citeguide."):
        # render/compiled/ is Jinja's code of the templates, run with an environment.
        if module.name.endswith("__main__") or module.name.startswith(precompiled.PACKAGE + ".t_"):
            continue
        importlib.import_module(module.name)
    models = [cls for cls in _subclasses(BaseModel) if cls.__module__.startswith("citeguide.")]
    assert len(models) > 50
    assert [m.__name__ for m in models if m.model_config.get("use_attribute_docstrings")] == []


def _subclasses(cls: type) -> list[type[BaseModel]]:
    found: list[type[BaseModel]] = []
    for sub in cls.__subclasses__():
        found += [sub, *_subclasses(sub)]
    return found
