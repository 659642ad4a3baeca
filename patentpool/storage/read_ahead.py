"""An iterator over a database's rows run one step ahead, in a thread of its own.

A server works in a process of its own: while this process prices one statement's rows, the
thread has the next statement executed and its rows fetched (the driver waits for the server
without holding the interpreter). Only the thread uses the connection until the iteration
ends; at most one step's rows wait, besides the one being priced.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from queue import Empty, Queue
from typing import TypeVar

T = TypeVar("T")

_DONE = object()


class _Failed:
    """What the thread raised, to be raised again where the items are taken."""

    def __init__(self, error: BaseException) -> None:
        self.error = error


@contextmanager
def read_ahead(items: Iterable[T]) -> Iterator[Iterator[T]]:
    """``items`` as they come, taken from a thread that runs one item ahead of the caller.

    What the thread raises is raised to the caller, at the item it could not make. On leaving
    the block (items all taken or not) the thread is stopped and waited for: the connection
    it read through is the caller's again."""
    handed: Queue[object] = Queue(maxsize=1)
    stop = threading.Event()

    def run() -> None:
        try:
            for item in items:
                handed.put(item)
                if stop.is_set():
                    return
            handed.put(_DONE)
        except BaseException as error:  # handed over, raised in the caller's thread
            handed.put(_Failed(error))

    thread = threading.Thread(target=run, name="patentpool-read-ahead", daemon=True)
    thread.start()
    try:
        yield _taken(handed)
    finally:
        stop.set()
        while thread.is_alive():  # free the thread blocked on a full queue
            with suppress(Empty):
                handed.get(timeout=0.05)
        thread.join()


def _taken(handed: Queue[object]) -> Iterator[T]:
    while True:
        item = handed.get()
        if item is _DONE:
            return
        if isinstance(item, _Failed):
            raise item.error
        yield item  # type: ignore[misc]
