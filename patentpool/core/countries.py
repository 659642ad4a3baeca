"""Country codes: ISO 3166-1 alpha-2, checked against the pycountry database."""

from __future__ import annotations

from functools import cache, lru_cache

import pycountry

#: Codes that are not ISO 3166 countries but appear where patents take effect or are published.
EXTRA_CODES = {"EP": "European Patent Office", "WO": "WIPO (PCT)", "EU": "European Union"}


@cache
def _alpha2() -> frozenset[str]:
    return frozenset(c.alpha_2 for c in pycountry.countries)


def is_country(code: str) -> bool:
    """True for an ISO 3166-1 alpha-2 code of a country (``UK`` is accepted for ``GB``)."""
    return code.upper() in _alpha2() or code.upper() == "UK"


@lru_cache(maxsize=1024)  # a file names the same few codes on row after row
def normalize_country(code: str) -> str:
    """Upper-case, strip, and read ``UK`` as ``GB``; raises ValueError when unknown."""
    value = code.strip().upper()
    if value == "UK":
        return "GB"
    if value not in _alpha2():
        raise ValueError(f"unknown country code {code.strip()!r}")
    return value


def country_name(code: str) -> str:
    found = pycountry.countries.get(alpha_2=code.upper())
    if found is not None:
        return str(found.name)
    return EXTRA_CODES.get(code.upper(), code)


def country_codes() -> list[tuple[str, str]]:
    """Every ISO 3166-1 alpha-2 code with its country's name, by code."""
    return sorted((code, country_name(code)) for code in _alpha2())
