"""``patentpool normalize``: patent numbers as written, in canonical form."""

from __future__ import annotations

import sys

import click

from patentpool.cli.common import encoding_option, format_option, render_rows


def _lines(path: str, column: str | None, encoding: str) -> tuple[list[int], list[str]]:
    """(line numbers, raw values) from a plain list or one CSV column."""
    from patentpool.errors import InvalidInput
    from patentpool.services.files import number_lines, read_input

    try:
        text = sys.stdin.read() if path == "-" else read_input(path, encoding)
        return number_lines(text, path, column)
    except InvalidInput as exc:
        raise click.ClickException(str(exc)) from exc


@click.command("normalize")
@click.argument("file", type=click.Path(allow_dash=True))
@click.option("--column", help="Read this column of a CSV file instead of one number per line.")
@click.option("--jurisdiction", help="Office for bare numbers without one, e.g. US for 7123456.")
@encoding_option
@format_option
def normalize(
    file: str, column: str | None, jurisdiction: str | None, encoding: str, fmt: str
) -> None:
    """Print patent and publication numbers in canonical form.

    Reads one number per line (or a CSV column with --column), prints each normalised,
    and flags invalid numbers and duplicates. Exit status 1 when any number is invalid.

    \b
    Example:
      patentpool normalize numbers.txt --jurisdiction US
      patentpool normalize declarations.csv --column "Publication number" --format csv
    """
    from patentpool.core.numbers import InvalidPatentNumber, dedupe_report, summarize

    lines, values = _lines(file, column, encoding.lower())
    try:
        entries = dedupe_report(values, jurisdiction)
    except InvalidPatentNumber as exc:
        raise click.BadParameter(str(exc), param_hint="--jurisdiction") from exc
    rows = []
    for entry in entries:
        line = lines[entry.line - 1]
        note = entry.error or ""
        if entry.duplicate_of is not None:
            note = f"duplicate of line {lines[entry.duplicate_of - 1]}"
        rows.append(
            {
                "line": line,
                "input": entry.raw.strip(),
                "normalized": str(entry.number) if entry.number else "",
                "key": entry.number.key if entry.number else "",
                "status": "invalid" if entry.error else ("duplicate" if entry.duplicate else "ok"),
                "note": note,
            }
        )
    summary = summarize(entries)
    payload = {
        "file": file,
        "entries": summary.entries,
        "valid": summary.valid,
        "invalid": summary.invalid,
        "duplicates": summary.duplicates,
        "unique": summary.unique,
        "numbers": rows,
    }
    columns = ["line", "input", "normalized", "status", "note"]
    click.echo(
        render_rows(
            rows,
            columns if fmt == "table" else [*columns[:3], "key", *columns[3:]],
            fmt,
            json_payload=payload,
        )
    )
    if fmt == "table":
        click.echo(
            f"\n{summary.entries} numbers: {summary.valid} valid ({summary.unique} unique, "
            f"{summary.duplicates} duplicates), {summary.invalid} invalid"
        )
    if summary.invalid:
        raise click.ClickException(f"{summary.invalid} of {summary.entries} numbers are invalid")


COMMANDS = [normalize]
