"""Listing the register: members, standards, patents and counts."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import click

from patentpool.cli.common import App, format_option, pass_app, render_rows, resolve_member
from patentpool.cli.dates import as_of_option
from patentpool.cli.workbooks import check_xlsx, table_format_options, write_xlsx
from patentpool.core.model import Essentiality, Register
from patentpool.core.register import CountBy, PatentFilter, count_declarations, select_patents
from patentpool.errors import InvalidInput, NotFound


def _require_version(register: Register, standard: str, version: str | None) -> None:
    found = register.standard_index().get(standard)
    if found is None:
        raise NotFound("standard", standard)
    if version is not None and found.version(version) is None:
        known = ", ".join(v.id for v in found.versions) or "none"
        raise InvalidInput(f"{standard} has no version {version!r} (known: {known})")


@click.group("members")
def members() -> None:
    """The alliance's members.

    \b
    Example:
      patentpool members list --format csv
    """


@members.command("list")
@format_option
@pass_app
def members_list(app: App, fmt: str) -> None:
    """List members with their aliases and the number of patents each has declared.

    Aliases are separated by "; " in the table and CSV (a list in JSON).

    \b
    Example:
      patentpool members list
    """
    register = app.load_register()
    owned: dict[str, int] = {}
    for p in register.patents:
        owned[p.owner] = owned.get(p.owner, 0) + 1
    rows: list[dict[str, Any]] = [
        {
            "id": m.id,
            "name": m.name,
            "joined": m.joined.isoformat() if m.joined else None,
            "declared_patents": owned.get(m.id, 0),
            "aliases": list(m.aliases),
        }
        for m in register.members
    ]
    # an alias may hold spaces: joined by "; " so that each stays readable
    shown = [{**row, "aliases": "; ".join(row["aliases"])} for row in rows]
    columns = ["id", "name", "joined", "declared_patents", "aliases"]
    click.echo(render_rows(shown, columns, fmt, json_payload=rows))


@click.group("standards")
def standards() -> None:
    """The standards and versions patents are declared against.

    \b
    Example:
      patentpool standards list
    """


@standards.command("list")
@format_option
@pass_app
def standards_list(app: App, fmt: str) -> None:
    """List standards, one row per version, with declaration counts.

    \b
    Example:
      patentpool standards list --format json
    """
    register = app.load_register()
    declared: dict[tuple[str, str], int] = {}
    for d in register.declarations:
        declared[(d.standard, d.version)] = declared.get((d.standard, d.version), 0) + 1
    rows = [
        {
            "standard": s.id,
            "name": s.name,
            "version": v.id,
            "published": v.published.isoformat() if v.published else None,
            "supersedes": v.supersedes,
            "sections": list(v.sections),
            "declarations": declared.get((s.id, v.id), 0),
        }
        for s in register.standards
        for v in s.versions
    ]
    columns = ["standard", "name", "version", "published", "supersedes", "sections", "declarations"]
    click.echo(render_rows(rows, columns, fmt))


@click.group("patents")
def patents() -> None:
    """The declared patents.

    \b
    Example:
      patentpool patents list --member lenovo --as-of 2026-03-31
    """


def _country(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    from patentpool.core.countries import normalize_country

    try:
        return normalize_country(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from exc


@patents.command("list")
@click.option("--member", help="Only this member's patents (its id, name or alias).")
@click.option("--standard", help="Only patents declared against this standard.")
@click.option("--version", "version", help="... and this version of it (needs --standard).")
@as_of_option("Only patents in force on this day (YYYY-MM-DD).")
@click.option(
    "--country", callback=_country, help="Only patents that take effect in CC (ISO code)."
)
@click.option(
    "--essentiality",
    type=click.Choice([e.value for e in Essentiality]),
    help="Only declarations so evaluated.",
)
@table_format_options
@pass_app
def patents_list(
    app: App,
    member: str | None,
    standard: str | None,
    version: str | None,
    as_of: dt.datetime | None,
    country: str | None,
    essentiality: str | None,
    fmt: str,
    output: Path | None,
) -> None:
    """List patents with owner, dates, status, expiry and declarations.

    \b
    Example:
      patentpool patents list --standard IGRS --version 1.0 --essentiality essential
      patentpool patents list --as-of 2026-03-31 --country DE --format csv
      patentpool patents list --format xlsx -o patents.xlsx
    """
    if version is not None and standard is None:
        raise click.UsageError("--version needs --standard")
    check_xlsx(fmt, output)
    register = app.load_register()
    if member is not None:
        member = resolve_member(register, member)
    if standard is not None:
        _require_version(register, standard, version)
    query = PatentFilter(
        member=member,
        standard=standard,
        version=version,
        in_force_on=as_of.date() if as_of else None,
        country=country,
        essentiality=Essentiality(essentiality) if essentiality else None,
    )
    from patentpool.reports.documents import patent_row

    rows: list[dict[str, Any]] = []
    for view in select_patents(register, query):
        rows.append(patent_row(view))
    columns = [
        "patent",
        "owner",
        "family",
        "filing_date",
        "grant_date",
        "expiry",
        "status",
        "validated_states",
        "declarations",
    ]
    if fmt != "table":
        columns.append("title")
    if fmt == "xlsx":
        from patentpool.reports.workbook import table

        kinds = {"filing_date": "date", "grant_date": "date", "expiry": "date"}
        for row in rows:
            row["declarations"] = "; ".join(row["declarations"])
        sheet = table("Patents", [(c, kinds.get(c, "text")) for c in columns], rows)
        illustrative = register.illustrative
        write_xlsx(app, output, "Patents", [sheet], illustrative=illustrative)
        return
    click.echo(render_rows(rows, columns, fmt))



@click.command("counts")
@click.option("--standard", required=True, help="Standard id, e.g. IGRS.")
@click.option("--version", "version", required=True, help="Version id, e.g. 1.0.")
@as_of_option("Date for the in-force counts (YYYY-MM-DD; default today).")
@click.option(
    "--by", type=click.Choice([b.value for b in CountBy]), default="member", show_default=True
)
@table_format_options
@pass_app
def counts(
    app: App,
    standard: str,
    version: str,
    as_of: dt.datetime | None,
    by: str,
    fmt: str,
    output: Path | None,
) -> None:
    """Count a standard version's declarations: declared, evaluated, in force.

    \b
    Example:
      patentpool counts --standard IGRS --version 1.0 --as-of 2026-03-31 --format json
      patentpool counts --standard IGRS --version 1.0 --format xlsx -o counts.xlsx
    """
    check_xlsx(fmt, output)
    register = app.load_register()
    _require_version(register, standard, version)
    day = as_of.date() if as_of else dt.date.today()
    rows, total = count_declarations(register, standard, version, day, CountBy(by))
    columns = [
        "group",
        "declared",
        "essential",
        "not_essential",
        "awaiting",
        "in_force",
        "essential_in_force",
        "families",
    ]

    def as_dict(row: Any) -> dict[str, Any]:
        return {c: getattr(row, c) for c in columns}

    payload = {
        "standard": standard,
        "version": version,
        "as_of": day.isoformat(),
        "by": by,
        "groups": [{by: r.group, **{c: getattr(r, c) for c in columns[1:]}} for r in rows],
        "total": {c: getattr(total, c) for c in columns[1:]},
    }
    table_rows = [as_dict(r) for r in rows] + [as_dict(total)]
    if fmt == "xlsx":
        from patentpool.reports.workbook import table

        title = f"Declarations of {standard} {version}, in force as of {day.isoformat()}, by {by}"
        kinds = [(c, "int" if c != "group" else "text") for c in columns]
        sheet = table("Counts", kinds, table_rows)
        illustrative = register.illustrative
        write_xlsx(app, output, title, [sheet], illustrative=illustrative)
        return
    out = render_rows(table_rows, columns, fmt, json_payload=payload)
    if fmt == "table":
        out = f"{standard} {version}, in force as of {day.isoformat()}, by {by}\n\n{out}"
    click.echo(out)


COMMANDS = [members, standards, patents, counts]
