"""Mapping between table rows and the core's plain values."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from functools import lru_cache
from itertools import chain, islice, repeat
from operator import attrgetter
from typing import Any, TypeVar

from sqlalchemy import Connection, Date, Dialect, Table, delete, select, update
from sqlalchemy.orm import Session
from sqlalchemy.types import TypeEngine

from patentpool.core.model import (
    Alliance,
    Declaration,
    Essentiality,
    Member,
    Patent,
    Register,
    Standard,
    StandardVersion,
    Status,
)
from patentpool.core.records import records
from patentpool.gcpause import collector_paused
from patentpool.storage.columns import ordered, query_columns, read_columns, read_rows
from patentpool.storage.events_repo import read_events
from patentpool.storage.models import (
    AllianceRow,
    ChangeRow,
    DeclarationRow,
    MemberAliasRow,
    MemberRow,
    PatentRow,
    SectionRow,
    StandardRow,
    ValidationRow,
    VersionRow,
)


def load_register(session: Session) -> Register:
    """The whole register as plain values, in a stable order."""
    with collector_paused():
        return _read_register(session)


def load_alliance(session: Session) -> Alliance | None:
    """The alliance alone (whether the register is a sample), without the rest."""
    alliance_row = session.scalars(select(AllianceRow).order_by(AllianceRow.id)).first()
    if alliance_row is None:
        return None
    return Alliance(alliance_row.id, alliance_row.name, alliance_row.illustrative)


def load_parties(session: Session) -> Register:
    """The alliance and the members only (no standards, patents or declarations): for pages
    that name the parties."""
    return Register(load_alliance(session), _read_members(session))


def _read_register(session: Session) -> Register:
    alliance = load_alliance(session)
    members = _read_members(session)
    standards = load_standards(session)
    # patents and declarations are read as plain column tuples, by Core statements on the
    # session's connection (no ORM loading step per row): a register holds tens of thousands
    # of them, and ORM objects would cost more than the values built from them
    connection = session.connection()
    keys, patents = _read_patents(connection)
    declarations = _read_declarations(connection)
    events = read_events(connection, keys)
    return Register(alliance, members, standards, patents, declarations, events)


def _connection(session: Session) -> Connection:
    """The session's connection, once what is pending is flushed (as an ORM query would)."""
    if session.autoflush:
        session.flush()
    return session.connection()


def _read_members(session: Session) -> tuple[Member, ...]:
    connection = _connection(session)
    aliases: dict[str, list[str]] = defaultdict(list)
    table = _table(MemberAliasRow)
    for member, alias in read_rows(connection, table, ("member_id", "alias"), ("alias",)):
        aliases[member].append(alias)
    rows = read_rows(connection, _table(MemberRow), ("id", "name", "joined"), ("id",))
    return tuple(Member(mid, name, tuple(aliases[mid]), joined) for mid, name, joined in rows)


def _read_patents(connection: Connection) -> tuple[dict[int, str], tuple[Patent, ...]]:
    """The patents in key order, and each one's key by its row id."""
    states: dict[int, set[str]] = defaultdict(set)
    for pid, country in read_rows(connection, _table(ValidationRow), ("patent_id", "country")):
        states[pid].add(country)
    frozen = {pid: frozenset(countries) for pid, countries in states.items()}
    ids, keys, *fields, status, title = read_columns(
        connection, _table(PatentRow), _PATENT_READ, order_by=("key",)
    )
    statuses = {s.value: s for s in Status}
    no_states: frozenset[str] = frozenset()
    values = (
        *fields,  # jurisdiction, number, owner, filing date, kind, family, grant, expiry
        map(statuses.__getitem__, status),
        map(frozen.get, ids, repeat(no_states)),
        title,
    )
    return dict(zip(ids, keys, strict=True)), tuple(records(Patent, len(ids), values))


#: The columns of a patent read, its row id and key first, then in the order of its fields.
_PATENT_READ = (
    "id",
    "key",
    "jurisdiction",
    "number",
    "owner_id",
    "filing_date",
    "kind",
    "family",
    "grant_date",
    "expiry_date",
    "status",
    "title",
)


