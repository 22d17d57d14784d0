"""The link-state file (linkcheck/state.py): written as `json.dumps` would write it."""

from __future__ import annotations

import json
from pathlib import Path

from citeguide.linkcheck.state import STATE_FILE, Hop, LinkRecord, LinkState, load_state, save_state


def test_the_state_file_is_json_dumps_byte_for_byte(tmp_path: Path) -> None:
    """`save_state` writes with pydantic-core's serializer (a seventh of the time): the
    bytes must be those of `json.dumps(indent=2, ensure_ascii=False)`, for the text a
    stranger's server can put in a record too (titles, errors, quotes, redirects)."""
    odd = 'Ünïcödé — “quotes” \\ back\\slash "dq" \u2028 \u00a0 emoji 🧪 tab\tend'
    records = {
        f"https://example.org/{key}": LinkRecord(
            url=f"https://example.org/{key}",
            status="moved" if key % 2 else "ok",
            http_status=200,
            final_url="https://example.org/final",
            redirects=[Hop(status=301, url="https://example.org/hop")] if key % 2 else [],
            error=("err \x07 bell" if key % 3 else None),
            first_checked="2026-01-01T00:00:00Z",
            last_checked="2026-01-02T00:00:00Z",
            consecutive_failures=key,
            title=odd[: 40 + key],
            quotes={f":~:text={odd[: key + 5]}": "found", "plain": "missing"},
        )
        for key in (3, 1, 2, 10)  # written sorted by URL, whatever the order held
    }
    state = LinkState(links=records)
    save_state(tmp_path, state)
    data = state.model_dump(mode="json")
    data["links"] = dict(sorted(data["links"].items()))
    expected = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    assert (tmp_path / STATE_FILE).read_bytes() == expected.encode("utf-8")
    assert load_state(tmp_path) == LinkState(links=dict(sorted(records.items())))
