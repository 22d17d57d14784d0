"""What an author writes in a model file, read and checked for shape, and the problems
found in it.

A model file maps model names to declarations (title, result unit, parameters, optional
`let` values, a formula, `require` constraints, `flags`); `read_specs` validates each with
the pydantic models below. `compile.py` then turns the declarations into compiled models.
The model file format is described for authors in docs/models.md.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from citeguide.costcore.problems import Problem

NAME = r"^[a-z][a-z0-9_]{0,63}$"
"""A model, parameter or `let` name: lower-case letters, digits and _, at most 64."""
FUNCTIONS = {"min", "max", "ceil", "floor", "round", "abs", "if", "given", "is_row", "has", "find"}
RESERVED = FUNCTIONS | {"and", "or", "not", "true", "false"}


# ---------------------------------------------------------------- what authors write


def _unit_text(value: object) -> object:
    """A unit YAML read as a number: `1`, the unit of a plain number, is its text; any
    other number is refused with what to write."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        if value == 1:
            return "1"
        raise ValueError(f"a unit is a name such as kWh/year or GBP/day, not the number "
                         f"{value}; a plain number's unit is 1, or leave unit out")  # fmt: skip
    return value


UnitText = Annotated[str, BeforeValidator(_unit_text)]


def _formula_text(value: object) -> object:
    """A formula YAML read as a value of its own is that value's text: `when: true` (a
    flag reported always), `formula: 0`, `let: {base: 12}`, as the formula language
    writes them (`true`, `0`, `12`)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return value


FormulaText = Annotated[str, BeforeValidator(_formula_text)]


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class ParamSpec(_Spec):
    """One parameter of a model."""

    label: str = ""
    """What the parameter is, in plain words (shown to readers)."""
    unit: UnitText | None = None
    """Unit of a number (`kWh/year`, `GBP`, `1`); a number typed for it is in this unit."""
    type: Literal["number", "row", "bool", "currency"] | None = None
    """`number` (the default when a unit is given), `row` (a row of `table`), `bool`
    (true or false), `currency` (an ISO code; default: the site's currency)."""
    table: str | None = None
    """The table whose rows the parameter takes (a row id instead of a number)."""
    column: str | None = None
    """With `unit` and `table`: the column of the row used as the number."""
    default: str | int | float | bool | None = None
    """Value used when a marker leaves the parameter out (a number, a row id, ...)."""
    min: str | int | float | None = None
    """Smallest number allowed, in the parameter's unit."""
    max: str | int | float | None = None
    """Largest number allowed, in the parameter's unit."""
    optional: bool = False
    """May be left out without a default; test it in a formula with `given(name)`."""


class LetSpec(_Spec):
    expr: FormulaText
    """The formula of this intermediate value."""
    label: str = ""
    """What it is, in plain words (shown in the steps)."""
    unit: UnitText | None = None
    """The unit its value is shown in (`h/year`); without one, the value is shown in the
    units its formula leaves after cancelling (hours over years cancel to a bare number)."""


class RequireSpec(_Spec):
    if_: FormulaText = Field(alias="if")
    """A condition that makes the inputs unusable."""
    error: Annotated[str, Field(min_length=1, max_length=500)]
    """The message shown when the condition holds; `{name}` shows a value."""
    param: str | list[str] | None = None
    """The parameter(s) to blame (the first one given); default: the first one used."""


class FlagSpec(_Spec):
    test: FormulaText
    """A condition reported with the result (true or false)."""
    when: FormulaText | None = None
    """Report the flag only when this condition holds (such as `given(x)`)."""
    label: str = ""


class FormatSpec(_Spec):
    style: Literal["money", "count", "number", "percent", "gigabytes"] | None = None
    """How the value is shown on the page (default: from the unit)."""
    digits: Annotated[int, Field(ge=1, le=12)] = 3
    """Significant digits shown for `number` and `count`."""


class ModelSpec(_Spec):
    """A model: a titled formula over typed parameters, with a unit for its result."""

    title: Annotated[str, Field(min_length=1, max_length=200)]
    """What the model computes, in plain words."""
    label: str | None = None
    """A short name for the result, used in the steps of models that call this one."""
    description: str | None = None
    """A longer explanation for readers of the model table."""
    unit: UnitText
    """Unit of the result (`GBP/year`, `year`, `money/month` for the site's currency)."""
    params: dict[str, ParamSpec] = {}
    let: dict[str, FormulaText | LetSpec] = {}
    """Named intermediate values, in order; each may use parameters and earlier ones."""
    formula: FormulaText
    require: list[RequireSpec] = []
    flags: dict[str, FlagSpec] = {}
    format: FormatSpec = FormatSpec()


def shown_name(name: str) -> str:
    return repr(name if len(name) <= 40 else name[:32] + "…")


# ---------------------------------------------------------------- parsing declarations


def read_specs(data: Any) -> tuple[dict[str, ModelSpec], list[Problem]]:
    """Model declarations from one parsed YAML file (model name → declaration)."""
    problems: list[Problem] = []
    specs: dict[str, ModelSpec] = {}
    if data is None:
        return specs, problems
    if not isinstance(data, dict):
        return specs, [Problem((), "a model file maps model names to models", "model-syntax")]
    for name, raw in data.items():
        if not isinstance(name, str) or not re.fullmatch(NAME, name) or name in RESERVED:
            problems.append(Problem((str(name),), f"model name {shown_name(str(name))} must be "
                                    "lower-case letters, digits and _, at most 64 (and not a "
                                    "function name)", "model-name", key=True))  # fmt: skip
            continue
        try:
            specs[name] = ModelSpec.model_validate(raw)
        except ValidationError as exc:
            for err in _one_per_union(exc.errors()):
                loc = tuple("if" if p == "if_" else p for p in err["loc"])
                where = ".".join(str(p) for p in loc)
                if err["type"] == "extra_forbidden":
                    close = _comma_hint(raw, loc) or close_hint(str(loc[-1]), _fields_at(loc))
                    problems.append(Problem((name, *loc), f"{name}: unknown key {where!r}{close}",
                                            "model-syntax", key=True))  # fmt: skip
                elif err["type"] == "missing":
                    problems.append(Problem((name, *loc[:-1]), f"{name}: missing {where!r}",
                                            "model-syntax", key=True))  # fmt: skip
                else:
                    message = err["msg"].removeprefix("Value error, ")
                    problems.append(Problem((name, *loc), f"{name}.{where}: {message}",
                                            "model-syntax"))  # fmt: skip
    return specs, problems


def _comma_hint(raw: Any, loc: tuple[Any, ...]) -> str:
    """`{unit: h/day, label: sun hours a day, yearly average}`: the comma ended the label,
    and `yearly average` became a key of its own, with no value. The advice quotes the
    value as the author wrote it."""
    parent: Any = raw
    for part in loc[:-1]:
        parent = parent.get(part) if isinstance(parent, dict) else None
    key = loc[-1]
    if not isinstance(parent, dict) or parent.get(key, "") is not None:
        return ""
    keys = list(parent)
    start = keys.index(key) if key in keys else 0
    while start > 0 and parent[keys[start - 1]] is None:
        start -= 1  # `inverter, wiring, heat)`: each comma made a key of its own
    value = parent[keys[start - 1]] if start > 0 else None
    if not isinstance(value, str):
        return ""
    end = start
    while end < len(keys) and parent[keys[end]] is None:
        end += 1
    whole = ", ".join([value, *map(str, keys[start:end])]).replace("'", "''")
    return (
        f"; a comma inside {{...}} ends a value: quote the value that holds it "
        f"({keys[start - 1]}: '{whole}')"
    )


_UNION = {"str": "text", "int": "a number", "float": "a number", "bool": "true or false",
          "list[str]": "a list of names", "LetSpec": "{expr, label}",
          "function-before[_formula_text(), str]": "text"}  # fmt: skip


def _one_per_union(errors: list[Any]) -> list[Any]:
    """One error for a value that fits none of a union's types (`min: [1]` fails as text,
    as an integer and as a number: one message, `must be text or a number`)."""
    tagged: dict[tuple[Any, ...], list[str]] = {}
    for err in errors:
        if err["loc"] and err["loc"][-1] in _UNION and err["type"].endswith("_type"):
            tagged.setdefault(err["loc"][:-1], []).append(_UNION[err["loc"][-1]])
    out, done = [], set()
    for err in errors:
        head = err["loc"][:-1]
        if len(tagged.get(head, ())) < 2 or err["loc"][-1] not in _UNION:
            out.append(err)
        elif head not in done:
            done.add(head)
            words = list(dict.fromkeys(tagged[head]))
            out.append({**err, "loc": head, "msg": f"must be {' or '.join(words)}"})
    return out


def _fields_at(loc: tuple[Any, ...]) -> list[str]:
    if len(loc) >= 3 and loc[0] == "params":
        return list(ParamSpec.model_fields)
    if loc and loc[0] == "require":
        return ["if", "error", "param"]
    if loc and loc[0] == "flags":
        return list(FlagSpec.model_fields)
    return list(ModelSpec.model_fields)


def param_hint(word: str, params: Iterable[str]) -> str:
    """For a parameter `word` a model does not have: the nearest of its `params`, else
    all of them (`people_cost(engineers=team)` was told only `people_cost has no parameter
    'engineers'`, with no word of `team`)."""
    names = list(params)
    return close_hint(word, names) or (f"; its parameters are {', '.join(names)}"
                                       if names else "; it has no parameters")  # fmt: skip


def close_hint(word: str, known: Iterable[str]) -> str:
    match = difflib.get_close_matches(word, list(known), n=1)
    return f"; did you mean {match[0]!r}?" if match else ""
