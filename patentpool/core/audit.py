"""A member's own list of patents compared with what the register holds for it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from patentpool.core.events import register_on
from patentpool.core.model import Essentiality, MemberId, PatentKey, Register, Status
from patentpool.core.terms import expiry_of


@dataclass(frozen=True, slots=True)
class ClaimedPatent:
    """One patent as the member lists it. Fields left None were not given and are not compared.

    ``expiry_date`` is an expiry date the member gives (a patents CSV's ``expiry_date``, compared
    with the date the register was given); ``expiry`` is the date the patent expires (as
    ``patentpool patents list`` shows it, compared with the date the register works out).
    ``declarations`` maps (standard, version) to the essentiality the member states (None when
    the member names the version but not the essentiality).
    """

    key: PatentKey
    source: str = ""
    owner: MemberId | None = None
    filing_date: dt.date | None = None
    grant_date: dt.date | None = None
    expiry_date: dt.date | None = None
    expiry: dt.date | None = None
    status: Status | None = None
    declarations: Mapping[tuple[str, str], Essentiality | None] = field(default_factory=dict)


class FindingKind(StrEnum):
    MISSING = "missing from the register"
    UNKNOWN = "unknown to the member"
    DIFFERS = "differs"


@dataclass(frozen=True, slots=True)
class Finding:
    patent: PatentKey
    kind: FindingKind
    details: tuple[str, ...] = ()
    source: str = ""


def _show(value: object) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(getattr(value, "value", value))


def audit_member(
    register: Register,
    member: MemberId,
    claimed: Iterable[ClaimedPatent],
    on: dt.date | None = None,
) -> list[Finding]:
    """Every disagreement between the member's list and the register (as it stood on ``on``,
    when given: :func:`register_on`), ordered by patent."""
    if on is not None:
        register = register_on(register, on)
    patents = register.patent_index()
    decls: dict[PatentKey, dict[tuple[str, str], Essentiality]] = {}
    for d in register.declarations:
        decls.setdefault(d.patent, {})[(d.standard, d.version)] = d.essentiality
    theirs = {p.key for p in register.patents if p.owner == member}
    findings: list[Finding] = []
    listed: set[PatentKey] = set()
    for item in claimed:
        listed.add(item.key)
        patent = patents.get(item.key)
        if patent is None:
            findings.append(Finding(item.key, FindingKind.MISSING, (), item.source))
            continue
        details: list[str] = []
        owner = item.owner or member
        if patent.owner != owner:
            details.append(f"owner: member says {owner}, register says {patent.owner}")
        for name in ("filing_date", "grant_date", "expiry_date", "status"):
            mine = getattr(item, name)
            held = getattr(patent, name)
            if mine is not None and mine != held:
                details.append(f"{name}: member says {_show(mine)}, register says {_show(held)}")
        expires = expiry_of(patent)
        if item.expiry is not None and item.expiry != expires:
            details.append(f"expiry: member says {_show(item.expiry)}, register says {expires}")
        held_decls = decls.get(item.key, {})
        for (std, ver), ess in sorted(item.declarations.items()):
            if (std, ver) not in held_decls:
                details.append(f"version: member declares it for {std} {ver}, register does not")
            elif ess is not None and held_decls[(std, ver)] is not ess:
                details.append(
                    f"essentiality ({std} {ver}): member says {ess.value}, "
                    f"register says {held_decls[(std, ver)].value}"
                )
        if item.declarations:
            for std, ver in sorted(set(held_decls) - set(item.declarations)):
                details.append(f"version: register declares it for {std} {ver}, member does not")
        if details:
            findings.append(Finding(item.key, FindingKind.DIFFERS, tuple(details), item.source))
    for key in sorted(theirs - listed):
        findings.append(Finding(key, FindingKind.UNKNOWN))
    return sorted(findings, key=lambda f: (f.patent, f.kind.value))
