"""What a portal worker keeps between requests (the register, a quarter's royalties, the API's
documents) is never older than the database: an import made anywhere - by the CLI, by
another worker - is seen by the next request, on SQLite and on PostgreSQL."""

from __future__ import annotations

import gc
import json

import pytest
from click.testing import CliRunner
from portal_setup import Portal, page_csrf

from patentpool.cli import cli
from patentpool.core.model import Register
from patentpool.services.snapshots import Snapshots
from patentpool.storage import state

HEADER = (
    "publication_number,owner,family,filing_date,grant_date,expiry_date,status,standard,"
    "version,section,essentiality,validated_states,title,evaluator,evaluated_on,declared_on\n"
)
NEW_PATENT = (
    "CN109999999B,lenovo,IGRS-F9999,2016-01-04,2019-05-07,,granted,IGRS,1.0,media,essential,,"
    "Method for a patent imported while the portal runs,Sample & Partners IP Law Office,"
    "2020-01-06,2016-02-01\n"
)
REPORT = (
    "licensee,period,country_of_sale,country_of_manufacture,category,units,net_sales\n"
    "example-home,2027Q2,DE,PL,tv,1000,500000.00\n"
)
ROYALTIES = "/api/v1/licensees/example-home/royalties?program=igrs-v1&period=2027Q2"


def _import(portal: Portal, name: str, text: str) -> None:
    path = portal.folder / name
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(cli, ["--db", portal.url, "import", str(path)])
    assert result.exit_code == 0, result.output


def _numbers(response: object) -> set[str]:
    found = response.json()["patents"]  # type: ignore[attr-defined]
    return {p["patent"] for p in found}


def _store(client: object) -> Snapshots:
    store: Snapshots = client.app.state.portal.store  # type: ignore[attr-defined]
    return store


def test_a_register_import_is_seen_by_the_next_request_of_every_worker(
    any_portal: Portal,
) -> None:
    token = {"authorization": f"Bearer {any_portal.token('codec1')}"}
    one, two = any_portal.client(), any_portal.client()  # two workers: two apps, one database
    before = _numbers(one.get("/api/v1/patents?member=lenovo", headers=token))
    assert _numbers(two.get("/api/v1/patents?member=lenovo", headers=token)) == before
    assert "CN109999999B" not in before
    kept = _store(one).register()
    assert _store(one).register() is kept  # nothing changed: the register is not read again

    _import(any_portal, "patents.csv", HEADER + NEW_PATENT)

    for client in (one, two):
        after = _numbers(client.get("/api/v1/patents?member=lenovo", headers=token))
        assert after == before | {"CN109999999B"}
        page = client.get("/patents?member=lenovo", headers=token)
        assert "CN109999999B" in page.text
    assert _store(one).register() is not kept


def test_a_sales_upload_on_one_worker_is_in_the_next_royalties_of_the_other(
    any_portal: Portal,
) -> None:
    one = any_portal.signed_in("home1")
    two = any_portal.signed_in("home1", any_portal.client())
    staff = {"authorization": f"Bearer {any_portal.token('staff1')}"}
    program = "/api/v1/programs/igrs-v1/royalties?period=2027Q2"
    assert one.get(ROYALTIES).status_code == 422  # no sales reported for the quarter yet
    assert one.get(program, headers=staff).json()["licensees"] == []
    kept = _store(one).register()

    csrf = page_csrf(two)
    uploaded = two.post(
        "/api/v1/licensees/example-home/sales-reports",
        headers={"x-csrf-token": csrf},
        files={"file": ("report.csv", REPORT.encode(), "text/csv")},
    )
    assert uploaded.status_code == 201, uploaded.text

    dues = one.get(ROYALTIES)
    assert dues.status_code == 200, dues.text
    assert [item["units"] for item in dues.json()["licensees"]] == [1000]
    total = one.get(program, headers=staff).json()
    assert [item["licensee"] for item in total["licensees"]] == ["example-home"]
    assert total["total_due"] == dues.json()["total_due"]
    assert _store(one).register() is kept  # a sales import leaves the register as it was


def _cli(portal: Portal, *args: str) -> str:
    result = CliRunner().invoke(cli, ["--db", portal.url, *args])
    assert result.exit_code == 0, result.output
    return result.stdout


def _statement(client: object, headers: dict[str, str]) -> dict[str, object]:
    got = client.get("/api/v1/members/lenovo/statement", headers=headers)  # type: ignore[attr-defined]
    assert got.status_code == 200, got.text
    found: dict[str, object] = got.json()
    return found


def _periods(statement: dict[str, object]) -> list[object]:
    return [p["period"] for p in statement["periods"]]  # type: ignore[attr-defined,index]


