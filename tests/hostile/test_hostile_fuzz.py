"""Fuzzing the readers: whatever a guide or a table holds, the answer is a positioned
diagnostic or a guide, never an exception, and it comes quickly."""

from __future__ import annotations

import re
import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from citeguide.content.parse import parse_guide
from citeguide.costcore.library import Library
from citeguide.yamlsource import YamlError, load_yaml
from conftest import TODAY

POSITIONED = re.compile(
    r"^content/guides/g\.md:[1-9]\d*:[1-9]\d*: (error|warning): .+ \[[a-z0-9-]+\]$"
)

CONTROL = st.sampled_from(["\x00", "\x07", "\x1b", "\x7f", "\u0085", "\u2028", "\r", "\t"])
HUGE = st.sampled_from(["9" * 5000, "1" + "0" * 400, "1e999", "-" + "9" * 50, ".5e-400"])
YAML_VALUE = st.one_of(
    st.text(max_size=30),
    HUGE,
    st.builds(
        lambda c, t: f'"{t}{c.encode("unicode_escape").decode()}"',
        CONTROL,
        st.text(alphabet="abc ", max_size=5),
    ),
    st.sampled_from(
        ["&a [*a]", "*nowhere", "&x 1", "[*x, *x]", "{a: &b [*b]}", "!!python/object:os.system ls"]
    ),
)
KEYS = st.sampled_from(
    ["title", "summary", "published", "slug", "tags", "entities", "draft", "updates", "x"]
)
FRONT = st.lists(st.tuples(KEYS, YAML_VALUE), max_size=8).map(
    lambda pairs: "".join(f"{k}: {v}\n" for k, v in pairs)
)
URLS = st.sampled_from(
    ["https://a.example", "javascript:alert(1)", "https://u:p@h.example", "", "http://[::1"]
)
DATES = st.sampled_from(["2026-01-01", "2026-02-30", "99999-01-01", "x"])
CONFIDENCES = st.sampled_from(["high", "low", "", "sure"])
CALC_ARGS = st.sampled_from(
    ["tokens=10M", "tokens=1" + "0" * 300, "tokens_per_second=0", "gpus=-1", "x==y"]
)
MARKER = st.one_of(
    st.builds(lambda u, d, c: f"[cite: {u} · {d} · {c}]", URLS, DATES, CONFIDENCES),
    st.builds(
        lambda n, v: f"[calc: {n} {v}]",
        st.sampled_from(["api_cost", "capacity", "nope"]),
        CALC_ARGS,
    ),
    st.just("[cite: "),
    st.just("[calc: "),
)
BLOCKS = st.sampled_from(["> " * 25, "| a | b |\n|---|---|\n", "\n\n"])
BODY = st.lists(st.one_of(st.text(max_size=40), MARKER, CONTROL, BLOCKS), max_size=12).map("".join)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(front=FRONT, body=BODY)
def test_any_guide_gives_a_guide_or_positioned_diagnostics(front: str, body: str) -> None:
    start = time.monotonic()
    guide, diags = parse_guide(
        "content/guides/g.md", f"---\n{front}---\n{body}\n", today=TODAY, library=Library()
    )
    assert time.monotonic() - start < 5
    for line in diags.render().splitlines():
        assert POSITIONED.match(line), line
    assert guide is not None or diags.has_errors()


@settings(max_examples=200, deadline=None)
@given(text=st.lists(st.tuples(st.text(alphabet="abcxyz", min_size=1, max_size=4), YAML_VALUE),
                     max_size=10).map(lambda p: "".join(f"{k}: {v}\n" for k, v in p)))  # fmt: skip
def test_any_table_text_loads_or_gives_a_positioned_yaml_error(text: str) -> None:
    start = time.monotonic()
    problem: YamlError | None = None
    try:
        load_yaml(text)
    except YamlError as exc:
        problem = exc
    if problem is not None:
        assert problem.line >= 0
        assert problem.col >= 0
        assert problem.message
    assert time.monotonic() - start < 5
