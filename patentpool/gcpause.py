"""Python's cyclic garbage collector paused while many plain objects are made.

Importing a register, pricing a quarter, loading a register or rendering a member's statement
each make hundreds of thousands of small objects (rows, sales lines, patents, declarations)
that hold no reference cycles. While they are made, the collector keeps moving them to its
oldest generation, and each full collection that follows walks all of them again (what that
costs: benchmarks/README.md). Reference counting frees them all the same; any cycle made
meanwhile (a chart's figure) is collected once the collector runs again.

What a command imports (SQLAlchemy, pydantic, jinja, the models) lives as long as the process,
yet every full collection walks it: :func:`settle_imports` moves it out of the collector's
sight (``gc.freeze``). The command imports those libraries inside the command that needs them
(``--help`` loads none of them), so it calls :func:`settle_imports_at_work` at start-up: the
first :func:`collector_paused` block, where the work begins and the command's modules are all
imported, settles them.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

_settle_at_work = False


@contextmanager
def collector_paused() -> Iterator[None]:
    """No cyclic garbage collection inside the block (or the decorated function); the
    collector is enabled again afterwards if it was, also when the block raises. The first
    block after :func:`settle_imports_at_work` settles what exists, as :func:`settle_imports`."""
    global _settle_at_work
    if _settle_at_work:
        _settle_at_work = False
        gc.freeze()
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


def settle_imports_at_work() -> None:
    """Settle what exists now, and once more at the start of the first :func:`collector_paused`
    block: for a program that imports its libraries only once it knows what it will do. Call
    once per run, before the work (a long-lived process that runs many things should not)."""
    global _settle_at_work
    gc.freeze()
    _settle_at_work = True


def settle_kept() -> None:
    """Move everything a long-running process has made so far (a portal worker's register
    and quarter, read when it starts and kept) out of the collector's sight, after one full
    collection of what is garbage already. A worker keeps about a million tracked objects;
    each full collection walked them all (half a second, during which the worker answers
    nothing). What is settled is still freed by reference counting once it is replaced; only a
    reference cycle made before this call and dropped later would stay until the worker ends."""
    gc.collect()
    gc.freeze()
