"""After a sales import on PostgreSQL, the planner knows the lines it holds (ANALYZE)."""

from __future__ import annotations

from pathlib import Path

import pytest
from paths import benchmark
from pgserver import PostgresServer
from sqlalchemy import text

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
