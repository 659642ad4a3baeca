"""Pydantic schemas of the register's input files (see docs/formats.md)."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict

from patentpool.core.model import Essentiality, Status
from patentpool.io.types import IsoDate, OptionalDate, OptionalText, Slug, Text, empty_to_none


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class AllianceIn(Strict):
    id: Slug
    name: Text


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


PATENT_COLUMNS = tuple(PatentRowIn.model_fields)
PATENT_REQUIRED = tuple(n for n, f in PatentRowIn.model_fields.items() if f.is_required())
