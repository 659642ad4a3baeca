"""Company names as staff receive them: one company spelled several ways."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable

from patentpool.errors import InvalidInput, NotFound

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


class NameIndex:
    """Resolves a member or licensee written as its id, or as one of its names or aliases in
    any spelling (under :func:`name_key`), to its id: one resolver for the importers and for
    every command-line option that names one."""

    def __init__(self, kind: str, described: str, entries: Iterable[tuple[str, Iterable[str]]]):
        """``kind``: "member"; ``described``: what it may be written as ("id, name or
        alias"); ``entries``: each id with its names and aliases."""
        self.kind = kind
        self.described = described
        self.ids: set[str] = set()
        self.by_name: dict[str, set[str]] = {}
        for id_, names in entries:
            self.ids.add(id_)
            for name in (id_, *names):
                self.by_name.setdefault(name_key(name), set()).add(id_)

    def resolve(self, written: str) -> str:
        """The id ``written`` names. Unknown: :class:`NotFound`, with close matches when there
        are any; a name of several: :class:`InvalidInput`."""
        if written in self.ids:
            return written
        key = name_key(written)
        found = self.by_name.get(key, set())
        if len(found) == 1:
            return next(iter(found))
        if len(found) > 1:
            raise InvalidInput(f"{written!r} could be any of {', '.join(sorted(found))}")
        detail = f"not a {self.kind} {self.described}"
        close = self.close_matches(key)
        if close:
            detail += f"; did you mean {_either(close)}?"
        raise NotFound(self.kind, written, detail)

    def close_matches(self, key: str) -> list[str]:
        """Ids whose id, name or alias is spelled nearly like ``key`` (a name key)."""
        near = difflib.get_close_matches(key, list(self.by_name), n=5, cutoff=0.75)
        return list(dict.fromkeys(i for k in near for i in sorted(self.by_name[k])))[:3]


def _either(ids: list[str]) -> str:
    return ids[0] if len(ids) == 1 else f"{', '.join(ids[:-1])} or {ids[-1]}"


def member_names(members: Iterable[tuple[str, str, Iterable[str]]]) -> NameIndex:
    """Members, given as (id, name, aliases), by id, name or alias."""
    return NameIndex("member", "id, name or alias", ((i, (n, *a)) for i, n, a in members))


def licensee_names(licensees: Iterable[tuple[str, str]]) -> NameIndex:
    """Licensees, given as (id, name), by id or name."""
    return NameIndex("licensee", "id or name", ((i, (n,)) for i, n in licensees))
