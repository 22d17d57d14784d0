"""A small evaluator of the JSON twin's expression trees, written from docs/twin.md alone.

It imports nothing from citeguide: it is what an agent would write to recompute a figure
with its own inputs, and the test that uses it proves the twin carries everything needed
(models, tables, rates, the site's currency). Exact arithmetic with fractions.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any


class Refused(Exception):
    """A `require` held, or an input is missing."""


@dataclass(frozen=True)
class Q:
    value: Fraction
    currency: str | None = None


@dataclass(frozen=True)
class Row:
    table: str
    id: str


NOT_GIVEN = object()


def number(text: Any) -> Fraction:
    text = str(text)
    if ".." in text:
        low, high = text.split("..")
        return (Fraction(low) + Fraction(high)) / 2
    return Fraction(text)


class Twin:
    def __init__(self, twin: dict[str, Any]) -> None:
        self.models: dict[str, Any] = twin["models"]
        self.tables: dict[str, Any] = twin["tables"]
        self.site_currency: str = twin["currency"]

    # -------------------------------------------------------------- public

    def evaluate(self, name: str, values: dict[str, Any], given: set[str]) -> Q:
        model = self.models[name]
        env = {}
        for pname, param in model["params"].items():
            if pname in values:
                env[pname] = self._param_value(param, values[pname])
            elif param.get("default") is not None:
                env[pname] = self._param_value(param, param["default"])
            elif param["kind"] == "currency":
                env[pname] = self.site_currency
            elif param.get("optional"):
                env[pname] = NOT_GIVEN
            else:
                raise Refused(f"missing {pname}")
        self.top: dict[str, Any] | None = None
        return self._run(model, env, given)

    def derived(self) -> dict[str, Q]:
        """The `let` values of the last `evaluate` as the twin's `derived` has them: each
        times its unit's `fold` in the model's `units`, in the currency it was computed in
        (`derived_units` names it)."""
        assert self.top is not None
        units = self.top["model"].get("units", {})
        out = {}
        for let in self.top["model"].get("lets", []):
            value = self.top["lets"].get(let["name"])
            if isinstance(value, Q):
                fold = Fraction(units.get(let["expr"].get("unit"), {}).get("fold", "1"))
                out[let["name"]] = Q(value.value * fold, value.currency)
        return out

    def flags(self) -> dict[str, bool]:
        """The flags of the last `evaluate`: each whose `when` is absent or true."""
        assert self.top is not None
        frame = self.top
        return {
            flag["name"]: self._ev(flag["test"], frame) is True
            for flag in frame["model"].get("flags", [])
            if flag.get("when") is None or self._ev(flag["when"], frame) is True
        }

    # -------------------------------------------------------------- internals

    def _param_value(self, param: dict[str, Any], raw: Any) -> Any:
        kind = param["kind"]
        if kind == "bool":
            return raw if isinstance(raw, bool) else str(raw).lower() == "true"
        if kind == "currency":
            return str(raw)
        text = str(raw)
        table = param.get("table")
        if table and text in self.tables.get(table, {}).get("rows", {}):
            return Row(table, text)
        return number(text) if not isinstance(raw, float) else Fraction(repr(raw))

    def _currency(self, model: dict[str, Any], env: dict[str, Any]) -> str:
        code = model.get("currency")
        if code and code != "money":
            return str(code)
        for pname, param in model["params"].items():
            if param["kind"] == "currency" and isinstance(env.get(pname), str):
                return str(env[pname])
        return self.site_currency

    def _run(self, model: dict[str, Any], env: dict[str, Any], given: set[str]) -> Q:
        frame = {"model": model, "env": env, "given": given, "lets": {},
                 "currency": self._currency(model, env)}  # fmt: skip
        if getattr(self, "top", None) is None:
            self.top = frame  # the model `evaluate` was asked for, not one it calls
        # Quantities in a parameter's currency (`money` = the evaluation's currency).
        for pname, param in model["params"].items():
            value = env.get(pname)
            if isinstance(value, Fraction):
                code = param.get("currency")
                env[pname] = Q(value, frame["currency"] if code == "money" else code)
        for req in model.get("require", []):
            if self._ev(req["test"], frame) is True:
                raise Refused(req["error"])
        result = self._ev(model["formula"], frame)
        assert isinstance(result, Q)
        if model.get("currency") and result.currency and result.currency != frame["currency"]:
            power = 1
            result = self._fx(result, frame["currency"], power)
        return result

    def _fx(self, q: Q, target: str, power: int) -> Q:
        for row in sorted(self.tables["fx"]["rows"].items()):
            values = row[1]["values"]
            base, quote, rate = values["base"], values["quote"], Fraction(str(values["rate"]))
            if (base, quote) == (q.currency, target):
                return Q(q.value * rate**power, target)
            if (base, quote) == (target, q.currency):
                return Q(q.value / rate**power, target)
        raise Refused(f"no rate {q.currency}->{target}")

    def _meet(self, a: Q, b: Q, frame: dict[str, Any], na: Any, nb: Any) -> tuple[Q, Q]:
        if a.currency and b.currency and a.currency != b.currency:
            target = frame["currency"]
            if a.currency != target:
                a = self._fx(a, target, na.get("money", 1))
            if b.currency != target:
                b = self._fx(b, target, nb.get("money", 1))
        return a, b

    def _row_value(self, row: Row, column: str) -> Any:
        table = self.tables[row.table]
        values = table["rows"][row.id]["values"]
        if column not in values:
            raise Refused(f"{row.id} has no {column}")
        col = table["columns"][column]
        value = values[column]
        if col["kind"] == "ref":
            return Row(col["ref"], value)
        if col["kind"] != "quantity":
            return value
        unit = col.get("unit", "")
        currency = None
        if "money" in unit.split("/")[0].split():
            currency = values[table["currency_column"]]
        else:
            head = unit.split("/")[0].split()
            currency = next((w for w in head if w.isupper() and len(w) == 3), None)
        return Q(number(value), currency)

    def _row_of(self, node: dict[str, Any], frame: dict[str, Any]) -> Any:
        """The row a `col` node reads: a parameter's row as it was given (not its number)."""
        if node["op"] == "param":
            value = frame["env"][node["name"]]
            if value is NOT_GIVEN:
                raise Refused(f"missing {node['name']}")
            return value
        return self._ev(node, frame)

    def _ev(self, node: dict[str, Any], frame: dict[str, Any]) -> Any:
        op = node["op"]
        env = frame["env"]
        if op == "num":
            code = node.get("currency")
            return Q(Fraction(node["value"]), frame["currency"] if code == "money" else code)
        if op in ("str", "bool"):
            return node["value"]
        if op == "param":
            value = env[node["name"]]
            if value is NOT_GIVEN:
                raise Refused(f"missing {node['name']}")
            param = frame["model"]["params"][node["name"]]
            if isinstance(value, Row) and param["kind"] == "number":
                cell = self._row_value(value, param["column"])
                return Q(cell.value * Fraction(param.get("column_factor", "1")), cell.currency)
            return value
        if op == "let":
            name = node["name"]
            if name not in frame["lets"]:
                let = next(x for x in frame["model"].get("lets", []) if x["name"] == name)
                value = self._ev(let["expr"], frame)
                code = let.get("currency")
                if code and isinstance(value, Q) and value.currency not in (None, code):
                    value = self._fx(value, code, let["expr"].get("money", 1))
                frame["lets"][name] = value
            return frame["lets"][name]
        if op == "col":
            row = self._row_of(node["args"][0], frame)
            for column in node["path"]:
                row = self._row_value(row, column)
            return row
        if op == "conv":
            inner = self._ev(node["args"][0], frame)
            return Q(inner.value * Fraction(node["factor"]), inner.currency)
        if op == "given":
            name = node["args"][0]["name"]
            return name in frame["given"] and env[name] is not NOT_GIVEN
        if op == "is_row":
            return isinstance(env[node["args"][0]["name"]], Row)
        if op == "has":
            col = node["args"][0]
            row = self._row_of(col["args"][0], frame)
            for column in col["path"][:-1]:
                row = self._row_value(row, column)
            values = self.tables[row.table]["rows"][row.id]["values"]
            return col["path"][-1] in values
        if op == "if":
            cond = self._ev(node["args"][0], frame)
            return self._ev(node["args"][1] if cond is True else node["args"][2], frame)
        if op in ("and", "or"):
            left = self._ev(node["args"][0], frame)
            if (op == "and" and left is False) or (op == "or" and left is True):
                return left
            return self._ev(node["args"][1], frame)
        if op == "not":
            return not self._ev(node["args"][0], frame)
        if op == "neg":
            q = self._ev(node["args"][0], frame)
            return Q(-q.value, q.currency)
        if op == "find":
            wanted = {k: self._ev(v, frame) for k, v in node["kwargs"].items()}
            table = self.tables[node["name"]]
            found = []
            for row_id, row in table["rows"].items():
                ok = True
                for column, want in wanted.items():
                    have = row["values"].get(column)
                    want = want.id if isinstance(want, Row) else want
                    want = want.value if isinstance(want, Q) else want
                    if isinstance(want, Fraction):
                        ok = ok and have is not None and number(have) == want
                    else:
                        ok = ok and have == want
                if ok:
                    found.append(row_id)
            if len(found) != 1:
                raise Refused(f"find matched {len(found)} rows")
            return Row(node["name"], found[0])
        if op == "call":
            callee = self.models[node["name"]]
            values: dict[str, Any] = {}
            given: set[str] = set()
            for key, arg in node["kwargs"].items():
                if arg["op"] == "param" and env.get(arg["name"]) is NOT_GIVEN:
                    continue
                if arg["op"] == "str" and callee["params"][key].get("table"):
                    values[key] = Row(callee["params"][key]["table"], arg["value"])
                elif arg["op"] == "param" and isinstance(env.get(arg["name"]), Row | Q):
                    values[key] = env[arg["name"]]
                else:
                    values[key] = self._ev(arg, frame)
                if not (arg["op"] == "param" and arg["name"] not in frame["given"]):
                    given.add(key)
            env2: dict[str, Any] = {}
            for pname, param in callee["params"].items():
                if pname in values:
                    value = values[pname]
                    env2[pname] = value.value if isinstance(value, Q) and False else value
                elif param.get("default") is not None:
                    env2[pname] = self._param_value(param, param["default"])
                elif param["kind"] == "currency":
                    env2[pname] = frame["currency"]
                elif param.get("optional"):
                    env2[pname] = NOT_GIVEN
                else:
                    raise Refused(f"{node['name']} needs {pname}")
            return self._run(callee, env2, given)
        if op in ("min", "max"):
            items = [self._ev(a, frame) for a in node["args"]]
            met = [items[0]]
            for other, sub in zip(items[1:], node["args"][1:], strict=True):
                first, other = self._meet(met[0], other, frame, node["args"][0], sub)
                met[0] = first
                met.append(other)
            return (min if op == "min" else max)(met, key=lambda q: q.value)
        if op in ("ceil", "floor", "abs", "round"):
            q = self._ev(node["args"][0], frame)
            if op == "ceil":
                return Q(Fraction(math.ceil(q.value)), q.currency)
            if op == "floor":
                return Q(Fraction(math.floor(q.value)), q.currency)
            if op == "abs":
                return Q(abs(q.value), q.currency)
            places = int(self._ev(node["args"][1], frame).value) if len(node["args"]) > 1 else 0
            scaled = q.value * 10**places
            rounded = (
                math.floor(scaled + Fraction(1, 2))
                if scaled >= 0
                else -math.floor(-scaled + Fraction(1, 2))
            )
            return Q(Fraction(rounded, 10**places), q.currency)
        left = self._ev(node["args"][0], frame)
        right = self._ev(node["args"][1], frame)
        if op in ("==", "!=") and not isinstance(left, Q):
            a = left.id if isinstance(left, Row) else left
            b = right.id if isinstance(right, Row) else right
            return (a == b) == (op == "==")
        left, right = self._meet(left, right, frame, node["args"][0], node["args"][1])
        currency = left.currency or right.currency
        if op == "+":
            return Q(left.value + right.value, currency)
        if op == "-":
            return Q(left.value - right.value, currency)
        if op == "*":
            return Q(left.value * right.value, currency if node.get("money") else None)
        if op == "/":
            return Q(left.value / right.value, currency if node.get("money") else None)
        if op == "^":
            if right.value.denominator == 1:
                return Q(left.value ** int(right.value), None)
            return Q(Fraction(float(left.value) ** float(right.value)), None)
        return {"<": left.value < right.value, "<=": left.value <= right.value,
                ">": left.value > right.value, ">=": left.value >= right.value,
                "==": left.value == right.value, "!=": left.value != right.value}[op]  # fmt: skip
