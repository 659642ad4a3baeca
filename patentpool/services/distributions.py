"""Frozen, reproducible distribution runs, and the difference between two of them."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from json.encoder import encode_basestring_ascii
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from patentpool.core.allocation import (
    NO_SECTION,
    Distribution,
    NoSales,
    NothingOwed,
    PolicyInput,
    distribute,
    nothing_owed,
    policy_input,
)
from patentpool.core.model import Essentiality
from patentpool.core.periods import Period
from patentpool.errors import InvalidInput, NotFound, PatentpoolError
from patentpool.gcpause import collector_paused
from patentpool.services.corrections import record_run_reports, superseded_runs
from patentpool.services.quarters import QuarterTotals, canonical_json, quarter_totals
from patentpool.services.royalties import ProgramContext, program_context, royalties
from patentpool.services.run_events import event_inputs, late_events
from patentpool.storage import licensing_repo
from patentpool.storage.models import DistributionRunRow

BASES = ("collected", "due")


class RunConflict(PatentpoolError):
    """Another distribution run for the same programme and period was stored meanwhile."""


@dataclass(frozen=True, slots=True)
class Run:
    id: int
    revision: int
    program: str
    period: Period
    policy: str
    basis: str
    inputs_sha256: str
    created_at: str
    result: dict[str, Any]
    text: str  # the run's JSON exactly as stored
    reproduced: bool = False  # True when an identical earlier run was found, not made
    #: "superseded by a correction: ..." when a sales report it was computed from has been
    #: corrected since, and no later run of the period was made (services/corrections.py)
    superseded: str | None = None


def _share(value: Fraction) -> str:
    return format(Decimal(value.numerator) / Decimal(value.denominator), ".10f")


def distribution_document(dist: Distribution) -> dict[str, Any]:
    return {
        "program": dist.program,
        "period": str(dist.period),
        "policy": dist.policy,
        "params": dict(dist.params),
        "currency": dist.currency,
        "collected": format(dist.collected, "f"),
        "admin_fee": format(dist.admin_fee, "f"),
        "distributable": format(dist.distributable, "f"),
        "rounding": dist.rounding,
        "members": [
            {
                "member": m.member,
                "basis": m.basis,
                "share": _share(m.share),
                "share_exact": f"{m.share.numerator}/{m.share.denominator}",
                "amount": format(m.amount, "f"),
            }
            for m in dist.members
        ],
    }


#: Keys of a programme that its books read and no distribution does (when an invoice is due,
#: the interest on it late): left out of a run's inputs, which name what its split rests on.
BOOK_KEYS = ("payment_terms_days", "late_interest")


def _split_terms(spec: dict[str, Any]) -> dict[str, Any]:
    """The programme's definition without its :data:`BOOK_KEYS`, in it and its schedules."""
    out = {k: v for k, v in spec.items() if k not in BOOK_KEYS}
    if out.get("fx_rule") == "quarter_end":  # the default, as a programme without the key
        del out["fx_rule"]
    if "schedules" in out:
        out["schedules"] = [
            {k: v for k, v in s.items() if k not in BOOK_KEYS} for s in out["schedules"]
        ]
    return out


