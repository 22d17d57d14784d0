"""A label or title written into the middle of a sentence."""

from __future__ import annotations


def mid_sentence(title: str) -> str:
    """`title` as it reads inside a sentence: its first letter lower-cased, unless its first
    word is written in capitals elsewhere too (`API`, `GPUs`, `iPhone`), and nothing else
    changed. "Monthly cost of running Postgres on your own VMs" reads "monthly cost of
    running Postgres on your own VMs"; a driver's label "The VM (aws-m7g-large)" reads
    "Moves most with the VM (aws-m7g-large)"."""
    first = title.split(" ", 1)[0]
    if any(c.isupper() for c in first[1:]):
        return title
    return title[:1].lower() + title[1:]


def sentence_start(label: str) -> str:
    """`label` heading a column or starting a sentence: its first letter upper-cased,
    unless its first word is written with capitals inside it (`kWh used a year`, `iPhone
    repairs`), and nothing else changed (`Hours the GPU runs`); `str.capitalize`
    lower-cased the rest (`Hours the gpu runs`, `Kwh used a year`)."""
    first = label.split(" ", 1)[0]
    if any(c.isupper() for c in first[1:]):
        return label
    return label[:1].upper() + label[1:]


def excerpt(text: str, limit: int = 80) -> str:
    """`text` quoted for a message, cut at a word before `limit` characters with `…` when
    longer: `'Insurance adds about £90 a month either way, and fuel costs €200 a month on…'`
    (it was cut mid-phrase, `... on our '`, with no sign that anything was left out)."""
    if len(text) <= limit:
        return repr(text)
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return repr(cut.rstrip(" ,;:") + "…")
