"""A quarter's licensee groups shared out for pricing apart, and the royalties of the shares
put back together.

Tiers and annual caps count over a licensee group, and nothing else joins the lines of two
groups (:func:`patentpool.core.royalties.summarize_groups`): each share of the groups can be
priced on its own, and the shares' royalties joined give the licensees, amounts, total and due
by country that one pricing of every group gives, to the cent.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from decimal import Decimal
from itertools import chain
from operator import attrgetter

from patentpool.core.money import minor_unit, round_money
from patentpool.core.royalties import RoyaltyResult


def share_groups(lines: Mapping[str, int], shares: int) -> list[list[str]]:
    """The groups (each with its number of lines) in at most ``shares`` shares of about as
    many lines each: consecutive groups in key order, no share empty, and fewer shares than
    asked when there are fewer groups. A group of no lines counts as one line."""
    keys = sorted(lines)
    weights = [max(lines[key], 1) for key in keys]
    total = sum(weights)
    out: list[list[str]] = []
    share: list[str] = []
    held = 0
    for n, (key, weight) in enumerate(zip(keys, weights, strict=True)):
        share.append(key)
        held += weight
        left = len(keys) - n - 1  # groups still to place
        wanted = shares - len(out) - 1  # shares still to fill after this one
        # close the share once it holds its part of the lines, or when each share still to
        # fill needs one of the groups left
        if wanted and left and (held * shares >= total * (len(out) + 1) or left == wanted):
            out.append(share)
            share = []
    if share:
        out.append(share)
    return out


def joined(results: Sequence[RoyaltyResult]) -> RoyaltyResult:
    """One quarter's royalties from those of its shares of licensee groups, each priced
    without its lines: the licensees in order, the total and the due by country added up in
    minor units, as :func:`~patentpool.core.royalties.summarize_groups` makes them when it
    prices every group."""
    first = results[0]
    currency = first.currency
    digits = minor_unit(currency)
    licensees = sorted(chain.from_iterable(r.licensees for r in results), key=_LICENSEE)
    units: dict[str, int] = defaultdict(int)
    for result in results:
        assert result.by_country is not None, "each share is priced without its lines"
        assert (result.program, result.period) == (first.program, first.period)
        for country, due in result.by_country.items():
            units[country] += int(due.scaleb(digits))
    return RoyaltyResult(
        program=first.program,
        period=first.period,
        currency=currency,
        schedule_from=first.schedule_from,
        licensees=tuple(licensees),
        total_due=sum((r.due for r in licensees), round_money(0, currency)),
        by_country={c: Decimal(v).scaleb(-digits) for c, v in sorted(units.items())},
    )


_LICENSEE = attrgetter("licensee")