def _inputs(
    ctx: ProgramContext,
    period: Period,
    policy: str,
    params: Mapping[str, str],
    basis: str,
    collected: Decimal,
    by_country: Mapping[str, Decimal],
    reports: list[dict[str, object]],
    counted: PolicyInput | None = None,
) -> str:
    """Everything the run depends on as canonical JSON (the checksum is taken of it): the
    programme's terms, period, policy, parameters, basis, amount, royalties by country, the
    counted patents in force (key, owner, family, territories, sections, essentiality, filing
    date) and the sales reports.

    ``counted``: what :func:`policy_input` gives for the same programme, period and royalties,
    when the caller has it already.
    """
    if counted is None:
        counted = policy_input(ctx.program, ctx.register, period, by_country)
    text = encode_basestring_ascii  # a string as json.dumps writes it
    patents = []
    for p in counted.patents:
        key = p.key
        declarations = counted.declarations[key]
        if len(declarations) == 1:
            sections = text(declarations[0].section or NO_SECTION)
            essentiality = _ESSENTIALITY[declarations[0].essentiality]
        else:
            sections = ",".join(map(text, sorted({d.section or NO_SECTION for d in declarations})))
            kinds = sorted({d.essentiality for d in declarations})
            essentiality = ",".join([_ESSENTIALITY[e] for e in kinds])
        territories = (
            ",".join(map(text, sorted(p.validated_states)))
            if p.validated_states
            else text(p.jurisdiction)
        )
        patents.append(
            f'{{"essentiality":[{essentiality}],"family":{text(p.family or key)},'
            f'"filing_date":"{p.filing_date.isoformat()}","owner":{text(p.owner)},'
            f'"patent":{text(key)},"sections":[{sections}],"territories":[{territories}]}}'
        )
    document = {
        "program": _split_terms(json.loads(ctx.spec)),
        "period": str(period),
        "policy": policy,
        "params": dict(sorted(params.items())),
        "basis": basis,
        "collected": format(collected, "f"),
        "royalties_by_country": {k: format(v, "f") for k, v in sorted(by_country.items())},
        "sales_reports": reports,
    }
    if ctx.register.events:  # a register without events keeps the inputs it always had
        document["events"] = event_inputs(ctx.register, period)
    return canonical_json(document, {"patents": "[" + ",".join(patents) + "]"}, (",", ":"))


#: Each essentiality as JSON text.
_ESSENTIALITY = {e: encode_basestring_ascii(e.value) for e in Essentiality}


def run_distribution(
    session: Session,
    program_id: str,
    period: Period,
    policy: str | None = None,
    params: Mapping[str, str] | None = None,
    basis: str = "collected",
    processes: int = 1,
) -> Run:
    """Distribute a period; an identical earlier run is returned instead of a new one. A
    quarter whose totals are not kept yet is priced in up to ``processes`` processes."""
    if basis not in BASES:
        raise InvalidInput(f"basis: must be one of {', '.join(BASES)}, not {basis!r}")
    ctx = program_context(session, program_id)
    # a register holds hundreds of thousands of objects and the inputs of a run about as many
    # again (a few for every counted patent): the cyclic collector would walk them all several
    # times over for no cycle (benchmarks/README.md)
    with collector_paused():
        return _make_run(session, ctx, program_id, period, policy, params, basis, processes)


def _amount(
    session: Session, ctx: ProgramContext, period: Period, basis: str, totals: QuarterTotals
) -> Decimal:
    """What the run distributes: the quarter's due, or what was collected for it."""
    program_id = ctx.program.id
    if basis == "due":
        amount = totals.total_due
    else:
        amount = licensing_repo.collected(licensing_repo.load_payments(session, program_id), period)
    if amount == 0 and totals.total_due == 0:  # say why: the lines, gross, cap and discounts
        result = royalties(session, program_id, period, context=ctx, detail=False)
        raise NothingOwed(nothing_owed(result))
    if amount == 0:
        raise InvalidInput(
            f"nothing was collected for {program_id} in {period}; record payments, "
            "or distribute what is due with --basis due"
        )
    return amount


