"""Where the tests find the repository's folders and the shared reference data."""

from __future__ import annotations

import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
SHARED_DATA = ROOT.parent / "shared" / "data"


def benchmark(name: str) -> ModuleType:
    """``benchmarks/NAME.py`` as the module ``benchmark_NAME``, by the loader the benchmark
    scripts use for each other (the folder is no package)."""
    folder = str(ROOT / "benchmarks")
    if folder not in sys.path:
        sys.path.insert(0, folder)
    from siblings import sibling

    return sibling(name)
