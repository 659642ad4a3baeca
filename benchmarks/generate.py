"""Write SYNTHETIC benchmark data in patentpool's own import formats.

    python benchmarks/generate.py --size S|M|L --seed N --out DIR [--sales-lines N]

writes into DIR an ``alliance.yaml`` (alliance, members, one standard), a ``patents.csv`` (one
row per declaration), a ``licensing.yaml`` (licensees and one programme), a
``sales-2026Q1.csv`` and a ``payments.csv``, which ``patentpool import DIR`` reads.

Every name, number, date and amount written is invented: the data exists only to measure how
patentpool behaves on registers and sales reports of a given size. The output is byte-identical
for a given size, seed and number of sales lines: each part draws from its own
``random.Random``, seeded from the seed and the part's name, and nothing is taken from the
order of a set or an unordered mapping. Money is computed in whole cents (integers).

| size | members | patents | families | offices | licensees | groups | sales lines | countries |
| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
| S | 10 | 2,000 | 800 | 10 | 100 | 70 | 10,000 | 40 |
| M | 30 | 15,000 | 5,000 | 25 | 1,000 | 700 | 200,000 | 100 |
| L | 60 | 50,000 | 15,000 | 40 | 3,000 | 2,000 | 1,000,000 | 150 |
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import random
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path

import pycountry

PERIOD = "2026Q1"
QUARTER_END = dt.date(2026, 3, 31)
STANDARD = "SBS"
PROGRAM = "sbs-pool"
TERM_YEARS = 20
ANNUAL_CAP_CENTS = 350_000_000  # the programme's annual_cap, 3,500,000.00

PATENT_COLUMNS = (
    "publication_number",
    "owner",
    "filing_date",
    "standard",
    "version",
    "family",
    "grant_date",
    "expiry_date",
    "status",
    "section",
    "essentiality",
    "validated_states",
    "title",
    "evaluator",
    "evaluated_on",
    "declared_on",
)
SALES_COLUMNS = (
    "licensee",
    "period",
    "country_of_sale",
    "country_of_manufacture",
    "category",
    "units",
    "net_sales",
)
PAYMENT_COLUMNS = ("licensee", "period", "amount", "received")


@dataclass(frozen=True, slots=True)
class Size:
    name: str
    members: int
    patents: int
    families: int
    jurisdictions: int
    licensees: int
    groups: int
    sales_lines: int
    countries: int


SIZES = {
    "S": Size("S", 10, 2_000, 800, 10, 100, 70, 10_000, 40),
    "M": Size("M", 30, 15_000, 5_000, 25, 1_000, 700, 200_000, 100),
    "L": Size("L", 60, 50_000, 15_000, 40, 3_000, 2_000, 1_000_000, 150),
}

# --------------------------------------------------------------------------------------------
# Fixed vocabularies (all invented or plain ISO codes)
# --------------------------------------------------------------------------------------------

#: Patent offices in the order sizes take them: S the first 10, M 25, L all 40.
OFFICES = (
    "CN", "US", "EP", "JP", "KR", "DE", "GB", "FR", "IN", "BR",
    "CA", "AU", "TW", "MX", "RU", "IT", "ES", "NL", "SE", "CH", "AT", "BE", "DK", "FI", "PL",
    "TR", "ZA", "SG", "IL", "ID", "MY", "TH", "VN", "PH", "AR", "CL", "CO", "NZ", "NO", "UA",
)  # fmt: skip
#: Weight of an office as the first filing of a family, and as a later counterpart.
HOME_WEIGHT = {"CN": 30, "US": 25, "EP": 12, "JP": 10, "KR": 8, "DE": 4}
COUNTERPART_WEIGHT = {
    "US": 20, "EP": 18, "CN": 15, "JP": 12, "KR": 10, "DE": 5, "GB": 4, "IN": 4, "FR": 3,
    "BR": 3, "CA": 3, "AU": 3, "TW": 3, "MX": 2,
}  # fmt: skip
#: States where European patents are validated, the usual ones first.
EPC_MAIN = ("DE", "FR", "GB", "IT", "ES", "NL", "SE", "CH", "AT", "BE", "DK", "FI", "IE", "PL")
EPC_OTHER = ("PT", "CZ", "NO", "TR", "GR", "HU", "RO", "SK", "SI", "BG", "HR", "LU", "LT")
#: Countries of sale, the biggest markets first; the rest of ISO 3166 fills a size's count.
MARKETS = (
    "CN", "US", "IN", "DE", "JP", "GB", "FR", "BR", "KR", "IT", "ES", "CA", "MX", "ID", "RU",
    "TR", "AU", "NL", "SA", "PL", "VN", "TH", "MY", "PH", "EG", "ZA", "NG", "AR", "CO", "CL",
    "PK", "BD", "SE", "CH", "BE", "AT", "NO", "DK", "FI", "IE", "PT", "CZ", "RO", "HU", "GR",
    "IL", "AE", "SG", "NZ", "TW", "HK", "UA", "KE", "MA", "PE",
)  # fmt: skip
FACTORIES = ("CN", "VN", "IN", "MX", "TW", "KR", "JP", "US", "DE", "PL", "TH", "MY", "BR", "CZ")
FACTORY_WEIGHTS = (40, 12, 10, 8, 6, 5, 4, 4, 3, 3, 2, 2, 1, 1)
#: Where the programme charges full rate; region-3 pays a quarter, every other country half.
REGION_1 = frozenset((
    "US", "CA", "GB", "IE", "JP", "KR", "AU", "NZ", "CH", "NO", "IS", "LI", "AT", "BE", "BG",
    "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IT", "LV", "LT", "LU", "MT",
    "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE",
))  # fmt: skip
REGION_3 = frozenset((
    "AF", "BD", "BF", "BI", "BJ", "CD", "CF", "ET", "GM", "GN", "HT", "KH", "LA", "LR", "LS",
    "MG", "ML", "MM", "MW", "MZ", "NE", "NP", "RW", "SL", "SN", "SO", "SS", "TD", "TG", "TZ",
    "UG", "YE", "ZM",
))  # fmt: skip
CATEGORIES = ("tv", "phone", "codec", "settop")
CATEGORY_WEIGHTS = (35, 30, 15, 20)
#: Unit price range in cents, by category.
PRICE_CENTS = {"tv": (15_000, 90_000), "phone": (4_000, 120_000), "codec": (200, 3_000),
               "settop": (2_000, 12_000)}  # fmt: skip
#: Typical units per sales line of a group (its "scale"), with how often each occurs.
SCALES = (10, 30, 100, 300, 1_000, 3_000, 10_000, 30_000)
SCALE_WEIGHTS = (10, 16, 20, 18, 14, 10, 7, 5)

NAME_HEADS = (
    "Aurora", "Boreal", "Cobalt", "Delta", "Ember", "Fjord", "Granite", "Harbor", "Indigo",
    "Juniper", "Kestrel", "Lumen", "Meridian", "Nimbus", "Orchid", "Pinnacle", "Quartz",
    "Redwood", "Summit", "Tundra",
)  # fmt: skip
NAME_TAILS = ("Devices", "Electronics", "Networks", "Microsystems", "Telecom", "Digital",
              "Semiconductor", "Media", "Labs", "Systems")  # fmt: skip
LEGAL_SUFFIXES = ("Co., Ltd.", "Corporation", "Inc.", "GmbH", "AG", "K.K.", "S.A.", "Ltd.")
SECTIONS = ("discovery", "session", "security", "media", "management", "transport", "power",
            "pairing", "storage", "codec")  # fmt: skip
TITLE_KINDS = ("Method", "Apparatus", "System", "Device", "Method and apparatus")
TITLE_TOPICS = ("device discovery", "session control", "secure pairing", "media streaming",
                "resource sharing", "power management", "content protection",
                "service advertisement", "group management", "quality of service")  # fmt: skip
TITLE_SETTINGS = ("in a home network", "between networked devices", "over a wireless link",
                  "in a device group", "for consumer electronics")  # fmt: skip
EVALUATORS = ("Synthetic Evaluation Office A", "Synthetic Evaluation Office B",
              "Synthetic Evaluation Office C")  # fmt: skip


# --------------------------------------------------------------------------------------------
# Records
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Member:
    id: str
    name: str
    aliases: tuple[str, ...]
    joined: dt.date


@dataclass(frozen=True, slots=True)
class Version:
    id: str
    published: dt.date
    supersedes: str | None
    sections: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Declaration:
    version: str
    section: str
    essentiality: str
    evaluator: str
    evaluated_on: dt.date | None
    declared_on: dt.date


@dataclass(frozen=True, slots=True)
class Patent:
    office: str
    publication: str  # as written in the CSV, such as CN101234567B
    owner: str
    family: str
    filing: dt.date
    grant: dt.date | None
    expiry: dt.date | None
    status: str
    states: tuple[str, ...]
    title: str
    declarations: tuple[Declaration, ...]


@dataclass(frozen=True, slots=True)
class Register:
    members: tuple[Member, ...]
    versions: tuple[Version, ...]
    patents: tuple[Patent, ...]


@dataclass(frozen=True, slots=True)
class Licensee:
    id: str
    name: str
    group: str
    country: str
    member: bool
    signed: dt.date
    good_standing: bool
    main: str  # main product category
    second: str  # the other category it reports now and then
    scale: int  # typical units per sales line
    factories: tuple[str, ...]
    reports_net: bool  # reports net_sales on every line, not only where a percent rate needs it


@dataclass(frozen=True, slots=True)
class Written:
    """What :func:`generate` wrote."""

    members: int
    patents: int
    families: int
    jurisdictions: int
    declarations: int
    licensees: int
    groups: int
    sales_lines: int
    countries: int
    payments: int


# --------------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------------


def rng_for(seed: int, part: str) -> random.Random:
    """The random source of one part; string seeds are hashed (SHA-512), so runs agree."""
    return random.Random(f"{seed}:{part}")


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def day_between(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    return first + dt.timedelta(days=rng.randrange((last - first).days + 1))


def iso(day: dt.date | None) -> str:
    return "" if day is None else day.isoformat()


def cents(amount: int) -> str:
    return f"{amount // 100}.{amount % 100:02d}"


def allocate(total: int, weights: Sequence[int], minimum: int) -> list[int]:
    """Split ``total`` by integer ``weights`` (largest remainder), at least ``minimum`` each."""
    floor = minimum if total >= minimum * len(weights) else 0
    rest = total - floor * len(weights)
    whole = sum(weights)
    shares = [rest * w // whole for w in weights]
    order = sorted(range(len(weights)), key=lambda i: (-(rest * weights[i] % whole), i))
    for i in order[: rest - sum(shares)]:
        shares[i] += 1
    return [floor + s for s in shares]


def countries_of_sale(count: int) -> tuple[str, ...]:
    """The biggest markets first, then the other ISO 3166 countries in code order."""
    iso_codes = sorted(c.alpha_2 for c in pycountry.countries)
    rest = [c for c in iso_codes if c not in MARKETS]
    chosen = (*MARKETS, *rest)[:count]
    if len(chosen) < count:
        raise ValueError(f"only {len(chosen)} countries exist, {count} asked")
    return chosen


# --------------------------------------------------------------------------------------------
# The register: members, standard, patents
# --------------------------------------------------------------------------------------------


def make_members(count: int, rng: random.Random) -> tuple[Member, ...]:
    pairs = [(h, t) for h in NAME_HEADS for t in NAME_TAILS]
    members = []
    for head, tail in rng.sample(pairs, count):
        short = f"{head} {tail}"
        aliases = (short, short.upper()) if rng.random() < 0.3 else (short,)
        members.append(
            Member(
                id=f"{head}-{tail}".lower(),
                name=f"{short} {rng.choice(LEGAL_SUFFIXES)}",
                aliases=aliases,
                joined=day_between(rng, dt.date(2007, 1, 1), dt.date(2020, 12, 31)),
            )
        )
    return tuple(members)


def make_versions(rng: random.Random) -> tuple[Version, ...]:
    sections = tuple(rng.sample(SECTIONS, rng.randint(4, 8)))
    return (
        Version("1.0", dt.date(2008, 3, 1), None, sections[:-1]),
        Version("1.1", dt.date(2012, 6, 1), "1.0", sections),
        Version("2.0", dt.date(2017, 9, 1), "1.1", sections),
    )


class Numbers:
    """Unique publication numbers per office, in simple forms every office's rule accepts."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.next: dict[str, int] = {}

    def _serial(self, counter: str, start: int) -> int:
        if counter not in self.next:
            self.next[counter] = start + self.rng.randrange(100_000)
        value = self.next[counter]
        self.next[counter] = value + self.rng.randint(1, 60)
        return value

    def granted(self, office: str) -> str:
        if office == "CN":
            return f"CN{self._serial(office, 101_000_000)}B"
        if office == "US":
            return f"US{self._serial(office, 7_200_000)}B2"
        if office == "EP":
            return f"EP{self._serial(office, 1_800_000):07d}B1"
        if office == "JP":
            return f"JP{self._serial(office, 4_500_000)}B2"
        if office == "KR":
            return f"KR10{self._serial(office, 700_000):07d}B1"
        return f"{office}{self._serial(office, 1_000_000):07d}B1"

    def pending(self, office: str, year: int) -> str:
        if office == "CN":
            return f"CN{self._serial(office, 101_000_000)}A"
        if office == "US":
            return f"US{year}{self._serial(f'US{year}', 100_000):06d}A1"
        if office == "JP":
            return f"JP{year}{self._serial(f'JP{year}', 100_000):06d}A"
        if office == "KR":
            return f"KR{year}{self._serial(f'KR{year}', 100_000):07d}A"
        if office == "EP":
            return f"EP{self._serial(office, 1_800_000):07d}A1"
        return f"{office}{self._serial(office, 1_000_000):07d}A1"


