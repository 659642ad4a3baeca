"""Backup files: one JSON Lines file per table, and ``manifest.json`` naming each file with its
table, columns, row count and SHA-256, and the schema revision (docs/formats.md, "Backups").

No database here: rows come in and go out as mappings of column name to Python value, and the
columns say which kind of value each one holds.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from patentpool.core.tables import Column as Column
from patentpool.errors import PatentpoolError

FORMAT = "patentpool-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
SUFFIX = ".jsonl"

#: The kinds of value a column may hold, and how each is written in a file.
KINDS: dict[type, str] = {
    str: "a JSON string",
    int: "a JSON integer",
    bool: "true or false",
    Decimal: "a string of the decimal's digits (12.50)",
    dt.date: "a string YYYY-MM-DD",
    dt.datetime: "a string in ISO 8601 (with an offset: UTC, +00:00)",
    bytes: "a string in base64",
}


class BackupRefused(PatentpoolError):
    """A backup folder that cannot be restored, or a database it cannot be restored into."""


@dataclass(frozen=True, slots=True)
class TableFile:
    table: str
    file: str
    columns: tuple[str, ...]
    rows: int
    sha256: str


@dataclass(frozen=True, slots=True)
class Manifest:
    schema_revision: str
    created_at: str
    patentpool_version: str
    tables: tuple[TableFile, ...]
    format_version: int = FORMAT_VERSION

    @property
    def total_rows(self) -> int:
        return sum(t.rows for t in self.tables)


def file_name(table: str) -> str:
    return f"{table}{SUFFIX}"


# --- values -------------------------------------------------------------------------------


def encode_value(column: Column, value: Any) -> Any:
    """A column's value as JSON: None is null; see KINDS for the rest."""
    if value is None:
        return None
    kind = column.kind
    if kind is bool or kind is int or kind is str:
        return value
    if kind is Decimal:
        return format(value, "f")
    if kind is dt.datetime:
        if column.aware:
            value = (value if value.tzinfo else value.replace(tzinfo=dt.UTC)).astimezone(dt.UTC)
        return str(value.isoformat())
    if kind is dt.date:
        return str(value.isoformat())
    if kind is bytes:
        return base64.b64encode(value).decode("ascii")
    raise TypeError(f"no backup encoding for {kind.__name__} (column {column.name})")


def decode_value(column: Column, value: Any) -> Any:
    """The Python value of a JSON cell; ValueError with a message when it is not one."""
    if value is None:
        return None
    kind = column.kind
    if kind is bool:
        if isinstance(value, bool):
            return value
        raise ValueError(f"is {json.dumps(value)}, not true or false")
    if kind is int:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        raise ValueError(f"is {json.dumps(value)}, not an integer")
    if not isinstance(value, str):
        raise ValueError(f"is {json.dumps(value)}, not {KINDS[kind]}")
    try:
        if kind is str:
            return value
        if kind is Decimal:
            number = Decimal(value)
            if not number.is_finite():
                raise ValueError
            return number
        if kind is dt.datetime:
            return dt.datetime.fromisoformat(value)
        if kind is dt.date:
            return dt.date.fromisoformat(value)
        if kind is bytes:
            return base64.b64decode(value.encode("ascii"), validate=True)
    except (ValueError, InvalidOperation, UnicodeEncodeError):
        raise ValueError(f"is {json.dumps(value, ensure_ascii=False)}, not {KINDS[kind]}") from None
    raise TypeError(f"no backup encoding for {kind.__name__} (column {column.name})")


# --- writing ------------------------------------------------------------------------------


def write_table(
    folder: Path, table: str, columns: tuple[Column, ...], rows: Iterable[Mapping[str, Any]]
) -> TableFile:
    """Write one table's rows, one JSON object a line (keys in column order)."""
    name = file_name(table)
    digest = hashlib.sha256()
    count = 0
    with (folder / name).open("wb") as fh:
        for row in rows:
            doc = {c.name: encode_value(c, row[c.name]) for c in columns}
            line = (json.dumps(doc, ensure_ascii=False, separators=(",", ":")) + "\n").encode()
            digest.update(line)
            fh.write(line)
            count += 1
    return TableFile(table, name, tuple(c.name for c in columns), count, digest.hexdigest())


