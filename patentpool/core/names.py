"""Company names as staff receive them: one company spelled several ways."""

from __future__ import annotations

import re
import unicodedata

_SUFFIXES = {
    "limited": "ltd",
    "corporation": "corp",
    "company": "co",
    "incorporated": "inc",
    "gmbh": "gmbh",
    "aktiengesellschaft": "ag",
}
_PUNCT = re.compile(r"[^\w\s]")
_SPACE = re.compile(r"\s+")


def name_key(name: str) -> str:
    """A comparison key under which ``Lenovo Group Ltd.``, ``LENOVO GROUP LIMITED`` and
    `` lenovo  group ltd`` are the same company.

    Unicode compatibility forms are folded, case is folded, ``&`` reads as ``and``, punctuation
    is dropped, runs of spaces become one, and common legal suffixes are abbreviated.
    """
    text = unicodedata.normalize("NFKC", name).casefold().replace("&", " and ")
    text = _PUNCT.sub(" ", text)
    words = [_SUFFIXES.get(w, w) for w in _SPACE.split(text.strip()) if w]
    return " ".join(words)
