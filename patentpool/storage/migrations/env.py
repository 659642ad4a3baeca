"""Alembic environment: migrations run on the connection patentpool hands over."""

from __future__ import annotations

from alembic import context

from patentpool.storage.models import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # pragma: no cover - only used through patentpool.storage.migrate
    raise RuntimeError("run migrations with `patentpool db upgrade`")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
