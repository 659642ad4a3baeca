"""The checksummed inputs of a quarter's totals and of a distribution run, written as text patent
by patent, are exactly what ``json.dumps`` makes of the plain values they stand for: stored
totals and runs keep being found, and stored inputs read the same, whatever the strings hold."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

from patentpool.core.allocation import policy_input
from patentpool.core.licensing import (
    Counts,
    Licensee,
    PerUnitRate,
    Program,
    Schedule,
    counted_by_key,
    counted_declarations,
    counted_patents,
)
from patentpool.core.model import Declaration, Essentiality, Patent, Register, Status
from patentpool.core.periods import Period
from patentpool.core.royalties import PRICING_RULES
from patentpool.services.distributions import _inputs
from patentpool.services.quarters import canonical_json, pricing_inputs
from patentpool.services.royalties import ProgramContext

D = dt.date
E = Essentiality
Q1 = Period(2026, 1)
SPEC = json.dumps({"id": "p", "standard": "S", "versions": ["1", "2"], "note": 'é "x"'})


def patent(number: str, owner: str, **kw: Any) -> Patent:
    base: dict[str, Any] = {"filing_date": D(2012, 2, 29), "grant_date": D(2014, 1, 2)}
    return Patent("CN", number, owner, **{**base, **kw})


PATENTS = (
    patent("1", "müller", family='fam "one" \\ ü'),
    patent("2", "ümlaut", kind=None, grant_date=None, family='fam "one" \\ ü'),
    patent("3", "acme", kind="U", expiry_date=D(2030, 6, 30)),
    patent("4", "acme", status=Status.PENDING),
    Patent(
        "EP",
        "5",
        "beta",
        D(2015, 3, 1),
        kind="B1",
        grant_date=D(2018, 3, 1),
        validated_states=frozenset({"FR", "DE", "IT"}),
    ),
    Patent("EP", "6", "beta", D(2016, 3, 1), grant_date=D(2019, 3, 1)),  # in force nowhere
    Patent("WO", "7", "beta", D(2016, 3, 1)),
    patent("8", "gamma\u2028\x00", status=Status.EXPIRED, expiry_date=D(2020, 1, 1)),
    patent("9", "acme", family="solo"),  # declared for another standard only
)
DECLARATIONS = (
    Declaration("CN1", "S", "1", "A"),
    Declaration("CN1", "S", "2", None, essentiality=E.ESSENTIAL),
    Declaration("CN2", "S", "1", 'Ä "sec"', essentiality=E.ESSENTIAL),
    Declaration("CN3", "S", "2", "B"),
    Declaration("CN3", "S", "1", "A", essentiality=E.NOT_ESSENTIAL),
    Declaration("CN4", "S", "1", "A"),
    Declaration("EP5", "S", "1", "B"),
    Declaration("EP5", "S", "2", "A", essentiality=E.ESSENTIAL),
    Declaration("EP6", "S", "1"),
    Declaration("WO7", "S", "1"),
    Declaration("CN8", "S", "1"),
    Declaration("CN9", "T", "1"),
    Declaration("US404", "S", "1"),  # a patent the register does not hold
)


def context(counts: Counts = Counts.DECLARED) -> ProgramContext:
    program = Program(
        id="p",
        standard="S",
        versions=("1", "2"),
        currency="USD",
        schedules=(Schedule(D(2026, 1, 1), {"tv": PerUnitRate(Decimal("0.50"))}),),
        counts=counts,
    )
    licensees = {
        "zed": Licensee("zed", "Zed", group="g", country="DE", member=True, signed=D(2026, 1, 2)),
        "acme": Licensee("acme", "Acme \u00e9"),
    }
    return ProgramContext(Register(patents=PATENTS, declarations=DECLARATIONS), program, SPEC,
                          licensees)  # fmt: skip


REPORTS: list[dict[str, object]] = [
    {"licensee": "acme", "period": "2026Q1", "revision": 2, "checksum": "ab", "lines": 3,
     "units": 40},
]  # fmt: skip


def row(p: Patent) -> list[Any]:
    iso = dt.date.isoformat
    return [
        p.key,
        p.kind,
        p.status.value,
        p.filing_date.isoformat(),
        iso(p.grant_date) if p.grant_date else None,
        iso(p.expiry_date) if p.expiry_date else None,
        sorted(p.validated_states),
    ]


def test_the_quarter_inputs_are_json_dumps_of_the_values() -> None:
    for counts in Counts:
        ctx = context(counts)
        declared = counted_declarations(ctx.register, ctx.program)
        index = ctx.register.patent_index()
        patents = [row(index[key]) for key in sorted(declared)]
        licensees = [
            [lic.id, lic.group_key, lic.country, lic.member, lic.good_standing,
             lic.signed.isoformat() if lic.signed else None]
            for lic in sorted(ctx.licensees.values(), key=lambda lic: lic.id)
        ]  # fmt: skip
        plain = {
            "program": json.loads(SPEC),
            "period": "2026Q1",
            "licensees": licensees,
            "patents": patents,
            "sales_reports": REPORTS,
            "rules": PRICING_RULES,
        }
        assert pricing_inputs(ctx, Q1, REPORTS) == json.dumps(plain, sort_keys=True)
        counted = counted_by_key(ctx.register, ctx.program)
        assert pricing_inputs(ctx, Q1, REPORTS, counted) == json.dumps(plain, sort_keys=True)


def test_the_run_inputs_are_json_dumps_of_the_values() -> None:
    by_country = {"FR": Decimal("10.00"), "CN": Decimal("5.50")}
    for counts in Counts:
        ctx = context(counts)
        inputs = policy_input(ctx.program, ctx.register, Q1, by_country)
        assert [p.key for p in inputs.patents] == (
            ["CN1", "CN2", "CN3", "EP5"] if counts is Counts.DECLARED else ["CN1", "CN2", "EP5"]
        )
        patents = [
            {
                "patent": p.key,
                "owner": p.owner,
                "family": p.family_key,
                "territories": sorted(p.validated_states) or [p.jurisdiction],
                "sections": sorted(inputs.sections(p)),
                "essentiality": sorted({d.essentiality.value for d in inputs.declarations[p.key]}),
                "filing_date": p.filing_date.isoformat(),
            }
            for p in inputs.patents
        ]
        params = {"b": "2", "a": "ü"}
        plain = {
            "program": json.loads(SPEC),
            "period": "2026Q1",
            "policy": "weighted",
            "params": params,
            "basis": "due",
            "collected": "15.50",
            "royalties_by_country": {"CN": "5.50", "FR": "10.00"},
            "patents": patents,
            "sales_reports": REPORTS,
        }
        expected = json.dumps(plain, sort_keys=True, separators=(",", ":"))
        args = (ctx, Q1, "weighted", params, "due", Decimal("15.50"), by_country, REPORTS)
        assert _inputs(*args) == expected
        assert _inputs(*args, inputs) == expected


def test_counted_by_key_is_counted_declarations_with_their_patents() -> None:
    for counts in Counts:
        ctx = context(counts)
        declared = counted_declarations(ctx.register, ctx.program)
        counted = counted_by_key(ctx.register, ctx.program)
        assert list(counted) == sorted(declared)
        assert {k: ds for k, (_, ds) in counted.items()} == declared
        assert [p for p, _ in counted.values()] == counted_patents(ctx.register, ctx.program)
        assert all(p.key == k for k, (p, _) in counted.items())


def test_canonical_json_splices_texts_in_key_order() -> None:
    document = {"z": [1, {"b": None, "a": "é"}], "a": {"y": 1, "x": 2}}
    for separators in ((", ", ": "), (",", ":")):
        spliced = canonical_json(document, {"m": json.dumps([1, "ü"], separators=separators)},
                                 separators)  # fmt: skip
        whole = {**document, "m": [1, "ü"]}
        assert spliced == json.dumps(whole, sort_keys=True, separators=separators)
    assert canonical_json({}, {}) == "{}"
