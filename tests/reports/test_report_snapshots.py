"""Every report in every text format against its snapshot (tests/__snapshots__)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from patentpool.reports.kinds import KINDS
from patentpool.reports.render import render

TEXT_FORMATS = ("html", "md", "json")


def test_every_kind_has_a_context(contexts: dict[str, Any]) -> None:
    assert sorted(contexts) == sorted(KINDS)


@pytest.mark.parametrize("fmt", TEXT_FORMATS)
@pytest.mark.parametrize("kind", sorted(KINDS))
def test_report_matches_snapshot(
    kind: str, fmt: str, contexts: dict[str, Any], snapshot: Callable[[str, str], None]
) -> None:
    text = render(kind, contexts[kind], fmt)
    assert isinstance(text, str)
    snapshot(f"{kind}.{fmt}", text)
