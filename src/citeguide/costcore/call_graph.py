"""Models calling models: circles of calls, and how deep one evaluation would nest.

Both walk the call graph without recursion, so a chain of thousands of models is one
linear pass."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from citeguide.costcore.library import MAX_NESTING, C, CCall, CLet, Model, children


def too_deep(models: Mapping[str, Model]) -> dict[str, int]:
    """Models whose evaluation would nest deeper than MAX_NESTING (formulas, the `let`
    values they read, the models they call, and theirs), with their depth; callers of
    such a model are left to fail as callers of an unusable one. Callees first, without
    recursion, so a chain of thousands of models is one linear pass."""
    depth: dict[str, int] = {}
    deep: dict[str, int] = {}
    for name in _callees_first(models):
        model = models[name]
        if any(c in deep or c not in depth for c in model.calls if c in models):
            continue
        lets: dict[str, int] = {}
        for let in model.lets.values():
            lets[let.name] = _tree_depth(let.node, lets, depth)
        roots = [model.formula, *(r.cond for r in model.requires),
                 *(h for r in model.requires for _, h in r.holes),
                 *(g.test for g in model.flags),
                 *(g.when for g in model.flags if g.when)]  # fmt: skip
        depth[name] = max(_tree_depth(root, lets, depth) for root in roots)
        if depth[name] > MAX_NESTING:
            deep[name] = depth[name]
    return deep


def _tree_depth(root: C, lets: Mapping[str, int], models: Mapping[str, int]) -> int:
    deepest = 0
    stack = [(root, 1)]
    while stack:
        node, level = stack.pop()
        # A let value or a called model nests its own depth below this node; a call's
        # arguments are computed here, one level down.
        if isinstance(node, CLet):
            deepest = max(deepest, level + lets.get(node.name, 0))
        elif isinstance(node, CCall):
            deepest = max(deepest, level + models.get(node.model, 0))
        deepest = max(deepest, level)
        stack += [(child, level + 1) for child in children(node)]
    return deepest


def _callees_first(models: Mapping[str, Model]) -> list[str]:
    """Model names with every model's callees before it (the call graph has no cycles)."""
    order: list[str] = []
    done: set[str] = set()
    for start in sorted(models):
        stack = [(start, False)]
        while stack:
            name, expanded = stack.pop()
            if expanded:
                order.append(name)
                continue
            if name in done:
                continue
            done.add(name)
            stack.append((name, True))
            stack += [(c, False) for c in sorted(models[name].calls, reverse=True)
                      if c in models and c not in done]  # fmt: skip
    return order


def cycles(models: Mapping[str, Model]) -> dict[str, tuple[list[str], int]]:
    """Models that call themselves through others, each with the start of its circle
    (itself and up to six models it calls in turn, `a → b`) and the circle's length."""
    state: dict[str, int] = {}
    found: dict[str, tuple[list[str], int]] = {}
    for start in sorted(models):
        if state.get(start):
            continue
        stack: list[tuple[str, Iterator[str]]] = [(start, iter(sorted(models[start].calls)))]
        path = [start]
        where = {start: 0}
        state[start] = 1
        while stack:
            node, it = stack[-1]
            nxt = next(it, None)
            if nxt is None:
                state[node] = 2
                stack.pop()
                del where[path.pop()]
                continue
            if nxt not in models:
                continue
            if state.get(nxt) == 1:
                first, size = where[nxt], len(path) - where[nxt]
                for j in range(len(path) - 1, first - 1, -1):
                    if path[j] not in found:
                        ahead = [path[first + (j - first + k) % size] for k in range(min(size, 7))]
                        found[path[j]] = (ahead, size)
            elif not state.get(nxt):
                state[nxt] = 1
                stack.append((nxt, iter(sorted(models[nxt].calls))))
                where[nxt] = len(path)
                path.append(nxt)
    return dict(sorted(found.items()))