def family_sizes(size: Size, rng: random.Random) -> list[int]:
    """``size.families`` sizes adding up to ``size.patents``; a few families are large."""
    cap = min(size.jurisdictions, 12)
    if size.patents > size.families * cap or size.families > size.patents:
        raise ValueError(f"{size.patents} patents do not fit {size.families} families")
    sizes = [1] * size.families
    extra = size.patents - size.families
    while extra:
        i = int(size.families * rng.random() * rng.random())  # skewed to the first families
        if sizes[i] < cap:
            sizes[i] += 1
            extra -= 1
    rng.shuffle(sizes)
    return sizes


def family_offices(
    count: int,
    offices: Sequence[str],
    home: Sequence[int],
    later: Sequence[int],
    rng: random.Random,
) -> list[str]:
    chosen = [rng.choices(offices, cum_weights=home)[0]]
    while len(chosen) < count:
        office = rng.choices(offices, cum_weights=later)[0]
        if office not in chosen:
            chosen.append(office)
    return chosen


def make_patent(
    office: str,
    owner: str,
    family: str,
    priority: dt.date,
    first: bool,
    title: str,
    versions: Sequence[Version],
    numbers: Numbers,
    rng: random.Random,
) -> Patent:
    # Counterparts are filed within the priority year; grants take 1.5 to 6.5 years.
    filing = priority if first else priority + dt.timedelta(days=rng.randrange(366))
    granted_on = filing + dt.timedelta(days=rng.randrange(540, 2400))
    grant: dt.date | None = granted_on
    expiry = None
    states: tuple[str, ...] = ()
    if granted_on > dt.date(2026, 1, 31):
        grant, status = None, "pending"
        publication_year = (filing + dt.timedelta(days=548)).year
        publication = numbers.pending(office, publication_year)
    else:
        publication = numbers.granted(office)
        term_end = add_years(filing, TERM_YEARS)
        draw = rng.random()
        if term_end <= QUARTER_END:
            status, expiry = "expired", term_end
        elif draw < 0.02:
            status = "lapsed"
        elif draw < 0.03:
            status = "revoked"
        else:
            status = "granted"
        if office == "EP":
            picked = rng.sample(EPC_MAIN, rng.randint(3, 9))
            if rng.random() < 0.3:
                picked.append(rng.choice(EPC_OTHER))
            states = tuple(sorted(picked))
    first_version = rng.choices(range(len(versions)), cum_weights=(40, 75, 100))[0]
    last_version = min(first_version + (1 if rng.random() < 0.3 else 0), len(versions) - 1)
    section = rng.choice(versions[first_version].sections)
    declarations = []
    for version in versions[first_version : last_version + 1]:
        declared_on = max(filing, version.published) + dt.timedelta(days=rng.randrange(30, 700))
        declared_on = min(declared_on, QUARTER_END)
        essentiality, evaluator, evaluated_on = "declared", "", None
        draw = rng.random()
        if status != "pending" and draw < 0.65:
            essentiality = "essential" if draw < 0.55 else "not_essential"
            evaluator = rng.choice(EVALUATORS)
            evaluated_from = max(declared_on, grant or declared_on)
            evaluated_on = min(
                evaluated_from + dt.timedelta(days=rng.randrange(90, 900)), QUARTER_END
            )
        declarations.append(
            Declaration(version.id, section, essentiality, evaluator, evaluated_on, declared_on)
        )
    return Patent(
        office, publication, owner, family, filing, grant, expiry, status, states, title,
        tuple(declarations),
    )  # fmt: skip


