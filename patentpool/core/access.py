"""Who may see what through the portal: the four roles, the party a user is bound to, and
the rules of login throttling (docs/portal.md).

Pure: the portal's services ask these functions and the routes only turn their answers into
HTTP statuses (no credentials 401, a role that may not use a route 403, another party's
resource 404 so that ids cannot be probed).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from patentpool.errors import InvalidInput, PatentpoolError

#: A password's least length.
MIN_PASSWORD = 12
#: Failed logins for one username or one address within the window before 429.
MAX_FAILURES = 5
THROTTLE_WINDOW = dt.timedelta(minutes=15)


class Role(StrEnum):
    STAFF = "staff"
    MEMBER = "member"
    LICENSEE = "licensee"
    COUNSEL = "counsel"


class Capability(StrEnum):
    """What a route does, as the roles are allowed it."""

    PATENTS = "patents"  # the public patent list
    REGISTER = "register"  # the register: members, standards, programmes
    MEMBER_STATEMENT = "member statement"  # one member's own statement
    LICENSEE_ROYALTIES = "licensee royalties"  # one licensee's dues
    SALES_UPLOAD = "sales upload"  # a licensee's sales report
    LICENCE_SUMMARY = "licence summary"  # a licence summary and patent schedule
    PROGRAM_ROYALTIES = "programme royalties"  # every licensee's dues of a quarter
    DISTRIBUTE = "distribute"  # run a distribution
    LICENSEE_BOOKS = "licensee books"  # one licensee's invoices and statement of account
    BOOKS = "books"  # accept reports, issue invoices, approve and publish runs, receivables
    USERS = "users"


_ALLOWED: dict[Role, frozenset[Capability]] = {
    Role.STAFF: frozenset(Capability),
    Role.MEMBER: frozenset({Capability.PATENTS, Capability.MEMBER_STATEMENT}),
    Role.LICENSEE: frozenset(
        {
            Capability.PATENTS,
            Capability.LICENSEE_ROYALTIES,
            Capability.SALES_UPLOAD,
            Capability.LICENCE_SUMMARY,
            Capability.LICENSEE_BOOKS,
        }
    ),
    Role.COUNSEL: frozenset({Capability.PATENTS, Capability.REGISTER, Capability.LICENCE_SUMMARY}),
}


class Forbidden(PatentpoolError):
    """The user's role may not use this at all (HTTP 403)."""


class NotYours(PatentpoolError):
    """Another party's resource: answered as if it did not exist (HTTP 404)."""

    def __init__(self) -> None:
        super().__init__("not found")


@dataclass(frozen=True, slots=True)
class Principal:
    """A signed-in user: its name, role and the member or licensee it is bound to."""

    user_id: int
    name: str
    role: Role
    member: str | None = None
    licensee: str | None = None


def parse_role(raw: str) -> Role:
    try:
        return Role(raw)
    except ValueError:
        known = ", ".join(r.value for r in Role)
        raise InvalidInput(f"--role: {raw!r} is not a role ({known})") from None


def check_binding(role: Role, member: str | None, licensee: str | None) -> None:
    """A member user names its member, a licensee user its licensee, the others neither."""
    if role is Role.MEMBER and (member is None or licensee is not None):
        raise InvalidInput("a member user needs --member M (and no --licensee)")
    if role is Role.LICENSEE and (licensee is None or member is not None):
        raise InvalidInput("a licensee user needs --licensee L (and no --member)")
    if role in (Role.STAFF, Role.COUNSEL) and (member is not None or licensee is not None):
        raise InvalidInput(f"a {role.value} user is bound to no member or licensee")


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise InvalidInput(f"the password must have at least {MIN_PASSWORD} characters")


def require(principal: Principal, capability: Capability) -> None:
    """Raise :class:`Forbidden` unless the principal's role may use ``capability``."""
    if capability not in _ALLOWED[principal.role]:
        raise Forbidden(f"a {principal.role.value} user may not use {capability.value}")


def may(role: Role, capability: Capability) -> bool:
    return capability in _ALLOWED[role]


def require_member(principal: Principal, member: str) -> None:
    """Staff sees every member's statement, a member only its own."""
    require(principal, Capability.MEMBER_STATEMENT)
    if principal.role is not Role.STAFF and principal.member != member:
        raise NotYours()


def require_licensee(principal: Principal, licensee: str, capability: Capability) -> None:
    """Staff (and counsel, for licence summaries) reach every licensee, a licensee only
    itself."""
    require(principal, capability)
    if principal.role is Role.LICENSEE and principal.licensee != licensee:
        raise NotYours()


def throttled(
    failures: Iterable[tuple[dt.datetime, str, str]], username: str, address: str, now: dt.datetime
) -> bool:
    """Whether a login of ``username`` from ``address`` is refused: five failures for that
    username, or from that address, within the window before ``now``."""
    since = now - THROTTLE_WINDOW
    by_user = by_address = 0
    for at, user, addr in failures:
        if at < since:
            continue
        by_user += user == username
        by_address += addr == address
    return by_user >= MAX_FAILURES or by_address >= MAX_FAILURES


@dataclass(frozen=True, slots=True)
class Account:
    """A portal user as stored: its password hash is argon2id."""

    id: int
    name: str
    role: Role
    member: str | None
    licensee: str | None
    password_hash: str
    disabled: bool
    created_at: dt.datetime

    def principal(self) -> Principal:
        return Principal(self.id, self.name, self.role, self.member, self.licensee)


@dataclass(frozen=True, slots=True)
class PortalEvent:
    """A state change made through the portal, or to its users, and who made it."""

    at: dt.datetime
    username: str
    action: str
    detail: str
