"""Cited URLs that read as one address and lead to another: bidi controls, mixed-script
and lookalike host names.

Browsers decide per label of the host whether to show it in Unicode or as punycode
(Chromium's and Firefox's IDN display policies); a label they would show as punycode is
one a reader of the page cannot trust by eye. The checks follow those policies:

- the label is decoded from punycode (IDNA 2008 / UTS 46, the `idna` package);
- its script set is resolved as Unicode Technical Standard #39 defines it: the
  intersection of every character's Script_Extensions, Common and Inherited characters
  fitting any script, Han widened to the Japanese, Chinese and Korean sets (§5.1);
- it passes at the "highly restrictive" level (§5.2): one script, or ASCII Latin mixed
  only with Han and Kana (Japanese), Han and Bopomofo (Chinese) or Han and Hangul
  (Korean), the Latin restricted to ASCII as Chromium does;
- a label spelled wholly in Cyrillic letters that look like Latin ones (`scope` spelt in
  Cyrillic) under a TLD where Cyrillic is not expected is a lookalike: Chromium's
  "whole-script confusable" check, with its letter set and its list of Cyrillic TLDs.

Script data comes from fontTools (the Unicode Character Database's Scripts and
ScriptExtensions files); the standard library has no script property.
"""

from __future__ import annotations

import contextlib
import unicodedata
from collections.abc import Iterator
from urllib.parse import urlsplit

import idna
from fontTools import unicodedata as ucd

_ANY = frozenset({"Zyyy", "Zinh"})  # Common and Inherited: fit every script
# UTS #39 §5.1: Han is written inside the Japanese (Jpan), Chinese (Hanb) and Korean
# (Kore) writing systems; Kana only in Japanese; Hangul in Korean; Bopomofo in Chinese.
_AUGMENT = {
    "Hani": {"Hanb", "Jpan", "Kore"},
    "Hira": {"Jpan"},
    "Kana": {"Jpan"},
    "Hang": {"Kore"},
    "Bopo": {"Hanb"},
}
_WITH_LATIN = frozenset({"Jpan", "Hanb", "Kore"})
# Chromium's `cyrillic_letters_latin_alike_` (асԁеһіјӏорԗԛѕԝхуъЬҽпгѵѡ) and its
# `IsCyrillicTopLevelDomain`.
_CYRILLIC_LATIN_ALIKE = frozenset(
    "\u0430\u0441\u0501\u0435\u04bb\u0456\u0458\u04cf\u043e\u0440\u0517\u051b"
    "\u0455\u051d\u0445\u0443\u044a\u042c\u04bd\u043f\u0433\u0475\u0461"
)
_CYRILLIC_TLDS = frozenset({"bg", "by", "kz", "pyc", "ru", "su", "ua", "uz"})
# Unicode's Bidi_Control characters: they reorder how the text around them is shown.
BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)


def _scripts(char: str) -> set[str]:
    found = set(ucd.script_extension(char))
    for script in list(found):
        found |= _AUGMENT.get(script, set())
    return found


def _resolved(chars: str) -> set[str] | None:
    """The scripts every character of `chars` belongs to; None when all fit any script."""
    result: set[str] | None = None
    for char in chars:
        scripts = _scripts(char)
        if scripts & _ANY:
            continue
        result = scripts if result is None else result & scripts
    return result


def _named(scripts: list[str]) -> str:
    names = [str(ucd.script_name(s, default=s)) for s in scripts]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def mixed_scripts(label: str) -> list[str]:
    """The scripts of `label`, in order of first use, when browsers would show it as
    punycode for mixing them; [] when the mix is allowed."""
    resolved = _resolved(label)
    if resolved is None or resolved:
        return []
    latin = [c for c in label if "Latn" in ucd.script_extension(c)]
    rest = _resolved("".join(c for c in label if "Latn" not in ucd.script_extension(c)))
    if all(c.isascii() for c in latin) and (rest is None or rest & _WITH_LATIN):
        return []
    order: list[str] = []
    for char in label:
        script = ucd.script(char)
        if script not in _ANY and script not in order:
            order.append(script)
    return order


def latin_lookalike(label: str, tld: str) -> bool:
    """A label made only of Cyrillic letters that look Latin, under a TLD where Cyrillic
    is not expected (Chromium's simplified whole-script confusable check)."""
    if tld in _CYRILLIC_TLDS or any(ucd.script(c) == "Cyrl" for c in tld):
        return False
    letters = [c for c in label if unicodedata.category(c).startswith("L")]
    return bool(letters) and all(c in _CYRILLIC_LATIN_ALIKE for c in letters)


def unicode_labels(host: str) -> list[str]:
    """The host's labels as a browser would show them in Unicode (punycode decoded)."""
    labels = []
    for label in host.rstrip(".").split("."):
        # A label that does not decode is shown as written.
        with contextlib.suppress(idna.IDNAError, UnicodeError):
            if label.lower().startswith("xn--"):
                label = idna.decode(label)
            else:
                label = idna.uts46_remap(label, std3_rules=False, transitional=False)
        labels.append(label)
    return labels


def _ascii(label: str) -> str:
    try:
        return idna.encode(label).decode("ascii")
    except (idna.IDNAError, UnicodeError):
        return "xn--" + label.encode("punycode").decode("ascii")


def url_findings(url: str) -> Iterator[tuple[str, str]]:
    """(rule, message) for each way `url` can mislead a reader."""
    bidi = sorted({c for c in url if c in BIDI_CONTROLS})
    if bidi:
        names = ", ".join(f"U+{ord(c):04X} {unicodedata.name(c, '')}".rstrip() for c in bidi)
        yield (
            "bidi-url",
            f"{url!r} contains the bidi control {names}: the address is shown in a "
            "different order from the one it opens; remove it",
        )
    host = urlsplit(url).hostname or ""
    if host.isascii() and "xn--" not in host:
        return
    labels = unicode_labels(host)
    for label in labels:
        scripts = mixed_scripts(label)
        if scripts:
            yield (
                "mixed-script-host",
                f"host label {label!r} mixes {_named(scripts)} letters; browsers show it as "
                f"{_ascii(label)} because a letter from another script can pass for a "
                "familiar one; cite the address as the site itself writes it",
            )
        elif latin_lookalike(label, labels[-1]):
            yield (
                "lookalike-host",
                f"host label {label!r} is written in Cyrillic letters that look like Latin "
                f"ones; browsers show it as {_ascii(label)}; check that this is the site "
                "meant, not an imitation of a Latin-script name",
            )
