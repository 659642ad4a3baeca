"""Frozen records made a field at a time, from columns of values (for the register's tens of
thousands of patents and declarations, whether read from a file or from the database)."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import fields
from itertools import repeat
from typing import Any, TypeVar

R = TypeVar("R")
K = TypeVar("K")
T = TypeVar("T")


def records(cls: type[R], count: int, values: Sequence[Iterable[Any]]) -> list[R]:
    """``count`` records of the frozen, slotted dataclass ``cls``: ``values`` holds each field's
    values, in the order of its fields (every field given, none defaulted). Each field is set
    on all the records at once, through its slot, as the dataclass's own ``__init__`` does:
    the records equal, hash and print as those built by keywords."""
    slots = [getattr(cls, f.name) for f in fields(cls)]  # type: ignore[arg-type]
    assert len(slots) == len(values), "every field is given"
    assert not hasattr(cls, "__post_init__"), "nothing else is done when it is made"
    made = list(map(cls.__new__, repeat(cls, count)))
    for slot, column in zip(slots, values, strict=True):
        deque(map(slot.__set__, made, column), maxlen=0)  # set in C, nothing kept
    return made


def keyed_records(
    cls: type[R], found: Mapping[K, tuple[tuple[Any, ...], T]]
) -> dict[K, tuple[R, T]]:
    """``found``'s tuples of field values (each with something of the caller's, such as where
    it was read) made into records of ``cls`` all at once (:func:`records`), by the same keys."""
    values = [value for value, _ in found.values()]
    columns = list(zip(*values, strict=True)) or [()] * len(fields(cls))  # type: ignore[arg-type]
    made = records(cls, len(values), columns)
    return dict(
        zip(found, zip(made, (kept for _, kept in found.values()), strict=True), strict=True)
    )
