"""Storage edge: SQLAlchemy models, Alembic migrations and the mapping to core values.

Works on SQLite (the embedded default) and PostgreSQL (a register shared by an alliance).
"""
