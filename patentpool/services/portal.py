"""The portal's use cases: what each route answers, for the signed-in user (docs/portal.md).

Each function checks the user's right with :mod:`patentpool.core.access` first, then calls
the same services and report builders as the CLI, so that the API's JSON is the CLI's
``--format json``. State changes are recorded with the user who made them.
"""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from pathlib import Path
from typing import Any

from patentpool.core.access import (
    Capability,
    NotYours,
    Principal,
    require,
    require_licensee,
    require_member,
)
from patentpool.core.countries import normalize_country
from patentpool.core.periods import Period
from patentpool.core.register import PatentFilter, select_patents
from patentpool.errors import InvalidInput, NotFound
from patentpool.io.problems import ImportFailed as ImportFailed
from patentpool.io.problems import Problem
from patentpool.io.uploads import UploadLimits as UploadLimits
from patentpool.io.uploads import UploadTooLarge as UploadTooLarge
from patentpool.io.uploads import check_size, foreign_lines, safe_name
from patentpool.io.workbooks import WORKBOOK_SUFFIXES
from patentpool.reports.documents import patent_row, royalty_document
from patentpool.reports.license import license_context
from patentpool.reports.member import member_context
from patentpool.reports.render import render
from patentpool.services import accounts, commands, imports
from patentpool.storage import engine
from patentpool.storage.engine import DatabaseError as DatabaseError  # the portal's 503


def me(principal: Principal) -> dict[str, Any]:
    return {
        "name": principal.name,
        "role": principal.role.value,
        "member": principal.member,
        "licensee": principal.licensee,
    }


def patents(
    url: str,
    principal: Principal,
    *,
    standard: str | None = None,
    version: str | None = None,
    in_force_on: dt.date | None = None,
    member: str | None = None,
    country: str | None = None,
) -> dict[str, Any]:
    """The public patent list, as ``patents list --format json`` writes each patent."""
    require(principal, Capability.PATENTS)
    if version is not None and standard is None:
        raise InvalidInput("version: give the standard too")
    if country is not None:
        try:
            country = normalize_country(country)
        except ValueError as exc:
            raise InvalidInput(f"country: {exc}") from None
    register = commands.register(url)
    query = PatentFilter(member, standard, version, in_force_on, country)
    rows = [patent_row(view) for view in select_patents(register, query)]
    return {"illustrative": register.illustrative, "patents": rows}


def _period(raw: str | None, name: str = "period") -> Period | None:
    return None if raw is None or raw == "" else Period.parse(raw, name)


def member_statement(
    url: str, principal: Principal, member: str, program: str | None, period: str | None
) -> dict[str, Any]:
    """A member's statement: the JSON of ``report member --format json``."""
    text = member_report(url, principal, member, program, period, "json")
    assert isinstance(text, str)
    document: dict[str, Any] = json.loads(text)
    return document


def member_report(
    url: str,
    principal: Principal,
    member: str,
    program: str | None,
    period: str | None,
    fmt: str,
) -> str | bytes:
    """A member's statement as ``fmt`` (json, html, pdf); only its own, or staff's."""
    require_member(principal, member)
    register = commands.register(url)
    if member not in {m.id for m in register.members}:
        raise NotYours()
    quarter = _period(period)
    programs = commands.programs(url)
    if program is not None and program not in programs:
        raise NotFound("programme", program)
    runs = commands.report_runs(
        url, [program] if program else sorted(programs), None, quarter, published_only=True
    )
    context = member_context(register, member, runs, None, dt.date.today())
    return render("member", context, fmt, illustrative=register.illustrative)


def licensee_royalties(
    url: str, principal: Principal, licensee: str, program: str, period: str
) -> dict[str, Any]:
    """What the licensee owes for a quarter: the JSON of ``royalties --licensee L``."""
    require_licensee(principal, licensee, Capability.LICENSEE_ROYALTIES)
    _known_licensee(url, licensee)
    quarter = Period.parse(period, "period")
    return royalty_document(commands.royalties(url, program, quarter, licensee))


def _known_licensee(url: str, licensee: str) -> None:
    if licensee not in commands.licensees(url):
        raise NotYours()


def program_royalties(url: str, principal: Principal, program: str, period: str) -> dict[str, Any]:
    """Every licensee's dues of a quarter (staff)."""
    require(principal, Capability.PROGRAM_ROYALTIES)
    quarter = Period.parse(period, "period")
    return royalty_document(commands.royalties(url, program, quarter))


