"""The store: one DuckDB file (engine.py) or a PostgreSQL database (postgres.py), the same
tables and guarantees. Importing the package registers the server store with ``Store``."""

from dashboard.store import postgres as _postgres  # noqa: F401  (registers PostgresStore)
