"""Patent and publication numbers: read the many ways people write them, print one form.

:func:`normalize` turns ``US 7,123,456 B2``, ``US-2007255977-A1``, ``CN ZL 97112956.8`` or
``KR10-0123456`` into a :class:`PatentNumber` whose ``key`` (office + number, no kind code)
identifies the patent in the register. Offices with a clear numbering rule (US, EP, WO, JP, KR,
CN) are checked against it; any other office keeps its digits as written. Every refusal is an
:class:`InvalidPatentNumber` that names the input and says what is wrong. ``docs/numbers.md``
lists the accepted forms and the messages.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

import pycountry

from patentpool.errors import InvalidInput

#: Regional and international offices, which have no ISO 3166 country code of their own.
REGIONAL_OFFICES = frozenset({"EP", "WO", "EA", "AP", "OA", "GC"})
#: Offices of states that no longer exist but whose publications are still cited.
FORMER_OFFICES = frozenset({"DD", "SU", "CS", "YU"})
#: Letters that may stand between the office code and the digits, by office.
PREFIXES: dict[str, frozenset[str]] = {
    "US": frozenset({"RE", "D", "PP", "H", "T"}),
    "CN": frozenset({"ZL"}),
    "TW": frozenset({"I", "M", "D"}),
}
#: Most digits after each US prefix (reissue, design, plant, SIR, defensive publication).
US_PREFIX_DIGITS = {"RE": 6, "D": 7, "PP": 6, "H": 4, "T": 6}
#: Kind codes of US application publications (utility A*, plant P*); numbered year + serial.
US_PUBLICATION_KINDS = frozenset({"A1", "A2", "A9", "P1", "P4", "P9"})
#: KR right types that open a registration number: patent, utility model, design.
KR_RIGHTS = frozenset({"10", "20", "30"})
#: CN application types (third digit of 8-digit, fifth of 12-digit application numbers).
CN_APPLICATION_TYPES = frozenset("12389")
#: Most digits accepted for an office without a rule of its own.
OTHER_OFFICE_DIGITS = 15

SEPARATORS = " .,-/"
_OFFICE_HINTS = {
    "UK": "the United Kingdom's code is GB",
    "EU": "European patents use EP",
    "PC": "PCT application numbers are not publication numbers; give the WO number",
}
_INVISIBLE = dict.fromkeys(map(ord, "\ufeff\u200b\u200c\u200d\u2060"))
_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"), "-")
_KIND = re.compile(r"[A-Z]\d?")
_LETTERS_THEN_DIGITS = re.compile(r"[A-Z]+\d*")
_CN_CHECK_AFTER_DOT = re.compile(r"\.\s*\d\s*$")
#: A number written plainly (office code, digits, maybe a kind code), as registers usually hold
#: them: :func:`clean` and the parser would leave it as it is, so it goes straight to the rule.
_PLAIN = re.compile(r"([A-Z]{2})([0-9]+)([A-Z][0-9]?)?")


class InvalidPatentNumber(InvalidInput):
    """A patent or publication number that cannot be read; names the input and the reason."""

    def __init__(self, raw: str, reason: str) -> None:
        super().__init__(f"invalid patent number {raw!r}: {reason}")
        self.raw = raw
        self.reason = reason


class _Refusal(Exception):
    """Raised inside the parser with the reason only; :func:`normalize` adds the input."""


@dataclass(frozen=True, slots=True)
class PatentNumber:
    """A normalised patent or publication number.

    ``jurisdiction`` is the office code in upper case, ``number`` the canonical number without
    kind code (``7123456``, ``RE43360``, ``2007255977``, ``ZL97112956.8``), ``kind`` the kind
    code when one was given (``B2``, ``A1``, ``E``).
    """

    jurisdiction: str
    number: str
    kind: str | None = None

    @property
    def key(self) -> str:
        """Office + number, without kind code: the patent's identity in the register."""
        return f"{self.jurisdiction}{self.number}"

    def __str__(self) -> str:
        return f"{self.jurisdiction}{self.number}{self.kind or ''}"


@cache
def offices() -> frozenset[str]:
    """Every office code accepted: ISO 3166 alpha-2, regional and former offices, minus RE."""
    iso = frozenset(country.alpha_2 for country in pycountry.countries)
    # Réunion (RE) has no office of its own; RE before digits is the US reissue prefix.
    return (iso | REGIONAL_OFFICES | FORMER_OFFICES) - {"RE"}


def cn_check_digit(application: str) -> str:
    """Check digit of an 8- or 12-digit CN application number (``"97112956"`` -> ``"8"``).

    Digits are weighted 2, 3, ..., 9, 2, 3, ... from the left; the sum modulo 11 is the check
    digit, 10 being written X.
    """
    total = sum(int(digit) * (2 + i % 8) for i, digit in enumerate(application))
    rest = total % 11
    return "X" if rest == 10 else str(rest)


