"""The portal's users: adding, listing, disabling; logins with throttling, server-side
sessions and API tokens (docs/portal.md).

Passwords are hashed with argon2id and rehashed at login when the hasher's parameters have
changed. A session id or API token is a random secret shown once; the database keeps its
SHA-256 only.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass, replace

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.orm import Session

from patentpool.core.access import (
    MAX_FAILURES,
    THROTTLE_WINDOW,
    Account,
    PortalEvent,
    Principal,
    check_binding,
    check_password,
    parse_role,
    throttled,
)
from patentpool.errors import InvalidInput, NotFound, PatentpoolError
from patentpool.storage import accounts, engine, licensing_repo, repository

#: The lock of the transactions that write accounts: on SQLite a writer takes the write lock
#: at once, so concurrent logins queue instead of failing to upgrade a read lock.
WRITES = "accounts"
#: How long a browser stays signed in.
SESSION_LASTS = dt.timedelta(hours=12)

_HASHER = PasswordHasher()  # argon2id with the library's recommended parameters
#: Verified against when the username is unknown, so both cases take the same time.
_DUMMY_HASH = _HASHER.hash("not a password of anyone")


class LoginRefused(PatentpoolError):
    """Wrong username or password, or a disabled user (HTTP 401 on the API, the form again)."""

    def __init__(self) -> None:
        super().__init__("wrong username or password")


class LoginThrottled(PatentpoolError):
    """Too many failures for the username or from the address (HTTP 429)."""

    def __init__(self) -> None:
        minutes = int(THROTTLE_WINDOW.total_seconds() // 60)
        super().__init__(
            f"more than {MAX_FAILURES - 1} failed logins in {minutes} minutes: try again later"
        )


@dataclass(frozen=True, slots=True)
class SignedIn:
    """A new session: the cookie's secret id and the session's CSRF token."""

    session_id: str
    csrf_token: str
    principal: Principal


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _record(session: Session, by: str, action: str, detail: str) -> None:
    accounts.add_event(session, PortalEvent(_now(), by, action, detail))


def add_user(
    url: str,
    name: str,
    role: str,
    password: str,
    *,
    member: str | None = None,
    licensee: str | None = None,
    by: str = "cli",
) -> Account:
    """A new user; its member or licensee must be in the register."""
    parsed = parse_role(role)
    check_binding(parsed, member, licensee)
    check_password(password)
    if not name.strip() or name != name.strip() or len(name) > 100:
        raise InvalidInput("the user name must be 1 to 100 characters, without spaces at an end")
    with engine.session_for(url, lock=WRITES) as session:
        if accounts.user_named(session, name) is not None:
            raise InvalidInput(f"there is already a user {name!r}")
        if member is not None and member not in {
            m.id for m in repository.load_register(session).members
        }:
            raise NotFound("member", member)
        if licensee is not None and licensee not in licensing_repo.load_licensees(session):
            raise NotFound("licensee", licensee)
        account = Account(0, name, parsed, member, licensee, _HASHER.hash(password), False, _now())
        user_id = accounts.add_user(session, account)
        bound = member or licensee
        _record(session, by, "user added", f"{name} ({parsed.value}{' ' + bound if bound else ''})")
    return replace(account, id=user_id)


def list_users(url: str) -> list[Account]:
    with engine.session_for(url) as session:
        return accounts.users(session)


def _user(session: Session, name: str) -> Account:
    found = accounts.user_named(session, name)
    if found is None:
        raise NotFound("user", name)
    return found


def disable_user(url: str, name: str, *, by: str = "cli") -> None:
    """The user can no longer sign in: its sessions end, its tokens are revoked."""
    with engine.session_for(url, lock=WRITES) as session:
        accounts.disable(session, _user(session, name).id)
        _record(session, by, "user disabled", name)


def issue_token(url: str, name: str, days: int | None, *, by: str = "cli") -> str:
    """A new API token of the user (shown once, kept hashed); ``days``: until it expires."""
    if days is not None and days < 1:
        raise InvalidInput("--expires: give a number of days, at least 1")
    token = "pp_" + secrets.token_urlsafe(32)
    now = _now()
    with engine.session_for(url, lock=WRITES) as session:
        user = _user(session, name)
        if user.disabled:
            raise InvalidInput(f"user {name!r} is disabled")
        expires = now + dt.timedelta(days=days) if days is not None else None
        accounts.add_token(session, user.id, digest(token), now, expires)
        _record(session, by, "token issued", name + (f" for {days} days" if days else ""))
    return token


def revoke_tokens(url: str, name: str, *, by: str = "cli") -> int:
    """Every API token of the user revoked; how many were valid."""
    with engine.session_for(url, lock=WRITES) as session:
        count = accounts.revoke_tokens(session, _user(session, name).id)
        _record(session, by, "tokens revoked", f"{name}: {count}")
    return count


def login(url: str, username: str, password: str, address: str) -> SignedIn:
    """A new session for the user, or :class:`LoginRefused` / :class:`LoginThrottled`.
    Every attempt that is not throttled is written to the login log.

    The password is verified outside any writing transaction, so that logins do not queue
    behind a hash; then the throttle's check and the attempt's record are one step, in one
    writing transaction: attempts made at once are counted one after the other, and once
    five of them have failed the others are throttled, their password right or wrong. (A
    first check, before the hash, spares the work for a username or address throttled
    already.)"""
    now = _now()
    with engine.session_for(url) as session:
        _check_throttle(session, username, address, now)
        user = accounts.user_named(session, username)
    ok = _verify(user.password_hash if user else _DUMMY_HASH, password)
    signed = None
    if ok and user is not None and not user.disabled:
        signed = SignedIn(secrets.token_urlsafe(32), secrets.token_urlsafe(32), user.principal())
    rehashed = None
    if signed is not None and user is not None and _HASHER.check_needs_rehash(user.password_hash):
        rehashed = _HASHER.hash(password)
    with engine.session_for(url, lock=WRITES) as session:
        _check_throttle(session, username, address, now)
        accounts.record_login(session, now, username, address, signed is not None)
        if signed is not None and user is not None:
            if rehashed is not None:
                accounts.set_password_hash(session, user.id, rehashed)
            accounts.add_session(
                session, digest(signed.session_id), user.id, signed.csrf_token, now, SESSION_LASTS
            )
    if signed is None:  # the failure is committed with the block above
        raise LoginRefused()
    return signed


def _check_throttle(session: Session, username: str, address: str, now: dt.datetime) -> None:
    failures = accounts.failures_since(session, now - THROTTLE_WINDOW, username, address)
    if throttled(failures, username, address, now):
        raise LoginThrottled()


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def session_principal(url: str, session_id: str) -> tuple[Principal, str] | None:
    """The signed-in user of a session and its CSRF token, or None."""
    with engine.session_for(url) as session:
        found = accounts.session_user(session, digest(session_id), _now())
    return None if found is None else (found[0].principal(), found[1])


def token_principal(url: str, token: str) -> Principal | None:
    with engine.session_for(url) as session:
        found = accounts.token_user(session, digest(token), _now())
    return None if found is None else found.principal()


def logout(url: str, session_id: str) -> None:
    with engine.session_for(url, lock=WRITES) as session:
        accounts.end_session(session, digest(session_id))


def record(url: str, principal: Principal, action: str, detail: str) -> None:
    """A state change made through the portal, with the user who made it."""
    with engine.session_for(url, lock=WRITES) as session:
        _record(session, principal.name, action, detail)


def events(url: str) -> list[PortalEvent]:
    with engine.session_for(url) as session:
        return accounts.events(session)


def logins(url: str) -> list[tuple[dt.datetime, str, str, bool]]:
    with engine.session_for(url, lock=WRITES) as session:
        return accounts.logins(session)


def shown_url(url: str) -> str:
    return engine.safe_url(url)
