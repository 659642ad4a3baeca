"""``patentpool import``: read every file, check everything, then write all or nothing."""

from __future__ import annotations

import datetime as dt
import getpass
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import AbstractContextManager, ExitStack
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.orm import Session

from patentpool.core.model import Register
from patentpool.gcpause import collector_paused
from patentpool.io.backup import FORMAT as BACKUP_FORMAT
from patentpool.io.licensing_import import (
    LicensingBatch,
    check_licensing,
    parse_licensing_yaml,
    parse_payments_csv,
)
from patentpool.io.licensing_schema import LICENSING_KEYS
from patentpool.io.problems import ImportFailed, Problem, Source
from patentpool.io.readers import (
    FileUnreadable,
    LineDict,
    header_names,
    iter_csv,
    load_yaml,
    normalize_header,
    other_separator,
    read_csv,
    read_text,
)
from patentpool.io.register_import import (
    REGISTER_KEYS,
    RegisterBatch,
    RegisterChanges,
    check_register,
    parse_patents_csv,
    parse_register_yaml,
)
from patentpool.io.sales_stream import ReportKey, count_lines, stream_rows
from patentpool.services import corrections
from patentpool.storage import licensing_repo, repository
from patentpool.storage.models import ImportRow

YAML_SUFFIXES = (".yaml", ".yml", ".json")
CSV_SUFFIXES = (".csv",)
SCENARIO_KEYS = frozenset({"scenario", "regimes"})


@dataclass
class ImportSummary:
    files: list[str]
    changes: Counter[tuple[str, str]] = field(default_factory=Counter)
    import_id: int | None = None
    notes: list[str] = field(default_factory=list)  # said after the counts

    @property
    def changed(self) -> bool:
        return bool(self.changes)

    def lines(self) -> list[str]:
        if not self.changes:
            return [
                f"{len(self.files)} file(s) read; "
                "the register already held all of it: nothing changed"
            ]
        out = [f"{len(self.files)} file(s) imported:"]
        for (entity, action), n in sorted(self.changes.items()):
            out.append(f"  {entity + 's':<15} {action:<8} {n:>7,}")
        out.extend(self.notes)
        return out


