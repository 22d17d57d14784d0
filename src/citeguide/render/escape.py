"""Escaping for every output format, one function per format and context.

The policy (docs/security.md says why):
- Markdown (the twin, llms.txt): text is one line with CommonMark's special characters
  backslash-escaped, so it renders as itself and never as raw HTML, a link, emphasis or
  a new block; a URL becomes a link only when `untrusted.url_problem` finds nothing
  wrong with it, else it is shown as text.
- XML (Atom feed, sitemap): text is one line without control characters (XML 1.0 forbids
  most of them), then `&`, `<`, `>` and quotes are escaped.
- HTML is escaped by Jinja's autoescape (templates) and `markupsafe.escape` (renderer
  rules); JSON is written by `json.dumps` or pydantic. Neither needs a function here.

Escaping is minimal: a character is escaped only where it would change the meaning, so
ordinary prose (`cached_share`, `R&D`, `e.g.`) reads the same in the Markdown source.
"""

from __future__ import annotations

import html
import re

from citeguide.untrusted import is_link_url, is_site_path, one_line

# Special inline, escaped: `\` and code spans, emphasis, links and images, autolinks and
# raw HTML, strikethrough (GFM); `_` at a word's edge (inside `cached_share` it cannot
# open or close emphasis); `&` that opens an entity or character reference. A `>`
# matters only at the start of a line.
_INLINE = re.compile(
    r"[\\`*\[\]<~]|(?<![^\W_])_|_(?![^\W_])"
    r"|&(?=#[0-9]{1,7};|#[xX][0-9a-fA-F]{1,6};|[A-Za-z][A-Za-z0-9]{0,31};)"
)
# What opens a block when it starts a line: ATX heading, blockquote, bullet list item or
# thematic break, setext underline; an ordered list item's number.
_BLOCK_START = re.compile(r"^(?:[#>=]|[-+](?= |$|-))|^\d{1,9}(?=[.)](?: |$))")
# XML 1.0 has no place for these even as references (control characters go earlier).
_NOT_XML = re.compile("[\ud800-\udfff\ufffe\uffff]")


def md_text(text: str) -> str:
    """Inline Markdown text that renders exactly as `text`, on one line."""
    text = one_line(text)
    return _INLINE.sub(r"\\\g<0>", text) if _INLINE.search(text) else text


def md_block(text: str) -> str:
    """`md_text` for text that starts a block: a blockquote's, a list item's or a
    footnote's first line."""
    escaped = md_text(text)
    match = _BLOCK_START.match(escaped)
    if not match:
        return escaped
    if match.group(0)[0].isdigit():  # `1. ` and `1) ` open ordered lists
        end = match.end()
        return escaped[:end] + "\\" + escaped[end:]
    return "\\" + escaped


def md_heading(text: str) -> str:
    """`md_text` for an ATX heading's content: a trailing `#` run would be eaten."""
    escaped = md_text(text)
    return escaped[:-1] + "\\#" if escaped.endswith("#") else escaped


def md_code(text: str) -> str:
    """A code span holding `text` literally (backticks inside get a longer fence)."""
    text = one_line(text)
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _linkable(url: str) -> bool:
    # Site paths come from `base_url = "/"`: links to the site itself.
    return is_link_url(url) or is_site_path(url)


def md_url(url: str) -> str:
    """An autolink `<url>` (a link to a path of the site when it is one), or the URL as
    plain text when it may not become a link."""
    if is_link_url(url):
        return f"<{url}>"
    return md_link(url, url) if _linkable(url) else md_text(url)


def md_link(text: str, url: str | None) -> str:
    """`[text](url)`, or the text alone when there is no URL or it may not be a link.

    The destination is written bare unless it holds parentheses, then in `<...>`; the
    URL policy has already refused spaces, `<`, `>` and backslashes.
    """
    label = md_text(text)
    if url is None or not _linkable(url):
        return label
    destination = f"<{url}>" if "(" in url or ")" in url else url
    return f"[{label}]({destination})"


# `&<>` escaped as `xml.sax.saxutils.escape` and `quoteattr` do (a test compares them),
# without importing that module: it brings `urllib.request`, `http.client` and `ssl`
# (8–9 ms, -X importtime) into every build.


def xml_text(text: str) -> str:
    """Character data for XML: one line, no control characters, `&<>` escaped."""
    return html.escape(_NOT_XML.sub("", one_line(text)), quote=False)


def xml_attr(text: str) -> str:
    """A quoted XML attribute value (quotes included), one line, no control characters."""
    value = html.escape(_NOT_XML.sub("", one_line(text)), quote=False)
    value = value.replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")
    if '"' not in value:
        return f'"{value}"'
    if "'" not in value:
        return f"'{value}'"
    return '"{}"'.format(value.replace('"', "&quot;"))
