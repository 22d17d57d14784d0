"""Hostile cited pages: reading a stranger's HTML is linear or bounded, and off the event
loop within the request's timeout. The red team's inputs (issue 25): 256 KiB of repeated
`<title>` (35.8 s in `title_of`), 120 KB of repeated `<a ` (87 s in html.parser), a
2 MiB page full of a quote's start and no end (> 240 s in the quote matcher), 20,000
citations of one URL (26 s in `collect`).

Scaling is asserted as growth ratios (see tests/content/test_parse_scaling.py): ten times the
input takes about ten times the work when the code is linear, a hundred times when it is
quadratic. Deadlines are asserted against real servers on 127.0.0.1."""

from __future__ import annotations

import asyncio
import os
import re
import time
from collections.abc import Callable
from datetime import date
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from hostile_servers import reply, serve
from hypothesis import given, settings
from hypothesis import strategies as st

from citeguide.linkcheck.checker import Checker, CheckOptions
from citeguide.linkcheck.classify import page_title
from citeguide.linkcheck.collect import Target, Use, collect
from citeguide.linkcheck.pages import read_page, visible_text
from citeguide.linkcheck.reader import SMALL_PAGE
from citeguide.text.fragments import TextQuote, found, split_url
from conftest import growth

LINEAR = 30.0
"""Ten times the input may cost at most this many times the work (linear: ~10,
quadratic: ~100)."""


def _ratio(make: Callable[[int], object], use: Callable[[object], object], n: int) -> float:
    small, large = make(n), make(10 * n)
    return growth(lambda: use(small), lambda: use(large), runs=3, bound=LINEAR)


PAGE = b'<p>Some words of <b>text</b> here, <a href="/x">a link</a>.</p>\n'


