"""The quarter's books in the portal: a licensee's invoices and statement of account, staff's
books page (accept, issue, approve, publish) and the receivables, against the CLI's JSON."""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from portal_setup import Portal, page_csrf

from patentpool.cli import cli
from patentpool.resources import samples_dir
from patentpool.services import accounts
from patentpool.services.imports import import_paths
from patentpool.storage.engine import session_for

SAMPLES = samples_dir()
CORRECTED = (
    "licensee,period,country_of_sale,country_of_manufacture,category,units,net_sales\n"
    "example-home,2026Q1,DE,PL,tv,10,5000.00\n"
)


def bearer(portal: Portal, name: str) -> dict[str, str]:
    return {"authorization": f"Bearer {portal.token(name)}"}


def cli_json(portal: Portal, *args: str) -> Any:
    result = CliRunner().invoke(cli, ["--db", portal.url, *args, "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _status(html: str) -> str:
    found = re.search(r'role="(?:status|alert)">(.*?)</div>', html, re.S)
    assert found is not None, html
    return re.sub(r"<[^>]+>", " ", found.group(1))


def test_a_licensees_invoices_are_those_of_invoices_list(portal: Portal) -> None:
    client = portal.client()
    got = client.get("/api/v1/licensees/example-home/invoices", headers=bearer(portal, "home1"))
    assert got.status_code == 200, got.text
    listed = cli_json(portal, "invoices", "list", "--program", "igrs-v1")
    mine = [row for row in listed if row["licensee"] == "example-home"]
    assert mine, "the demo invoices example-home for 2026Q1"
    assert got.json() == {"licensee": "example-home", "invoices": mine}
    other = client.get("/api/v1/licensees/sample-codec/invoices", headers=bearer(portal, "home1"))
    assert other.status_code == 404
    assert other.json() == {"detail": "not found"}


def test_the_account_is_the_json_of_report_account(any_portal: Portal) -> None:
    portal = any_portal
    got = portal.client().get(
        "/api/v1/licensees/example-home/account?program=igrs-v1&as_of=2026-09-30",
        headers=bearer(portal, "home1"),
    )
    assert got.status_code == 200, got.text
    expected = cli_json(
        portal,
        *("report", "account", "--licensee", "example-home", "--program", "igrs-v1"),
        *("--as-of", "2026-09-30"),
    )
    # a payment is named by its file and line, never by the server's folders
    references = [e["reference"] for e in expected["entries"] if e["kind"] == "payment"]
    assert references
    assert all(re.fullmatch(r"payments\.csv:\d+", r) for r in references), references
    assert str(SAMPLES) not in json.dumps(got.json())
    assert got.json() == expected
    document = got.json()
    balance = (
        Decimal(document["invoiced"])
        - Decimal(document["credited"])
        - Decimal(document["paid"])
        + Decimal(document["interest"])
    )
    assert balance == Decimal(document["balance"])


def test_the_receivables_are_the_json_of_the_receivables_command(any_portal: Portal) -> None:
    portal = any_portal
    got = portal.client().get(
        "/api/v1/programs/igrs-v1/receivables?as_of=2026-06-30", headers=bearer(portal, "staff1")
    )
    assert got.status_code == 200, got.text
    expected = cli_json(portal, "receivables", "--as-of", "2026-06-30", "--program", "igrs-v1")
    assert got.json() == expected
    assert {row["licensee"] for row in got.json()} >= {"example-home", "example-vision"}
    refused = portal.client().get(
        "/api/v1/programs/igrs-v1/receivables?as_of=2026-06-30", headers=bearer(portal, "home1")
    )
    assert refused.status_code == 403


def test_a_payment_read_from_a_server_file_shows_only_the_files_name(
    portal: Portal, tmp_path: Path
) -> None:
    folder = tmp_path / "srv" / "finance"
    folder.mkdir(parents=True)
    payments = folder / "bank-2026-07.csv"
    payments.write_text(
        "licensee,period,amount,received\nexample-home,2026Q2,100.00,2026-07-20\n",
        encoding="utf-8",
    )
    with session_for(portal.url, lock="import") as session:
        import_paths(session, [payments])
    query = "?program=igrs-v1&as_of=2026-09-30"
    client = portal.client()
    client.headers.update(bearer(portal, "home1"))
    for path in ("/api/v1/licensees/example-home/account", "/licensees/example-home/account"):
        got = client.get(path + query)
        assert got.status_code == 200, got.text
        assert str(folder) not in got.text
        assert "bank-2026-07.csv:2" in got.text
    page = portal.signed_in("home1").get("/licensees/example-home/account.pdf" + query)
    assert page.status_code == 200
    assert page.content[:5] == b"%PDF-"


def test_the_invoices_page_links_the_statement_and_its_pdf(portal: Portal) -> None:
    client = portal.signed_in("home1")
    got = client.get("/licensees/example-home/invoices")
    assert got.status_code == 200
    assert "IGRS-2026-" in got.text
    assert "/licensees/example-home/account.pdf?program=igrs-v1" in got.text
    assert client.get("/licensees/sample-codec/invoices").status_code == 404
    assert client.get("/licensees/sample-codec/account?program=igrs-v1").status_code == 404


def test_staff_accepts_issues_approves_and_publishes_with_its_user_in_the_history(
    portal: Portal,
) -> None:
    client = portal.signed_in("staff1")
    csrf = page_csrf(client, "/programs/igrs-v1/books?period=2026Q2")
    base = "/programs/igrs-v1"
    accepted = client.post(f"{base}/books/accept", data={"csrf_token": csrf, "period": "2026Q2"})
    assert accepted.status_code == 200
    assert "accepted example-home 2026Q2 revision 1" in _status(accepted.text)
    issued = client.post(
        f"{base}/books/invoices",
        data={"csrf_token": csrf, "period": "2026Q2", "date": "2026-07-15"},
    )
    assert "invoice(s) issued" in _status(issued.text)
    again = client.post(
        f"{base}/books/invoices",
        data={"csrf_token": csrf, "period": "2026Q2", "date": "2026-07-16"},
    )
    assert "0 invoice(s) issued" in _status(again.text)
    run = client.post(f"{base}/distribute", data={"csrf_token": csrf, "period": "2026Q2"})
    run_id = re.search(r"Run (\d+) \(revision", run.text)
    assert run_id is not None
    number = run_id.group(1)
    approved = client.post(f"{base}/runs/{number}/approve", data={"csrf_token": csrf})
    assert f"run {number}: approved" in _status(approved.text)
    published = client.post(f"{base}/runs/{number}/publish", data={"csrf_token": csrf})
    assert f"run {number}: published" in _status(published.text)
    actions = {e.action for e in accounts.events(portal.url) if e.username == "staff1"}
    assert {"reports accepted", "invoices issued", "run approved", "run published"} <= actions
    history = CliRunner().invoke(cli, ["--db", portal.url, "history", "--portal"])
    assert "IGRS-2026-" in history.stdout
    assert f"igrs-v1 run {number}: published" in history.stdout


def test_a_books_post_without_the_csrf_token_is_refused(portal: Portal) -> None:
    client = portal.signed_in("staff1")
    got = client.post("/programs/igrs-v1/books/accept", data={"period": "2026Q2"})
    assert got.status_code == 403
    assert all(e.action != "reports accepted" for e in accounts.events(portal.url))


def test_a_correction_needs_a_reason_in_the_portals_words(portal: Portal) -> None:
    files = {"file": ("sales-2026Q1.csv", CORRECTED.encode(), "text/csv")}
    upload = portal.client().post(
        "/api/v1/licensees/example-home/sales-reports", headers=bearer(portal, "home1"), files=files
    )
    assert upload.status_code == 201, upload.text
    client = portal.signed_in("staff1")
    csrf = page_csrf(client)
    form = {"csrf_token": csrf, "period": "2026Q1", "licensee": "example-home"}
    refused = client.post("/programs/igrs-v1/books/accept", data=form)
    shown = _status(refused.text)
    assert "corrects an accepted report" in shown
    assert "--" not in shown
    assert "give the reason" in shown
    done = client.post(
        "/programs/igrs-v1/books/accept", data={**form, "reason": "units were misreported"}
    )
    assert "revision 2 (correction: units were misreported)" in _status(done.text)


def test_a_run_superseding_a_published_one_needs_a_reason(portal: Portal) -> None:
    client = portal.signed_in("staff1")
    csrf = page_csrf(client)
    base = "/programs/igrs-v1"
    run = client.post(
        f"{base}/distribute", data={"csrf_token": csrf, "period": "2026Q1", "policy": "per-family"}
    )
    found = re.search(r"Run (\d+) \(revision", run.text)
    assert found is not None, run.text
    number = found.group(1)
    client.post(f"{base}/runs/{number}/approve", data={"csrf_token": csrf})
    refused = client.post(f"{base}/runs/{number}/publish", data={"csrf_token": csrf})
    shown = _status(refused.text)
    assert "is the published run of igrs-v1 2026Q1" in shown
    assert "--" not in shown
    done = client.post(
        f"{base}/runs/{number}/publish", data={"csrf_token": csrf, "reason": "per family adopted"}
    )
    assert "supersedes run 1: per family adopted" in _status(done.text)


def test_a_run_of_another_programme_is_not_found(portal: Portal) -> None:
    client = portal.signed_in("staff1")
    got = client.post("/programs/nope/runs/1/approve", data={"csrf_token": page_csrf(client)})
    assert got.status_code == 404


def test_a_member_sees_a_run_only_once_it_is_published(portal: Portal) -> None:
    member = portal.client()
    member.headers.update(bearer(portal, "lenovo1"))
    statement = "/api/v1/members/lenovo/statement?program=igrs-v1&period=2026Q2"
    before = member.get(statement).json()
    staff = portal.signed_in("staff1")
    csrf = page_csrf(staff)
    run = staff.post("/programs/igrs-v1/distribute", data={"csrf_token": csrf, "period": "2026Q2"})
    found = re.search(r"Run (\d+) \(revision", run.text)
    assert found is not None, run.text
    number = found.group(1)
    assert member.get(statement).json() == before  # a draft
    staff.post(f"/programs/igrs-v1/runs/{number}/approve", data={"csrf_token": csrf})
    assert member.get(statement).json() == before  # approved, not yet published
    staff.post(f"/programs/igrs-v1/runs/{number}/publish", data={"csrf_token": csrf})
    after = member.get(statement).json()
    assert before["periods"] == []
    assert [p["run"]["run"] for p in after["periods"]] == [int(number)]


def test_an_empty_day_is_today_and_a_wrong_one_is_422(portal: Portal) -> None:
    client = portal.client()
    client.headers.update(bearer(portal, "staff1"))
    base = "/api/v1/programs/igrs-v1/receivables?as_of="
    today = client.get(base + dt.date.today().isoformat())
    assert today.status_code == 200
    assert client.get(base).json() == today.json()
    wrong = client.get(base + "2026-13-01")
    assert wrong.status_code == 422
    assert wrong.json() == {"detail": "as_of: '2026-13-01' is not a date (YYYY-MM-DD)"}