def clean(raw: str) -> str:
    """The text as the parser reads it: NFKC, upper case, no BOM, single spaces, ASCII dashes."""
    text = unicodedata.normalize("NFKC", raw.translate(_INVISIBLE)).translate(_DASHES)
    return " ".join(text.split()).upper()


def normalize(raw: str, default_jurisdiction: str | None = None) -> PatentNumber:
    """Read one patent or publication number; raise :class:`InvalidPatentNumber` if unreadable.

    ``default_jurisdiction`` is the office assumed when the text starts with no office code.
    """
    default = _check_default(default_jurisdiction)
    try:
        plain = _PLAIN.fullmatch(raw)
        if plain is not None and plain[1] in offices():
            office, digits, kind = plain.groups()
            number, kind = _RULES.get(office, _other)("", digits, digits, kind)
            return PatentNumber(office, number, kind)
        return _parse(clean(raw), default)
    except _Refusal as refusal:
        raise InvalidPatentNumber(raw, str(refusal)) from None


def try_normalize(raw: str, default_jurisdiction: str | None = None) -> PatentNumber | None:
    """Like :func:`normalize`, but None for an unreadable number."""
    try:
        return normalize(raw, default_jurisdiction)
    except InvalidPatentNumber:
        return None


def _check_default(default: str | None) -> str | None:
    if default is None:
        return None
    code = default.strip().upper()
    if code not in offices():
        raise InvalidInput(f"default jurisdiction {default!r} is not a known office code")
    return code


def _parse(text: str, default: str | None) -> PatentNumber:
    if not text:
        raise _Refusal("empty")
    for char in text:
        if not (char.isascii() and (char.isalnum() or char in SEPARATORS)):
            raise _Refusal(f"unexpected character {char!r}")
    first_digit = next((i for i, char in enumerate(text) if char.isdigit()), None)
    if first_digit is None:
        raise _Refusal("no digits")
    rest = text[first_digit:]
    first_letter = next((i for i, char in enumerate(rest) if char.isalpha()), len(rest))
    body = rest[:first_letter]
    office, prefix = _office_and_prefix(_strip(text[:first_digit]), default)
    kind = _kind(_strip(rest[first_letter:]))
    digits = _strip(body)
    rule = _RULES.get(office, _other)
    number, kind = rule(prefix, digits, body, kind)
    return PatentNumber(office, number, kind)


def _strip(text: str) -> str:
    return "".join(char for char in text if char not in SEPARATORS)


def _office_and_prefix(letters: str, default: str | None) -> tuple[str, str]:
    if not letters:
        if default is None:
            raise _Refusal(
                "no office code (such as US, EP or CN) before the number, "
                "and no default jurisdiction given"
            )
        return default, ""
    if letters[:2] in offices():
        office, prefix = letters[:2], letters[2:]
        if prefix and prefix not in PREFIXES.get(office, frozenset()):
            raise _Refusal(_prefix_problem(office, prefix))
        return office, prefix
    if default is not None and letters in PREFIXES.get(default, frozenset()):
        return default, letters
    owners = sorted(office for office, known in PREFIXES.items() if letters in known)
    if owners:
        raise _Refusal(
            f"no office code before the number prefix {letters} (used by "
            f"{', '.join(owners)}): put the office code first, e.g. {owners[-1]}{letters}..., "
            "or give a default jurisdiction"
        )
    if len(letters) == 1:
        raise _Refusal(f"{letters!r} is neither an office code nor a known number prefix")
    hint = _OFFICE_HINTS.get(letters[:2], "not an ISO 3166 country code nor EP, WO, EA, AP, OA, GC")
    raise _Refusal(f"unknown office code {letters[:2]!r} ({hint})")


def _prefix_problem(office: str, prefix: str) -> str:
    if office == "JP" and prefix[0] in "SHR":
        return (
            "Japanese era-year numbers (S.., H.., R..) are not supported: give the "
            "registration number or a publication number with a western year"
        )
    known = PREFIXES.get(office)
    if known is None:
        return f"unexpected letters {prefix!r} between office code {office} and the digits"
    return f"{prefix!r} is not a {office} number prefix (known: {', '.join(sorted(known))})"


def _kind(trailer: str) -> str | None:
    if not trailer:
        return None
    if _KIND.fullmatch(trailer):
        return trailer
    if _LETTERS_THEN_DIGITS.fullmatch(trailer):
        raise _Refusal(
            f"malformed kind code {trailer!r}: a kind code is one letter, "
            "optionally followed by one digit"
        )
    raise _Refusal(
        f"unexpected letter {trailer[0]!r} among the digits: letters may stand only before "
        "the digits (office code, prefix) or after them (kind code)"
    )


