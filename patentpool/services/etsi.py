"""``patentpool import-etsi``: the members' patents declared in an ETSI IPR database export.

The export is read by :mod:`patentpool.io.etsi` (only the rows of the named specifications
and of companies that are members are kept); every problem is reported and nothing written, or
the new patents and the new or changed declarations are written in one transaction. A patent
the register already holds is left as it is (its own record, from the member's patents file,
says more than the export); a declaration already evaluated keeps its evaluation. A second
import of the same file changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, ExitStack
from dataclasses import dataclass, field, replace
from pathlib import Path

from sqlalchemy.orm import Session

from patentpool.core.model import Declaration, Essentiality, Patent
from patentpool.core.names import member_names
from patentpool.errors import InvalidInput, NotFound
from patentpool.gcpause import collector_paused
from patentpool.io.etsi import EtsiBatch, read_etsi
from patentpool.io.problems import ImportFailed, Problem, Source
from patentpool.storage import engine, repository
from patentpool.storage.models import ImportRow

#: Opens a progress report of ``total`` rows and yields the callback that advances it.
ProgressFactory = Callable[[str, int], AbstractContextManager[Callable[[int], None]]]

#: How many of the most frequent unmatched company names the summary names.
UNMATCHED_SHOWN = 10


@dataclass
class EtsiSummary:
    """What an ETSI import read, kept, skipped (by reason) and added."""

    file: str
    rows_read: int
    kept: int
    skipped: Counter[str]
    unmatched: list[tuple[str, int]]
    changes: Counter[tuple[str, str]] = field(default_factory=Counter)
    import_id: int | None = None

    def lines(self) -> list[str]:
        out = [
            f"{self.file}: {self.rows_read:,} rows read, {self.kept:,} kept, "
            f"{sum(self.skipped.values()):,} skipped"
        ]
        for reason, n in sorted(self.skipped.items(), key=lambda r: (-r[1], r[0])):
            out.append(f"  skipped, {reason}: {n:,}")
        if self.unmatched:
            out.append("  companies that are no member (add an alias to keep their rows):")
            out.extend(f"    {n:>9,}  {name}" for name, n in self.unmatched)
        if not self.changes:
            out.append("the register already held all of it: nothing changed")
        for (entity, action), n in sorted(self.changes.items()):
            out.append(f"  {entity + 's':<15} {action:<8} {n:>7,}")
        return out


def import_etsi(
    url: str,
    path: Path,
    standard: str,
    version: str,
    specs: Sequence[str],
    progress: ProgressFactory | None = None,
) -> EtsiSummary:
    """Import the export at ``path`` as declarations of ``standard`` ``version``, in one
    transaction of its own; raises :class:`ImportFailed` (nothing written) on any problem."""
    if not specs:
        raise InvalidInput("--spec: name at least one specification (36.331, or 36.*)")
    with engine.session_for(url, lock="import") as session, ExitStack() as stack:
        advance = None
        if progress is not None:
            total = max(path.stat().st_size // 400, 1)  # rows are about 400 bytes
            advance = stack.enter_context(progress("ETSI rows", total))
        return _import(session, path, standard, version, specs, advance)


def _import(
    session: Session,
    path: Path,
    standard_id: str,
    version_id: str,
    specs: Sequence[str],
    advance: Callable[[int], None] | None,
) -> EtsiSummary:
    existing = repository.load_register(session)
    standard = existing.standard_index().get(standard_id)
    if standard is None:
        raise NotFound("standard", standard_id)
    version = standard.version(version_id)
    if version is None:
        known = ", ".join(v.id for v in standard.versions) or "none"
        raise InvalidInput(f"{standard_id} has no version {version_id!r} (known: {known})")
    names = member_names((m.id, m.name, m.aliases) for m in existing.members)
    with collector_paused():
        batch = read_etsi(
            path, standard=standard_id, version=version, specs=specs, members=names,
            advance=advance,
        )  # fmt: skip
    if batch.problems:
        raise ImportFailed(batch.problems)
    summary = EtsiSummary(
        str(path),
        batch.rows_read,
        batch.kept,
        batch.skipped,
        batch.unmatched.most_common(UNMATCHED_SHOWN),
    )
    patents, declarations, log = _changes(existing.patent_index(), existing.declarations, batch)
    for entity, _key, action, _detail, _source in log:
        summary.changes[(entity, action)] += 1
    if not log:
        return summary
    row = ImportRow(
        at=dt.datetime.now(dt.UTC),
        files=str(path),
        summary="; ".join(f"{e} {a}: {n}" for (e, a), n in sorted(summary.changes.items())),
    )
    session.add(row)
    session.flush()
    summary.import_id = row.id
    with collector_paused():
        ids = repository.save_patents(session, patents)
        repository.save_declarations(session, declarations, ids)
        repository.save_changes(session, row.id, ((e, k, a, d, str(s)) for e, k, a, d, s in log))
    return summary


def _changes(
    patents_before: dict[str, Patent],
    declarations_held: Sequence[Declaration],
    batch: EtsiBatch,
) -> tuple[list[Patent], list[Declaration], list[tuple[str, str, str, str, Source]]]:
    """The new patents, the new or changed declarations, and the change log."""
    log: list[tuple[str, str, str, str, Source]] = []
    patents = []
    for key, (patent, source) in batch.patents.items():
        if key not in patents_before:
            patents.append(patent)
            log.append(("patent", key, "added", "new", source))
    before = {d.key: d for d in declarations_held}
    declarations = []
    for dkey, (declaration, source) in batch.declarations.items():
        held = before.get(dkey)
        if held is not None and held.essentiality is not Essentiality.DECLARED:
            declaration = replace(
                declaration,
                essentiality=held.essentiality,
                evaluator=held.evaluator,
                evaluated_on=held.evaluated_on,
            )
        if held == declaration:
            continue
        declarations.append(declaration)
        action = "added" if held is None else "updated"
        log.append(("declaration", " ".join(dkey), action, "from the ETSI export", source))
    return patents, declarations, log


__all__ = ["EtsiSummary", "ImportFailed", "Problem", "import_etsi"]
