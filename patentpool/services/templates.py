"""``patentpool template``: the forms licensees and members fill in, made from the register."""

from __future__ import annotations

from patentpool.core.periods import Period
from patentpool.errors import NotFound
from patentpool.io.forms import SalesForm, patents_form, sales_form
from patentpool.services.licensing import load_programs
from patentpool.storage import engine, licensing_repo, repository


def sales_report_form(
    url: str, program_id: str, licensee: str | None = None, period: Period | None = None
) -> bytes:
    """The royalty report form of ``program_id`` (for ``licensee`` and ``period`` when
    given), with the rates of the schedule in force in the period (today's when none)."""
    import datetime as dt

    from patentpool.core.names import licensee_names

    with engine.session_for(url) as session:
        programs = load_programs(session)
        if program_id not in programs:
            raise NotFound("programme", program_id)
        program = programs[program_id][0]
        if licensee is not None:
            known = licensing_repo.load_licensees(session)
            licensee = licensee_names((k.id, k.name) for k in known.values()).resolve(licensee)
        alliance = repository.load_alliance(session)
    schedule = (
        program.schedule_for(period) if period is not None else program.schedule_on(dt.date.today())
    )
    form = SalesForm(
        program=program,
        schedule=schedule,
        licensee=licensee,
        period=str(period) if period is not None else None,
        illustrative=bool(alliance and alliance.illustrative),
    )
    return sales_form(form)


def patents_register_form(url: str) -> bytes:
    """The patents form, with the register's members and standards in its drop-down lists."""
    with engine.session_for(url) as session:
        register = repository.load_register(session)
    illustrative = register.illustrative
    return patents_form(register.members, register.standards, illustrative)
