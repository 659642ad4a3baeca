"""The shape of a stored table's column, shared by the database's rows and the backup files.

Storage describes each table by its columns (``storage.table_rows``); io writes and reads a
backup's values by the same description (``io.backup``); neither imports the other.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Column:
    """A column of a table: its name, the Python kind of its values, and whether a datetime
    keeps its offset (such values are written in UTC; a value without one is taken as UTC)."""

    name: str
    kind: type
    aware: bool = False
