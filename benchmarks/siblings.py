"""The other benchmark scripts of this folder, loaded as modules (the folder is no package)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

HERE = Path(__file__).resolve().parent


def sibling(name: str) -> ModuleType:
    """``benchmarks/NAME.py`` as the module ``benchmark_NAME``, loaded once per process."""
    key = f"benchmark_{name}"
    found = sys.modules.get(key)
    if found is not None:
        return found
    spec = importlib.util.spec_from_file_location(key, HERE / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[key] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module