def _nonzero(number: str) -> str:
    if not number.strip("0"):
        raise _Refusal("the number is zero")
    return number


def _us(prefix: str, digits: str, body: str, kind: str | None) -> tuple[str, str | None]:
    number = _nonzero(digits).lstrip("0")
    if prefix:
        limit = US_PREFIX_DIGITS[prefix]
        if len(number) > limit:
            raise _Refusal(f"a US {prefix} number has at most {limit} digits, not {len(number)}")
    elif len(number) in (10, 11) and "2001" <= number[:4] <= "2099":
        if kind is not None and kind not in US_PUBLICATION_KINDS:
            raise _Refusal(
                f"kind code {kind} does not fit a year-numbered US application publication "
                f"(kinds {', '.join(sorted(US_PUBLICATION_KINDS))})"
            )
        year, serial = number[:4], number[4:]
        if len(serial) == 7 and serial[0] == "0":
            serial = serial[1:]
        return year + _nonzero(serial), kind
    elif "/" in body:
        raise _Refusal(
            "a '/' in a US number marks an application number (series code/serial), "
            "not a patent or publication number"
        )
    elif len(number) > 8:
        raise _Refusal(
            f"{len(number)} digits: a US patent number has at most 8, and an application "
            "publication number is a year (2001 on) followed by 6 or 7 digits"
        )
    if kind in US_PUBLICATION_KINDS:
        raise _Refusal(
            f"kind code {kind} marks an application publication, whose number starts with "
            "the year (e.g. 2007255977); a patent number cannot carry it"
        )
    return prefix + number, kind


def _ep(prefix: str, digits: str, body: str, kind: str | None) -> tuple[str, str | None]:
    number = _nonzero(digits).lstrip("0")
    if len(number) > 7:
        raise _Refusal(
            f"an EP publication number has at most 7 digits, not {len(number)} "
            "(application numbers such as 05123456.7 are not publication numbers)"
        )
    return number.zfill(7), kind


def _wo(prefix: str, digits: str, body: str, kind: str | None) -> tuple[str, str | None]:
    if "/" in body:
        parts = [_strip(part) for part in body.split("/")]
        parts = [part for part in parts if part]
        if len(parts) != 2:
            raise _Refusal("a WO number with '/' must read year/serial, e.g. 2010/012345")
        year, serial = parts
    elif len(digits) == 10:
        year, serial = digits[:4], digits[4:]
    elif len(digits) == 7:
        year, serial = digits[:2], digits[2:]
    else:
        raise _Refusal(
            f"{len(digits)} digits: a WO publication number is a 4-digit year and a 6-digit "
            "serial (2010012345, 2010/012345), or before 2004 a 2-digit year and a 5-digit "
            "serial (99/12345)"
        )
    if len(serial) > 6:
        raise _Refusal(f"the serial of a WO number has at most 6 digits, not {len(serial)}")
    return _wo_year(year) + _nonzero(serial).zfill(6), kind


def _wo_year(year: str) -> str:
    if len(year) == 2:
        two = int(year)
        if 78 <= two <= 99:
            return f"19{year}"
        if two <= 3:
            return f"20{year}"
        raise _Refusal(f"two-digit WO year {year} is outside 78 to 03 (used 1978 to 2003)")
    if len(year) == 4 and "1978" <= year <= "2099":
        return year
    raise _Refusal(f"the year of a WO number must be 1978 to 2099 (4 digits), not {year}")


def _jp(prefix: str, digits: str, body: str, kind: str | None) -> tuple[str, str | None]:
    if len(digits) == 10 and "2000" <= digits[:4] <= "2099":
        return digits, kind
    number = _nonzero(digits).lstrip("0")
    if len(number) > 7:
        raise _Refusal(
            f"{len(digits)} digits: a JP number is a registration number of at most 7 digits "
            "or a publication number of a year (2000 on) and 6 digits, e.g. 2005-123456"
        )
    return number, kind


def _kr(prefix: str, digits: str, body: str, kind: str | None) -> tuple[str, str | None]:
    if len(digits) == 9 and digits[:2] in KR_RIGHTS:
        return digits, kind
    if len(digits) == 11 and digits[:2] in ("19", "20"):
        return digits, kind
    if len(digits) == 13 and digits[:2] in KR_RIGHTS and digits[2:4] in ("19", "20"):
        return digits[2:], kind
    raise _Refusal(
        f"{len(digits)} digits: a KR number is a registration number (right type 10, 20 or "
        "30, then 7 digits: 10-0123456) or a publication number (year and 7 digits, "
        "optionally after the right type: 10-2010-0012345)"
    )


