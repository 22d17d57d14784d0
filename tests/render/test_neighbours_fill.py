"""Filling a page's neighbours slot on its bytes gives what filling its text gave."""

from __future__ import annotations

import random

import pytest

from citeguide.render import neighbours
from citeguide.render.html import NEIGHBOURS_SLOT

_PIECES = ["<p>", "é", "·", "“quoted”", "€1,200", "😀", "<!--", "-->", "citeguide", "\n", "x"]


def _by_text(page: bytes, fragment: str) -> bytes:
    """The filling as it was written before: decode, replace, encode."""
    text = page.decode("utf-8")
    start = text.find(NEIGHBOURS_SLOT)
    if start < 0:
        return page
    end = text.find(neighbours.SLOT_END, start)
    tail = end + len(neighbours.SLOT_END) if end >= 0 else start + len(NEIGHBOURS_SLOT)
    return (text[:start] + fragment + text[tail:]).encode("utf-8")


def _text(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(_PIECES) for _ in range(n))


@pytest.mark.parametrize("seed", range(200))
def test_filling_the_bytes_is_filling_the_text(seed: int) -> None:
    rng = random.Random(seed)
    slot = rng.choice(["", NEIGHBOURS_SLOT, NEIGHBOURS_SLOT + NEIGHBOURS_SLOT])
    filled = rng.choice(["", _text(rng, 5) + neighbours.SLOT_END])
    page = (_text(rng, 40) + slot + filled + _text(rng, 40)).encode("utf-8")
    fragment = NEIGHBOURS_SLOT + _text(rng, 10) + neighbours.SLOT_END
    once = neighbours.fill(page, fragment)
    assert once == _by_text(page, fragment)
    # Filled again (the guides around it changed): the fragment before is replaced.
    assert neighbours.fill(once, "<nav>é</nav>") == _by_text(once, "<nav>é</nav>")


def test_a_page_without_a_slot_is_returned_as_it_is() -> None:
    page = "<p>no slot · é</p>".encode()
    assert neighbours.fill(page, "<nav></nav>") is page
