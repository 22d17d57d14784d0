"""Reference tables generated from the code, kept in the manual between markers.

    python -m citeguide.docs docs/*.md     # rewrite the generated blocks (make docs)

A test fails when a page's blocks differ from what this module generates.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from citeguide.config import SiteConfig
from citeguide.content.models import pack_library
from citeguide.docstrings import field_doc
from citeguide.rules import RULES


def _type(annotation: Any) -> str:
    text = getattr(annotation, "__name__", None) or str(annotation)
    return re.sub(r"typing\.|citeguide\.config\.", "", text).replace("NoneType", "None")


def _rows(model: type[BaseModel], prefix: str) -> list[str]:
    rows = []
    for name, field in model.model_fields.items():
        key = f"{prefix}{name}"
        annotation = field.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            rows += _rows(annotation, f"{key}.")
            continue
        default = (
            json.dumps(field.default, ensure_ascii=False) if field.default is not None else "–"
        )
        doc = " ".join((field_doc(model, name) or "").split()).replace("|", "\\|")
        rows.append(f"| `{key}` | `{_type(annotation)}` | `{default}` | {doc} |")
    return rows


def config_reference() -> str:
    """Every key of `citeguide.toml`: dotted name, type, default, meaning."""
    lines = ["| key | type | default | meaning |", "|---|---|---|---|"]
    return "\n".join(lines + _rows(SiteConfig, ""))


def lint_reference() -> str:
    """Every editorial rule: id, default severity, what trips it, an example."""
    lines = ["| rule | default | trips on | example |", "|---|---|---|---|"]
    for rule in RULES.values():
        example = rule.example.replace("|", "\\|")
        lines.append(f"| `{rule.id}` | {rule.severity} | {rule.catches} | {example} |")
    return "\n".join(lines)


def model_reference() -> str:
    """Every model of the bundled pack: name, what it computes in which unit, parameters."""
    lines = ["| model | value | parameters (default) |", "|---|---|---|"]
    for model in sorted(pack_library().models.values(), key=lambda m: m.name):
        params = "; ".join(
            f"`{p.name}`"
            + (f" ({p.default})" if p.default is not None else "")
            + (" optional" if p.optional else "")
            for p in model.params.values()
        )
        lines.append(f"| `{model.name}` | {model.title} (`{model.unit_text}`) | {params} |")
    return "\n".join(lines)


BLOCKS = {
    "config-reference": config_reference,
    "lint-rules": lint_reference,
    "model-reference": model_reference,
}


def render(text: str) -> str:
    """`text` with every generated block replaced by its current content."""
    for name, make in BLOCKS.items():
        pattern = re.compile(rf"(<!-- BEGIN {name} -->\n).*?(\n<!-- END {name} -->)", re.DOTALL)
        block = make()

        def fill(match: re.Match[str], block: str = block) -> str:
            return match.group(1) + block + match.group(2)

        text = pattern.sub(fill, text)
    return text


if __name__ == "__main__":
    for name in sys.argv[1:]:
        path = Path(name)
        path.write_text(render(path.read_text(encoding="utf-8")), encoding="utf-8")
