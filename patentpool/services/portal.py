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
from patentpool.gcpause import settle_kept
from patentpool.io.problems import ImportFailed as ImportFailed
from patentpool.io.problems import Problem
from patentpool.io.uploads import UploadLimits as UploadLimits
from patentpool.io.uploads import UploadTooLarge as UploadTooLarge
from patentpool.io.uploads import check_size, foreign_lines, safe_name
from patentpool.io.workbooks import WORKBOOK_SUFFIXES
from patentpool.reports.documents import patent_row, royalty_document
from patentpool.reports.license import license_context
from patentpool.reports.member import member_context, shared_statements
from patentpool.reports.render import json_document, render
from patentpool.services import accounts, commands, imports
from patentpool.services.royalties import of_licensee
from patentpool.services.snapshots import Snapshots, quarter_sales
from patentpool.storage import engine
from patentpool.storage.engine import DatabaseError as DatabaseError  # the portal's 503

#: How many requests a worker runs at once (its thread pool): as many as the connections
#: its database pool holds.
THREADS = engine.POOL_CONNECTIONS


def start_worker(store: Snapshots) -> None:
    """A worker starting: a SQLite register in WAL mode (requests read while an upload
    writes), the register read and the latest quarters' royalties computed, and their
    document for staff serialised (tens of megabytes at size M: seconds of a worker's time
    that no request then waits for), then settled out of the garbage collector's sight."""
    engine.use_wal(store.url)
    for program, period in store.warm():
        _program_royalties_json(store, program, period)
    settle_kept()  # what was read and computed stays: no full collection walks it again


def me(principal: Principal) -> dict[str, Any]:
    return {
        "name": principal.name,
        "role": principal.role.value,
        "member": principal.member,
        "licensee": principal.licensee,
    }


def patent_query(
    principal: Principal,
    *,
    standard: str | None = None,
    version: str | None = None,
    in_force_on: dt.date | None = None,
    member: str | None = None,
    country: str | None = None,
) -> PatentFilter:
    """The filter of the public patent list (any role) from a request's parameters."""
    require(principal, Capability.PATENTS)
    if version is not None and standard is None:
        raise InvalidInput("version: give the standard too")
    if country is not None:
        try:
            country = normalize_country(country)
        except ValueError as exc:
            raise InvalidInput(f"country: {exc}") from None
    return PatentFilter(member, standard, version, in_force_on, country)


def patents(store: Snapshots, principal: Principal, query: PatentFilter) -> dict[str, Any]:
    """The public patent list, as ``patents list --format json`` writes each patent."""
    require(principal, Capability.PATENTS)
    register = store.register()
    rows = [patent_row(view) for view in select_patents(register, query)]
    return {"illustrative": register.illustrative, "patents": rows}


def patents_json(store: Snapshots, principal: Principal, query: PatentFilter) -> bytes:
    """:func:`patents` as JSON, serialised once for each list and state of the register."""
    return store.kept(("patents", query), lambda: as_json(patents(store, principal, query)))


