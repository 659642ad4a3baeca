"""The report kinds: each one's context type, title and charts."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from patentpool.reports.account import AccountReport
from patentpool.reports.charts import Chart
from patentpool.reports.compare import CompareReport, compare_charts
from patentpool.reports.distribution import DistributionReport, distribution_charts
from patentpool.reports.errors import ReportError
from patentpool.reports.invoice import InvoiceReport
from patentpool.reports.license import LicenseReport
from patentpool.reports.member import MemberReport, member_charts
from patentpool.reports.pool import PoolReport, pool_charts


@dataclass(frozen=True, slots=True)
class ReportKind:
    """A report: its templates are ``NAME.html`` and ``NAME.md``; ``charts`` draws its charts."""

    name: str
    context_type: type
    title: str
    charts: Callable[[Any], Mapping[str, Chart]]


def _no_charts(_: Any) -> Mapping[str, Chart]:
    return {}


KINDS: dict[str, ReportKind] = {
    kind.name: kind
    for kind in (
        ReportKind("pool", PoolReport, "Pool report", pool_charts),
        ReportKind("member", MemberReport, "Member statement", member_charts),
        ReportKind("license", LicenseReport, "Licence summary", _no_charts),
        ReportKind(
            "distribution", DistributionReport, "Distribution statement", distribution_charts
        ),
        ReportKind("invoice", InvoiceReport, "Royalty invoice", _no_charts),
        ReportKind("compare", CompareReport, "Licensing regimes compared", compare_charts),
        ReportKind("account", AccountReport, "Statement of account", _no_charts),
    )
}


def report_kind(name: str) -> ReportKind:
    try:
        return KINDS[name]
    except KeyError:
        raise ReportError(
            f"report: unknown kind {name!r} (known: {', '.join(sorted(KINDS))})"
        ) from None
