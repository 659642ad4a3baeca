"""Write the register in the import formats, so that importing the files reproduces it."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import yaml

from patentpool.core.cells import is_number
from patentpool.core.model import Register
from patentpool.errors import InvalidInput
from patentpool.io.register_events import EVENT_COLUMNS
from patentpool.io.register_schema import PATENT_COLUMNS


def neutralise(value: str) -> str:
    """Keep spreadsheet programs from reading a cell as a formula (=, +, -, @): such a cell
    gets a leading apostrophe, which the importer takes off again. Numbers stay as they are."""
    if value and value[0] in "=+-@\t\r" and not is_number(value):
        return "'" + value
    return value


def register_documents(register: Register) -> dict[str, Any]:
    doc: dict[str, Any] = {}
    if register.alliance is not None:
        doc["alliance"] = {"id": register.alliance.id, "name": register.alliance.name}
        if register.alliance.illustrative:
            doc["alliance"]["illustrative"] = True
    doc["members"] = [
        {
            k: v
            for k, v in (
                ("id", m.id),
                ("name", m.name),
                ("aliases", list(m.aliases)),
                ("joined", m.joined),
            )
            if v not in (None, [])
        }
        for m in register.members
    ]
    doc["standards"] = [
        {
            "id": s.id,
            "name": s.name,
            "versions": [
                {
                    k: val
                    for k, val in (
                        ("id", v.id),
                        ("published", v.published),
                        ("supersedes", v.supersedes),
                        ("sections", list(v.sections)),
                    )
                    if val not in (None, [])
                }
                for v in s.versions
            ],
        }
        for s in register.standards
    ]
    return doc


def _flag(value: bool | None) -> str | None:
    return None if value is None else ("yes" if value else "no")


def patent_rows(register: Register) -> list[dict[str, str]]:
    patents = register.patent_index()
    rows = []
    for d in sorted(register.declarations, key=lambda d: d.key):
        p = patents[d.patent]
        values: dict[str, Any] = {
            "publication_number": p.publication_number,
            "owner": p.owner,
            "filing_date": p.filing_date,
            "standard": d.standard,
            "version": d.version,
            "family": p.family,
            "grant_date": p.grant_date,
            "expiry_date": p.expiry_date,
            "status": p.status.value,
            "section": d.section,
            "essentiality": d.essentiality.value,
            "validated_states": " ".join(sorted(p.validated_states)),
            "title": p.title,
            "evaluator": d.evaluator,
            "evaluated_on": d.evaluated_on,
            "declared_on": d.declared_on,
            "frand": _flag(d.frand),
            "reciprocity": _flag(d.reciprocity),
        }
        rows.append({k: "" if v is None else str(v) for k, v in values.items()})
    return rows


def export_register(register: Register, folder: Path) -> list[Path]:
    """Write ``alliance.yaml``, ``patents.csv`` and (when the register has events) ``events.csv``
    into ``folder`` (which must exist)."""
    if not folder.is_dir():
        raise InvalidInput(f"folder {str(folder)!r} does not exist")
    written = []
    yaml_path = folder / "alliance.yaml"
    with yaml_path.open("w", encoding="utf-8") as fh:
        yaml.safe_dump(register_documents(register), fh, sort_keys=False, allow_unicode=True)
    written.append(yaml_path)
    csv_path = folder / "patents.csv"
    with csv_path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(PATENT_COLUMNS), lineterminator="\n")
        writer.writeheader()
        for row in patent_rows(register):
            writer.writerow({k: neutralise(v) for k, v in row.items()})
    written.append(csv_path)
    if register.events:  # a register without events is exported as it always was
        written.append(_export_events(register, folder / "events.csv"))
    return written


def event_rows(register: Register) -> list[dict[str, str]]:
    """The register's events as rows of the events CSV (docs/formats.md)."""
    names = {p.key: p.publication_number for p in register.patents}
    return [
        {
            "publication_number": names.get(e.patent, e.patent),
            "date": e.date.isoformat(),
            "event": e.kind.value,
            "country": e.country or "",
            "owner": e.owner or "",
            "standard": e.standard or "",
            "version": e.version or "",
            "essentiality": e.essentiality.value if e.essentiality else "",
            "evaluator": e.evaluator or "",
            "expiry": e.expiry.isoformat() if e.expiry else "",
            "note": e.note or "",
        }
        for e in register.events
    ]


def _export_events(register: Register, path: Path) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(EVENT_COLUMNS), lineterminator="\n")
        writer.writeheader()
        for row in event_rows(register):
            writer.writerow({k: neutralise(v) for k, v in row.items()})
    return path