def licence_summary(
    url: str, principal: Principal, licensee: str, program: str, fmt: str
) -> str | bytes:
    """The licence summary and licensed patent schedule of a licensee (html, json, pdf)."""
    require_licensee(principal, licensee, Capability.LICENCE_SUMMARY)
    found, programs = commands.licensing(url)
    if licensee not in found:
        raise NotYours()
    if program not in programs:
        raise NotFound("programme", program)
    register = commands.register(url)
    context = license_context(
        register, programs[program], found[licensee], register.alliance, dt.date.today()
    )
    return render("license", context, fmt, illustrative=register.illustrative)


def distribute(
    url: str,
    principal: Principal,
    program: str,
    period: str,
    policy: str | None,
    params: dict[str, str],
) -> dict[str, Any]:
    """A distribution run (staff): the JSON of ``distribute --format json``."""
    require(principal, Capability.DISTRIBUTE)
    quarter = Period.parse(period, "period")
    run, _ = commands.distribute(url, program, quarter, policy, params, "collected", note=False)
    state = "reproduced" if run.reproduced else "stored"
    accounts.record(url, principal, "distribution", f"{program} {quarter}: run {run.id} {state}")
    document: dict[str, Any] = json.loads(run.text)
    return document


_NOT_A_REPORT = "a sales report is a .csv file or a workbook (.xlsx, .xlsm, .ods)"


def upload_sales(
    url: str,
    principal: Principal,
    licensee: str,
    filename: str | None,
    data: bytes,
    limits: UploadLimits,
) -> dict[str, Any]:
    """A sales report uploaded for ``licensee``, imported as ``patentpool import`` would:
    every problem at once as ``FILE:LINE`` and nothing stored, or the import's summary."""
    require_licensee(principal, licensee, Capability.SALES_UPLOAD)
    _known_licensee(url, licensee)
    name = safe_name(filename)
    workbook = name.lower().endswith(WORKBOOK_SUFFIXES)
    check_size(data, limits, count_lines=not workbook)
    with tempfile.TemporaryDirectory(prefix="patentpool-upload-") as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        shown = str(path)
        try:
            if not (workbook or name.lower().endswith(".csv")):
                raise ImportFailed([Problem(shown, 0, "file", _NOT_A_REPORT)])
            problems = foreign_lines(path, shown, licensee)
            if problems:
                raise ImportFailed(problems)
            with engine.session_for(url, lock="import") as session:
                summary = imports.import_paths(session, [path], by=f"portal:{principal.name}")
        except ImportFailed as failed:
            raise ImportFailed(
                [
                    Problem(
                        name if p.file == shown else p.file, p.line, p.field, p.message, p.place
                    )
                    for p in failed.problems
                ]
            ) from None
    what = "; ".join(f"{e} {a}: {n}" for (e, a), n in sorted(summary.changes.items()))
    accounts.record(
        url, principal, "sales report", f"{name} for {licensee}: {what or 'nothing changed'}"
    )
    return {
        "file": name,
        "import_id": summary.import_id,
        "changed": summary.changed,
        "changes": [
            {"entity": e, "action": a, "count": n} for (e, a), n in sorted(summary.changes.items())
        ],
        "notes": summary.notes,
        "summary": summary.lines(),
    }


def problem_documents(failed: ImportFailed) -> list[dict[str, Any]]:
    return [
        {"file": p.file, "line": p.line, "field": p.field, "message": p.message}
        | ({"place": p.place} if p.place else {})
        for p in failed.problems
    ]


def start_page(url: str, principal: Principal) -> dict[str, Any]:
    """What the user's start page shows: its role's part of the register."""
    register = commands.parties(url)
    found, programs = commands.licensing(url)
    out: dict[str, Any] = {
        "me": me(principal),
        "alliance": register.alliance.name if register.alliance else None,
        "illustrative": register.illustrative,
        "programs": sorted(programs),
        "party": None,
        "members": [],
        "licensees": [],
    }
    if principal.member is not None:
        names = register.member_index()
        out["party"] = names[principal.member].name if principal.member in names else None
    if principal.licensee is not None:
        out["party"] = found[principal.licensee].name if principal.licensee in found else None
    if principal.role.value in ("staff", "counsel"):
        out["licensees"] = sorted((lic.id, lic.name) for lic in found.values())
    if principal.role.value == "staff":
        out["members"] = sorted((m.id, m.name) for m in register.members)
    return out


def licensee_check(url: str, principal: Principal, licensee: str) -> None:
    """Raise unless the user may see the licensee's dues."""
    require_licensee(principal, licensee, Capability.LICENSEE_ROYALTIES)
    _known_licensee(url, licensee)


def upload_check(url: str, principal: Principal, licensee: str) -> None:
    """Raise unless the user may upload the licensee's sales reports."""
    require_licensee(principal, licensee, Capability.SALES_UPLOAD)
    _known_licensee(url, licensee)


def distribute_check(principal: Principal) -> None:
    require(principal, Capability.DISTRIBUTE)
