"""An iterator run one item ahead in a thread: its items in order, its errors raised where
they happened, and nothing left running once the caller stops."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from patentpool.storage.read_ahead import read_ahead


def reading() -> list[threading.Thread]:
    """The threads reading ahead still running."""
    return [t for t in threading.enumerate() if t.name == "patentpool-read-ahead"]


def test_items_come_in_order() -> None:
    with read_ahead(iter(range(1000))) as items:
        assert list(items) == list(range(1000))
    with read_ahead([]) as items:
        assert list(items) == []


def test_items_are_made_in_another_thread_at_most_one_ahead() -> None:
    made: list[tuple[int, str]] = []
    taken: list[int] = []

    def items() -> Iterator[int]:
        for n in range(5):
            made.append((n, threading.current_thread().name))
            yield n

    with read_ahead(items()) as ahead:
        for n in ahead:
            taken.append(n)
            # the item taken, one waiting in the queue, and one made while waiting to go in
            assert len(made) <= n + 3
    assert taken == [0, 1, 2, 3, 4]
    assert {name for _, name in made} == {"patentpool-read-ahead"}


def test_what_the_thread_raises_is_raised_to_the_caller_after_the_items_before() -> None:
    def items() -> Iterator[int]:
        yield 1
        yield 2
        raise ValueError("no third item")

    with read_ahead(items()) as ahead:
        assert [next(ahead), next(ahead)] == [1, 2]
        with pytest.raises(ValueError, match="no third item"):
            next(ahead)
    assert not reading()


def test_leaving_early_stops_the_thread() -> None:
    made: list[int] = []

    def endless() -> Iterator[int]:
        n = 0
        while True:
            made.append(n)
            yield n
            n += 1

    with read_ahead(endless()) as ahead:
        assert next(ahead) == 0
    assert not reading()
    assert len(made) <= 4  # stopped within a step or two, not run on
