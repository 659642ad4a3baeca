"""Reading a member's own list of patents for an audit: a patents CSV or plain numbers."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

from patentpool.core.audit import ClaimedPatent
from patentpool.core.model import Essentiality, Register, Status
from patentpool.core.names import name_key
from patentpool.core.numbers import InvalidPatentNumber, normalize
from patentpool.io.problems import ImportFailed, Problem, Source
from patentpool.io.readers import FileUnreadable, iter_csv, normalize_header, read_text
from patentpool.io.register_schema import enum_text
from patentpool.io.types import parse_date


def read_member_list(
    path: Path, register: Register, default_jurisdiction: str | None = None
) -> list[ClaimedPatent]:
    """Claimed patents from ``path``; raise ImportFailed listing every problem."""
    display = str(path)
    try:
        text = read_text(path, display)
    except FileUnreadable as exc:
        raise ImportFailed([exc.problem]) from exc
    try:
        rows = list(iter_csv(text, display))
    except FileUnreadable as exc:
        raise ImportFailed([exc.problem]) from exc
    if not rows:
        raise ImportFailed([Problem(display, 1, "file", "is empty")])
    header = [normalize_header(h) for h in rows[0][1]]
    problems: list[Problem] = []
    claimed: dict[str, ClaimedPatent] = {}
    owners = {name_key(n): m.id for m in register.members for n in (m.id, m.name, *m.aliases)}
    if "publication_number" not in header:
        # a plain list: one number per line, read whole (commas are digit separators here)
        numbered = [(i, raw.strip()) for i, raw in enumerate(text.splitlines(), start=1)]
        for line, raw in numbered:
            if not raw:
                continue
            try:
                key = normalize(raw, default_jurisdiction).key
            except InvalidPatentNumber as exc:
                problems.append(Problem(display, line, "number", str(exc)))
                continue
            claimed.setdefault(key, ClaimedPatent(key, f"{display}:{line}"))
    else:
        for line, cells in rows[1:]:
            values = dict(zip(header, cells, strict=False))
            source = Source(display, line)
            item, row_problems = _claimed_from_row(values, source, owners, default_jurisdiction)
            problems.extend(row_problems)
            if item is None:
                continue
            before = claimed.get(item.key)
            if before is not None:
                merged = dict(before.declarations)
                merged.update(item.declarations)
                item = replace(item, declarations=merged, source=before.source)
            claimed[item.key] = item
    if problems:
        raise ImportFailed(problems)
    return list(claimed.values())


def _claimed_from_row(
    values: dict[str, str], source: Source, owners: dict[str, str], default_jurisdiction: str | None
) -> tuple[ClaimedPatent | None, list[Problem]]:
    problems: list[Problem] = []
    key = None
    try:
        key = normalize(values.get("publication_number", ""), default_jurisdiction).key
    except InvalidPatentNumber as exc:
        problems.append(Problem.at(source, "publication_number", str(exc)))
    dates: dict[str, dt.date | None] = {}
    for name in ("filing_date", "grant_date", "expiry_date"):
        try:
            dates[name] = parse_date(values.get(name, ""))
        except ValueError as exc:
            problems.append(Problem.at(source, name, str(exc)))
    status = None
    if values.get("status"):
        try:
            status = Status(enum_text(values["status"]))
        except ValueError:
            problems.append(Problem.at(source, "status", f"unknown status {values['status']!r}"))
    owner = None
    if values.get("owner"):
        owner = owners.get(name_key(values["owner"]))
        if owner is None:
            problems.append(Problem.at(source, "owner", f"unknown member {values['owner']!r}"))
    declarations: dict[tuple[str, str], Essentiality | None] = {}
    if values.get("standard") and values.get("version"):
        ess = None
        if values.get("essentiality"):
            try:
                ess = Essentiality(enum_text(values["essentiality"]))
            except ValueError:
                problems.append(
                    Problem.at(
                        source, "essentiality", f"unknown essentiality {values['essentiality']!r}"
                    )
                )
        declarations[(values["standard"], values["version"])] = ess
    if problems or key is None:
        return None, problems
    return (
        ClaimedPatent(
            key=key,
            source=str(source),
            owner=owner,
            filing_date=dates.get("filing_date"),
            grant_date=dates.get("grant_date"),
            expiry_date=dates.get("expiry_date"),
            status=status,
            declarations=declarations,
        ),
        [],
    )
