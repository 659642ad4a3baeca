"""Field types shared by every input schema, with the messages users see."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from pydantic import BeforeValidator

from patentpool.core.countries import normalize_country

_SLUG = re.compile(r"^[a-z0-9][a-z0-9._-]*$")


def plain_digits(text: str) -> bool:
    """ASCII digits 0 to 9 and nothing else: the one test of "plain digits" every reader makes.

    ``str.isdigit`` alone is not it: it takes ``²`` and other characters ``int()`` refuses.
    """
    return text.isascii() and text.isdigit()


def empty_to_none(value: Any) -> Any:
    if isinstance(value, str) and not value.strip():
        return None
    return value


def parse_date(value: Any) -> Any:
    value = empty_to_none(value)
    if value is None or (isinstance(value, dt.date) and not isinstance(value, dt.datetime)):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    if isinstance(value, dt.datetime):
        raise ValueError(
            f"not a date in YYYY-MM-DD form: {value.isoformat(sep=' ')!r} (leave out the time)"
        )
    raise ValueError(f"not a date in YYYY-MM-DD form: {value!r}")


def parse_slug(value: Any) -> Any:
    if not isinstance(value, str) or not _SLUG.match(value.strip()):
        raise ValueError(
            f"{value!r} is not a valid id (lower-case letters, digits, '.', '-' and '_', "
            "starting with a letter or digit)"
        )
    return value.strip()


def parse_text(value: Any) -> Any:
    if isinstance(value, bool) or value is None:
        raise ValueError("must be text")
    if isinstance(value, (int, float)):
        raise ValueError(
            f'must be text; write it in quotes ("{value}") so it is not read as a number'
        )
    if not isinstance(value, str) or not value.strip():
        raise ValueError("must not be empty")
    return " ".join(value.split())


def parse_optional_text(value: Any) -> Any:
    value = empty_to_none(value)
    return None if value is None else parse_text(value)


def parse_country(value: Any) -> Any:
    if isinstance(value, bool):
        raise ValueError(
            f"YAML read a country code as {str(value).lower()}: write it in quotes "
            '(e.g. "NO" for Norway)'
        )
    if not isinstance(value, str):
        raise ValueError(f"not a country code: {value!r}")
    return normalize_country(value)


_FLAGS = {"yes": True, "true": True, "1": True, "no": False, "false": False, "0": False}


def parse_flag(value: Any) -> Any:
    """An optional yes/no cell: ``yes``/``no`` (or ``true``/``false``, ``1``/``0``); empty
    is not known."""
    if isinstance(value, bool):
        return value
    value = empty_to_none(value)
    if value is None:
        return None
    flag = _FLAGS.get(str(value).strip().lower())
    if flag is None:
        raise ValueError(f"{value!r} is not yes or no")
    return flag


def parse_required_date(value: Any) -> Any:
    if empty_to_none(value) is None:
        raise ValueError("is required")
    return parse_date(value)


IsoDate = Annotated[dt.date, BeforeValidator(parse_required_date)]
OptionalDate = Annotated[dt.date | None, BeforeValidator(parse_date)]
Slug = Annotated[str, BeforeValidator(parse_slug)]
Text = Annotated[str, BeforeValidator(parse_text)]
OptionalText = Annotated[str | None, BeforeValidator(parse_optional_text)]
Country = Annotated[str, BeforeValidator(parse_country)]
OptionalFlag = Annotated[bool | None, BeforeValidator(parse_flag)]
