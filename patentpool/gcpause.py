"""Python's cyclic garbage collector paused while many plain objects are made.

Importing a register, pricing a quarter, loading a register or rendering a member's statement
each make hundreds of thousands of small objects (rows, sales lines, patents, declarations)
that hold no reference cycles. While they are made, the collector keeps moving them to its
oldest generation, and each full collection that follows walks all of them again (what that
costs: benchmarks/README.md). Reference counting frees them all the same; any cycle made
meanwhile (a chart's figure) is collected once the collector runs again.

What a command imports (SQLAlchemy, pydantic, jinja, the models) lives as long as the process,
yet every full collection walks it: :func:`settle_imports` moves it out of the collector's
sight once, at start-up (``gc.freeze``).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """No cyclic garbage collection inside the block (or the decorated function); the
    collector is enabled again afterwards if it was, also when the block raises."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def settle_imports() -> None:
    """Let the collector skip, from now on, every object that exists now: call once the
    program's modules are imported, before its work begins. Those objects are still freed by
    reference counting; only a reference cycle among them would stay until the process ends,
    and modules, classes and functions stay anyway."""
    gc.freeze()