def _read_declarations(connection: Connection) -> tuple[Declaration, ...]:
    """Every declaration, in key order (patent, standard, version): the database joins each
    to its patent's key and sorts them, walking the two tables' unique indexes."""
    declarations, patents = _table(DeclarationRow), _table(PatentRow)
    quote = connection.dialect.identifier_preparer.quote
    order = [(patents.c.key, f"p.{quote('key')}")]
    order += [(declarations.c[n], f"d.{quote(n)}") for n in _DECLARATION_KEY]
    sql = (
        f"SELECT p.key, {', '.join(f'd.{quote(n)}' for n in _DECLARATION_COLUMNS[1:])} "
        f"FROM {quote(declarations.name)} AS d JOIN {quote(patents.name)} AS p "
        "ON p.id = d.patent_id ORDER BY "
        + ", ".join(ordered(connection, column, written) for column, written in order)
    )
    selected = [patents.c.key, *(declarations.c[n] for n in _DECLARATION_COLUMNS[1:])]
    columns = query_columns(connection, sql, selected)
    count = len(columns[0])
    if not count:
        return ()
    essentialities = {e.value: e for e in Essentiality}
    values: list[Iterable[Any]] = list(columns)
    values[4] = map(essentialities.__getitem__, columns[4])
    return tuple(records(Declaration, count, values))


#: A declaration's key after its patent's: its standard and version.
_DECLARATION_KEY = ("standard_id", "version_id")


def save_alliance(session: Session, alliance: Alliance) -> None:
    existing = session.get(AllianceRow, alliance.id)
    if existing is None:
        session.execute(delete(AllianceRow))
        session.add(
            AllianceRow(id=alliance.id, name=alliance.name, illustrative=alliance.illustrative)
        )
    else:
        existing.name = alliance.name
        existing.illustrative = alliance.illustrative


def save_members(session: Session, members: Iterable[Member]) -> None:
    """Insert new members and update changed ones (matched by id), then replace their aliases:
    a few statements whatever the number of members (no ORM object nor flush per member)."""
    by_id = {m.id: m for m in members}  # a member given twice: the last one counts
    if not by_id:
        return
    session.flush()  # anything pending is written before the statements below
    table = _table(MemberRow)
    existing = set(session.scalars(select(table.c.id))) & by_id.keys()
    new = [(m.id, m.name, m.joined) for m in by_id.values() if m.id not in existing]
    _insert_rows(session, table, ("id", "name", "joined"), new)
    changed = [
        {"id": m.id, "name": m.name, "joined": m.joined} for m in by_id.values() if m.id in existing
    ]
    if changed:
        session.execute(update(MemberRow), changed)
    for chunk in _chunks(list(existing), 500):  # a new member has no aliases yet
        session.execute(delete(MemberAliasRow).where(MemberAliasRow.member_id.in_(chunk)))
    aliases = ((m.id, alias) for m in by_id.values() for alias in dict.fromkeys(m.aliases))
    _insert_rows(session, _table(MemberAliasRow), ("member_id", "alias"), aliases)


def save_standards(session: Session, standards: Iterable[Standard]) -> None:
    for s in standards:
        row = session.get(StandardRow, s.id)
        if row is None:
            session.add(StandardRow(id=s.id, name=s.name))
        else:
            row.name = s.name
        session.flush()
        for pos, v in enumerate(s.versions):
            vrow = session.get(VersionRow, (s.id, v.id))
            if vrow is None:
                session.add(
                    VersionRow(
                        standard_id=s.id,
                        id=v.id,
                        published=v.published,
                        supersedes=v.supersedes,
                        position=pos,
                    )
                )
            else:
                vrow.published, vrow.supersedes, vrow.position = v.published, v.supersedes, pos
            session.flush()
            session.execute(
                delete(SectionRow).where(
                    SectionRow.standard_id == s.id, SectionRow.version_id == v.id
                )
            )
            for spos, section in enumerate(v.sections):
                session.add(
                    SectionRow(standard_id=s.id, version_id=v.id, section=section, position=spos)
                )
    session.flush()


T = TypeVar("T")
#: Rows written per statement (an executemany): large enough that a statement's overhead does
#: not count, small enough that a batch's parameters take little memory.
BATCH = 5000


_PATENT_COLUMNS = (
    "key",
    "jurisdiction",
    "number",
    "kind",
    "owner_id",
    "family",
    "filing_date",
    "grant_date",
    "expiry_date",
    "status",
    "title",
)
_DECLARATION_COLUMNS = (
    "patent_id",
    "standard_id",
    "version_id",
    "section",
    "essentiality",
    "evaluator",
    "evaluated_on",
    "declared_on",
    "frand",
    "reciprocity",
)