def write_manifest(folder: Path, manifest: Manifest) -> Path:
    doc = {
        "format": FORMAT,
        "format_version": manifest.format_version,
        "schema_revision": manifest.schema_revision,
        "created_at": manifest.created_at,
        "patentpool_version": manifest.patentpool_version,
        "tables": [
            {
                "table": t.table,
                "file": t.file,
                "columns": list(t.columns),
                "rows": t.rows,
                "sha256": t.sha256,
            }
            for t in manifest.tables
        ],
    }
    path = folder / MANIFEST
    path.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


# --- reading ------------------------------------------------------------------------------


class _TableDoc(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    table: str
    file: str
    columns: list[str]
    rows: int
    sha256: str


class _ManifestDoc(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    format: Literal["patentpool-backup"]
    format_version: int
    schema_revision: str
    created_at: str
    patentpool_version: str
    tables: list[_TableDoc]


def read_manifest(folder: Path) -> Manifest:
    """The manifest of a backup folder; BackupRefused when there is none or it is not one."""
    path = folder / MANIFEST
    if not folder.is_dir():
        raise BackupRefused(f"{folder} is not a folder")
    if not path.is_file():
        raise BackupRefused(f"{folder} has no {MANIFEST}: it is not a patentpool backup")
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BackupRefused(f"{path}: is not valid JSON: {exc}") from None
    if isinstance(raw, dict) and raw.get("format") == FORMAT:
        version = raw.get("format_version")
        if version != FORMAT_VERSION:
            raise BackupRefused(
                f"{path}: is a backup of format version {version}, this patentpool reads "
                f"version {FORMAT_VERSION} only"
            )
    try:
        doc = _ManifestDoc.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "manifest"
        raise BackupRefused(
            f"{path}: is not a patentpool backup manifest ({where}: {first['msg']})"
        ) from None
    return Manifest(
        schema_revision=doc.schema_revision,
        created_at=doc.created_at,
        patentpool_version=doc.patentpool_version,
        tables=tuple(
            TableFile(t.table, t.file, tuple(t.columns), t.rows, t.sha256) for t in doc.tables
        ),
        format_version=doc.format_version,
    )


def check_files(folder: Path, manifest: Manifest) -> list[str]:
    """Every way the folder's files differ from the manifest: files missing or not named by
    it, and each file's row count and SHA-256."""
    problems = []
    named = {t.file for t in manifest.tables}
    for path in sorted(folder.iterdir()):
        if path.name != MANIFEST and path.name not in named:
            problems.append(f"{path.name}: is not named in {MANIFEST}")
    for entry in manifest.tables:
        path = folder / entry.file
        if Path(entry.file).name != entry.file or not path.is_file():
            problems.append(f"{entry.file}: is missing")
            continue
        digest = hashlib.sha256()
        lines = 0
        with path.open("rb") as fh:
            while block := fh.read(1 << 20):
                digest.update(block)
                lines += block.count(b"\n")
        if digest.hexdigest() != entry.sha256:
            problems.append(
                f"{entry.file}: its SHA-256 is {digest.hexdigest()}, the manifest says "
                f"{entry.sha256}: the file was changed or damaged"
            )
        elif lines != entry.rows:
            problems.append(f"{entry.file}: holds {lines} rows, the manifest says {entry.rows}")
    return problems


def read_table(
    folder: Path, entry: TableFile, columns: tuple[Column, ...]
) -> Iterator[dict[str, Any]]:
    """The rows of one file as Python values; BackupRefused at the first bad line."""
    names = [c.name for c in columns]
    texts = [c.name for c in columns if c.kind is str]  # kept as they are: only checked
    others = [c for c in columns if c.kind is not str]
    # lines end at "\n" only: JSON escapes it in strings, but not U+2028 and its kind
    with (folder / entry.file).open(encoding="utf-8", newline="\n") as fh:
        for number, line in enumerate(fh, start=1):
            try:
                doc = json.loads(line)
            except json.JSONDecodeError as exc:
                raise BackupRefused(
                    f"{entry.file}:{number}: row: is not valid JSON: {exc}"
                ) from None
            if not isinstance(doc, dict) or list(doc) != names:
                raise BackupRefused(
                    f"{entry.file}:{number}: row: must be an object with the columns "
                    + ", ".join(names)
                )
            for name in texts:
                value = doc[name]
                if value is not None and type(value) is not str:
                    raise BackupRefused(
                        f"{entry.file}:{number}: {name}: is {json.dumps(value)}, not {KINDS[str]}"
                    )
            for column in others:
                try:
                    doc[column.name] = decode_value(column, doc[column.name])
                except ValueError as exc:
                    raise BackupRefused(f"{entry.file}:{number}: {column.name}: {exc}") from None
            yield doc
