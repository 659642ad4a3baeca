"""After a sales import on PostgreSQL, the planner knows the lines it holds (ANALYZE)."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from paths import benchmark
from pgserver import PostgresServer
from sqlalchemy import text
from sqlalchemy.engine import make_url

from patentpool.services.imports import import_paths
from patentpool.storage.engine import dispose_all, session_for

gen = benchmark("generate")

STATISTICS = text(
    "SELECT count(*) FROM pg_stats WHERE schemaname = current_schema() AND tablename = :t"
)


@pytest.mark.postgres
def test_a_sales_import_leaves_the_statistics_of_its_lines(
    pg_server: PostgresServer, pg_template: str, tmp_path: Path
) -> None:
    folder = tmp_path / "s"
    gen.generate(gen.SIZES["S"], 2, folder, 500)
    url = pg_server.create_database("t", template=pg_template)
    with session_for(url) as session:  # none but the import's own
        for table in ("sales_lines", "sales_reports"):
            session.execute(text(f"ALTER TABLE {table} SET (autovacuum_enabled = false)"))
    with session_for(url, lock="import") as session:
        import_paths(
            session, [folder / n for n in ("alliance.yaml", "patents.csv", "licensing.yaml")]
        )
    with session_for(url) as session:
        assert session.execute(STATISTICS, {"t": "sales_lines"}).scalar() == 0
    with session_for(url, lock="import") as session:
        import_paths(session, [folder / "sales-2026Q1.csv", folder / "payments.csv"])
    with session_for(url) as session:
        for table in ("sales_lines", "sales_reports"):
            assert session.execute(STATISTICS, {"t": table}).scalar() > 0, table
    dispose_all()


@pytest.mark.postgres
def test_a_role_that_does_not_own_the_tables_imports_all_the_same(
    pg_server: PostgresServer, pg_template: str, tmp_path: Path
) -> None:
    """Only the tables' owner may analyze them: the import of an administrator's role (see
    docs/operations.md, "Roles") is warned by the server and goes on."""
    folder = tmp_path / "s"
    gen.generate(gen.SIZES["S"], 2, folder, 200)
    url = pg_server.create_database("t", template=pg_template)
    role = f"pool_admin_{uuid.uuid4().hex[:8]}"
    with session_for(url) as session:
        session.execute(text(f"CREATE ROLE {role} LOGIN"))
        session.execute(text(f"GRANT USAGE ON SCHEMA public TO {role}"))
        session.execute(
            text(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}")
        )
        session.execute(text(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}"))
        for table in ("sales_lines", "sales_reports"):
            session.execute(text(f"ALTER TABLE {table} SET (autovacuum_enabled = false)"))
    admin = make_url(url).set(username=role).render_as_string(hide_password=False)
    try:
        with session_for(admin, lock="import") as session:
            import_paths(
                session, [folder / n for n in ("alliance.yaml", "patents.csv", "licensing.yaml")]
            )
        with session_for(admin, lock="import") as session:
            import_paths(session, [folder / "sales-2026Q1.csv", folder / "payments.csv"])
        with session_for(url) as session:
            assert session.execute(text("SELECT count(*) FROM sales_lines")).scalar() == 200
            assert session.execute(STATISTICS, {"t": "sales_lines"}).scalar() == 0  # skipped
    finally:
        dispose_all()
        with session_for(url) as session:
            session.execute(text(f"DROP OWNED BY {role}"))
            session.execute(text(f"DROP ROLE {role}"))
        dispose_all()
