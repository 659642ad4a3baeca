"""The backup files' value encoding: every kind written and read back exactly, NULL apart from
the empty string, times in UTC, and a value that does not fit its column refused by line."""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from patentpool.io.backup import (
    BackupRefused,
    Column,
    TableFile,
    check_files,
    decode_value,
    encode_value,
    read_table,
    write_table,
)

COLUMNS = (
    Column("id", int),
    Column("name", str),
    Column("flag", bool),
    Column("amount", Decimal),
    Column("day", dt.date),
    Column("at", dt.datetime, aware=True),
    Column("local", dt.datetime),
    Column("blob", bytes),
)
ROWS: list[dict[str, Any]] = [
    {
        "id": 1,
        "name": 'Müller "GmbH"\n\u2028',
        "flag": True,
        "amount": Decimal("12.50"),
        "day": dt.date(2026, 2, 28),
        "at": dt.datetime(2026, 4, 1, 9, 30, 0, 123456, tzinfo=dt.UTC),
        "local": dt.datetime(2026, 4, 1, 9, 30),
        "blob": b"\x00\xffpool",
    },
    {
        "id": 2**40,
        "name": "",
        "flag": False,
        "amount": Decimal("0.0000000001"),
        "day": None,
        "at": None,
        "local": None,
        "blob": b"",
    },
    dict.fromkeys(("id", "name", "flag", "amount", "day", "at", "local", "blob")),
]


def test_every_kind_is_read_back_as_written(tmp_path: Path) -> None:
    entry = write_table(tmp_path, "t", COLUMNS, ROWS)
    assert (entry.file, entry.rows, entry.columns) == ("t.jsonl", 3, tuple(c.name for c in COLUMNS))
    assert check_files(tmp_path, _manifest(entry)) == []
    assert list(read_table(tmp_path, entry, COLUMNS)) == ROWS
    lines = (tmp_path / "t.jsonl").read_text(encoding="utf-8").split("\n")
    assert json.loads(lines[0]) == {
        "id": 1,
        "name": 'Müller "GmbH"\n\u2028',
        "flag": True,
        "amount": "12.50",
        "day": "2026-02-28",
        "at": "2026-04-01T09:30:00.123456+00:00",
        "local": "2026-04-01T09:30:00",
        "blob": "AP9wb29s",
    }
    assert '"name":""' in lines[1]
    assert '"name":null' in lines[2]
    assert "Müller" in lines[0]  # written as UTF-8 text, not escaped


def test_times_are_written_in_utc() -> None:
    at = Column("at", dt.datetime, aware=True)
    paris = dt.timezone(dt.timedelta(hours=2))
    assert encode_value(at, dt.datetime(2026, 4, 1, 11, 30, tzinfo=paris)) == (
        "2026-04-01T09:30:00+00:00"
    )
    # SQLite returns the UTC times patentpool wrote without their offset
    assert encode_value(at, dt.datetime(2026, 4, 1, 9, 30)) == "2026-04-01T09:30:00+00:00"


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        (Column("n", int), "1", 'is "1", not an integer'),
        (Column("n", int), 1.5, "is 1.5, not an integer"),
        (Column("n", int), True, "is true, not an integer"),
        (Column("b", bool), 1, "is 1, not true or false"),
        (Column("a", Decimal), "1,50", 'is "1,50", not a string of the decimal\'s digits (12.50)'),
        (Column("a", Decimal), "NaN", 'is "NaN", not a string of the decimal\'s digits (12.50)'),
        (Column("a", Decimal), 1.5, "is 1.5, not a string of the decimal's digits (12.50)"),
        (Column("d", dt.date), "2026-02-30", 'is "2026-02-30", not a string YYYY-MM-DD'),
        (Column("x", bytes), "!!", 'is "!!", not a string in base64'),
    ],
)
def test_a_value_that_does_not_fit_is_refused(column: Column, value: Any, message: str) -> None:
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        decode_value(column, value)


def test_a_bad_line_is_refused_with_its_number(tmp_path: Path) -> None:
    columns = (Column("id", int), Column("name", str))
    entry = write_table(tmp_path, "t", columns, [{"id": 1, "name": "a"}])
    path = tmp_path / "t.jsonl"
    for text, message in [
        ('{"id":2,"name":3}\n', "t.jsonl:2: name: is 3, not a JSON string"),
        ('{"name":"b","id":2}\n', "t.jsonl:2: row: must be an object with the columns id, name"),
        ('{"id":2}\n', "t.jsonl:2: row: must be an object with the columns id, name"),
        ('[2, "b"]\n', "t.jsonl:2: row: must be an object with the columns id, name"),
    ]:
        path.write_text('{"id":1,"name":"a"}\n' + text, encoding="utf-8")
        with pytest.raises(BackupRefused) as caught:
            list(read_table(tmp_path, entry, columns))
        assert str(caught.value) == message
    path.write_text('{"id":1,"name":"a"}\n{"id":\n', encoding="utf-8")
    with pytest.raises(BackupRefused, match=r"^t\.jsonl:2: row: is not valid JSON: "):
        list(read_table(tmp_path, entry, columns))


def _manifest(entry: TableFile) -> Any:
    from patentpool.io.backup import Manifest

    return Manifest("0005", "2026-04-01T00:00:00+00:00", "0.1.0", (entry,))
