"""Members written in a few statements: new ones inserted, known ones updated, their aliases
replaced, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

from patentpool.core.model import Member
from patentpool.storage.engine import session_for
from patentpool.storage.repository import load_parties, save_members


def _members(url: str) -> tuple[Member, ...]:
    with session_for(url) as session:
        return load_parties(session).members


def test_members_are_inserted_updated_and_their_aliases_replaced(db_url: str) -> None:
    with session_for(db_url) as session:
        save_members(
            session,
            [
                Member("acme", "Acme", ("ACME Corp", "Acme Inc", "ACME Corp"), dt.date(2020, 1, 2)),
                Member("bolt", "Bolt", ("Bolt Ltd",)),
            ],
        )
    assert _members(db_url) == (
        Member("acme", "Acme", ("ACME Corp", "Acme Inc"), dt.date(2020, 1, 2)),
        Member("bolt", "Bolt", ("Bolt Ltd",)),
    )
    with session_for(db_url) as session:
        save_members(
            session,
            [
                Member("bolt", "Bolt Group", ("Bolt Group Ltd",), dt.date(2021, 3, 4)),
                Member("core", "Core", ()),
                Member("core", "Core AG", ("Core Holding",)),  # given twice: the last counts
            ],
        )
        save_members(session, [])
    assert _members(db_url) == (
        Member("acme", "Acme", ("ACME Corp", "Acme Inc"), dt.date(2020, 1, 2)),
        Member("bolt", "Bolt Group", ("Bolt Group Ltd",), dt.date(2021, 3, 4)),
        Member("core", "Core AG", ("Core Holding",)),
    )
