"""The programme key fx_rule: checked, and left out of the stored definition when not written."""

from __future__ import annotations

import json

import pytest

from patentpool.core.fx import FxRule
from patentpool.errors import InvalidInput
from patentpool.io.licensing_convert import program_from, program_spec
from patentpool.io.licensing_schema import ProgramIn

BASE = {
    "id": "demo-v1",
    "standard": "DEMO",
    "versions": ["1"],
    "currency": "USD",
    "schedules": [{"effective_from": "2026-01-01", "categories": {"tv": {"per_unit": "1"}}}],
}


def test_a_programme_without_fx_rule_keeps_the_definition_it_had() -> None:
    item = ProgramIn.model_validate(BASE)
    spec = json.loads(program_spec(item))
    assert "fx_rule" not in spec
    assert "fx_rule" not in spec["schedules"][0]
    assert program_from(item).fx_rule is FxRule.QUARTER_END


def test_fx_rule_is_read_from_the_programme_and_its_schedules() -> None:
    data = {**BASE, "fx_rule": " Quarter_Average "}
    data["schedules"] = [{**BASE["schedules"][0], "fx_rule": "quarter_end"}]  # type: ignore[index]
    item = ProgramIn.model_validate(data)
    program = program_from(item)
    assert program.fx_rule is FxRule.QUARTER_AVERAGE
    assert program.schedules[0].fx_rule is FxRule.QUARTER_END
    spec = json.loads(program_spec(item))
    assert (spec["fx_rule"], spec["schedules"][0]["fx_rule"]) == ("quarter_average", "quarter_end")


def test_an_unknown_fx_rule_is_refused_by_name() -> None:
    with pytest.raises(InvalidInput) as caught:
        program_from(ProgramIn.model_validate({**BASE, "fx_rule": "monthly"}))
    assert str(caught.value) == "fx_rule: must be quarter_end or quarter_average, not 'monthly'"
    schedules = [{**BASE["schedules"][0], "fx_rule": "daily"}]  # type: ignore[dict-item]
    with pytest.raises(InvalidInput) as caught:
        program_from(ProgramIn.model_validate({**BASE, "schedules": schedules}))
    assert str(caught.value) == (
        "schedules.0.fx_rule: must be quarter_end or quarter_average, not 'daily'"
    )