@pytest.mark.parametrize(
    ("make", "n"),
    [
        (lambda n: b"<title>" * n, 256 * 1024 // 7 // 10),  # 256 KiB at 10x
        (lambda n: b"<a " * n, 40_000 // 10),  # 120 KB at 10x
        (lambda n: PAGE * n, 2 * 1024 * 1024 // len(PAGE) // 10),  # 2 MiB at 10x
        (lambda n: b"<h1>" * n, 256 * 1024 // 4 // 10),
        (lambda n: b"<meta property=og:title " * n, 256 * 1024 // 24 // 10),
    ],
    ids=["repeated-title", "repeated-a", "ordinary-page", "repeated-h1", "unclosed-meta"],
)
def test_reading_a_page_is_linear_in_its_size(make: Callable[[int], bytes], n: int) -> None:
    quote = [TextQuote("text=words,zzz", "words", "zzz")]
    ratio = _ratio(make, lambda body: read_page(body, quote), n)  # type: ignore[arg-type]
    assert ratio < LINEAR, f"10x the page took {ratio:.0f}x the time"


def test_quote_matching_is_linear_in_the_page() -> None:
    # The start everywhere, the end nowhere: `start.*?end` retried from every start.
    quote = TextQuote("text=a,zzz", "a", "zzz", prefix="a", suffix="b")
    ratio = _ratio(lambda n: "a " * n, lambda text: found(quote, text), 100_000)  # type: ignore[arg-type]
    assert ratio < LINEAR, f"10x the text took {ratio:.0f}x the time"


def test_collecting_many_citations_of_one_url_is_linear() -> None:
    def cited(n: int) -> list[tuple[str, str, Use]]:
        url = "https://a.example/x#:~:text=quoted"
        return [(url, url, Use("content/guides/g.md", i, date(2026, 1, 1))) for i in range(n)]

    ratio = _ratio(cited, collect, 2_000)  # type: ignore[arg-type]
    assert ratio < LINEAR, f"10x the citations took {ratio:.0f}x the time"
    (target,) = collect(cited(20_000))
    assert len(target.uses) == 20_000
    assert list(target.quotes) == ["text=quoted"]


def _old_found(quote: TextQuote, text: str) -> bool:
    """The matcher as it was (one expression with a lazy gap): the reference semantics."""

    def words(part: str) -> str:
        return r"\s*".join(re.escape(w) for w in part.casefold().split())

    pattern = words(quote.start)
    if quote.end:
        pattern += r".*?" + words(quote.end)
    if quote.prefix:
        pattern = words(quote.prefix) + r"\s*" + pattern
    if quote.suffix:
        pattern += r"\s*" + words(quote.suffix)
    return re.search(pattern, text, re.DOTALL) is not None


_WORDS = st.text(alphabet="ab ", min_size=1, max_size=6).filter(lambda s: s.strip() != "")


@settings(max_examples=400, deadline=None)
@given(
    text=st.text(alphabet="ab ", max_size=30),
    start=_WORDS,
    end=st.none() | _WORDS,
    prefix=st.none() | _WORDS,
    suffix=st.none() | _WORDS,
)
def test_the_linear_matcher_agrees_with_the_old_expression(
    text: str, start: str, end: str | None, prefix: str | None, suffix: str | None
) -> None:
    collapsed = " ".join(text.split())  # what visible_text gives the matcher
    quote = TextQuote("k", start, end, prefix, suffix)
    assert found(quote, collapsed) is _old_found(quote, collapsed)


def test_hidden_text_nested_in_hidden_text_is_dropped_safely() -> None:
    # Hidden elements inside hidden elements are removed innermost first: never a node
    # whose ancestor was already freed.
    body = (
        b"<head><style>s</style><title>T</title></head><body><div hidden><script>x</script>"
        b'<p aria-hidden="TRUE">a<svg><style>q</style></svg></p></div>'
        b'<span style="display: NONE"><i hidden>i</i></span>shown</body>'
    )
    assert visible_text(body) == "shown"
    assert read_page(body).title == "T"


# A page that no HTML5 tree builder reads in linear time: 200,000 distinct formatting
# elements (each new one is compared with the ones before it). lexbor would take
# minutes on it; the reader's deadline stops it.
PATHOLOGICAL = b"".join(b"<b a=%d>" % i for i in range(200_000))[: 2 * 1024 * 1024]


def _children() -> set[int]:
    """Process ids whose parent is this process (Linux)."""
    found_ids = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == os.getpid():
                found_ids.add(int(entry.name))
    return found_ids


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_a_hostile_page_does_not_delay_honest_sources() -> None:
    def answer(request: BaseHTTPRequestHandler) -> None:
        if request.path.startswith("/honest"):
            time.sleep(1)
            reply(request, 200, b"<title>Honest</title><p>fine words</p>", Content_Type="text/html")
        else:
            reply(request, 200, PATHOLOGICAL, Content_Type="text/html")

    before = _children()
    with serve(answer) as server:
        # A quote on the hostile page makes the checker read all 2 MiB of it.
        hostile = f"{server.base}/hostile#:~:text=never"
        urls = [hostile] + [f"{server.base}/honest{i}" for i in range(3)]
        targets = []
        for url in urls:
            _, quotes = split_url(url)
            targets.append(Target(url, url, [], {q.key: q for q in quotes}))
        options = CheckOptions(user_agent="t", timeout=4, retries=0)
        start = time.monotonic()
        results = asyncio.run(Checker(options).run(targets))
        took = time.monotonic() - start
    statuses = {r.target.url.rsplit("/", 1)[1]: r.status for r in results}
    assert statuses == {
        "hostile#:~:text=never": "timeout",
        "honest0": "ok",
        "honest1": "ok",
        "honest2": "ok",
    }
    assert results[0].outcome.error == "page-timeout"
    assert all(page_title(r.outcome.page) == "Honest" for r in results[1:] if r.outcome.page)
    # The deadline is the request's: the run ends about when the hostile page's timeout
    # does (the old checker parsed such a page on the event loop for minutes).
    assert took < 4 + 3, f"{took:.1f} s"
    assert _children() <= before, "the worker that was reading the page was killed and reaped"


def test_a_large_page_is_read_by_a_worker_process_with_its_quotes() -> None:
    filler = b"<p>" + b"Filler sentence about nothing in particular. " * 40_000
    body = filler + b"<p>The figure is 2,909 tokens per second.</p>"
    assert len(body) > SMALL_PAGE

    def answer(request: BaseHTTPRequestHandler) -> None:
        reply(request, 200, b"<title>Big</title>" + body, Content_Type="text/html")

    with serve(answer) as server:
        url = f"{server.base}/big#:~:text=2%2C909%20tokens&text=3%2C000%20tokens"
        _, quotes = split_url(url)
        target = Target(url, url, [], {q.key: q for q in quotes})
        (result,) = asyncio.run(Checker(CheckOptions(user_agent="t", timeout=10)).run([target]))
    assert result.status == "ok"
    assert result.outcome.quotes == {
        "text=2%2C909%20tokens": "found",
        "text=3%2C000%20tokens": "missing",
    }
    assert result.outcome.page is not None
    assert page_title(result.outcome.page) == "Big"


def test_a_title_with_control_characters_is_recorded_on_one_line() -> None:
    title = "Pricing\n\n[^1]: https://evil.example \x1b[31mred\x07 \u202eevil"
    page = read_page(f"<title>{title}</title>".encode())
    assert page_title(page) == "Pricing [^1]: https://evil.example [31mred evil"


def test_the_growth_ratio_tells_a_quadratic_step_from_a_linear_one() -> None:
    """The measure the tests above rely on: re-measuring a ratio above the bound never
    brings a quadratic step under it."""

    def pairs(items: list[int]) -> int:
        return sum(1 for a in items for b in items if a < b)

    def total(items: list[int]) -> int:
        return sum(items)

    assert _ratio(lambda n: list(range(n)), pairs, 150) > LINEAR  # type: ignore[arg-type]
    assert _ratio(lambda n: list(range(n)), total, 100_000) < LINEAR  # type: ignore[arg-type]
