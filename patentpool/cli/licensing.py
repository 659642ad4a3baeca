"""Licensees, programmes, royalties, statements and the top-down check."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import click

from patentpool.cli.common import (
    App,
    format_option,
    money,
    pass_app,
    period_callback,
    render_rows,
    resolve_licensee,
    resolve_member,
)
from patentpool.cli.dates import as_of_option
from patentpool.cli.workbooks import check_xlsx, table_format_options, write_xlsx
from patentpool.core.periods import Period
from patentpool.errors import InvalidInput


@click.group("licensees")
def licensees() -> None:
    """Licensees of the pool's programmes.

    \b
    Example:
      patentpool licensees list
    """


@licensees.command("list")
@format_option
@pass_app
def licensees_list(app: App, fmt: str) -> None:
    """List licensees with group, country, signing date and standing.

    \b
    Example:
      patentpool licensees list --format csv
    """
    from patentpool.services import commands

    found = commands.licensees(app.url)
    rows = [
        {
            "id": lic.id,
            "name": lic.name,
            "group": lic.group_key,
            "country": lic.country,
            "member": lic.member,
            "signed": lic.signed.isoformat() if lic.signed else None,
            "good_standing": lic.good_standing,
        }
        for lic in found.values()
    ]
    click.echo(
        render_rows(
            rows, ["id", "name", "group", "country", "member", "signed", "good_standing"], fmt
        )
    )


@click.group("programs")
def programs() -> None:
    """Licensing programmes and their rate schedules.

    \b
    Example:
      patentpool programs list
    """


@programs.command("list")
@format_option
@pass_app
def programs_list(app: App, fmt: str) -> None:
    """List programmes: standard, versions, currency, fee, counting rule, policy, schedules.

    \b
    Example:
      patentpool programs list --format json
    """
    from patentpool.services import commands

    found = commands.programs(app.url)
    rows = []
    specs = []
    for program, spec in found.values():
        rows.append(
            {
                "id": program.id,
                "standard": program.standard,
                "versions": list(program.versions),
                "currency": program.currency,
                "admin_fee": f"{program.admin_fee * 100:f}%",
                "counts": program.counts.value,
                "policy": program.policy,
                "schedules": [s.effective_from.isoformat() for s in program.schedules],
            }
        )
        specs.append(json.loads(spec))
    columns = [
        "id",
        "standard",
        "versions",
        "currency",
        "admin_fee",
        "counts",
        "policy",
        "schedules",
    ]
    click.echo(render_rows(rows, columns, fmt, json_payload=specs))


@click.command("royalties")
@click.option("--program", required=True, help="Programme id, e.g. igrs-v1.")
@click.option("--period", required=True, callback=period_callback, help="Quarter, e.g. 2026Q1.")
@click.option("--licensee", help="Only this licensee (its id or name).")
@click.option("--lines", is_flag=True, help="Table and xlsx formats: every sales line too.")
@table_format_options
@pass_app
def royalties_cmd(
    app: App,
    program: str,
    period: Period,
    licensee: str | None,
    lines: bool,
    fmt: str,
    output: Path | None,
) -> None:
    """What each licensee owes for a quarter: gross, cap reduction, discount, due.

    Tiers and annual caps count the licensee group's earlier quarters of the year.
    Lines that owe nothing say why. The table of every licensee is priced in as many
    processes as it has cores to run on, up to 4 (PATENTPOOL_PRICING_PROCESSES=1: one).

    \b
    Example:
      patentpool royalties --program igrs-v1 --period 2026Q1
      patentpool royalties --program igrs-v1 --period 2026Q3 --licensee example-home --format json
      patentpool royalties --program igrs-v1 --period 2026Q1 --lines --format xlsx -o q1.xlsx
    """
    from patentpool.reports.documents import royalty_document
    from patentpool.services import commands

    check_xlsx(fmt, output)
    detail = lines or fmt != "table"  # the table alone needs no record per sales line
    result = commands.quarter_royalties(
        app.url, program, period, licensee, resolve_licensee, detail=detail
    )
    if not result.licensees:  # said on stderr: the output stays an empty table or document
        click.echo(f"no sales reported for {program} in {period}", err=True)
    document = royalty_document(result)
    if fmt == "xlsx":
        _royalties_xlsx(app, output, document, lines)
        return
    if fmt == "csv":
        click.echo(_royalties_csv(document))
        return
    if fmt == "json":
        click.echo(json.dumps(document, indent=2, ensure_ascii=False))
        return
    columns = ["licensee", "units", "gross", "cap_reduction", "discount", "due"]
    rows = [{c: item[c] for c in columns} for item in document["licensees"]]
    rows.append({"licensee": "total", "due": document["total_due"]})
    click.echo(
        f"{program} {period} ({document['currency']}), schedule from {document['schedule_from']}\n"
    )
    click.echo(render_rows(rows, columns, "table"))
    if lines:
        for item in document["licensees"]:
            click.echo(f"\n{item['licensee']}:")
            line_rows = [
                {
                    "line": ln["source"],
                    "sold": ln["country_of_sale"],
                    "made": ln["country_of_manufacture"],
                    "category": ln["category"],
                    "units": ln["units"],
                    "due": ln["due"],
                    "note": ln["reason"] or "",
                }
                for ln in item["lines"]
            ]
            click.echo(
                render_rows(
                    line_rows, ["line", "sold", "made", "category", "units", "due", "note"], "table"
                )
            )
            for rate in _rates_of(item["lines"]):
                click.echo(f"rate: {rate}")


def _rates_of(lines: list[dict[str, Any]]) -> list[str]:
    """The conversions of lines in other currencies, each once, as text."""
    from patentpool.reports.documents import fx_text

    texts = {fx_text(ln["currency"], ln["fx"]) for ln in lines if "fx" in ln}
    return sorted(texts)


#: The columns a sales line in another currency adds (CSV, xlsx).
_FX_COLUMNS = [("currency", "text"), ("fx_rate", "text"), ("fx_rule", "text"),
               ("fx_date", "text"), ("fx_source", "text")]  # fmt: skip


def _flat(line: dict[str, Any]) -> dict[str, Any]:
    """A line's document with its conversion, if any, as the ``fx_*`` cells."""
    out = {k: v for k, v in line.items() if k != "fx"}
    fx = line.get("fx")
    if fx is not None:
        out.update(fx_rate=fx["rate_exact"], fx_rule=fx["rule"], fx_date=fx["date"],
                   fx_source=fx["source"])  # fmt: skip
    return out


