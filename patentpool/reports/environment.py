"""The jinja environments: the user's template folder first, then the shipped defaults.

The defaults are also reachable as ``default:NAME``, so a user's ``pool.html`` can start with
``{% extends "default:pool.html" %}`` and replace one block. HTML templates are autoescaped;
Markdown templates escape every value's Markdown punctuation (:func:`markdown_escape`) unless it
is marked safe. Partials are named ``_*.html`` / ``_*.md``; ``_macros.*`` holds the macros.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import (
    BaseLoader,
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    PrefixLoader,
    StrictUndefined,
)
from jinja2.filters import do_urlencode
from markupsafe import Markup

from patentpool.reports.errors import ReportError
from patentpool.reports.formatting import FILTERS
from patentpool.resources import templates_dir

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")


def markdown_escape(value: Any) -> Any:
    """Text safe in a Markdown paragraph or table cell: punctuation escaped, one line."""
    if value is None:
        return ""
    if isinstance(value, Markup) or not isinstance(value, str):
        return value
    one_line = " ".join(value.splitlines())
    return _MARKDOWN_SPECIAL.sub(r"\\\1", one_line)


@lru_cache(maxsize=1 << 16)
def _quoted(value: str) -> str:
    return do_urlencode(value)


def urlencode(value: Any) -> str:
    """Jinja's ``urlencode``, each text quoted once: the staff start page quotes every
    member's and licensee's id in its links (thousands), the same ones on every request."""
    if isinstance(value, str):
        return _quoted(value)
    return do_urlencode(value)


def check_templates_dir(folder: Path) -> Path:
    if not folder.is_dir():
        raise ReportError(f"--templates: {folder} is not a folder")
    return folder


def _loader(user_dir: Path | None) -> BaseLoader:
    defaults = FileSystemLoader(str(templates_dir()))
    loaders: list[BaseLoader] = []
    if user_dir is not None:
        loaders.append(FileSystemLoader(str(check_templates_dir(user_dir))))
    loaders.append(PrefixLoader({"default": defaults}, delimiter=":"))
    loaders.append(defaults)
    return ChoiceLoader(loaders)


@lru_cache(maxsize=16)
def environment(user_dir: Path | None, markdown: bool) -> Environment:
    """The environment for HTML (``markdown=False``) or Markdown templates."""
    env = Environment(
        loader=_loader(user_dir),
        autoescape=not markdown,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=markdown_escape if markdown else None,
        auto_reload=False,
    )
    env.filters.update(FILTERS)
    env.filters["md"] = markdown_escape
    env.filters["urlencode"] = urlencode
    return env