def _make_run(
    session: Session,
    ctx: ProgramContext,
    program_id: str,
    period: Period,
    policy: str | None,
    params: Mapping[str, str] | None,
    basis: str,
    processes: int,
) -> Run:
    """:func:`run_distribution` once the programme's context is loaded."""
    name = policy or ctx.program.policy
    params = dict(params or {})
    reports = licensing_repo.report_checksums(session, program_id, period.year_to_date())
    counted = ctx.counted  # for both checksums
    totals = quarter_totals(session, ctx, period, reports, counted, processes)
    if not totals.priced_lines:
        raise NoSales(f"no sales reported for {program_id} in {period}")
    by_country = totals.by_country
    amount = _amount(session, ctx, period, basis, totals)
    inputs = policy_input(ctx.program, ctx.register, period, by_country, counted=counted)
    canonical = _inputs(ctx, period, name, params, basis, amount, by_country, reports, inputs)
    checksum = hashlib.sha256(canonical.encode()).hexdigest()
    # the earlier runs' ids and checksums only: each run keeps megabytes of inputs
    previous = session.execute(
        select(DistributionRunRow.id, DistributionRunRow.revision, DistributionRunRow.inputs_sha256)
        .where(
            DistributionRunRow.program_id == program_id, DistributionRunRow.period == str(period)
        )
        .order_by(DistributionRunRow.revision)
    ).all()
    for run_id, _, inputs_sha256 in previous:
        if inputs_sha256 == checksum:
            found = session.get(DistributionRunRow, run_id)
            assert found is not None
            return _run(found, reproduced=True)
    dist = distribute(
        ctx.program, ctx.register, period, amount, by_country, name, params, inputs=inputs
    )
    revision = (previous[-1].revision if previous else 0) + 1
    created = dt.datetime.now(dt.UTC).replace(microsecond=0)
    document = {
        "revision": revision,
        "created_at": created.isoformat(),
        "basis": basis,
        **distribution_document(dist),
        "inputs_sha256": checksum,
    }
    row = DistributionRunRow(
        program_id=program_id,
        period=str(period),
        revision=revision,
        policy=name,
        params=json.dumps(dict(sorted(params.items()))),
        basis=basis,
        inputs_sha256=checksum,
        created_at=created,
        result=json.dumps(document, ensure_ascii=False),
        inputs=canonical,
    )
    session.add(row)
    try:
        session.flush()
    except IntegrityError as exc:
        raise RunConflict(
            f"another distribution of {program_id} for {period} was stored at the same time; "
            "run it again to see the stored result"
        ) from exc
    record_run_reports(session, row.id, program_id, period.year_to_date())
    return _run(row)


def _run(row: DistributionRunRow, reproduced: bool = False, superseded: str | None = None) -> Run:
    """A stored run; its JSON is rebuilt the same way every time, so it is byte-identical."""
    document = {"run_id": row.id, **json.loads(row.result)}
    return Run(
        id=row.id,
        revision=row.revision,
        program=row.program_id,
        period=Period.parse(row.period),
        policy=row.policy,
        basis=row.basis,
        inputs_sha256=row.inputs_sha256,
        created_at=row.created_at.isoformat() if row.created_at else "",
        result=document,
        text=json.dumps(document, indent=2, ensure_ascii=False),
        reproduced=reproduced,
        superseded=superseded,
    )


def get_run(session: Session, run_id: int) -> Run:
    row = session.get(DistributionRunRow, run_id)
    if row is None:
        raise NotFound("distribution run", str(run_id))
    return _run(row, superseded=superseded_runs(session, row.program_id).get(row.id))


def list_runs(session: Session, program_id: str | None = None) -> list[Run]:
    query = select(DistributionRunRow).order_by(
        DistributionRunRow.program_id, DistributionRunRow.period, DistributionRunRow.revision
    )
    if program_id is not None:
        query = query.where(DistributionRunRow.program_id == program_id)
    superseded = superseded_runs(session, program_id)
    return [_run(r, superseded=superseded.get(r.id)) for r in session.scalars(query)]


def stored_inputs(session: Session, run_id: int) -> dict[str, Any]:
    row = session.get(DistributionRunRow, run_id)
    if row is None:
        raise NotFound("distribution run", str(run_id))
    data: dict[str, Any] = json.loads(row.inputs)
    return data


@dataclass(frozen=True, slots=True)
class MemberChange:
    member: str
    before: Decimal
    after: Decimal
    reasons: tuple[str, ...]

    @property
    def change(self) -> Decimal:
        return self.after - self.before


