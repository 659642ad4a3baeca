"""A report context as JSON: every figure a report shows, in a form a program can check.

Decimals become strings (``"1234.50"``, never a float), fractions ``"3/7"``, dates ISO 8601,
enums their value, periods ``"2026Q1"``, sets sorted lists, dataclasses objects.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Mapping
from decimal import Decimal
from enum import Enum
from fractions import Fraction
from typing import Any

from patentpool.core.periods import Period

#: The field names of each dataclass written (``dataclasses.fields`` is slow to ask for each
#: of the thousands of records a statement holds); None for a type that is not a dataclass.
_FIELDS: dict[type, tuple[str, ...] | None] = {}


def _field_names(kind: type) -> tuple[str, ...] | None:
    found = _FIELDS.get(kind, ())
    if found == ():
        found = _FIELDS[kind] = (
            tuple(f.name for f in dataclasses.fields(kind))
            if dataclasses.is_dataclass(kind)
            else None
        )
    return found


def jsonable(value: Any) -> Any:
    """``value`` as plain JSON types (dict, list, str, int, bool, None)."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, Enum):
        return jsonable(value.value)
    if isinstance(value, Decimal):
        return f"{value:f}"
    if isinstance(value, Fraction):
        return str(value)
    if isinstance(value, float):
        return value
    if isinstance(value, dt.date):  # datetime included
        return value.isoformat()
    if isinstance(value, Period):
        return str(value)
    names = _field_names(type(value))
    if names is not None:
        return {name: jsonable(getattr(value, name)) for name in names}
    if isinstance(value, Mapping):
        return {str(jsonable(k)): jsonable(v) for k, v in value.items()}
    if isinstance(value, set | frozenset):
        return sorted((jsonable(v) for v in value), key=str)
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    raise TypeError(f"cannot write {type(value).__name__} to JSON")


def to_json(value: Any) -> str:
    """``value`` as indented JSON text, keys in field order, ending with a newline."""
    return json.dumps(jsonable(value), indent=2, ensure_ascii=False) + "\n"
