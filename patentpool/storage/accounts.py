"""The portal's users, sessions, API tokens, login log and events: rows <-> core values.

Secrets never reach this module: sessions and tokens are looked up by the SHA-256 of the
secret, passwords are stored as the hash the services made.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from patentpool.core.access import Account, PortalEvent, Role
from patentpool.storage.models import LoginRow, PortalEventRow, SessionRow, TokenRow, UserRow


def _account(row: UserRow) -> Account:
    return Account(
        row.id,
        row.name,
        Role(row.role),
        row.member_id,
        row.licensee_id,
        row.password_hash,
        row.disabled,
        row.created_at,
    )


def add_user(session: Session, account: Account) -> int:
    row = UserRow(
        name=account.name,
        role=account.role.value,
        member_id=account.member,
        licensee_id=account.licensee,
        password_hash=account.password_hash,
        disabled=account.disabled,
        created_at=account.created_at,
    )
    session.add(row)
    session.flush()
    return row.id


def user_named(session: Session, name: str) -> Account | None:
    row = session.scalars(select(UserRow).where(UserRow.name == name)).first()
    return None if row is None else _account(row)


def users(session: Session) -> list[Account]:
    return [_account(r) for r in session.scalars(select(UserRow).order_by(UserRow.name))]


def set_password_hash(session: Session, user_id: int, password_hash: str) -> None:
    session.execute(
        update(UserRow).where(UserRow.id == user_id).values(password_hash=password_hash)
    )


def disable(session: Session, user_id: int) -> None:
    """The user disabled: its sessions ended and its tokens revoked."""
    session.execute(update(UserRow).where(UserRow.id == user_id).values(disabled=True))
    session.execute(delete(SessionRow).where(SessionRow.user_id == user_id))
    session.execute(update(TokenRow).where(TokenRow.user_id == user_id).values(revoked=True))


def add_session(
    session: Session, id_sha256: str, user_id: int, csrf: str, now: dt.datetime, lasts: dt.timedelta
) -> None:
    session.add(
        SessionRow(
            id_sha256=id_sha256,
            user_id=user_id,
            csrf_token=csrf,
            created_at=now,
            expires_at=now + lasts,
        )
    )


def session_user(session: Session, id_sha256: str, now: dt.datetime) -> tuple[Account, str] | None:
    """The enabled user of an unexpired session, and the session's CSRF token."""
    found = session.execute(
        select(UserRow, SessionRow.csrf_token, SessionRow.expires_at)
        .join(SessionRow, SessionRow.user_id == UserRow.id)
        .where(SessionRow.id_sha256 == id_sha256)
    ).first()
    if found is None:
        return None
    row, csrf, expires = found
    if row.disabled or _aware(expires) <= now:
        return None
    return _account(row), csrf


def end_session(session: Session, id_sha256: str) -> None:
    session.execute(delete(SessionRow).where(SessionRow.id_sha256 == id_sha256))


def add_token(
    session: Session, user_id: int, token_sha256: str, now: dt.datetime, expires: dt.datetime | None
) -> int:
    row = TokenRow(user_id=user_id, token_sha256=token_sha256, created_at=now, expires_at=expires)
    session.add(row)
    session.flush()
    return row.id


def token_user(session: Session, token_sha256: str, now: dt.datetime) -> Account | None:
    """The enabled user of an unrevoked, unexpired token."""
    found = session.execute(
        select(UserRow, TokenRow.expires_at)
        .join(TokenRow, TokenRow.user_id == UserRow.id)
        .where(TokenRow.token_sha256 == token_sha256, TokenRow.revoked == False)  # noqa: E712
    ).first()
    if found is None:
        return None
    row, expires = found
    if row.disabled or (expires is not None and _aware(expires) <= now):
        return None
    return _account(row)


def revoke_tokens(session: Session, user_id: int) -> int:
    """Every token of the user revoked; how many were still valid."""
    result = session.execute(
        update(TokenRow)
        .where(TokenRow.user_id == user_id, TokenRow.revoked == False)  # noqa: E712
        .values(revoked=True)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


def record_login(
    session: Session, at: dt.datetime, username: str, address: str, success: bool
) -> None:
    session.add(LoginRow(at=at, username=username, address=address, success=success))


def failures_since(
    session: Session, since: dt.datetime, username: str, address: str
) -> list[tuple[dt.datetime, str, str]]:
    """The failed logins since ``since`` of the username or from the address."""
    rows = session.execute(
        select(LoginRow.at, LoginRow.username, LoginRow.address).where(
            LoginRow.at >= since,
            LoginRow.success == False,  # noqa: E712
            or_(LoginRow.username == username, LoginRow.address == address),
        )
    )
    return [(_aware(at), user, addr) for at, user, addr in rows]


def logins(session: Session) -> list[tuple[dt.datetime, str, str, bool]]:
    rows = session.execute(
        select(LoginRow.at, LoginRow.username, LoginRow.address, LoginRow.success).order_by(
            LoginRow.id
        )
    )
    return [(_aware(at), user, addr, ok) for at, user, addr, ok in rows]


def add_event(session: Session, event: PortalEvent) -> None:
    session.add(
        PortalEventRow(
            at=event.at, username=event.username, action=event.action, detail=event.detail
        )
    )


def events(session: Session) -> list[PortalEvent]:
    rows = session.scalars(select(PortalEventRow).order_by(PortalEventRow.id))
    return [PortalEvent(_aware(r.at), r.username, r.action, r.detail) for r in rows]


def _aware(at: dt.datetime) -> dt.datetime:
    """SQLite gives back naive datetimes: they were written in UTC."""
    return at if at.tzinfo is not None else at.replace(tzinfo=dt.UTC)
