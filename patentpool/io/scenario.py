"""Scenario files of ``patentpool compare``: YAML in, core regime values out.

The file has two keys, ``scenario`` (the market and its holders) and ``regimes`` (the openness
policies to compare); docs/regimes.md describes every key. Every problem is reported at once,
each with its file, line and field. Holders given as a register reference (``{standard,
version}``) are resolved later, against a register, by :meth:`ScenarioFile.scenario`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    StrictBool,
    Tag,
    ValidationError,
)

from patentpool.core.allocation import policy_shares
from patentpool.core.holders import (
    Counting,
    HolderSource,
    check_source,
    holders_on,
    unknown_members,
)
from patentpool.core.licensing import Program
from patentpool.core.model import Register
from patentpool.core.regimes import Holder, Market, ParameterError, Pricing, Regime, Scenario
from patentpool.errors import InvalidInput, NotFound, PatentpoolError
from patentpool.io.problems import Problem, clean_message
from patentpool.io.readers import FileUnreadable, line_in, load_yaml, read_text
from patentpool.io.types import OptionalDate, OptionalText, Text, parse_slug

Loc = tuple[str | int, ...]


class ScenarioInvalid(InvalidInput):
    """The scenario file has problems; each names file, line and field."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(sorted(problems, key=lambda p: (p.file, p.line)))
        if len(self.problems) == 1:
            message = str(self.problems[0])
        else:
            lines = "\n".join(f"  {p}" for p in self.problems)
            message = f"{len(self.problems)} problems in the scenario file:\n{lines}"
        super().__init__(message)


# --- the schema --------------------------------------------------------------------------


def _makers(value: Any) -> Any:
    if isinstance(value, str) and value.strip().lower() == "competitive":
        return "competitive"
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    raise ValueError(f"must be 'competitive' or a whole number of licensed makers (got {value!r})")


