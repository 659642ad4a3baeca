"""The distribution statement: one run's money and each member's basis, share and amount, with
the rule written out so that any member can redo the sums."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from patentpool.core.allocation import Distribution, get_policy, policy_input
from patentpool.core.licensing import Counts, Program
from patentpool.core.model import MemberId, PatentKey, Register, VersionId
from patentpool.core.money import minor_unit
from patentpool.core.periods import Period
from patentpool.core.runs import RunStamp, StoredRun, shown
from patentpool.errors import InvalidInput
from patentpool.reports.charts import Chart, Series
from patentpool.reports.common import MemberName, member_names, name_in


@dataclass(frozen=True, slots=True)
class DistributionLine:
    """One member's part. ``exact`` is distributable x share before rounding; ``floor`` that
    rounded down to the minor unit; ``amount`` adds the minor units left over, which go one each
    to the largest remainders (``exact - floor``), ties to the smaller member id."""

    member: MemberId
    basis: str
    share: Fraction
    exact: Fraction
    floor: Decimal
    amount: Decimal
    patents: tuple[PatentKey, ...]  # the member's counted patents in force at period end

    @property
    def remainder(self) -> Fraction:
        return self.exact - Fraction(self.floor)


@dataclass(frozen=True, slots=True)
class DistributionReport:
    """The distribution statement's context: ``admin_fee_rate`` is a fraction (0.1 is 10%).

    ``run``: the stored run it shows (None: a distribution that was not stored);
    ``degenerate``: why the shares are degenerate, in a sentence (None: they are not).
    """

    alliance: str | None
    program: str
    standard: str
    versions: tuple[VersionId, ...]
    counts: Counts
    period: Period
    day: dt.date
    policy: str
    params: tuple[tuple[str, str], ...]
    rule: str
    currency: str
    collected: Decimal
    admin_fee_rate: Decimal
    admin_fee: Decimal
    distributable: Decimal
    rounding: str
    counted_in_force: int
    lines: tuple[DistributionLine, ...]
    members: tuple[MemberName, ...]
    run: RunStamp | None = None
    degenerate: str | None = None
    #: "superseded by a correction: ..." when a sales report the run was computed from has
    #: been corrected since (and no later run of the period made); None otherwise
    superseded: str | None = None

    def name_of(self, member_id: MemberId) -> str:
        return name_in(self.members, member_id)

    @property
    def leftover_units(self) -> Decimal:
        """What rounding down left over, handed out by largest remainder."""
        return self.distributable - sum((line.floor for line in self.lines), Decimal(0))


def _floor(value: Fraction, currency: str) -> Decimal:
    digits = minor_unit(currency)
    scaled = value * 10**digits
    return Decimal(scaled.numerator // scaled.denominator).scaleb(-digits)


#: Inline code in a policy's docstring (``alpha``), written as a plain word in reports.
_CODE = re.compile(r"``?([^`]+)``?")


def rule_of(policy: str) -> str:
    """The first paragraph of ``policy``'s docstring, in plain words."""
    first = (get_policy(policy).__doc__ or "").strip().split("\n\n")[0]
    text = " ".join(line.strip() for line in first.splitlines())
    return _CODE.sub(r"\1", text) if text else policy


def distribution_context(
    run: StoredRun | Distribution, program: Program, register: Register
) -> DistributionReport:
    """The statement of ``run`` (a run of ``program`` on ``register``): a stored run (which
    says what correction superseded it, if one did), or a distribution that was not stored."""
    distribution, stored, found = shown(run)
    if distribution.program != program.id:
        raise InvalidInput(
            f"program: the run is of {distribution.program!r}, not of {program.id!r}"
        )
    inputs = policy_input(program, register, distribution.period)
    by_member = inputs.by_member()
    lines = []
    for m in distribution.members:
        exact = Fraction(distribution.distributable) * m.share
        lines.append(
            DistributionLine(
                member=m.member,
                basis=m.basis,
                share=m.share,
                exact=exact,
                floor=_floor(exact, distribution.currency),
                amount=m.amount,
                patents=tuple(p.key for p in by_member.get(m.member, [])),
            )
        )
    return DistributionReport(
        alliance=register.alliance.name if register.alliance else None,
        program=program.id,
        standard=program.standard,
        versions=program.versions,
        counts=program.counts,
        period=distribution.period,
        day=distribution.period.last_day,
        policy=distribution.policy,
        params=distribution.params,
        rule=rule_of(distribution.policy),
        currency=distribution.currency,
        collected=distribution.collected,
        admin_fee_rate=program.admin_fee,
        admin_fee=distribution.admin_fee,
        distributable=distribution.distributable,
        rounding=distribution.rounding,
        counted_in_force=len(inputs.patents),
        lines=tuple(lines),
        members=(names := member_names(register)),
        run=stored.stamp if stored else None,
        degenerate=found.sentence(lambda m: name_in(names, m)) if found else None,
        superseded=stored.superseded if stored else None,
    )


def distribution_charts(report: DistributionReport) -> dict[str, Chart]:
    return {
        "amounts": Chart(
            "hbar",
            f"Amount per member, {report.program} {report.period}",
            tuple(report.name_of(line.member) for line in report.lines),
            (Series(report.currency, tuple(float(line.amount) for line in report.lines)),),
            height=max(1.6, 0.8 + 0.35 * len(report.lines)),
            money=report.currency,
        )
    }
