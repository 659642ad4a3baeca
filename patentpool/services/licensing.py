"""Licensing values read from the database: programmes decoded from their stored definition,
and the state an import is checked against."""

from __future__ import annotations

from sqlalchemy.orm import Session

from patentpool.core.licensing import Program
from patentpool.core.licensing_records import LicensingState
from patentpool.io.licensing_convert import program_from_spec
from patentpool.storage import licensing_repo


def load_programs(session: Session) -> dict[str, tuple[Program, str]]:
    """Every programme by id, with the JSON text of its definition it is decoded from."""
    return {
        program_id: (program_from_spec(spec), spec)
        for program_id, spec in licensing_repo.load_program_specs(session).items()
    }


def licensing_state(session: Session) -> LicensingState:
    """Licensees, programmes, current reports' checksums and payments, as the import checks
    a batch against them."""
    return licensing_repo.load_state(session, load_programs(session))
