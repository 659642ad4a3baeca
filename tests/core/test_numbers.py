"""Tests of patent number normalisation (patentpool.core.numbers).

Besides hand-written cases, two files of real patent numbers are read from ``../shared/data``
(relative to the project root). Both come from the public repository
google/patents-public-data (Apache License 2.0; licence text in that folder):
``mpegla-video-codec-us-patents.csv`` is the landscaping seed set of US patents MPEG LA listed
for its HEVC, MPEG-2, MPEG-4 Visual and AVC pools (models/landscaping/seeds/
video_codec.seed.csv), and ``docdb-publication-numbers-20k.csv`` holds 20,000 US publication
numbers in DOCDB form (examples/claim-text/data/20k_G_and_H_publication_numbers.csv). The tests
that need them are skipped when the folder is absent.

The CN check digits below were worked by hand: digits weighted 2, 3, ..., 9, 2, 3, ... from
the left, summed, taken modulo 11 (10 written X).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from patentpool.core import numbers
from patentpool.core.numbers import (
    DedupeSummary,
    InvalidPatentNumber,
    NormalizedEntry,
    PatentNumber,
    cn_check_digit,
    dedupe_report,
    normalize,
    summarize,
    try_normalize,
)
from patentpool.errors import InvalidInput, PatentpoolError

DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data"
MPEG_LA = DATA / "mpegla-video-codec-us-patents.csv"
DOCDB = DATA / "docdb-publication-numbers-20k.csv"


def _lines(path: Path) -> list[str]:
    if not path.exists():
        pytest.skip(f"real reference data {path.name} not found in {DATA.resolve()}")
    return path.read_text(encoding="utf-8").splitlines()


# --- accepted forms -------------------------------------------------------------------------

ACCEPTED = [
    # raw, default jurisdiction, jurisdiction, number, kind
    ("US 7,123,456 B2", None, "US", "7123456", "B2"),
    ("US7123456B2", None, "US", "7123456", "B2"),
    ("7123456", "US", "US", "7123456", None),
    ("7123456", "us", "US", "7123456", None),
    ("US 07123456", None, "US", "7123456", None),
    ("US 10,123,456 B2", None, "US", "10123456", "B2"),
    ("RE43360", "US", "US", "RE43360", None),
    ("USRE43360E", None, "US", "RE43360", "E"),
    ("US-RE43360-E", None, "US", "RE43360", "E"),
    ("US RE 43,360", None, "US", "RE43360", None),
    ("USD1012345S", None, "US", "D1012345", "S"),
    ("PP12345", "US", "US", "PP12345", None),
    ("US-2007255977-A1", None, "US", "2007255977", "A1"),
    ("US 2007/0255977 A1", None, "US", "2007255977", "A1"),
    ("US20070255977A1", None, "US", "2007255977", "A1"),
    ("US-5822302-A", None, "US", "5822302", "A"),
    ("EP1234567B1", None, "EP", "1234567", "B1"),
    ("EP 1 234 567 B1", None, "EP", "1234567", "B1"),
    ("EP 123 456 A2", None, "EP", "0123456", "A2"),
    ("CN 101123456 B", None, "CN", "101123456", "B"),
    ("CN1234567A", None, "CN", "1234567", "A"),
    ("CN ZL 97112956.8", None, "CN", "ZL97112956.8", None),
    ("CNZL971129568", None, "CN", "ZL97112956.8", None),
    ("ZL 97112956", "CN", "CN", "ZL97112956.8", None),
    ("cn zl 95115608.x", None, "CN", "ZL95115608.X", None),
    ("CN ZL 2017 1 0601862.3", None, "CN", "ZL201710601862.3", None),
    ("WO2010/012345", None, "WO", "2010012345", None),
    ("WO 2010/012345 A1", None, "WO", "2010012345", "A1"),
    ("WO/2010/012345", None, "WO", "2010012345", None),
    ("WO2010012345A1", None, "WO", "2010012345", "A1"),
    ("WO 99/12345 A1", None, "WO", "1999012345", "A1"),
    ("WO 02/123 A2", None, "WO", "2002000123", "A2"),
    ("WO9912345", None, "WO", "1999012345", None),
    ("JP2005-123456A", None, "JP", "2005123456", "A"),
    ("JP 4123456 B2", None, "JP", "4123456", "B2"),
    ("KR10-0123456", None, "KR", "100123456", None),
    ("KR 10-0123456 B1", None, "KR", "100123456", "B1"),
    ("KR 10-2010-0012345 A", None, "KR", "20100012345", "A"),
    ("KR20100012345A", None, "KR", "20100012345", "A"),
    ("DE 10 2005 012 345 A1", None, "DE", "102005012345", "A1"),
    ("GB2123456A", None, "GB", "2123456", "A"),
    ("TWI123456B", None, "TW", "I123456", "B"),
    ("DD 123456", None, "DD", "123456", None),
    ("EA 012345 B1", None, "EA", "012345", "B1"),
]


@pytest.mark.parametrize(("raw", "default", "office", "number", "kind"), ACCEPTED)
def test_accepted_forms(
    raw: str, default: str | None, office: str, number: str, kind: str | None
) -> None:
    result = normalize(raw, default)
    assert result == PatentNumber(office, number, kind)
    assert result.key == office + number
    assert str(result) == office + number + (kind or "")


def test_key_leaves_out_the_kind_code_and_str_keeps_it() -> None:
    patent = normalize("US 7,123,456 B2")
    assert patent.key == "US7123456"
    assert str(patent) == "US7123456B2"
    assert str(normalize("USRE43360E")) == "USRE43360E"
    assert normalize("CN ZL 97112956.8").key == "CNZL97112956.8"


@pytest.mark.parametrize(
    "raw",
    [
        "\ufeffUS7123456B2",  # byte order mark from a spreadsheet export
        "  us 7,123,456 b2\n",  # lower case, surrounding whitespace
        "US\u00a07\u00a0123\u00a0456\u00a0B2",  # non-breaking spaces
        "US 7\u2009123\u2009456 B2",  # thin spaces
        "US\t7.123.456   B2",  # tab, dots as thousands separators, stray spaces
        "US\u20137123456\u2013B2",  # en dashes
        "ＵＳ７１２３４５６Ｂ２",  # full-width forms
        "US 7\u200b123456 B2",  # zero-width space
    ],
)
def test_noise_around_and_inside_the_number_is_ignored(raw: str) -> None:
    assert normalize(raw) == PatentNumber("US", "7123456", "B2")


# --- refusals -------------------------------------------------------------------------------

REFUSED = [
    ("", None, "empty"),
    (" \u00a0 ", None, "empty"),
    ("\ufeff", None, "empty"),
    (
        "7123456",
        None,
        "no office code (such as US, EP or CN) before the number, and no default jurisdiction "
        "given",
    ),
    (
        "RE43360",
        None,
        "no office code before the number prefix RE (used by US): put the office code first, "
        "e.g. USRE..., or give a default jurisdiction",
    ),
    ("US", None, "no digits"),
    (
        "XX123",
        None,
        "unknown office code 'XX' (not an ISO 3166 country code nor EP, WO, EA, AP, OA, GC)",
    ),
    ("UK2123456A", None, "unknown office code 'UK' (the United Kingdom's code is GB)"),
    ("US#7123456", None, "unexpected character '#'"),
    (
        "US71234X6B2",
        None,
        "unexpected letter 'X' among the digits: letters may stand only before the digits "
        "(office code, prefix) or after them (kind code)",
    ),
    (
        "US7123456B12",
        None,
        "malformed kind code 'B12': a kind code is one letter, optionally followed by one digit",
    ),
    (
        "US7123456 BB",
        None,
        "malformed kind code 'BB': a kind code is one letter, optionally followed by one digit",
    ),
    ("USXY123", None, "'XY' is not a US number prefix (known: D, H, PP, RE, T)"),
    ("EPB1234567", None, "unexpected letters 'B' between office code EP and the digits"),
    ("US0000", None, "the number is zero"),
    (
        "US123456789",
        None,
        "9 digits: a US patent number has at most 8, and an application publication number is "
        "a year (2001 on) followed by 6 or 7 digits",
    ),
    (
        "US 1999/0255977",
        None,
        "a '/' in a US number marks an application number (series code/serial), not a patent "
        "or publication number",
    ),
    (
        "US 10/123,456",
        None,
        "a '/' in a US number marks an application number (series code/serial), not a patent "
        "or publication number",
    ),
    ("USRE1234567", None, "a US RE number has at most 6 digits, not 7"),
    (
        "US7123456A1",
        None,
        "kind code A1 marks an application publication, whose number starts with the year "
        "(e.g. 2007255977); a patent number cannot carry it",
    ),
    (
        "US2007255977B2",
        None,
        "kind code B2 does not fit a year-numbered US application publication "
        "(kinds A1, A2, A9, P1, P4, P9)",
    ),
    (
        "EP12345678",
        None,
        "an EP publication number has at most 7 digits, not 8 (application numbers such as "
        "05123456.7 are not publication numbers)",
    ),
    (
        "WO201012345",
        None,
        "9 digits: a WO publication number is a 4-digit year and a 6-digit serial (2010012345, "
        "2010/012345), or before 2004 a 2-digit year and a 5-digit serial (99/12345)",
    ),
    ("WO 55/12345", None, "two-digit WO year 55 is outside 78 to 03 (used 1978 to 2003)"),
    ("WO 1950/012345", None, "the year of a WO number must be 1978 to 2099 (4 digits), not 1950"),
    ("WO2010/1234567", None, "the serial of a WO number has at most 6 digits, not 7"),
    ("WO 2010/01/2345", None, "a WO number with '/' must read year/serial, e.g. 2010/012345"),
    (
        "JP2005-12345A",
        None,
        "9 digits: a JP number is a registration number of at most 7 digits or a publication "
        "number of a year (2000 on) and 6 digits, e.g. 2005-123456",
    ),
    (
        "JPH11-123456A",
        None,
        "Japanese era-year numbers (S.., H.., R..) are not supported: give the registration "
        "number or a publication number with a western year",
    ),
    (
        "KR0123456",
        None,
        "7 digits: a KR number is a registration number (right type 10, 20 or 30, then 7 "
        "digits: 10-0123456) or a publication number (year and 7 digits, optionally after the "
        "right type: 10-2010-0012345)",
    ),
    (
        "KR 40-0123456",
        None,
        "9 digits: a KR number is a registration number (right type 10, 20 or 30, then 7 "
        "digits: 10-0123456) or a publication number (year and 7 digits, optionally after the "
        "right type: 10-2010-0012345)",
    ),
    ("CN ZL 97112956.7", None, "check digit 7 does not match 97112956 (expected 8)"),
    ("CN ZL 95115608.0", None, "check digit 0 does not match 95115608 (expected X)"),
    (
        "CN ZL 9711295",
        None,
        "a ZL number is an application number of 8 digits (filed up to 2003) or 12 digits "
        "(from October 2003) and its check digit; got 7 digits",
    ),
    ("CN ZL 97112956.8 B", None, "a ZL patent number takes no kind code (B)"),
    ("CN ZL 20021 0012345", None, "filing year 2002 does not fit a 12-digit ZL number"),
    ("CN ZL 50112956", None, "filing year 50 does not fit a 8-digit ZL number"),
    (
        "CN ZL 97512956",
        None,
        "application type 5 is not one of 1, 2, 3, 8, 9 (invention, utility model, design, "
        "PCT invention, PCT utility model)",
    ),
    (
        "CN 97112956.8",
        None,
        "this looks like an application number: write it in ZL form (ZL97112956.8)",
    ),
    (
        "CN 95115608.X",
        None,
        "this looks like an application number: write it in ZL form (ZL95115608.X)",
    ),
    (
        "CN 123456",
        None,
        "a CN publication number has 7 to 9 digits, not 6 (a patent number in ZL form starts "
        "with ZL)",
    ),
    ("GB1234567890123456", None, "16 digits is more than 15"),
]


@pytest.mark.parametrize(("raw", "default", "reason"), REFUSED)
def test_refusals_name_the_input_and_the_reason(raw: str, default: str | None, reason: str) -> None:
    with pytest.raises(InvalidPatentNumber) as caught:
        normalize(raw, default)
    assert caught.value.raw == raw
    assert caught.value.reason == reason
    assert str(caught.value) == f"invalid patent number {raw!r}: {reason}"


def test_invalid_patent_number_is_a_user_error() -> None:
    with pytest.raises(PatentpoolError):
        normalize("XX1")
    assert issubclass(InvalidPatentNumber, InvalidInput)


def test_the_message_shows_invisible_characters_of_the_input() -> None:
    with pytest.raises(InvalidPatentNumber, match=re.escape(r"'\ufeffXX1\xa0'")):
        normalize("\ufeffXX1\u00a0")


def test_an_unknown_default_jurisdiction_is_refused() -> None:
    with pytest.raises(InvalidInput, match="default jurisdiction 'ZZ' is not a known office code"):
        normalize("7123456", "ZZ")
    with pytest.raises(InvalidInput, match="default jurisdiction 'RE'"):
        normalize("43360", "RE")  # Réunion has no office; RE is the US reissue prefix


def test_a_default_never_overrides_an_office_code_given_in_the_text() -> None:
    assert normalize("EP1234567", "US").key == "EP1234567"
    assert normalize("DE1234567", "US").key == "DE1234567"  # Germany, not a US design D


def test_try_normalize_gives_none_for_a_refusal() -> None:
    assert try_normalize("US7123456B2") == PatentNumber("US", "7123456", "B2")
    assert try_normalize("US7123456B12") is None
    assert try_normalize("7123456") is None


# --- CN check digit -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("application", "check"),
    [
        # 9*2 + 7*3 + 1*4 + 1*5 + 2*6 + 9*7 + 5*8 + 6*9 = 217 = 19*11 + 8
        ("97112956", "8"),
        # 9*2 + 5*3 + 1*4 + 1*5 + 5*6 + 6*7 + 0*8 + 8*9 = 186 = 16*11 + 10 -> X
        ("95115608", "X"),
        # 9*2 + 7*3 + 1*4 + 0*5 + 1*6 + 7*7 + 6*8 + 5*9 = 191 = 17*11 + 4
        ("97101765", "4"),
        # 8*2 + 8*3 + 2*4 + 0*5 + 1*6 + 4*7 + 6*8 + 5*9 = 175 = 15*11 + 10 -> X
        ("88201465", "X"),
        # weights 2..9 then 2..5: 4+0+4+35+6+0+48+0+2+24+24+10 = 157 = 14*11 + 3
        ("201710601862", "3"),
        # 4+0+4+0+48+0+0+54+6+3+36+30 = 185 = 16*11 + 9
        ("201080063196", "9"),
    ],
)
def test_cn_check_digit(application: str, check: str) -> None:
    assert cn_check_digit(application) == check
    assert normalize(f"CN ZL {application}").number == f"ZL{application}.{check}"


# --- dedupe_report --------------------------------------------------------------------------


def test_dedupe_report_flags_invalid_lines_and_repeats_in_input_order() -> None:
    lines = [
        "US 7,123,456 B2",
        "",
        "7123456",  # same key as line 1, kind code left out
        "US7123457",
        "US7123456B12",
        "  ",
        "us7123457",
    ]
    entries = dedupe_report(lines, "US")
    assert entries == [
        NormalizedEntry(1, "US 7,123,456 B2", PatentNumber("US", "7123456", "B2")),
        NormalizedEntry(3, "7123456", PatentNumber("US", "7123456"), duplicate_of=1),
        NormalizedEntry(4, "US7123457", PatentNumber("US", "7123457")),
        NormalizedEntry(
            5,
            "US7123456B12",
            error="invalid patent number 'US7123456B12': malformed kind code 'B12': a kind "
            "code is one letter, optionally followed by one digit",
        ),
        NormalizedEntry(7, "us7123457", PatentNumber("US", "7123457"), duplicate_of=4),
    ]
    assert [entry.valid for entry in entries] == [True, True, True, False, True]
    assert [entry.duplicate for entry in entries] == [False, True, False, False, True]
    assert summarize(entries) == DedupeSummary(entries=5, valid=4, invalid=1, duplicates=2)
    assert summarize(entries).unique == 2


def test_dedupe_report_counts_lines_from_first_line_and_needs_a_known_default() -> None:
    entries = dedupe_report(["EP1234567B1", "EP 1 234 567 A1"], first_line=2)
    assert [(entry.line, entry.duplicate_of) for entry in entries] == [(2, None), (3, 2)]
    with pytest.raises(InvalidInput, match="default jurisdiction 'XX'"):
        dedupe_report(["1"], "XX")


# --- real data ------------------------------------------------------------------------------


def test_every_mpeg_la_us_number_normalises_with_one_repeat_and_77_reissues() -> None:
    lines = _lines(MPEG_LA)
    entries = dedupe_report(lines, "US")
    assert summarize(entries) == DedupeSummary(entries=1711, valid=1711, invalid=0, duplicates=1)
    [repeat] = [entry for entry in entries if entry.duplicate]
    assert repeat.raw == "9179160"
    assert repeat.number == PatentNumber("US", "9179160")
    assert (repeat.line, repeat.duplicate_of) == (1703, 234)  # grep -n 9179160 agrees
    reissues = [e for e in entries if e.number is not None and e.number.number.startswith("RE")]
    assert len(reissues) == 77
    assert all(e.number is not None and e.number.jurisdiction == "US" for e in entries)


def test_every_docdb_publication_number_normalises() -> None:
    header, *lines = _lines(DOCDB)
    assert header == "publication_number"
    entries = dedupe_report(lines, first_line=2)
    # 101 numbers occur twice in the file and 2 of them three times: 103 repeats.
    assert summarize(entries) == DedupeSummary(
        entries=20_000, valid=20_000, invalid=0, duplicates=103
    )
    first = entries[0]
    assert (first.line, first.raw, str(first.number)) == (2, lines[0], "US2007255977A1")
    for entry in entries:  # DOCDB form and canonical form differ only by the dashes
        assert str(entry.number) == entry.raw.replace("-", "")


# --- properties -----------------------------------------------------------------------------

_KINDS = st.sampled_from([None, "A", "A1", "B", "B1", "B2", "C", "U"])


def _zl(length: int) -> st.SearchStrategy[str]:
    if length == 8:
        year = st.sampled_from([f"{y:02d}" for y in (*range(85, 100), *range(4))])
    else:
        year = st.integers(2003, 2099).map(str)
    digits = 5 if length == 8 else 7
    serial = st.integers(0, 10**digits - 1).map(lambda s: f"{s:0{digits}d}")
    kind = st.sampled_from(sorted("12389"))
    return st.builds(lambda y, k, s: y + k + s, year, kind, serial).map(
        lambda a: f"ZL{a}.{cn_check_digit(a)}"
    )


_NUMBERS: st.SearchStrategy[PatentNumber] = st.one_of(
    st.builds(
        PatentNumber,
        st.just("US"),
        st.integers(1, 99_999_999).map(str),
        st.sampled_from([None, "A", "B1", "B2"]),
    ),
    st.builds(
        PatentNumber,
        st.just("US"),
        st.builds(lambda y, s: f"{y}{s:06d}", st.integers(2001, 2099), st.integers(1, 999_999)),
        st.sampled_from([None, "A1", "A2", "A9"]),
    ),
    st.builds(
        PatentNumber,
        st.just("US"),
        st.builds(
            lambda p, n: f"{p}{n}", st.sampled_from(["RE", "D", "PP"]), st.integers(1, 99_999)
        ),
        st.sampled_from([None, "E", "S"]),
    ),
    st.builds(
        PatentNumber, st.just("EP"), st.integers(1, 9_999_999).map(lambda n: f"{n:07d}"), _KINDS
    ),
    st.builds(
        PatentNumber,
        st.just("WO"),
        st.builds(lambda y, s: f"{y}{s:06d}", st.integers(1978, 2099), st.integers(1, 999_999)),
        st.sampled_from([None, "A1", "A2", "A3"]),
    ),
    st.builds(PatentNumber, st.just("JP"), st.integers(1, 9_999_999).map(str), _KINDS),
    st.builds(
        PatentNumber,
        st.just("JP"),
        st.builds(lambda y, s: f"{y}{s:06d}", st.integers(2000, 2099), st.integers(1, 999_999)),
        _KINDS,
    ),
    st.builds(
        PatentNumber,
        st.just("KR"),
        st.builds(
            lambda r, s: f"{r}{s:07d}",
            st.sampled_from(["10", "20", "30"]),
            st.integers(0, 10**7 - 1),
        ),
        _KINDS,
    ),
    st.builds(
        PatentNumber,
        st.just("KR"),
        st.builds(lambda y, s: f"{y}{s:07d}", st.integers(1900, 2099), st.integers(1, 10**7 - 1)),
        _KINDS,
    ),
    st.builds(PatentNumber, st.just("CN"), st.integers(10**6, 10**9 - 1).map(str), _KINDS),
    st.builds(PatentNumber, st.just("CN"), st.one_of(_zl(8), _zl(12)), st.none()),
    st.builds(
        PatentNumber,
        st.sampled_from(["GB", "FR", "DE", "AU", "EA", "SU"]),
        st.text("0123456789", min_size=1, max_size=15).filter(lambda d: d.strip("0") != ""),
        _KINDS,
    ),
)

_GAPS = st.sampled_from(["", " ", ",", "-", "\u00a0", " , ", "  "])


@given(_NUMBERS)
def test_the_canonical_form_reads_back_as_itself(number: PatentNumber) -> None:
    assert normalize(str(number)) == number
    assert normalize(str(number).lower()) == number


@given(st.sampled_from([raw for raw, *_ in ACCEPTED]), st.sampled_from([None, "US", "CN", "EP"]))
def test_normalising_is_idempotent(raw: str, default: str | None) -> None:
    first = try_normalize(raw, default)
    if first is not None:
        assert normalize(str(first)) == first


@given(_NUMBERS, st.data())
def test_separators_between_digit_groups_change_nothing(
    number: PatentNumber, data: st.DataObject
) -> None:
    match = re.fullmatch(r"([A-Z]*)(\d+)(?:\.([\dX]))?", number.number)
    assert match is not None
    prefix, digits, check = match.groups()
    tail = ""
    if check == "X":
        tail = data.draw(_GAPS) + "X"
    elif check is not None:
        digits += check
    grouped = "".join(digit + data.draw(_GAPS) for digit in digits[:-1]) + digits[-1]
    raw = (
        number.jurisdiction
        + data.draw(_GAPS)
        + prefix
        + data.draw(_GAPS)
        + grouped
        + tail
        + data.draw(_GAPS)
        + (number.kind or "")
    )
    assert normalize(raw) == number


_PLAIN_NUMBERS = st.builds(
    lambda office, digits, kind: office + digits + kind,
    st.one_of(
        st.sampled_from(["US", "EP", "WO", "JP", "KR", "CN", "TW", "GB", "RE", "UK", "XX", "PC"]),
        st.from_regex(r"[A-Z]{2}", fullmatch=True),
    ),
    st.text("0123456789", min_size=1, max_size=16),
    st.sampled_from(["", "A", "B", "A1", "A2", "B1", "B2", "E", "X", "P1", "S", "U9"]),
)


@given(_PLAIN_NUMBERS)
def test_a_plainly_written_number_reads_as_the_full_parser_reads_it(raw: str) -> None:
    """``normalize`` takes a short cut for numbers already written plainly (office, digits,
    kind): it must give what the parser gives them, number or refusal."""
    try:
        expected: PatentNumber | str = numbers._parse(numbers.clean(raw), None)
    except numbers._Refusal as refusal:
        expected = f"invalid patent number {raw!r}: {refusal}"
    try:
        got: PatentNumber | str = normalize(raw)
    except InvalidPatentNumber as exc:
        got = str(exc)
    assert got == expected