def _any_fx(document: dict[str, Any]) -> bool:
    return any("fx" in ln for item in document["licensees"] for ln in item["lines"])


def _royalties_csv(document: dict[str, Any]) -> str:
    """Every sales line of a royalty document as CSV (with the ``fx_*`` columns when a line
    was converted from another currency)."""
    rows = [
        {
            "licensee": item["licensee"],
            **{k: v for k, v in _flat(line).items() if k != "rate"},
            "rate": json.dumps(line["rate"]) if line["rate"] else "",
        }
        for item in document["licensees"]
        for line in item["lines"]
    ]
    columns = [
        "licensee",
        "source",
        "country_of_sale",
        "country_of_manufacture",
        "category",
        "units",
        "net_sales",
        "rate",
        "region",
        "multiplier",
        "gross",
        "due",
        "reason",
    ]
    if _any_fx(document):
        columns[7:7] = [c for c, _ in _FX_COLUMNS]
    return render_rows(rows, columns, "csv")


_LINE_COLUMNS = [
    ("source", "text"),
    ("country_of_sale", "text"),
    ("country_of_manufacture", "text"),
    ("category", "text"),
    ("units", "int"),
    ("net_sales", "money"),
    ("region", "text"),
    ("multiplier", "decimal"),
    ("gross", "money"),
    ("due", "money"),
    ("reason", "text"),
]


def _royalties_xlsx(app: App, output: Path | None, document: dict[str, Any], lines: bool) -> None:
    from patentpool.reports.workbook import table

    columns = [("licensee", "text"), ("units", "int")]
    columns += [(c, "money") for c in ("gross", "cap_reduction", "discount", "due")]
    rows = [*document["licensees"], {"licensee": "total", "due": document["total_due"]}]
    sheets = [table("Royalties", columns, rows)]
    if lines:
        line_rows = [
            {"licensee": item["licensee"], **_flat(line)}
            for item in document["licensees"]
            for line in item["lines"]
        ]
        line_columns = list(_LINE_COLUMNS)
        if _any_fx(document):
            line_columns[6:6] = _FX_COLUMNS
        sheets.append(table("Sales lines", [("licensee", "text"), *line_columns], line_rows))
    title = (
        f"Royalties of {document['program']} for {document['period']} "
        f"({document['currency']}), schedule from {document['schedule_from']}"
    )
    write_xlsx(app, output, title, sheets, currency=document["currency"])


