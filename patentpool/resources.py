"""Where the shipped samples and templates are, installed or in a source checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _find(installed: str, checkout: str) -> Path:
    inside = _PACKAGE / installed
    if inside.is_dir():
        return inside
    return _PACKAGE.parent / checkout


def samples_dir() -> Path:
    """The ``samples/`` folder (``patentpool/_samples`` in an installed wheel)."""
    return _find("_samples", "samples")


def templates_dir() -> Path:
    """The default ``templates/`` folder (``patentpool/_templates`` in an installed wheel)."""
    return _find("_templates", "templates")