def _member(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        return parse_slug(value)
    raise ValueError(f"must be true, false or a member id (got {value!r})")


#: A number in the file: finite, at most 10^15 in size and 12 decimal places (so that turning
#: it into an exact fraction stays cheap).
Number = Annotated[Decimal, Field(allow_inf_nan=False, ge=-(10**15), le=10**15, decimal_places=12)]
Makers = Annotated[int | Literal["competitive"], BeforeValidator(_makers)]
MemberRef = Annotated[bool | str, BeforeValidator(_member)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DemandIn(_Strict):
    intercept: Number
    slope: Number


class InlineHolderIn(_Strict):
    id: Text
    patents: int
    member: MemberRef = True


class RegisterHoldersIn(_Strict):
    standard: Text
    version: Text
    counts: Counting = Counting.DECLARED


def _holders_tag(value: Any) -> str | None:
    if isinstance(value, list):
        return "inline"
    if isinstance(value, dict):
        return "register"
    return None


HoldersIn = Annotated[
    Annotated[list[InlineHolderIn], Tag("inline")] | Annotated[RegisterHoldersIn, Tag("register")],
    Discriminator(
        _holders_tag,
        custom_error_type="holders",
        custom_error_message=(
            "must be a list of holders ([{id, patents}]) or a register reference "
            "({standard, version})"
        ),
    ),
]


class ScenarioIn(_Strict):
    name: Text
    demand: DemandIn
    unit_cost: Number
    holders: HoldersIn
    as_of: OptionalDate = None
    program: OptionalText = None


class RegimeIn(_Strict):
    name: Text
    makers: Makers
    pricing: Pricing
    rate: Number | None = None
    rate_per_holder: Number | None = None
    cap_total: Number | None = None
    cap_per_holder: Number | None = None
    cross_license: StrictBool = False
    member_makers: Number | None = None


class ScenarioFileIn(_Strict):
    scenario: ScenarioIn
    regimes: list[RegimeIn]


#: The keys each part of the file knows, for "unknown key" messages.
_KEYS: dict[str, type[BaseModel]] = {
    "file": ScenarioFileIn,
    "scenario": ScenarioIn,
    "demand": DemandIn,
    "holder": InlineHolderIn,
    "register": RegisterHoldersIn,
    "regime": RegimeIn,
}


# --- the parsed file ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ScenarioFile:
    """A checked scenario file; ``holders`` is inline or a reference into the register."""

    file: str
    data: Any  # the YAML as read, to find the line of a field
    name: str
    market: Market
    holders: tuple[Holder, ...] | HolderSource
    regimes: tuple[Regime, ...]
    as_of: dt.date
    named_members: tuple[int, ...] = ()  # inline holders whose member is given by id
    program: str | None = None  # splits a pool's income by this programme's policy

    @property
    def needs_register(self) -> bool:
        """Does :meth:`scenario` need the register (holders from it, or member ids to check)?"""
        return isinstance(self.holders, HolderSource) or bool(self.named_members)

    @property
    def source(self) -> HolderSource | None:
        return self.holders if isinstance(self.holders, HolderSource) else None

    def problem(self, loc: Loc, message: str) -> Problem:
        return Problem(self.file, line_in(self.data, loc, 1), _field(loc), message)

    @property
    def needs_programs(self) -> bool:
        """Does :meth:`scenario` need the licensing programmes (a ``program`` is named)?"""
        return self.program is not None

    def scenario(
        self, register: Register | None = None, programs: Mapping[str, Program] | None = None
    ) -> Scenario:
        """The scenario, holders resolved on ``as_of`` and member ids checked in ``register``.

        With ``program`` named, a pool's income is split among the members by that programme's
        distribution policy on ``as_of``; otherwise by their patent counts.
        """
        if isinstance(self.holders, HolderSource):
            if register is None:
                raise InvalidInput(f"{self.file}: scenario.holders: needs the register")
            holders = self._from_register(register, self.holders)
        else:
            holders = self.holders
            if register is not None:
                self._check_members(register, holders)
        shares = None
        if self.program is not None:
            shares = self._policy_shares(register, programs or {}, holders)
        return Scenario(self.name, self.market, holders, self.regimes, shares)

    def _policy_shares(
        self, register: Register | None, programs: Mapping[str, Program], holders: Sequence[Holder]
    ) -> dict[str, Fraction]:
        where = ("scenario", "program")
        program = programs.get(self.program or "")
        if register is None or program is None:
            known = ", ".join(sorted(programs)) or "none in the register"
            raise ScenarioInvalid(
                [self.problem(where, f"unknown programme {self.program!r} (known: {known})")]
            )
        try:
            by_member = policy_shares(program, register, self.as_of)
        except PatentpoolError as exc:
            raise ScenarioInvalid([self.problem(where, str(exc))]) from exc
        return {h.id: by_member.get(h.member or h.id, Fraction(0)) for h in holders}

    def require_source(self) -> HolderSource:
        """The register reference of the holders; an error when they are given inline."""
        if not isinstance(self.holders, HolderSource):
            raise ScenarioInvalid(
                [
                    self.problem(
                        ("scenario", "holders"),
                        "given inline, so their patents have no expiry dates; give them as "
                        "{standard, version} to take them from the register",
                    )
                ]
            )
        return self.holders

    def source_in(self, register: Register) -> HolderSource:
        """The register reference of the holders, checked against ``register``."""
        source = self.require_source()
        try:
            check_source(register, source)
        except NotFound as exc:
            key = "standard" if exc.kind == "standard" else "version"
            raise ScenarioInvalid(
                [self.problem(("scenario", "holders", key), f"{exc} in the register")]
            ) from exc
        return source

    def _from_register(self, register: Register, source: HolderSource) -> tuple[Holder, ...]:
        holders = holders_on(register, self.source_in(register), self.as_of)
        if not holders:
            raise ScenarioInvalid(
                [
                    self.problem(
                        ("scenario", "holders"),
                        f"no member holds a counted patent of {source} in force on "
                        f"{self.as_of.isoformat()} (counting {source.counting.value})",
                    )
                ]
            )
        return holders

    def _check_members(self, register: Register, holders: tuple[Holder, ...]) -> None:
        named = [holders[i] for i in self.named_members]
        missing = set(unknown_members(named, register))
        problems = [
            self.problem(("scenario", "holders", i, "member"), f"unknown member {h.member!r}")
            for i, h in zip(self.named_members, named, strict=True)
            if h.member in missing
        ]
        if problems:
            raise ScenarioInvalid(problems)


def load_scenario(path: Path, today: dt.date, display: str | None = None) -> ScenarioFile:
    """Read and check a scenario file; ``today`` is the ``as_of`` date when the file gives none."""
    display = display or str(path)
    try:
        data = load_yaml(read_text(path, display, table=False), display)
    except FileUnreadable as exc:
        raise ScenarioInvalid([exc.problem]) from exc
    return parse_scenario(data, display, today)


def parse_scenario(data: Any, file: str, today: dt.date) -> ScenarioFile:
    """Check already-read YAML data (see :func:`load_scenario`)."""
    try:
        raw = ScenarioFileIn.model_validate(data)
    except ValidationError as exc:
        raise ScenarioInvalid(_schema_problems(exc, data, file)) from exc
    problems: list[Problem] = []

    def at(loc: Loc, message: str) -> None:
        problems.append(Problem(file, line_in(data, loc, 1), _field(loc), message))

    market = _market(raw.scenario, at)
    holders, named = _holders(raw.scenario.holders, at)
    regimes = _regimes(raw.regimes, at)
    if problems or market is None:
        raise ScenarioInvalid(problems)
    return ScenarioFile(
        file=file,
        data=data,
        name=raw.scenario.name,
        market=market,
        holders=holders,
        regimes=regimes,
        as_of=raw.scenario.as_of or today,
        named_members=named,
        program=raw.scenario.program,
    )


# --- from the schema to core values --------------------------------------------------------


def number(value: Decimal) -> Fraction:
    """A decimal from the file as an exact fraction (``0.1`` is exactly one tenth)."""
    return Fraction(value)


def _optional(value: Decimal | None) -> Fraction | None:
    return None if value is None else number(value)


_MARKET_LOCS: dict[str, Loc] = {
    "demand.slope": ("scenario", "demand", "slope"),
    "demand.intercept": ("scenario", "demand", "intercept"),
    "unit_cost": ("scenario", "unit_cost"),
}


def _market(raw: ScenarioIn, at: Any) -> Market | None:
    try:
        return Market(number(raw.demand.intercept), number(raw.demand.slope), number(raw.unit_cost))
    except ParameterError as exc:
        at(_MARKET_LOCS[exc.field], exc.problem)
        return None


def _holders(
    raw: list[InlineHolderIn] | RegisterHoldersIn, at: Any
) -> tuple[tuple[Holder, ...] | HolderSource, tuple[int, ...]]:
    if isinstance(raw, RegisterHoldersIn):
        return HolderSource(raw.standard, raw.version, raw.counts), ()
    if not raw:
        at(("scenario", "holders"), "the holder list is empty")
    holders: list[Holder] = []
    named: list[int] = []
    seen: set[str] = set()
    for i, h in enumerate(raw):
        if h.id in seen:
            at(("scenario", "holders", i, "id"), f"holder id {h.id!r} appears twice")
        seen.add(h.id)
        member = h.id if h.member is True else (h.member or None)
        if isinstance(h.member, str):
            named.append(i)
        try:
            holders.append(Holder(h.id, h.patents, member))
        except ParameterError as exc:
            at(("scenario", "holders", i, exc.field), exc.problem)
    return tuple(holders), tuple(named)


def _regimes(raw: list[RegimeIn], at: Any) -> tuple[Regime, ...]:
    if not raw:
        at(("regimes",), "the list is empty: give at least one regime")
    regimes: list[Regime] = []
    seen: set[str] = set()
    for i, r in enumerate(raw):
        if r.name in seen:
            at(("regimes", i, "name"), f"regime name {r.name!r} appears twice")
        seen.add(r.name)
        try:
            regimes.append(
                Regime(
                    name=r.name,
                    pricing=r.pricing,
                    makers=None if r.makers == "competitive" else int(r.makers),
                    rate=_optional(r.rate),
                    rate_per_holder=_optional(r.rate_per_holder),
                    cap_total=_optional(r.cap_total),
                    cap_per_holder=_optional(r.cap_per_holder),
                    cross_license=r.cross_license,
                    member_makers=_optional(r.member_makers),
                )
            )
        except ParameterError as exc:
            at(("regimes", i, exc.field), exc.problem)
    return tuple(regimes)


# --- messages ------------------------------------------------------------------------------


def _field(loc: Loc) -> str:
    return ".".join(str(p) for p in loc) or "file"


def _part(loc: Loc) -> str:
    """Which part of the file a location lies in (a key of ``_KEYS``)."""
    if not loc:
        return "file"
    if loc[0] == "regimes":
        return "regime"
    if loc[:2] == ("scenario", "demand"):
        return "demand"
    if loc[:2] == ("scenario", "holders"):
        return "holder" if len(loc) > 2 and isinstance(loc[2], int) else "register"
    return "scenario"


def _schema_problems(exc: ValidationError, data: Any, file: str) -> list[Problem]:
    out = []
    for err in exc.errors(include_url=False):
        loc: Loc = tuple(
            p for i, p in enumerate(err["loc"]) if not (i == 2 and p in ("inline", "register"))
        )
        message = clean_message(err["msg"])
        if err["type"] == "missing":
            message = "is required"
        elif err["type"] == "extra_forbidden":
            known = ", ".join(_KEYS[_part(loc[:-1])].model_fields)
            message = f"unknown key (known keys: {known})"
        elif err["type"] == "model_type" and not loc:
            message = "must be a mapping with the keys scenario and regimes"
        out.append(Problem(file, line_in(data, loc, 1), _field(loc), message))
    return out
