"""Building a million plain objects without the cyclic garbage collector in the way."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for the block.

    Loading and pricing a quarter creates about a million sales lines and their tuples, and the
    collector, which runs after every few hundred allocations and walks every tracked object
    when a generation fills, spends as long again as the work itself. The objects made there
    hold no reference cycles, so reference counting frees them all; the collector is enabled
    again (if it was) when the block ends.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