#: A patent's row, in the order of :data:`_PATENT_COLUMNS` (one call in C per patent).
_PATENT_ROW = attrgetter(
    "key", "jurisdiction", "number", "kind", "owner", "family", "filing_date", "grant_date",
    "expiry_date", "status.value", "title",
)  # fmt: skip
#: A declaration's row but its patent's id, in the order of :data:`_DECLARATION_COLUMNS`.
_DECLARATION_REST = attrgetter(
    "standard", "version", "section", "essentiality.value", "evaluator", "evaluated_on",
    "declared_on", "frand", "reciprocity",
)  # fmt: skip
_PATENT_OF = attrgetter("patent")


def _patent_ids(connection: Connection, after: int = 0) -> dict[str, int]:
    """The id of each patent by key; only those with an id above ``after``."""
    table = _table(PatentRow)
    quote = connection.dialect.identifier_preparer.quote
    sql = f"SELECT {quote('key')}, id FROM {quote(table.name)} WHERE id > {int(after)}"
    keys, ids = query_columns(connection, sql, [table.c.key, table.c.id])
    return dict(zip(keys, ids, strict=True))


def save_patents(session: Session, patents: Sequence[Patent]) -> dict[str, int]:
    """Insert new patents and update changed ones (matched by key), in batches; return the id
    of every patent in the register by key (what :func:`save_declarations` needs)."""
    table = _table(PatentRow)
    ids = _patent_ids(_connection(session))
    if not patents:
        return ids
    rows = list(map(_PATENT_ROW, patents))  # the key first
    new = [row for row in rows if row[0] not in ids]
    changed = [row for row in rows if row[0] in ids]
    last_id = max(ids.values(), default=0)
    _insert_rows(session, table, _PATENT_COLUMNS, new)
    if new:  # the ids given to the new rows: every one is above the ids read before
        keys = {row[0] for row in new}
        added = _patent_ids(session.connection(), last_id)
        ids.update((key, pid) for key, pid in added.items() if key in keys)
    if changed:
        session.execute(
            update(PatentRow),
            [
                {"id": ids[row[0]], **dict(zip(_PATENT_COLUMNS, row, strict=True))}
                for row in changed
            ],
        )
        # a new patent has no validations yet: only the changed ones' are replaced
        for chunk in _chunks([ids[row[0]] for row in changed], 500):
            session.execute(delete(ValidationRow).where(ValidationRow.patent_id.in_(chunk)))
    states = (
        (ids[row[0]], country)
        for row, p in zip(rows, patents, strict=True)
        if p.validated_states
        for country in sorted(p.validated_states)
    )
    _insert_rows(session, _table(ValidationRow), ("patent_id", "country"), states)
    return ids


def save_declarations(
    session: Session,
    declarations: Sequence[Declaration],
    patent_ids: Mapping[str, int] | None = None,
) -> None:
    """Insert new declarations and update changed ones (matched by patent, standard and
    version), in batches. ``patent_ids`` (from :func:`save_patents`) saves reading them."""
    if not declarations:
        return
    ids = patent_ids if patent_ids is not None else _patent_ids(_connection(session))
    table = _table(DeclarationRow)
    existing = {
        (pid, s, v): did
        for did, pid, s, v in session.execute(
            select(table.c.id, table.c.patent_id, table.c.standard_id, table.c.version_id)
        )
    }
    # every row made in C: the patents' ids, and the other fields zipped to them
    rest = zip(*map(_DECLARATION_REST, declarations), strict=True)
    rows = list(zip(map(ids.__getitem__, map(_PATENT_OF, declarations)), *rest, strict=True))
    changed = []

    def new_rows() -> Iterator[tuple[Any, ...]]:
        if not existing:
            yield from rows
            return
        for row in rows:
            did = existing.get(row[:3])
            if did is None:
                yield row
            else:
                changed.append({"id": did, **dict(zip(_DECLARATION_COLUMNS, row, strict=True))})

    _insert_rows(session, table, _DECLARATION_COLUMNS, new_rows())
    if changed:
        session.execute(update(DeclarationRow), changed)


def save_changes(session: Session, import_id: int, changes: Iterable[tuple[str, ...]]) -> None:
    """The change log of one import: (entity, key, action, detail, source) each."""
    _insert_rows(
        session,
        _table(ChangeRow),
        ("import_id", "entity", "entity_key", "action", "detail", "source"),
        [(import_id, *change) for change in changes],
    )