def test_a_statement_kept_shows_the_next_run_published_and_the_next_import(
    any_portal: Portal,
) -> None:
    token = {"authorization": f"Bearer {any_portal.token('lenovo1')}"}
    one, two = any_portal.client(), any_portal.client()
    before = _statement(one, token)
    assert _statement(one, token) == before == _statement(two, token)
    page = one.get("/members/lenovo/statement", headers=token)
    assert page.status_code == 200
    assert _periods(before) == ["2026Q1"]

    run = json.loads(
        _cli(
            any_portal,
            "distribute",
            "--program",
            "igrs-v1",
            "--period",
            "2026Q2",
            "--format",
            "json",
        )
    )["run_id"]
    _cli(any_portal, "runs", "approve", str(run))
    for client in (one, two):  # approved is not published: members do not see it yet
        assert _periods(_statement(client, token)) == ["2026Q1"]
    _cli(any_portal, "runs", "publish", str(run))
    for client in (one, two):
        assert _periods(_statement(client, token)) == ["2026Q1", "2026Q2"]
        page = client.get("/members/lenovo/statement", headers=token)
        assert "2026Q2" in page.text

    _import(any_portal, "patents.csv", HEADER + NEW_PATENT)
    for client in (one, two):
        assert "CN109999999B" in json.dumps(_statement(client, token))


def test_a_worker_starts_with_the_latest_quarter_of_staff_serialised(any_portal: Portal) -> None:
    token = {"authorization": f"Bearer {any_portal.token('staff1')}"}
    with any_portal.client() as client:  # the worker's start runs
        store = _store(client)
        kept = [key for key in store._values if key[0] == "program royalties"]
        assert kept == [("program royalties", "igrs-v1", "2026Q4")]
        got = client.get("/api/v1/programs/igrs-v1/royalties?period=2026Q4", headers=token)
        assert got.status_code == 200
        assert [key for key in store._values if key[0] == "program royalties"] == kept


NEW_LICENSEE = (
    "licensees:\n"
    '  - {id: example-late, name: "Example <b>Late</b> & Co", group: example-late, country: DE,'
    " member: false, signed: 2026-03-02, good_standing: true}\n"
)


def test_the_start_pages_tables_are_kept_until_the_licensing_changes(
    any_portal: Portal,
) -> None:
    """Staff's and counsel's start pages list every party: their tables are rendered once per
    state, and a licensee imported anywhere is on the next page of every worker."""
    # two workers (two apps on one database) for each role
    signed = [any_portal.signed_in(name) for name in ("staff1", "staff1", "counsel1", "counsel1")]
    before = [client.get("/").text for client in signed]
    assert all("example-home" in page and "example-late" not in page for page in before)
    for client, role in zip(signed, ("staff", "staff", "counsel", "counsel"), strict=True):
        kept = [key for key in _store(client)._values if key[0] == "start page tables"]
        assert kept == [("start page tables", role)]
    assert [client.get("/").text for client in signed] == before  # the tables as kept

    _import(any_portal, "licensing.yaml", NEW_LICENSEE)
    for client in signed:
        page = client.get("/").text
        assert "example-late" in page
        assert "Example &lt;b&gt;Late&lt;/b&gt; &amp; Co" in page  # a name shows as text


def test_statements_share_the_registers_counts_until_it_is_read_again(
    any_portal: Portal, counted_registers: list[Register]
) -> None:
    """What every member's statement counts of the whole register is worked out once per
    register by a worker, not once per statement, and afresh when an import changes it."""
    counted = counted_registers
    staff = {"authorization": f"Bearer {any_portal.token('staff1')}"}
    with any_portal.client() as client:
        for member in ("lenovo", "tcl"):
            got = client.get(f"/api/v1/members/{member}/statement", headers=staff)
            assert got.status_code == 200, got.text
        assert len(counted) == 1
        _import(any_portal, "patents.csv", HEADER + NEW_PATENT)
        got = client.get("/api/v1/members/tcl/statement", headers=staff)
        assert got.status_code == 200
        assert len(counted) == 2
        assert counted[1] is not counted[0]
        assert "CN109999999B" in json.dumps(_statement(client, staff))


def test_a_page_reads_the_databases_state_once(
    any_portal: Portal, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A page asks for the register, the licensing and the tables kept from them: the state
    they are kept for is read once per request (each reading is a few queries), and the
    next request reads it again."""
    client = any_portal.signed_in("staff1")
    assert client.get("/").status_code == 200  # what the page keeps, kept
    reads: list[object] = []
    real = state.database_state
    monkeypatch.setattr(state, "database_state", lambda session: reads.append(1) or real(session))
    assert client.get("/").status_code == 200
    assert len(reads) == 1
    _import(any_portal, "licensing.yaml", NEW_LICENSEE)
    assert "example-late" in client.get("/").text
    assert len(reads) == 2


def test_what_a_worker_reads_at_its_start_is_out_of_the_collectors_sight(
    any_portal: Portal,
) -> None:
    """The register and quarter a worker keeps from its start are settled (``gc.freeze``):
    no full collection walks them again while the worker answers requests."""
    try:
        with any_portal.client() as client:  # the worker's start runs
            register = _store(client).register()
            assert gc.is_tracked(register.patents)
            assert all(item is not register.patents for item in gc.get_objects())
    finally:
        gc.unfreeze()
