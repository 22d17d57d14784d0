"""Everything users write is escaped: titles, summaries, tags, bodies, URLs, raw HTML."""

from __future__ import annotations

import json
from pathlib import Path

from citeguide.engine.site import build_site
from conftest import TODAY, write_site

HOSTILE = """\
---
title: "<script>alert('t')</script> & co"
summary: "\\"><img src=x onerror=alert(1)>"
published: 2026-05-01
tags: [safe-tag]
entities: ["<b>bold</b>"]
updates:
  - version: "<i>v1</i>"
    date: 2026-05-01
    note: "</li><script>alert('n')</script>"
---

## Q <em>raw</em>?

<div onclick="x()">raw block</div>

Claim with <script>alert('b')</script> inline \
[cite: https://example.org/?q="><script>alert(1)</script> · 2026-03-10 · high].

[click](javascript:alert(1)) and ![img](javascript:alert(2))
"""


def _build(tmp_path: Path) -> tuple[str, str]:
    root = write_site(tmp_path / "s", {"content/guides/evil.md": HOSTILE})
    result = build_site(root, today=TODAY)
    assert result.ok, result.diagnostics.render()
    page = (root / "site" / "evil" / "index.html").read_text(encoding="utf-8")
    index = (root / "site" / "index.html").read_text(encoding="utf-8")
    return page, index


def test_no_user_markup_survives_in_page_or_index(tmp_path: Path) -> None:
    page, index = _build(tmp_path)
    for html in (page, index):
        assert "<script>" not in html
        assert "<img src=x" not in html
        assert "<b>bold</b>" not in html
        assert "<i>v1</i>" not in html
        assert 'onclick="x()"' not in html
        assert 'href="javascript:' not in html
        assert 'src="javascript:' not in html
    assert "&lt;script&gt;alert(&#39;t&#39;)&lt;/script&gt; &amp; co" in page
    assert "&lt;div onclick=" in page  # raw HTML is shown as text, not rendered


def test_hostile_url_is_escaped_in_attributes(tmp_path: Path) -> None:
    page, _ = _build(tmp_path)
    assert 'href="https://example.org/?q=&#34;&gt;&lt;script&gt;' in page or (
        'href="https://example.org/?q=&quot;&gt;&lt;script&gt;' in page
    )


def test_twin_keeps_text_verbatim(tmp_path: Path) -> None:
    _build(tmp_path)
    twin = json.loads((tmp_path / "s" / "site" / "evil.cite.json").read_text(encoding="utf-8"))
    assert twin["title"] == "<script>alert('t')</script> & co"
    assert twin["claims"][0]["text"].startswith("Claim with <script>")