def diff_runs(session: Session, a: int, b: int) -> tuple[Run, Run, list[MemberChange], list[str]]:
    """Who gained or lost what between runs ``a`` and ``b``, and why."""
    run_a, run_b = get_run(session, a), get_run(session, b)
    in_a, in_b = stored_inputs(session, a), stored_inputs(session, b)
    general: list[str] = []
    for key in ("policy", "params", "basis", "collected", "period"):
        if in_a[key] != in_b[key]:
            general.append(f"{key}: {in_a[key]} -> {in_b[key]}")
    if in_a["program"] != in_b["program"]:
        general.append("programme terms changed")
    reports_a = {(r["licensee"], r["period"]): r for r in in_a["sales_reports"]}
    reports_b = {(r["licensee"], r["period"]): r for r in in_b["sales_reports"]}
    for rkey in sorted(set(reports_a) | set(reports_b)):
        ra, rb = reports_a.get(rkey), reports_b.get(rkey)
        if ra is None:
            general.append(
                f"sales: {rkey[0]} {rkey[1]} report added ({(rb or {}).get('lines')} lines)"
            )
        elif rb is None:
            general.append(f"sales: {rkey[0]} {rkey[1]} report no longer counted")
        elif ra["checksum"] != rb["checksum"]:
            general.append(
                f"sales: {rkey[0]} {rkey[1]} corrected (revision {ra['revision']} -> "
                f"{rb['revision']}; units {ra['units']} -> {rb['units']}; "
                f"lines {ra['lines']} -> {rb['lines']})"
            )
    general.extend(late_events(in_a, in_b))
    pat_a = {p["patent"]: p for p in in_a["patents"]}
    pat_b = {p["patent"]: p for p in in_b["patents"]}
    reasons: dict[str, list[str]] = {}
    for key in sorted(set(pat_b) - set(pat_a)):
        reasons.setdefault(pat_b[key]["owner"], []).append(f"+{key} now counted")
    for key in sorted(set(pat_a) - set(pat_b)):
        reasons.setdefault(pat_a[key]["owner"], []).append(f"-{key} no longer counted")
    for key in sorted(set(pat_a) & set(pat_b)):
        if pat_a[key] != pat_b[key]:
            if pat_a[key]["owner"] != pat_b[key]["owner"]:
                reasons.setdefault(pat_a[key]["owner"], []).append(
                    f"-{key} transferred to {pat_b[key]['owner']}"
                )
                reasons.setdefault(pat_b[key]["owner"], []).append(
                    f"+{key} transferred from {pat_a[key]['owner']}"
                )
            else:
                reasons.setdefault(pat_b[key]["owner"], []).append(f"{key} changed")
    amounts_a = {m["member"]: Decimal(m["amount"]) for m in run_a.result["members"]}
    amounts_b = {m["member"]: Decimal(m["amount"]) for m in run_b.result["members"]}
    changes = []
    for member in sorted(set(amounts_a) | set(amounts_b) | set(reasons)):
        before, after = amounts_a.get(member, Decimal(0)), amounts_b.get(member, Decimal(0))
        if before != after or member in reasons:
            changes.append(MemberChange(member, before, after, tuple(reasons.get(member, []))))
    return run_a, run_b, changes, general


def distribution_from(document: Mapping[str, Any]) -> Distribution:
    """A stored run's result as the core value it was made from."""
    from patentpool.core.allocation import MemberAmount

    return Distribution(
        program=document["program"],
        period=Period.parse(document["period"]),
        policy=document["policy"],
        params=tuple(sorted(document["params"].items())),
        currency=document["currency"],
        collected=Decimal(document["collected"]),
        admin_fee=Decimal(document["admin_fee"]),
        distributable=Decimal(document["distributable"]),
        members=tuple(
            MemberAmount(m["member"], m["basis"], Fraction(m["share_exact"]), Decimal(m["amount"]))
            for m in document["members"]
        ),
        rounding=document["rounding"],
    )


def latest_distributions(session: Session, program_id: str) -> list[Distribution]:
    """The newest revision of each period's run, ordered by period."""
    from patentpool.storage.models import ProgramRow

    if session.get(ProgramRow, program_id) is None:
        raise NotFound("programme", program_id)
    # the results alone: each run also keeps megabytes of inputs, and only the newest
    # revision of a period is read
    latest: dict[Period, str] = {}
    for period, result in session.execute(
        select(DistributionRunRow.period, DistributionRunRow.result)
        .where(DistributionRunRow.program_id == program_id)
        .order_by(DistributionRunRow.period, DistributionRunRow.revision)
    ):
        latest[Period.parse(period)] = result
    return [distribution_from(json.loads(latest[p])) for p in sorted(latest)]
