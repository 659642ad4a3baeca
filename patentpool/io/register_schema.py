"""Pydantic schemas of the register's input files (see docs/formats.md)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Annotated, Any, NamedTuple

from pydantic import BaseModel, BeforeValidator, ConfigDict

from patentpool.core.model import Essentiality, Status
from patentpool.io.types import (
    IsoDate,
    OptionalDate,
    OptionalFlag,
    OptionalText,
    Slug,
    Text,
    empty_to_none,
    parse_date,
    parse_flag,
    parse_optional_text,
    parse_required_date,
    parse_text,
)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class AllianceIn(Strict):
    id: Slug
    name: Text
    illustrative: bool = False


class MemberIn(Strict):
    id: Slug
    name: Text
    aliases: list[Text] = []
    joined: OptionalDate = None


class VersionIn(Strict):
    id: Text
    published: OptionalDate = None
    supersedes: OptionalText = None
    sections: list[Text] = []


class StandardIn(Strict):
    id: Text
    name: Text
    versions: list[VersionIn] = []


class RegisterFileIn(Strict):
    alliance: AllianceIn | None = None
    members: list[MemberIn] = []
    standards: list[StandardIn] = []


def _split_states(value: Any) -> Any:
    value = empty_to_none(value)
    if value is None:
        return []
    if isinstance(value, str):
        return [v for v in value.replace(";", " ").replace(",", " ").split() if v]
    return value


def enum_text(value: Any) -> Any:
    """``Not-Essential`` and ``not essential`` read as ``not_essential``."""
    value = empty_to_none(value)
    return (
        value.strip().lower().replace("-", "_").replace(" ", "_")
        if isinstance(value, str)
        else value
    )


def _status(value: Any) -> Any:
    value = enum_text(value)
    return Status.GRANTED if value is None else value


def _essentiality(value: Any) -> Any:
    value = enum_text(value)
    return Essentiality.DECLARED if value is None else value


class PatentRowIn(Strict):
    """One row of a patents CSV: one patent declared against one standard version."""

    publication_number: Text
    owner: Text
    filing_date: IsoDate
    standard: Text
    version: Text
    family: OptionalText = None
    grant_date: OptionalDate = None
    expiry_date: OptionalDate = None
    status: Annotated[Status, BeforeValidator(_status)] = Status.GRANTED
    section: OptionalText = None
    essentiality: Annotated[Essentiality, BeforeValidator(_essentiality)] = Essentiality.DECLARED
    validated_states: Annotated[list[str], BeforeValidator(_split_states)] = []
    title: OptionalText = None
    evaluator: OptionalText = None
    evaluated_on: OptionalDate = None
    declared_on: OptionalDate = None
    frand: OptionalFlag = None
    reciprocity: OptionalFlag = None


PATENT_COLUMNS = tuple(PatentRowIn.model_fields)
PATENT_REQUIRED = tuple(n for n, f in PatentRowIn.model_fields.items() if f.is_required())


class PatentRecord(NamedTuple):
    """The values :class:`PatentRowIn` gives one row, as a plain tuple (a patents CSV has tens
    of thousands of rows; see :data:`CELL_READERS`)."""

    publication_number: str
    owner: str
    filing_date: dt.date
    standard: str
    version: str
    family: str | None = None
    grant_date: dt.date | None = None
    expiry_date: dt.date | None = None
    status: Status = Status.GRANTED
    section: str | None = None
    essentiality: Essentiality = Essentiality.DECLARED
    validated_states: tuple[str, ...] = ()
    title: str | None = None
    evaluator: str | None = None
    evaluated_on: dt.date | None = None
    declared_on: dt.date | None = None
    frand: bool | None = None
    reciprocity: bool | None = None

    @classmethod
    def of(cls, row: PatentRowIn) -> PatentRecord:
        values = {name: getattr(row, name) for name in PATENT_COLUMNS}
        values["validated_states"] = tuple(row.validated_states)
        return cls(**values)


_STATUSES = {s.value: s for s in Status}
_ESSENTIALITIES = {e.value: e for e in Essentiality}


def _read_states(cell: str) -> tuple[str, ...]:
    return tuple(_split_states(cell))


#: How each column's cell (text, as a CSV gives it) is read: the same functions as
#: :class:`PatentRowIn`'s validators, and the value it would give. A cell any of them refuses
#: (ValueError, KeyError) is not read here: its row is validated by :class:`PatentRowIn`,
#: which words the problem.
CELL_READERS: dict[str, Callable[[str], Any]] = {
    "publication_number": parse_text,
    "owner": parse_text,
    "filing_date": parse_required_date,
    "standard": parse_text,
    "version": parse_text,
    "family": parse_optional_text,
    "grant_date": parse_date,
    "expiry_date": parse_date,
    "status": lambda cell: _STATUSES[_status(cell)],
    "section": parse_optional_text,
    "essentiality": lambda cell: _ESSENTIALITIES[_essentiality(cell)],
    "validated_states": _read_states,
    "title": parse_optional_text,
    "evaluator": parse_optional_text,
    "evaluated_on": parse_date,
    "declared_on": parse_date,
    "frand": parse_flag,
    "reciprocity": parse_flag,
}