@click.command("statement")
@click.option("--licensee", required=True, help="Licensee id or name.")
@table_format_options
@pass_app
def statement_cmd(app: App, licensee: str, fmt: str, output: Path | None) -> None:
    """A licensee's account: due, paid and outstanding per programme and period.

    \b
    Example:
      patentpool statement --licensee example-home
      patentpool statement --licensee example-home --format xlsx -o statement.xlsx
    """
    from patentpool.services import commands

    check_xlsx(fmt, output)
    licensee, rows = commands.statement(app.url, licensee, resolve_licensee)
    if not rows:
        click.echo(f"no sales or payments recorded for {licensee}", err=True)
    out = [
        {
            "program": r.program,
            "period": str(r.period),
            "currency": r.currency,
            "due": money(r.due),
            "paid": money(r.paid),
            "outstanding": money(r.outstanding),
        }
        for r in rows
    ]
    columns = ["program", "period", "currency", "due", "paid", "outstanding"]
    if fmt == "xlsx":
        from patentpool.reports.workbook import table

        kinds = [(c, "money" if c in ("due", "paid", "outstanding") else "text") for c in columns]
        currencies = {r.currency for r in rows}
        write_xlsx(
            app,
            output,
            f"Statement of {licensee}",
            [table("Statement", kinds, out)],
            currency=currencies.pop() if len(currencies) == 1 else None,
        )
        return
    if fmt == "table":
        total = sum((r.outstanding for r in rows), Decimal(0))
        out.append({"program": "total", "outstanding": money(total)})
    click.echo(render_rows(out, columns, fmt, json_payload={"licensee": licensee, "periods": out}))


def _ratio(
    _ctx: click.Context, _param: click.Parameter, values: tuple[str, ...]
) -> dict[str, Decimal]:
    from patentpool.core.money import parse_rate

    out = {}
    for value in values:
        key, sep, val = value.partition("=")
        if not sep or not key.strip():
            raise InvalidInput(f"--essentiality-ratio: {value!r} is not member=ratio (lenovo=0.6)")
        out[key.strip()] = parse_rate(val, f"--essentiality-ratio {key.strip()}")
    return out


@click.command("topdown")
@click.option("--program", required=True, help="Programme id.")
@click.option("--aggregate-rate", required=True, help="Aggregate royalty burden S_agg: 5% or 0.05.")
@click.option(
    "--essentiality-ratio",
    "ratios",
    multiple=True,
    callback=_ratio,
    help="member=e_i, the share of its patents found essential: 0.6 or 60% (repeatable).",
)
@as_of_option("Count patents in force on this day (YYYY-MM-DD; default today).")
@click.option(
    "--by", type=click.Choice(["patents", "families"]), default="patents", show_default=True
)
@format_option
@pass_app
def topdown(
    app: App,
    program: str,
    aggregate_rate: str,
    ratios: dict[str, Decimal],
    as_of: Any,
    by: str,
    fmt: str,
) -> None:
    """Top-down FRAND check: each member's implied rate S_agg x e_i N_i / sum e_j N_j.

    e_i is the share of the member's evaluated patents found essential, unless given
    with --essentiality-ratio; members with nothing evaluated count e_i = 1.

    \b
    Example:
      patentpool topdown --program igrs-v1 --aggregate-rate 5% --essentiality-ratio lenovo=0.6
    """
    import datetime as dt
    from dataclasses import replace
    from fractions import Fraction

    from patentpool.core.money import parse_rate
    from patentpool.core.topdown import CountBy, holders_from_register, implied_rates
    from patentpool.services import commands

    aggregate = parse_rate(aggregate_rate, "--aggregate-rate")
    day = as_of.date() if as_of else dt.date.today()
    ctx = commands.program_context(app.url, program)
    ratios = {resolve_member(ctx.register, k): v for k, v in ratios.items()}
    holders = holders_from_register(ctx.register, ctx.program, day, CountBy(by))
    known = {h.member for h in holders}
    unknown = sorted(set(ratios) - known)
    if unknown:
        raise InvalidInput(
            f"--essentiality-ratio names {', '.join(unknown)}, "
            f"who hold no counted patent in force on {day}"
        )
    holders = [
        replace(h, essential_share=Fraction(ratios[h.member])) if h.member in ratios else h
        for h in holders
    ]
    rates = implied_rates(aggregate, holders)
    counted = "declared_in_force" if by == "patents" else "declared_families_in_force"
    rows = [
        {
            "member": r.member,
            counted: r.declared,
            "essential_ratio": f"{float(r.essential_share):.4f}",
            "share": f"{float(r.share):.6f}",
            "implied_rate": f"{float(r.rate) * 100:.4f}%",
        }
        for r in rates
    ]
    payload = {
        "program": program,
        "aggregate_rate": str(aggregate),
        "as_of": day.isoformat(),
        "by": by,
        "members": rows,
    }
    click.echo(
        render_rows(
            rows,
            ["member", counted, "essential_ratio", "share", "implied_rate"],
            fmt,
            json_payload=payload,
        )
    )


COMMANDS = [licensees, programs, royalties_cmd, statement_cmd, topdown]