def _cn(prefix: str, digits: str, body: str, kind: str | None) -> tuple[str, str | None]:
    if prefix == "ZL":
        return _cn_zl(digits, kind), None
    looks_like_application = _CN_CHECK_AFTER_DOT.search(body) or (
        kind == "X" and body.rstrip().endswith(".")
    )
    if looks_like_application or len(digits) in (12, 13):
        zl = f"ZL{digits}.X" if kind == "X" else f"ZL{digits[:-1]}.{digits[-1]}"
        raise _Refusal(f"this looks like an application number: write it in ZL form ({zl})")
    if not 7 <= len(digits) <= 9:
        raise _Refusal(
            f"a CN publication number has 7 to 9 digits, not {len(digits)} "
            "(a patent number in ZL form starts with ZL)"
        )
    return _nonzero(digits), kind


def _cn_zl(digits: str, kind: str | None) -> str:
    check: str | None = None
    if kind == "X" and len(digits) in (8, 12):
        check, kind = "X", None
    if kind is not None:
        raise _Refusal(f"a ZL patent number takes no kind code ({kind})")
    if check is None and len(digits) in (9, 13):
        digits, check = digits[:-1], digits[-1]
    if len(digits) == 8:  # 1985 to 2003: YY, type, 5-digit serial
        year, kind_digit = digits[:2], digits[2]
        in_range = not "03" < year < "85"
    elif len(digits) == 12:  # from October 2003: YYYY, type, 7-digit serial
        year, kind_digit = digits[:4], digits[4]
        in_range = "2003" <= year <= "2099"
    else:
        raise _Refusal(
            f"a ZL number is an application number of 8 digits (filed up to 2003) or 12 digits "
            f"(from October 2003) and its check digit; got {len(digits)} digits"
        )
    if not in_range:
        raise _Refusal(f"filing year {year} does not fit a {len(digits)}-digit ZL number")
    if kind_digit not in CN_APPLICATION_TYPES:
        raise _Refusal(
            f"application type {kind_digit} is not one of 1, 2, 3, 8, 9 "
            "(invention, utility model, design, PCT invention, PCT utility model)"
        )
    expected = cn_check_digit(digits)
    if check is not None and check != expected:
        raise _Refusal(f"check digit {check} does not match {digits} (expected {expected})")
    return f"ZL{digits}.{expected}"


def _other(prefix: str, digits: str, body: str, kind: str | None) -> tuple[str, str | None]:
    if len(digits) > OTHER_OFFICE_DIGITS:
        raise _Refusal(f"{len(digits)} digits is more than {OTHER_OFFICE_DIGITS}")
    return prefix + _nonzero(digits), kind


_RULES = {"US": _us, "EP": _ep, "WO": _wo, "JP": _jp, "KR": _kr, "CN": _cn}


@dataclass(frozen=True, slots=True)
class NormalizedEntry:
    """One input line read by :func:`dedupe_report`: its number, or why it was refused."""

    line: int
    raw: str
    number: PatentNumber | None = None
    error: str | None = None
    duplicate_of: int | None = None  # line of the first entry with the same key

    @property
    def valid(self) -> bool:
        return self.number is not None

    @property
    def duplicate(self) -> bool:
        return self.duplicate_of is not None


@dataclass(frozen=True, slots=True)
class DedupeSummary:
    entries: int
    valid: int
    invalid: int
    duplicates: int

    @property
    def unique(self) -> int:
        return self.valid - self.duplicates


def dedupe_report(
    raws: Iterable[str], default_jurisdiction: str | None = None, *, first_line: int = 1
) -> list[NormalizedEntry]:
    """Read every line, in order; flag invalid ones and repeats of an earlier key.

    Blank lines are skipped but counted, so ``line`` stays the line number in the input.
    """
    default = _check_default(default_jurisdiction)
    first_seen: dict[str, int] = {}
    entries: list[NormalizedEntry] = []
    for line, raw in enumerate(raws, start=first_line):
        if not clean(raw):
            continue
        try:
            number = normalize(raw, default)
        except InvalidPatentNumber as error:
            entries.append(NormalizedEntry(line, raw, error=str(error)))
            continue
        first = first_seen.setdefault(number.key, line)
        entries.append(NormalizedEntry(line, raw, number, None, None if first == line else first))
    return entries


def summarize(entries: Iterable[NormalizedEntry]) -> DedupeSummary:
    entries = list(entries)
    valid = sum(entry.valid for entry in entries)
    duplicates = sum(entry.duplicate for entry in entries)
    return DedupeSummary(len(entries), valid, len(entries) - valid, duplicates)