def _insert_rows(
    session: Session, table: Table, columns: Sequence[str], rows: Iterable[tuple[Any, ...]]
) -> None:
    """Insert plain tuples (values of ``columns``) in batches, each one executemany of the
    driver: a register's tens of thousands of rows skip the per-row work of a Core insert
    (parameter dictionaries built and processed one by one), which costs as much again as the
    database's own. Values go through each column type's bind processing (SQLite's dates).
    On SQLite each statement inserts many rows (fewer statements for it to step through)."""
    connection = session.connection()
    dialect = connection.dialect
    quote = dialect.identifier_preparer.quote
    mark = "?" if dialect.paramstyle == "qmark" else "%s"
    head = f"INSERT INTO {quote(table.name)} ({', '.join(quote(c) for c in columns)}) VALUES "
    one = f"({', '.join([mark] * len(columns))})"
    per_statement = 1
    if dialect.name == "sqlite":  # at most 999 parameters a statement in any SQLite version
        per_statement = max(1, 999 // len(columns))
    width = len(columns)
    processors = [
        (i, process)
        for i, name in enumerate(columns)
        if (process := _bind_processor(table.c[name].type, dialect))
    ]
    for batch in _batches(rows, BATCH // per_statement * per_statement):
        # one flat list of the batch's values: a column's values are its slice with the
        # step of the width, processed in place (no rows rebuilt), and a statement's
        # parameters are one slice of it
        flat = list(chain.from_iterable(batch))
        if len(flat) != len(batch) * width:
            raise ValueError(f"rows of {table.name} must have {width} values each")
        for i, process in processors:
            flat[i::width] = map(process, flat[i::width])
        if per_statement == 1:
            if processors:
                batch = [tuple(flat[i : i + width]) for i in range(0, len(flat), width)]
            connection.exec_driver_sql(head + one, batch)
            continue
        full = len(batch) // per_statement * per_statement
        if full:
            step = per_statement * width
            connection.exec_driver_sql(
                head + ", ".join([one] * per_statement),
                [tuple(flat[i : i + step]) for i in range(0, full * width, step)],
            )
        if full < len(batch):
            rest = len(batch) - full
            connection.exec_driver_sql(head + ", ".join([one] * rest), tuple(flat[full * width :]))


_PROBE = dt.date(2001, 2, 3)


def _iso_date(value: dt.date | None) -> str | None:
    return None if value is None else dt.date.isoformat(value)


def _bind_processor(column_type: TypeEngine[Any], dialect: Dialect) -> Callable[[Any], Any] | None:
    """How a column's values are bound: its type's processing, each distinct value processed
    once (values repeat: dates); a date stored as ISO text (SQLite's), by ``isoformat``,
    which writes what SQLAlchemy's processing writes in a fraction of its time."""
    process = column_type.dialect_impl(dialect).bind_processor(dialect)
    if process is None:
        return None
    if isinstance(column_type, Date) and process(_PROBE) == _PROBE.isoformat():
        process = _iso_date
    return lru_cache(maxsize=None)(process)


def _table(model: type[Any]) -> Table:
    """The Core table of a model: bulk inserts through it skip the ORM's bookkeeping."""
    table = model.__table__
    assert isinstance(table, Table)
    return table


def _chunks(items: Sequence[T], size: int) -> Iterable[Sequence[T]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _batches(rows: Iterable[T], size: int) -> Iterator[list[T]]:
    """``rows`` in lists of ``size`` (the last shorter): an executemany each, so that the
    parameters of a whole register are never all held at once."""
    rows = iter(rows)
    while batch := list(islice(rows, size)):
        yield batch


def load_standards(session: Session) -> tuple[Standard, ...]:
    """The standards alone, with their versions and sections (what a licensing import needs)."""
    connection = _connection(session)
    sections: dict[tuple[str, str], list[str]] = defaultdict(list)
    for standard, version, section in read_rows(
        connection,
        _table(SectionRow),
        ("standard_id", "version_id", "section"),
        ("position", "section"),
    ):
        sections[(standard, version)].append(section)
    versions: dict[str, list[StandardVersion]] = defaultdict(list)
    for standard, vid, published, supersedes in read_rows(
        connection,
        _table(VersionRow),
        ("standard_id", "id", "published", "supersedes"),
        ("position", "id"),
    ):
        versions[standard].append(
            StandardVersion(vid, published, supersedes, tuple(sections[(standard, vid)]))
        )
    return tuple(
        Standard(sid, name, tuple(versions[sid]))
        for sid, name in read_rows(connection, _table(StandardRow), ("id", "name"), ("id",))
    )
