"""Licensing data in the database: licensees, programmes, sales reports, payments."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Generator, Iterable, Mapping, Sequence
from decimal import Decimal

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from patentpool.core.licensing import Licensee, Program
from patentpool.core.licensing_records import LicensingState, LicensingUpdate, Payment, ReportKey
from patentpool.core.line_blocks import LineBlock
from patentpool.core.periods import Period
from patentpool.core.royalties import SalesLine, SalesRow
from patentpool.errors import NotFound
from patentpool.storage import fx_repo
from patentpool.storage.engine import param_mark
from patentpool.storage.models import (
    LicenseeRow,
    PaymentRow,
    ProgramRow,
    SalesReportRow,
)
from patentpool.storage.sales_read import sales_batches, sales_rows


def load_licensees(session: Session) -> dict[str, Licensee]:
    """Every licensee by id, read as column tuples: a pool can license thousands."""
    rows = session.execute(
        select(
            LicenseeRow.id,
            LicenseeRow.name,
            LicenseeRow.group_id,
            LicenseeRow.country,
            LicenseeRow.member,
            LicenseeRow.signed,
            LicenseeRow.good_standing,
        ).order_by(LicenseeRow.id)
    )
    return {
        lid: Licensee(
            id=lid,
            name=name,
            group=group,
            country=country,
            member=member,
            signed=signed,
            good_standing=good_standing,
        )
        for lid, name, group, country, member, signed, good_standing in rows
    }


def load_program_specs(session: Session) -> dict[str, str]:
    """Every programme's stored definition (JSON) by id; decoded in
    :func:`patentpool.services.licensing.load_programs`."""
    rows = session.execute(select(ProgramRow.id, ProgramRow.spec).order_by(ProgramRow.id))
    return dict(rows.all())


def load_state(session: Session, programs: Mapping[str, tuple[Program, str]]) -> LicensingState:
    """What the database holds, for checking an import; ``programs`` decoded by the caller."""
    # columns, not rows as objects, and each period parsed once: an upload of one line
    # reads every current report and payment, under the import lock
    periods: dict[str, Period] = {}

    def period(raw: str) -> Period:
        found = periods.get(raw)
        if found is None:
            found = periods[raw] = Period.parse(raw)
        return found

    report_rows = session.execute(
        select(
            SalesReportRow.program_id,
            SalesReportRow.licensee_id,
            SalesReportRow.period,
            SalesReportRow.checksum,
        ).where(SalesReportRow.current.is_(True))
    )
    reports = {
        (program, licensee, period(raw)): checksum
        for program, licensee, raw, checksum in report_rows
    }
    payment_rows = session.execute(
        select(
            PaymentRow.program_id,
            PaymentRow.licensee_id,
            PaymentRow.period,
            PaymentRow.amount,
            PaymentRow.received,
        )
    )
    payments = frozenset(
        (program, licensee, period(raw), amount, received)
        for program, licensee, raw, amount, received in payment_rows
    )
    return LicensingState(load_licensees(session), programs, reports, payments)


def save_licensing(
    session: Session,
    changes: LicensingUpdate,
    import_id: int | None = None,
    by: str | None = None,
) -> dict[ReportKey, int]:
    """Write the licensees, programmes and report revisions an import changes; the new
    revisions name ``import_id`` and who imported them (``by``). Their ids by report, for
    their lines (:mod:`patentpool.storage.sales_lines`); the payments go in after those
    (:func:`save_payments`)."""
    # one query for the licensees that exist, one insert for the new ones
    existing: dict[str, LicenseeRow] = {}
    if changes.licensees:
        existing = {r.id: r for r in session.scalars(select(LicenseeRow))}
    new_rows: list[dict[str, object]] = []
    for licensee in changes.licensees:
        row = existing.get(licensee.id)
        values = {
            "name": licensee.name,
            "group_id": licensee.group,
            "country": licensee.country,
            "member": licensee.member,
            "signed": licensee.signed,
            "good_standing": licensee.good_standing,
        }
        if row is None:
            new_rows.append({"id": licensee.id, **values})
        else:
            for k, v in values.items():
                setattr(row, k, v)
    if new_rows:
        session.execute(insert(LicenseeRow), new_rows)
    for program, spec in changes.programs:
        prow = session.get(ProgramRow, program.id)
        if prow is None:
            session.add(
                ProgramRow(
                    id=program.id,
                    standard_id=program.standard,
                    currency=program.currency,
                    spec=spec,
                )
            )
        else:
            prow.standard_id, prow.currency, prow.spec = program.standard, program.currency, spec
    session.flush()
    return _save_reports(session, changes, import_id, by)


def save_payments(session: Session, payments: Sequence[Payment]) -> None:
    """Add the payments an import found new."""
    if payments:
        session.execute(
            insert(PaymentRow),
            [
                {
                    "program_id": p.program,
                    "licensee_id": p.licensee,
                    "period": str(p.period),
                    "amount": p.amount,
                    "received": p.received,
                    "source": p.source,
                    "invoice": p.invoice,
                    "currency": p.received_currency,
                    "received_amount": p.received_amount,
                    "fx": p.fx,
                }
                for p in payments
            ],
        )


def _save_reports(
    session: Session,
    changes: LicensingUpdate,
    import_id: int | None = None,
    by: str | None = None,
) -> dict[ReportKey, int]:
    """Add a revision of every changed report, the earlier ones no longer current, in a few
    statements whatever the number of reports; the new rows' ids by report."""
    if not changes.reports:
        return {}
    wanted = {(p, lic, str(per)): (p, lic, per) for p, lic, per in changes.reports}
    programs = sorted({p for p, _, _ in changes.reports})
    last: dict[tuple[str, str, str], int] = {}
    current: list[int] = []
    for rid, program_id, licensee_id, period, revision, is_current in session.execute(
        select(
            SalesReportRow.id,
            SalesReportRow.program_id,
            SalesReportRow.licensee_id,
            SalesReportRow.period,
            SalesReportRow.revision,
            SalesReportRow.current,
        ).where(SalesReportRow.program_id.in_(programs))
    ):
        key = (program_id, licensee_id, period)
        if key in wanted:
            last[key] = max(last.get(key, 0), revision)
            if is_current:
                current.append(rid)
    for chunk in _id_chunks(current, 500):
        session.execute(
            update(SalesReportRow).where(SalesReportRow.id.in_(chunk)).values(current=False)
        )
    now = dt.datetime.now(dt.UTC)
    session.execute(
        insert(SalesReportRow),
        [
            {
                "program_id": program_id,
                "licensee_id": licensee_id,
                "period": str(period),
                "revision": last.get((program_id, licensee_id, str(period)), 0) + 1,
                "current": True,
                "source": report.source,
                "imported_at": now,
                "checksum": report.checksum,
                "lines": report.lines,
                "units": report.units,
                "import_id": import_id,
                "imported_by": by,
            }
            for (program_id, licensee_id, period), report in sorted(changes.reports.items())
        ],
    )
    ids: dict[ReportKey, int] = {}
    for rid, program_id, licensee_id, period in session.execute(
        select(
            SalesReportRow.id,
            SalesReportRow.program_id,
            SalesReportRow.licensee_id,
            SalesReportRow.period,
        ).where(SalesReportRow.program_id.in_(programs), SalesReportRow.current.is_(True))
    ):
        found = wanted.get((program_id, licensee_id, period))
        if found is not None:
            ids[found] = rid
    fx_repo.save_report_fx(session, ids, changes.reports)
    return ids


