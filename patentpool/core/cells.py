"""A cell of text, as a table or a spreadsheet reads it."""

from __future__ import annotations


def is_number(value: str) -> bool:
    """Does ``value`` read as a number, as ``float`` reads one (``12``, ``-2.5``, ``1e3``)?

    Used where text is laid out or written for other programs: a terminal table right-aligns a
    column of numbers, and a spreadsheet cell starting with ``-`` is a formula unless it is
    one.
    """
    try:
        float(value)
    except ValueError:
        return False
    return True