def make_register(size: Size, seed: int) -> Register:
    rng = rng_for(seed, "register")
    members = make_members(size.members, rng)
    versions = make_versions(rng)
    offices = OFFICES[: size.jurisdictions]
    home = list(accumulate(HOME_WEIGHT.get(o, 1) for o in offices))
    later = list(accumulate(COUNTERPART_WEIGHT.get(o, 1) for o in offices))
    # Holdings are skewed: the i-th member holds about 1/i of what the first holds.
    owner_weights = list(accumulate(10 * size.members // (i + 1) + 1 for i in range(size.members)))
    numbers = Numbers(rng)
    patents = []
    for index, count in enumerate(family_sizes(size, rng), start=1):
        family = f"SYN-F{index:05d}"
        owner = rng.choices(members, cum_weights=owner_weights)[0].id
        # Priorities from mid-2004: about one patent in twelve has run its 20 years by 2026Q1.
        priority = day_between(rng, dt.date(2004, 6, 1), dt.date(2022, 12, 31))
        title = (
            f"Synthetic {rng.choice(TITLE_KINDS).lower()} for {rng.choice(TITLE_TOPICS)} "
            f"{rng.choice(TITLE_SETTINGS)}"
        )
        for n, office in enumerate(family_offices(count, offices, home, later, rng)):
            patents.append(
                make_patent(office, owner, family, priority, n == 0, title, versions, numbers, rng)
            )
    return Register(members, versions, tuple(patents))


def patent_rows(register: Register) -> Iterator[tuple[str, ...]]:
    for p in register.patents:
        for d in p.declarations:
            yield (
                p.publication, p.owner, iso(p.filing), STANDARD, d.version, p.family,
                iso(p.grant), iso(p.expiry), p.status, d.section, d.essentiality,
                " ".join(p.states), p.title, d.evaluator, iso(d.evaluated_on),
                iso(d.declared_on),
            )  # fmt: skip


def alliance_yaml(register: Register, heading: str) -> str:
    q = json.dumps
    lines = [
        heading,
        f"alliance: {{id: synthetic-benchmark, name: {q('Synthetic Benchmark Alliance')}}}",
        "members:",
    ]
    for m in register.members:
        aliases = ", ".join(q(a) for a in m.aliases)
        lines.append(
            f"  - {{id: {m.id}, name: {q(m.name)}, joined: {m.joined}, aliases: [{aliases}]}}"
        )
    lines += [
        "standards:",
        f"  - id: {STANDARD}",
        f"    name: {q('Synthetic Benchmark Standard')}",
        "    versions:",
    ]
    for v in register.versions:
        supersedes = f", supersedes: {q(v.supersedes)}" if v.supersedes else ""
        lines.append(
            f"      - {{id: {q(v.id)}, published: {v.published}{supersedes}, "
            f"sections: [{', '.join(v.sections)}]}}"
        )
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------------------------
# Licensing: licensees, the programme, sales reports, payments
# --------------------------------------------------------------------------------------------


def make_licensees(size: Size, countries: Sequence[str], rng: random.Random) -> list[Licensee]:
    if size.groups > size.licensees:
        raise ValueError(f"{size.licensees} licensees cannot form {size.groups} groups")
    per_group = [1] * size.groups
    for _ in range(size.licensees - size.groups):
        per_group[int(size.groups * rng.random() * rng.random())] += 1
    factory_weights = list(accumulate(FACTORY_WEIGHTS))
    licensees = []
    for g, count in enumerate(per_group, start=1):
        parent = f"lic-{g:04d}"
        main = rng.choices(CATEGORIES, weights=CATEGORY_WEIGHTS)[0]
        second = rng.choice([c for c in CATEGORIES if c != main])
        scale = rng.choices(SCALES, weights=SCALE_WEIGHTS)[0]
        factories = sorted(
            set(rng.choices(FACTORIES, cum_weights=factory_weights, k=rng.randint(1, 3)))
        )
        member = rng.random() < 0.02
        good_standing = rng.random() < 0.85
        signed = day_between(rng, dt.date(2025, 1, 1), dt.date(2026, 3, 15))
        for k in range(count):
            licensees.append(
                Licensee(
                    id=parent if k == 0 else f"{parent}-{k + 1}",
                    name=f"Synthetic Licensee {g:04d}"
                    + ("" if k == 0 else f" Affiliate {k + 1}")
                    + " Ltd.",
                    group=parent,
                    country=rng.choice(FACTORIES[:8]) if k == 0 else rng.choice(countries),
                    member=member,
                    signed=signed,
                    good_standing=good_standing,
                    main=main,
                    second=second,
                    scale=scale,
                    factories=tuple(factories),
                    reports_net=rng.random() < 0.5,
                )
            )
    return licensees


def licensing_yaml(licensees: Sequence[Licensee], countries: Sequence[str], heading: str) -> str:
    q = json.dumps
    lines = [heading, "licensees:"]
    for li in licensees:
        lines.append(
            f"  - {{id: {li.id}, name: {q(li.name)}, group: {li.group}, country: {q(li.country)}, "
            f"member: {str(li.member).lower()}, signed: {li.signed}, "
            f"good_standing: {str(li.good_standing).lower()}}}"
        )
    # Country codes are quoted: YAML would read NO (Norway) as false.
    region_2 = [q(c) for c in countries if c not in REGION_1 and c not in REGION_3]
    region_3 = [q(c) for c in countries if c in REGION_3]
    lines += [
        "programs:",
        f"  - id: {PROGRAM}",
        f"    standard: {STANDARD}",
        '    versions: ["1.0", "1.1", "2.0"]',
        "    currency: USD",
        '    admin_fee: "10%"',
        "    counts: essential",
        "    policy: proportional",
        "    schedules:",
        "      - effective_from: 2026-01-01",
        "        categories:",
        '          tv: {per_unit: "0.50"}',
        '          phone: {percent: "0.5", base_floor: "50", base_cap: "200"}',
        "          codec:",
        "            tiers:",
        '              - {up_to: 100000, per_unit: "0"}',
        '              - {up_to: 5000000, per_unit: "0.20"}',
        '              - {per_unit: "0.10"}',
        "          settop:",
        "            tiers:",
        '              - {up_to: 1000000, per_unit: "0.30"}',
        '              - {per_unit: "0.15"}',
        f'        annual_cap: "{ANNUAL_CAP_CENTS // 100}"',
        "        regions:",
        f'          - {{id: region-2, countries: [{", ".join(region_2)}], multiplier: "0.5"}}',
    ]
    if region_3:
        lines.append(
            f'          - {{id: region-3, countries: [{", ".join(region_3)}], multiplier: "0.25"}}'
        )
    lines.append('        discounts: {good_standing: "10%", member: "100%"}')
    return "\n".join(lines) + "\n"


def estimated_royalty(category: str, units: int, price: int) -> int:
    """A rough royalty in cents, used only to make plausible payments."""
    if category == "phone":
        return units * min(max(price, 5_000), 20_000) // 200
    return units * {"tv": 50, "codec": 20, "settop": 30}[category]


def write_sales(
    path: Path,
    licensees: Sequence[Licensee],
    countries: Sequence[str],
    total: int,
    rng: random.Random,
) -> dict[str, int]:
    """Stream the sales report; return each reporting licensee's rough royalty in cents."""
    weights = [1 + SCALES.index(li.scale) * (2 if li.id == li.group else 1) for li in licensees]
    per_licensee = allocate(total, weights, 1)
    sale_weights = list(accumulate(1_000 // (i + 1) + 5 for i in range(len(countries))))
    estimates: dict[str, int] = {}
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(SALES_COLUMNS)
        for li, count in zip(licensees, per_licensee, strict=True):
            if not count:
                continue
            estimate = 0
            sold_in = rng.choices(countries, cum_weights=sale_weights, k=count)
            for country in sold_in:
                category = li.main if rng.random() < 0.8 else li.second
                made = li.factories[rng.randrange(len(li.factories))]
                draw = rng.random()
                if draw < 0.01:
                    units = 0
                elif draw < 0.1:
                    units = rng.randint(li.scale, 20 * li.scale)
                else:
                    units = rng.randint(1, 2 * li.scale)
                low, high = PRICE_CENTS[category]
                price = rng.randint(low, high)
                net = cents(units * price) if li.reports_net or category == "phone" else ""
                writer.writerow((li.id, PERIOD, country, made, category, units, net))
                estimate += estimated_royalty(category, units, price)
            estimates[li.id] = estimate
    return estimates


def write_payments(
    path: Path, licensees: Sequence[Licensee], estimates: dict[str, int], rng: random.Random
) -> int:
    group_total: dict[str, int] = {}
    for li in licensees:
        group_total[li.group] = group_total.get(li.group, 0) + estimates.get(li.id, 0)
    written = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(PAYMENT_COLUMNS)
        for li in licensees:
            if li.id not in estimates or li.member or rng.random() < 0.15:
                continue
            gross = estimates[li.id]
            if group_total[li.group] > ANNUAL_CAP_CENTS:
                gross = gross * ANNUAL_CAP_CENTS // group_total[li.group]
            due = gross * (9 if li.good_standing else 10) // 10
            amount = due * rng.randint(60, 100) // 100
            received = dt.date(2026, 4, 1) + dt.timedelta(days=rng.randrange(10, 46))
            writer.writerow((li.id, PERIOD, cents(amount), received.isoformat()))
            written += 1
    return written


# --------------------------------------------------------------------------------------------
# Putting it together
# --------------------------------------------------------------------------------------------


def heading(size: Size, seed: int, what: str) -> str:
    return (
        f"# SYNTHETIC {what} for benchmarks, written by benchmarks/generate.py "
        f"(size {size.name}, seed {seed}).\n"
        "# Every name, number, date and amount here is invented; none describes a real "
        "alliance,\n# company, patent, licence or sale."
    )


def generate(size: Size, seed: int, out: Path, sales_lines: int | None = None) -> Written:
    """Write the five files of ``size`` into ``out`` (created if need be)."""
    lines = size.sales_lines if sales_lines is None else sales_lines
    if lines < 0:
        raise ValueError("the number of sales lines must not be negative")
    out.mkdir(parents=True, exist_ok=True)
    register = make_register(size, seed)
    (out / "alliance.yaml").write_text(
        alliance_yaml(register, heading(size, seed, "alliance")), encoding="utf-8"
    )
    declarations = 0
    with (out / "patents.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(PATENT_COLUMNS)
        for row in patent_rows(register):
            writer.writerow(row)
            declarations += 1
    countries = countries_of_sale(size.countries)
    licensees = make_licensees(size, countries, rng_for(seed, "licensees"))
    (out / "licensing.yaml").write_text(
        licensing_yaml(licensees, countries, heading(size, seed, "licensing terms")),
        encoding="utf-8",
    )
    estimates = write_sales(
        out / f"sales-{PERIOD}.csv", licensees, countries, lines, rng_for(seed, "sales")
    )
    payments = write_payments(out / "payments.csv", licensees, estimates, rng_for(seed, "pay"))
    return Written(
        members=len(register.members),
        patents=len(register.patents),
        families=len({p.family for p in register.patents}),
        jurisdictions=len({p.office for p in register.patents}),
        declarations=declarations,
        licensees=len(licensees),
        groups=len({li.group for li in licensees}),
        sales_lines=lines,
        countries=len(countries),
        payments=payments,
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=sorted(SIZES), required=True)
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--out", type=Path, required=True, help="folder to write into")
    parser.add_argument(
        "--sales-lines", type=int, default=None, help="override the size's number of sales lines"
    )
    args = parser.parse_args(argv)
    if args.sales_lines is not None and args.sales_lines < 0:
        parser.error("--sales-lines must not be negative")
    started = time.perf_counter()
    w = generate(SIZES[args.size], args.seed, args.out, args.sales_lines)
    elapsed = time.perf_counter() - started
    print(
        f"size {args.size}, seed {args.seed}: wrote {w.members} members, {w.patents:,} patents "
        f"in {w.families:,} families over {w.jurisdictions} offices ({w.declarations:,} "
        f"declarations), {w.licensees:,} licensees in {w.groups:,} groups, {w.sales_lines:,} "
        f"sales lines for {PERIOD} over {w.countries} countries and {w.payments:,} payments "
        f"to {args.out} in {elapsed:.1f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
