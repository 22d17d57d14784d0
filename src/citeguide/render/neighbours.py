"""Newer, older and related guides at the foot of each guide page.

They depend on the other guides, so a guide is rendered with a slot
(`render.html.NEIGHBOURS_SLOT`) and the site fills the slot once every guide's listing is
known. The filled fragment keeps its delimiters, so a page already in `site/` can be
filled again when only its neighbours changed, without rendering the guide again.
"""

from __future__ import annotations

import hashlib
from typing import Any

from jinja2 import Environment

from citeguide.config import SiteConfig
from citeguide.records import Listing
from citeguide.render.html import NEIGHBOURS_SLOT
from citeguide.render.listing import newest_first

SLOT_END = "<!--/citeguide:neighbours-->"
RELATED = 3
"""How many related guides a page lists."""


def related_guides(ordered: list[Listing], limit: int = RELATED) -> dict[str, list[int]]:
    """Slug → indices (into `ordered`) of the guides sharing most tags with it, ties by
    index order, at most `limit`.

    Guides are grouped by their set of tags, and a group's score against a tag set is
    the size of their intersection, counted through the groups each tag is in. Guides
    with the same tag set share their ranking of groups, so the work grows with the
    number of distinct tag sets, not with the number of guides (quadratic at 20,000
    guides otherwise).
    """
    groups: dict[frozenset[str], list[int]] = {}
    for i, guide in enumerate(ordered):
        if guide.tags:
            groups.setdefault(frozenset(guide.tags), []).append(i)
    having: dict[str, list[frozenset[str]]] = {}
    for group in groups:
        for tag in group:
            having.setdefault(tag, []).append(group)
    # Per tag set: the groups by score, and each score's heads once they were needed
    # (the best scores alone usually fill a page's few places).
    ranked: dict[frozenset[str], tuple[list[list[list[int]]], list[list[int]]]] = {}
    out: dict[str, list[int]] = {}
    for i, guide in enumerate(ordered):
        tags = frozenset(guide.tags)
        if tags not in ranked:
            scores: dict[frozenset[str], int] = {}
            for tag in tags:
                for group in having.get(tag, ()):
                    scores[group] = scores.get(group, 0) + 1
            by_score: dict[int, list[list[int]]] = {}
            for group, score in scores.items():
                by_score.setdefault(score, []).append(groups[group])
            ranked[tags] = ([by_score[s] for s in sorted(by_score, reverse=True)], [])
        pending, levels = ranked[tags]
        picked: list[int] = []
        for level in range(len(pending)):
            if level == len(levels):
                # The first few of each group at this score, merged in index order.
                levels.append(sorted(j for members in pending[level] for j in members[: limit + 1]))
            picked += [j for j in levels[level] if j != i][: limit - len(picked)]
            if len(picked) >= limit:
                break
        out[guide.slug] = picked
    return out


def fragments(
    env: Environment,
    listings: list[Listing],
    config: SiteConfig,
    memo: dict[str, tuple[Any, Any]] | None = None,
) -> dict[str, str]:
    """Slug → the delimited fragment its page shows: the guides next to it in the index
    order (newest update first), each with its update date, called newer or older only
    when that date differs, and up to RELATED guides sharing most tags with it.

    `memo` (kept by `serve` between saves) holds each slug's last inputs and fragment: a
    fragment is rendered again only when its guides, titles or shared tags changed.
    """
    ordered = newest_first(listings)
    template = env.get_template("partials/neighbours.html")
    memo = {} if memo is None else memo
    # The ranking depends on the order and the tags only: a retitled or edited guide
    # does not change it.
    shape = tuple((g.slug, g.tags) for g in ordered)
    held_ranking = memo.get("\0related")
    if held_ranking is not None and held_ranking[0] == shape:
        related: dict[str, list[int]] = held_ranking[1]
    else:
        related = related_guides(ordered)
        memo["\0related"] = (shape, related)
    out: dict[str, str] = {}
    for i, guide in enumerate(ordered):
        tags = set(guide.tags)
        newer = ordered[i - 1] if i > 0 else None
        older = ordered[i + 1] if i + 1 < len(ordered) else None
        near = [(ordered[j], sorted(tags & set(ordered[j].tags))) for j in related[guide.slug]]
        # The pager's words compare update dates, so they are part of what it shows.
        spec = (
            guide.updated,
            (newer.slug, newer.title, newer.updated) if newer else None,
            (older.slug, older.title, older.updated) if older else None,
            tuple((g.slug, g.title, tuple(shared)) for g, shared in near),
        )
        held = memo.get(guide.slug)
        if held is not None and held[0] == spec:
            out[guide.slug] = str(held[1])
            continue
        html = template.render(
            {
                "site": config,
                "root": "../",
                "here": guide,
                "newer": newer,
                "older": older,
                "related": near,
            }
        )
        out[guide.slug] = NEIGHBOURS_SLOT + html + SLOT_END
        memo[guide.slug] = (spec, out[guide.slug])
    return out


def fill(page: bytes, fragment: str) -> bytes:
    """`page` with its slot, or the fragment filled in before, replaced by `fragment`.

    Done on the bytes: the markers are ASCII, and UTF-8 never holds an ASCII byte inside
    another character, so they are found where the text would find them, without
    decoding and encoding a page of 50 KB (80 µs a page, 0.3 s of a cold build's 2,000
    pages and their search views, against 10 µs)."""
    start = page.find(_SLOT)
    if start < 0:
        return page
    end = page.find(_END, start)
    tail = end + len(_END) if end >= 0 else start + len(_SLOT)
    return b"".join((page[:start], fragment.encode("utf-8"), page[tail:]))


_SLOT, _END = NEIGHBOURS_SLOT.encode("ascii"), SLOT_END.encode("ascii")


def digest(fragment: str) -> str:
    return hashlib.sha256(fragment.encode("utf-8")).hexdigest()[:16]