def _id_chunks(items: Sequence[int], size: int) -> Iterable[Sequence[int]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def load_sales(session: Session, program: str, periods: Sequence[Period]) -> list[SalesLine]:
    """The current report lines of ``program`` for the given periods, in a stable order."""
    return [SalesLine(*row) for row in load_sales_rows(session, program, periods)]


def load_sales_rows(
    session: Session,
    program: str,
    periods: Sequence[Period],
    licensees: Sequence[str] | None = None,
) -> list[SalesRow]:
    """:func:`load_sales` as plain tuples (for pricing without a record per line); only those
    of ``licensees`` when given."""
    return list(sales_rows(session, program, periods, "period, licensee_id", licensees))


def iter_sales_groups(
    session: Session,
    program: str,
    periods: Sequence[Period],
    licensees: Mapping[str, Licensee],
    groups: Collection[str] | None = None,
) -> Generator[list[LineBlock], None, None]:
    """The current lines of the periods in blocks of columns, one licensee group at a time
    (for :func:`patentpool.core.royalties.summarize_groups`); ``groups``: only those groups'.

    The lines come licensee by licensee; a group is handed on once the last of its licensees
    with lines has been read, so only the groups still open are held, not the whole year.
    """
    waiting: dict[str, set[str]] = defaultdict(set)  # group -> its licensees yet to be read
    for lid in reporting_lines(session, program, periods, licensees):
        group = licensees[lid].group_key
        if groups is None or group in groups:
            waiting[group].add(lid)
    if not waiting:
        return
    only = None if groups is None else {lid for lids in waiting.values() for lid in lids}
    held: dict[str, list[LineBlock]] = defaultdict(list)
    current: str | None = None
    for block in sales_batches(session, program, periods, "licensee_id, period", only):
        # the blocks come licensee by licensee (a block holds lines of one licensee)
        lid = block.licensee
        if lid != current:
            if current is not None:
                done = _read_all_of(current, licensees, waiting, held)
                if done is not None:
                    yield done
            current = lid
            bucket = held[licensees[lid].group_key]
        bucket.append(block)
    if current is not None:
        done = _read_all_of(current, licensees, waiting, held)
        if done is not None:
            yield done
    yield from held.values()  # groups with a licensee whose reports hold no line


def reporting_lines(
    session: Session, program: str, periods: Sequence[Period], licensees: Mapping[str, Licensee]
) -> dict[str, int]:
    """The licensees with current reports of the periods, each with their lines (the
    reports' own counts), in licensee order; a licensee not in ``licensees`` raises."""
    names = [str(p) for p in periods]
    if not names:
        return {}
    connection = session.connection()
    mark = param_mark(connection)
    rows = connection.exec_driver_sql(
        "SELECT licensee_id, SUM(lines) FROM sales_reports "
        f"WHERE program_id = {mark} AND current = {mark} "
        f"AND period IN ({', '.join([mark] * len(names))}) GROUP BY licensee_id",
        (program, True, *names),
    ).all()
    out: dict[str, int] = {}
    for lid, lines in sorted(rows):
        if lid not in licensees:
            raise NotFound("licensee", lid)
        out[lid] = int(lines or 0)
    return out


def _read_all_of(
    licensee: str,
    licensees: Mapping[str, Licensee],
    waiting: dict[str, set[str]],
    held: dict[str, list[LineBlock]],
) -> list[LineBlock] | None:
    """The lines of ``licensee``'s group once the last of its licensees has been read."""
    group = licensees[licensee].group_key
    waiting[group].discard(licensee)
    if waiting[group]:
        return None
    return held.pop(group)


def load_payments(
    session: Session, program: str | None = None, licensee: str | None = None
) -> list[Payment]:
    query = select(PaymentRow).order_by(
        PaymentRow.period, PaymentRow.licensee_id, PaymentRow.received, PaymentRow.id
    )
    if program is not None:
        query = query.where(PaymentRow.program_id == program)
    if licensee is not None:
        query = query.where(PaymentRow.licensee_id == licensee)
    return [
        Payment(
            p.program_id,
            p.licensee_id,
            Period.parse(p.period),
            p.amount,
            p.received,
            p.source,
            p.invoice,
            p.currency,
            p.received_amount,
            p.fx,
        )
        for p in session.scalars(query)
    ]


def collected(payments: Iterable[Payment], period: Period) -> Decimal:
    return sum((p.amount for p in payments if p.period == period), Decimal(0))


def report_revisions(
    session: Session, program: str, licensee: str, period: Period
) -> list[SalesReportRow]:
    return list(
        session.scalars(
            select(SalesReportRow)
            .where(
                SalesReportRow.program_id == program,
                SalesReportRow.licensee_id == licensee,
                SalesReportRow.period == str(period),
            )
            .order_by(SalesReportRow.revision)
        )
    )


def reported_periods(session: Session, program: str, licensee: str | None = None) -> list[Period]:
    query = select(SalesReportRow.period).where(
        SalesReportRow.program_id == program, SalesReportRow.current.is_(True)
    )
    if licensee is not None:
        query = query.where(SalesReportRow.licensee_id == licensee)
    return sorted({Period.parse(p) for p in session.scalars(query)})


def report_checksums(
    session: Session, program: str, periods: Sequence[Period]
) -> list[dict[str, object]]:
    """The current sales reports of the periods: who, when, which revision, what checksum;
    a report with net sales in other currencies also the rates that converted them (``fx``)."""
    names = [str(p) for p in periods]
    rates: dict[int, list[str]] = defaultdict(list)
    for (report, _), c in sorted(fx_repo.report_conversions(session, program, names).items()):
        rates[report].append(
            f"{c.source_currency}/{c.target_currency} {c.rate.numerator}/{c.rate.denominator} "
            f"{c.rule} {c.dates_text()} {c.source}"
        )
    rows = session.execute(
        select(
            SalesReportRow.id,
            SalesReportRow.licensee_id,
            SalesReportRow.period,
            SalesReportRow.revision,
            SalesReportRow.checksum,
            SalesReportRow.lines,
            SalesReportRow.units,
        )
        .where(
            SalesReportRow.program_id == program,
            SalesReportRow.current.is_(True),
            SalesReportRow.period.in_(names),
        )
        .order_by(SalesReportRow.period, SalesReportRow.licensee_id)
    )
    return [
        {
            "licensee": licensee,
            "period": period,
            "revision": revision,
            "checksum": checksum,
            "lines": int(lines),
            "units": int(units or 0),
            **({"fx": rates[rid]} if rid in rates else {}),
        }
        for rid, licensee, period, revision, checksum, lines, units in rows
    ]