def collect_files(
    paths: Sequence[str | Path], references: dict[Path, str] | None = None
) -> tuple[list[Path], list[Problem]]:
    """Files named, and the import files found in folders (recursively, sorted).

    ``references``, when given, is told how each file is named where it is recorded: a file
    found in a folder by its path inside that folder, a file named by its name.
    """
    files: list[Path] = []
    problems: list[Problem] = []
    refs: dict[Path, str] = {}
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(
                p
                for p in path.rglob("*")
                if p.is_file()
                and p.suffix.lower() in YAML_SUFFIXES + CSV_SUFFIXES
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
            if not found:
                problems.append(
                    Problem(str(path), 0, "path", "folder holds no .yaml, .json or .csv file")
                )
            files.extend(found)
            for p in found:
                refs.setdefault(p, p.relative_to(path).as_posix())
        elif path.is_file():
            files.append(path)
            refs.setdefault(path, path.name)
        else:
            problems.append(Problem(str(path), 0, "path", "does not exist"))
    if references is not None:
        references.update(refs)
    return list(dict.fromkeys(files)), problems


@dataclass
class Batch:
    register: RegisterBatch = field(default_factory=RegisterBatch)
    licensing: LicensingBatch = field(default_factory=LicensingBatch)


def read_batch(
    files: Iterable[Path], references: Mapping[Path, str] | None = None
) -> tuple[Batch, list[Problem]]:
    batch = Batch()
    problems: list[Problem] = []
    for path in files:
        display = str(path)
        try:
            suffix = path.suffix.lower()
            if suffix in CSV_SUFFIXES and _is_sales_file(path, display):
                batch.licensing.sales_files.append((path, display))
                batch.licensing.references[display] = (references or {}).get(path, path.name)
                continue
            text = read_text(path, display)
            if suffix in YAML_SUFFIXES:
                _read_yaml(text, display, batch, problems)
            elif suffix in CSV_SUFFIXES:
                _read_csv(text, display, batch, problems)
            else:
                problems.append(Problem(display, 0, "file", "is neither YAML/JSON nor CSV"))
        except FileUnreadable as exc:
            problems.append(exc.problem)
    return batch, problems


def _read_yaml(text: str, display: str, batch: Batch, problems: list[Problem]) -> None:
    data = load_yaml(text, display)
    if data is None:
        problems.append(Problem(display, 1, "file", "is empty"))
        return
    if not isinstance(data, LineDict):
        problems.append(
            Problem(
                display,
                1,
                "file",
                "must be a mapping of sections (alliance, members, standards, licensees, "
                f"programs), not a {_kind(data)}",
            )
        )
        return
    if SCENARIO_KEYS & set(data):
        problems.append(
            Problem(
                display, 1, "file", "is a regime scenario; run it with `patentpool compare FILE`"
            )
        )
        return
    if data.get("format") == BACKUP_FORMAT:
        problems.append(
            Problem(
                display,
                1,
                "file",
                "is the manifest of a backup; restore its folder into an empty database with "
                "`patentpool restore FOLDER`",
            )
        )
        return
    known = REGISTER_KEYS | LICENSING_KEYS
    for key in data:
        if key not in known:
            problems.append(
                Problem(
                    display,
                    data.key_lines.get(key, 1),
                    key,
                    f"unknown section (expected one of: {', '.join(sorted(known))})",
                )
            )
    if REGISTER_KEYS & set(data):
        parse_register_yaml(data, display, batch.register, problems)
    if LICENSING_KEYS & set(data):
        parse_licensing_yaml(data, display, batch.licensing, problems)


def _is_sales_file(path: Path, display: str) -> bool:
    """Does the CSV's header make it a sales report? (Read without loading the file.)"""
    first = next(stream_rows(path, display), None)
    if first is None:
        return False
    header = {normalize_header(h) for h in first[1]}
    return "publication_number" not in header and bool({"units", "category"} & header)


def _kind(value: object) -> str:
    return {list: "list", str: "text", int: "number", float: "number"}.get(
        type(value), type(value).__name__
    )


def _read_csv(text: str, display: str, batch: Batch, problems: list[Problem]) -> None:
    rows = iter_csv(text, display)
    first = next(rows, None)
    if first is not None:
        header_line, cells = first
        names = header_names(cells, display, header_line)
        if "publication_number" in names:  # read as lists of cells: tens of thousands of rows
            parse_patents_csv(display, header_line, names, list(rows), batch.register, problems)
            return
    table = read_csv(text, display)
    header = set(table.header)
    if {"amount", "received"} & header:
        parse_payments_csv(table, batch.licensing, problems)
    else:
        message = (
            "is not a file patentpool imports: a patents CSV has publication_number, a sales "
            "report units and category, a payments file amount and received "
            "(see docs/formats.md)"
        )
        split = other_separator(first[1]) if first is not None else None
        kind = _kind_of(split[1]) if split is not None else None
        if split is not None and kind is not None:
            message = (
                f"this file is separated by {split[0]}; patentpool reads comma-separated files "
                f"only: save it as CSV with commas (its header names the columns of {kind})"
            )
        problems.append(Problem(display, table.header_line, "header", message))


def _kind_of(columns: frozenset[str]) -> str | None:
    """Which file the columns make, by the rules of read_batch and _read_csv."""
    if "publication_number" in columns:
        return "a patents CSV"
    if {"units", "category"} & columns:
        return "a sales report"
    if {"amount", "received"} & columns:
        return "a payments file"
    return None


#: Opens a progress report of ``total`` items and yields the callback that advances it.
ProgressFactory = Callable[[str, int], AbstractContextManager[Callable[[int], None]]]


def import_paths(
    session: Session,
    paths: Sequence[str | Path],
    progress: ProgressFactory | None = None,
    *,
    rename_alliance: bool = False,
) -> ImportSummary:
    """Import files and folders in the session's transaction; raise ImportFailed on any problem.

    The caller commits; on ImportFailed nothing has been written. ``progress``, when given,
    is told of the sales lines read (each is read twice: checked, then written).
    ``rename_alliance`` lets an alliance file give the register another alliance id (refused
    otherwise: a register belongs to one alliance).
    """
    references: dict[Path, str] = {}
    files, problems = collect_files(paths, references)
    batch, read_problems = read_batch(files, references)
    problems.extend(read_problems)
    with ExitStack() as stack:
        if progress is not None and batch.licensing.sales_files:
            total = 2 * sum(count_lines(path) for path, _ in batch.licensing.sales_files)
            batch.licensing.advance = stack.enter_context(progress("sales lines", total))
        return _import_batch(session, files, batch, problems, rename_alliance)


def _import_batch(
    session: Session,
    files: list[Path],
    batch: Batch,
    problems: list[Problem],
    rename_alliance: bool = False,
) -> ImportSummary:
    if batch.register.is_empty():  # licensing files only: the standards are all they need
        existing = Register(standards=repository.load_standards(session))
        changes = RegisterChanges()
    else:
        existing = repository.load_register(session)
        changes, check_problems = check_register(existing, batch.register, rename_alliance)
        problems.extend(check_problems)
    licensing = None
    reported: frozenset[ReportKey] = frozenset()
    if not batch.licensing.is_empty():
        standards = existing.standard_index()
        standards.update({s.id: s for s in changes.standards})
        if batch.licensing.sales_files:
            batch.licensing.stage = licensing_repo.line_stage(session)
        state = licensing_repo.load_state(session)
        reported = frozenset(state.reports)
        licensing, lic_problems = check_licensing(
            Register(standards=tuple(standards.values())), state, batch.licensing
        )
        problems.extend(lic_problems)
    if problems:
        raise ImportFailed(problems)
    summary = ImportSummary([str(f) for f in files])
    log = changes.log + (licensing.log if licensing is not None else [])
    for entity, _key, action, detail, _source in log:
        summary.changes[(entity, action)] += 1
        if entity == "alliance" and action != "added":
            summary.notes.append(f"alliance {action}: {detail}")
    # a report imported before and again with other figures is a correction: its figures
    # before it (lines, units, royalty due) are read while the register still holds them
    corrected = sorted(k for k in (licensing.reports if licensing else ()) if k in reported)
    before = corrections.figures(session, corrected)
    superseded = set(corrections.superseded_runs(session)) if corrected else set()
    row = None
    if log:
        row = ImportRow(
            at=dt.datetime.now(dt.UTC),
            files="\n".join(summary.files),
            summary="; ".join(f"{e} {a}: {n}" for (e, a), n in sorted(summary.changes.items())),
        )
        session.add(row)
        session.flush()
        summary.import_id = row.id
    if changes.alliance is not None:
        repository.save_alliance(session, changes.alliance)
    repository.save_members(session, changes.members)
    repository.save_standards(session, changes.standards)
    with collector_paused():
        patent_ids = repository.save_patents(session, changes.patents)
        repository.save_declarations(session, changes.declarations, patent_ids)
    if licensing is not None:
        licensing_repo.save_licensing(session, licensing, summary.import_id, _user())
    if corrected:
        session.flush()
        log = _corrections(session, summary, before, superseded, log)
    if row is not None:
        with collector_paused():
            repository.save_changes(
                session, row.id, ((e, k, a, d, str(s)) for e, k, a, d, s in log)
            )
    return summary


def _user() -> str | None:
    """Who runs the import: the OS user, when the system knows one."""
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # pragma: no cover - no user name in the environment
        return None


def _corrections(
    session: Session,
    summary: ImportSummary,
    before: dict[ReportKey, corrections.ReportFigures],
    superseded: set[int],
    log: list[tuple[str, str, str, str, Source]],
) -> list[tuple[str, str, str, str, Source]]:
    """Say what each correction changed, and which distribution runs it superseded; the
    change log's entries of the corrections, with their figures before and after."""
    found = corrections.corrections(before, corrections.figures(session, before))
    summary.notes.extend(c.text() for c in found)
    newly = sorted(set(corrections.superseded_runs(session)) - superseded)
    if newly:
        summary.notes.append(
            "distribution runs made from the figures before, now superseded by a correction "
            f"until a new run of their period: {corrections.describe_runs(session, newly)}"
        )
    detail = {f"{c.program} {c.licensee} {c.period}": c.text() for c in found}
    return [
        (e, k, a, detail.get(k, d) if e == "sales report" else d, src)
        for e, k, a, d, src in log
    ]
