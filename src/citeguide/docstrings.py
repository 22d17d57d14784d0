"""Field descriptions from attribute docstrings, read when a schema or a manual needs them.

citeguide documents each field of its models with a docstring on the line under its
annotation. pydantic can turn those into field descriptions itself (`use_attribute_docstrings`), but
it does so while each class is created, by finding the class's source through the call
stack and parsing it: 83 ms of every build's start-up (69 classes) and 29 ms of every
link check's, measured with cProfile, for descriptions that only the published JSON
Schemas and the configuration reference read. Here each module's source is parsed once,
on first use, and the descriptions are added where they are read: `DocumentedSchema`
when pydantic writes a JSON Schema, `field_doc` for the manual. The rules are pydantic's:
a string statement right after an annotated assignment documents it (cleaned with
`inspect.cleandoc`), an explicit `Field(description=...)` wins, and a field inherited
unchanged keeps its defining class's docstring.
"""

from __future__ import annotations

import ast
import inspect
import itertools
import sys
from functools import cache
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import core_schema


@cache
def _module_docs(module: str) -> dict[str, dict[str, str]]:
    """Class qualified name → attribute → docstring, for every class of `module`."""
    found: dict[str, dict[str, str]] = {}
    try:
        source = inspect.getsource(sys.modules[module])
    except (KeyError, OSError, TypeError):
        return found

    def visit(body: list[ast.stmt], prefix: str) -> None:
        for node in body:
            if isinstance(node, ast.ClassDef):
                name = f"{prefix}{node.name}"
                found[name] = _attribute_docs(node.body)
                visit(node.body, f"{name}.")

    visit(ast.parse(source).body, "")
    return found


def _attribute_docs(body: list[ast.stmt]) -> dict[str, str]:
    docs: dict[str, str] = {}
    for before, node in itertools.pairwise(body):
        if (
            isinstance(before, ast.AnnAssign)
            and isinstance(before.target, ast.Name)
            and isinstance(node, ast.Expr)
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
        ):
            docs[before.target.id] = inspect.cleandoc(node.value.value)
    return docs


def _defining_class(model: type[BaseModel], name: str) -> type[Any] | None:
    for klass in model.__mro__:
        if name in inspect.get_annotations(klass):
            return klass
    return None


def field_doc(model: type[BaseModel], name: str) -> str | None:
    """The description of field `name` of `model`: its explicit one, else its docstring."""
    field = model.model_fields[name]
    if field.description is not None:
        return field.description
    klass = _defining_class(model, name)
    if klass is None:
        return None
    return _module_docs(klass.__module__).get(klass.__qualname__, {}).get(name)


class DocumentedSchema(GenerateJsonSchema):
    """pydantic's JSON Schema generator, with each field's docstring as its description."""

    def model_schema(self, schema: core_schema.ModelSchema) -> JsonSchemaValue:
        json_schema = super().model_schema(schema)
        model = schema["cls"]
        properties = json_schema.get("properties")
        if not isinstance(properties, dict) or not issubclass(model, BaseModel):
            return json_schema
        for name, field in model.model_fields.items():
            alias = field.serialization_alias if self.mode == "serialization" else None
            key = (alias or field.alias or name) if self.by_alias else name
            doc = field_doc(model, name)
            found = properties.get(key)
            if doc is not None and isinstance(found, dict) and "description" not in found:
                properties[key] = _described(found, doc)
        return json_schema


def _described(schema: dict[str, Any], doc: str) -> dict[str, Any]:
    """`schema` with `doc` as its description, in the place pydantic gives it: before the
    title it adds last (which shows where pydantic leaves a schema unsorted, as under a
    field named `default`)."""
    title = schema.get("title")
    rest = {k: v for k, v in schema.items() if k != "title"}
    rest["description"] = doc
    return rest if title is None else {**rest, "title": title}