def as_json(document: Any) -> bytes:
    """A document as the API sends it (the encoding of FastAPI's JSON responses)."""
    return json.dumps(document, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode()


def _period(raw: str | None, name: str = "period") -> Period | None:
    return None if raw is None or raw == "" else Period.parse(raw, name)


def member_statement_json(
    store: Snapshots, principal: Principal, member: str, program: str | None, period: str | None
) -> bytes:
    """A member's statement: the JSON of ``report member --format json``, as the API sends
    it, serialised once for each state."""
    found = _member_report(store, principal, member, program, period, "api")
    assert isinstance(found, bytes)
    return found


def member_report(
    store: Snapshots,
    principal: Principal,
    member: str,
    program: str | None,
    period: str | None,
    fmt: str,
) -> str | bytes:
    """A member's statement as ``fmt`` (json, html, pdf); only its own, or staff's."""
    return _member_report(store, principal, member, program, period, fmt)


def _member_report(
    store: Snapshots,
    principal: Principal,
    member: str,
    program: str | None,
    period: str | None,
    fmt: str,
) -> str | bytes:
    """The statement rendered as ``fmt``, or for ``"api"`` its JSON document as the API sends it;
    kept for the register's state and the runs it shows."""
    require_member(principal, member)
    url = store.url
    if member not in {m.id for m in store.register().members}:
        raise NotYours()
    quarter = _period(period)
    programs = commands.programs(url)
    if program is not None and program not in programs:
        raise NotFound("programme", program)
    runs = commands.report_runs(
        url, [program] if program else sorted(programs), None, quarter, published_only=True
    )
    today = dt.date.today()

    def rendered() -> str | bytes:
        register = store.register()
        with shared_statements(store.shared()):  # what every member's statement counts
            context = member_context(register, member, runs, None, today)
        if fmt == "api":  # the document encoded once, not written indented first
            return as_json(json_document(context, register.illustrative))
        return render("member", context, fmt, illustrative=register.illustrative)

    # a run never changes once stored: which runs are shown, and what superseded them, is
    # what the statement is computed from besides the register
    shown = tuple((run.stamp, run.superseded) for run in runs)
    key = ("member report", member, program, str(quarter), fmt, today)
    return store.kept(key, rendered, also=shown)


def licensee_royalties(
    store: Snapshots, principal: Principal, licensee: str, program: str, period: str
) -> dict[str, Any]:
    """What the licensee owes for a quarter: the JSON of ``royalties --licensee L``."""
    quarter = _licensee_quarter(store, principal, licensee, period)
    return royalty_document(of_licensee(store.royalties(program, quarter), licensee))


def licensee_royalties_json(
    store: Snapshots, principal: Principal, licensee: str, program: str, period: str
) -> bytes:
    """:func:`licensee_royalties` as JSON, serialised once for each state."""
    quarter = _licensee_quarter(store, principal, licensee, period)
    return store.kept(
        ("licensee royalties", program, str(quarter), licensee),
        lambda: as_json(royalty_document(of_licensee(store.royalties(program, quarter), licensee))),
        sales=quarter_sales(program, quarter),
    )


def _licensee_quarter(store: Snapshots, principal: Principal, licensee: str, period: str) -> Period:
    require_licensee(principal, licensee, Capability.LICENSEE_ROYALTIES)
    _known_licensee(store, licensee)
    return Period.parse(period, "period")


def _known_licensee(store: Snapshots, licensee: str) -> None:
    if licensee not in store.licensing()[0]:
        raise NotYours()


def program_royalties(store: Snapshots, principal: Principal, program: str, period: str) -> bytes:
    """Every licensee's dues of a quarter (staff), as JSON serialised once for each state."""
    require(principal, Capability.PROGRAM_ROYALTIES)
    return _program_royalties_json(store, program, Period.parse(period, "period"))


def _program_royalties_json(store: Snapshots, program: str, quarter: Period) -> bytes:
    return store.kept(
        ("program royalties", program, str(quarter)),
        lambda: as_json(royalty_document(store.royalties(program, quarter))),
        sales=quarter_sales(program, quarter),
    )


def licence_summary(
    store: Snapshots, principal: Principal, licensee: str, program: str, fmt: str
) -> str | bytes:
    """The licence summary and licensed patent schedule of a licensee (html, json, pdf)."""
    require_licensee(principal, licensee, Capability.LICENCE_SUMMARY)
    found, programs = store.licensing()
    if licensee not in found:
        raise NotYours()
    if program not in programs:
        raise NotFound("programme", program)
    register = store.register()
    context = license_context(
        register, programs[program], found[licensee], register.alliance, dt.date.today()
    )
    return render("license", context, fmt, illustrative=register.illustrative)


def distribute(
    store: Snapshots,
    principal: Principal,
    program: str,
    period: str,
    policy: str | None,
    params: dict[str, str],
) -> dict[str, Any]:
    """A distribution run (staff): the JSON of ``distribute --format json``."""
    require(principal, Capability.DISTRIBUTE)
    url = store.url
    quarter = Period.parse(period, "period")
    run, _ = commands.distribute(url, program, quarter, policy, params, "collected", note=False)
    state = "reproduced" if run.reproduced else "stored"
    accounts.record(url, principal, "distribution", f"{program} {quarter}: run {run.id} {state}")
    document: dict[str, Any] = json.loads(run.text)
    return document


_NOT_A_REPORT = "a sales report is a .csv file or a workbook (.xlsx, .xlsm, .ods)"


def upload_sales(
    store: Snapshots,
    principal: Principal,
    licensee: str,
    filename: str | None,
    data: bytes,
    limits: UploadLimits,
) -> dict[str, Any]:
    """A sales report uploaded for ``licensee``, imported as ``patentpool import`` would:
    every problem at once as ``FILE:LINE`` and nothing stored, or the import's summary."""
    require_licensee(principal, licensee, Capability.SALES_UPLOAD)
    url = store.url
    _known_licensee(store, licensee)
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
            problems = foreign_lines(path, shown, licensee, limits.max_lines)
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


def start_page(store: Snapshots, principal: Principal) -> dict[str, Any]:
    """What the user's start page shows: its role's part of the register."""
    register = store.register()
    found, programs = store.licensing()
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


def licensee_check(store: Snapshots, principal: Principal, licensee: str) -> None:
    """Raise unless the user may see the licensee's dues."""
    require_licensee(principal, licensee, Capability.LICENSEE_ROYALTIES)
    _known_licensee(store, licensee)


def upload_check(store: Snapshots, principal: Principal, licensee: str) -> None:
    """Raise unless the user may upload the licensee's sales reports."""
    require_licensee(principal, licensee, Capability.SALES_UPLOAD)
    _known_licensee(store, licensee)


def distribute_check(principal: Principal) -> None:
    require(principal, Capability.DISTRIBUTE)
