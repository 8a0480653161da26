"""The PostgreSQL server store: many app processes, on one or several machines, on one database.

Same tables, schema versions, migrations and write functions as the DuckDB file: the
engine-neutral parts live in :class:`dashboard.store.engine.Store`, and this subclass
supplies connections, the dialect (:mod:`.dialect`) and the locks. Where DuckDB relies on
its file lock (one writing process at a time), PostgreSQL writes are serialised by
transaction-scoped advisory locks named by what they protect (:meth:`serialise`), and the
data-version row is updated by every roster write, so two imports queue on its row lock.
A killed process's transaction is rolled back by the server.

Connections come from a small per-process pool (opening one costs a few milliseconds
and a page render asks many questions). Reads arrive as Arrow through the ADBC driver.
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import logging
import os
import re
import threading
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import polars as pl
import pyarrow as pa

from dashboard.store.dialect import Connection as AnyConnection
from dashboard.store.dialect import bind, frame_from_arrow, postgres_sql, written_tables
from dashboard.store.engine import Store, default_store_location, register_server_store
from dashboard.store.errors import StoreBusy, StoreConflict
from dashboard.store.schema import AGGREGATE_TABLES, TABLE_NAMES

# SQLSTATEs of a transaction the server aborted because it crossed another one: deadlock
# detected, serialisation failure, lock not available
CONFLICT_STATES = frozenset({"40P01", "40001", "55P03"})
URL_PATTERN = re.compile(r"^postgres(ql)?://", re.IGNORECASE)


POOL_SIZE = 8


# Per connection: the page queries hash a few hundred thousand aggregate rows (the default
# 4 MB of work memory makes PostgreSQL fall back to re-scanning subqueries per row), and are
# short enough that compiling them just in time costs more than it saves.
SESSION_SETTINGS = ("SET work_mem = '64MB'", "SET jit = off")


ENV_FILES_DIR = "NETRALITAS_FILES_DIR"


def is_postgres_url(location: str | os.PathLike[str] | None) -> bool:
    return location is not None and bool(URL_PATTERN.match(str(location)))


def redacted(url: str) -> str:
    """The URL without its password, for messages and logs."""
    return re.sub(r"(://[^:/@]+):[^@]*@", r"\1:***@", url)


class Result:
    """What a statement returned, with the part of DuckDB's cursor API the store uses."""

    def __init__(self, table: pa.Table | None, rowcount: int) -> None:
        self._table = table
        self._rowcount = rowcount
        self._rows: list[tuple] | None = None

    def _all(self) -> list[tuple]:
        if self._rows is None:
            if self._table is None:
                self._rows = [(self._rowcount,)]
            else:
                self._rows = frame_from_arrow(self._table).rows()
        return self._rows

    def fetchone(self) -> tuple | None:
        rows = self._all()
        return rows[0] if rows else None

    def fetchall(self) -> list[tuple]:
        return self._all()

    def pl(self) -> pl.DataFrame:
        if self._table is None:
            return pl.DataFrame({"count": [self._rowcount]})
        return frame_from_arrow(self._table)


def _driver() -> Any:
    """The ADBC driver, imported with the first connection: it brings pyarrow.dataset (about
    a second), which a CLI command on a DuckDB file never needs."""
    import adbc_driver_postgresql.dbapi

    return adbc_driver_postgresql.dbapi


def _lock_key(name: str) -> int:
    """The 64-bit advisory-lock key PostgreSQL takes for a lock name."""
    return int.from_bytes(
        hashlib.blake2b(name.encode(), digest_size=8).digest(), "big", signed=True
    )


_LOG = logging.getLogger(__name__)
# what a transaction's ANALYZE may name: the store's own tables (never a session's temporary
# table)
_STORE_TABLES = frozenset({"meta", *TABLE_NAMES, *AGGREGATE_TABLES})


class Connection:
    """One pooled server connection speaking the store's (DuckDB-flavoured) SQL."""

    dialect = "postgres"

    def __init__(self, raw: Any) -> None:
        self.raw = raw
        self._registered: set[str] = set()
        self.in_transaction = False
        # the store's tables the open (or last committed) transaction wrote rows into
        self.written: set[str] = set()

    def execute(self, sql: str, params: Sequence[Any] | Mapping[str, Any] | None = None) -> Result:
        statements, order = postgres_sql(sql)
        values = bind(order, params)
        if self.in_transaction:
            self.written |= written_tables(sql)
        result = Result(None, 0)
        with self.raw.cursor() as cur:
            for statement in statements:
                cur.execute(statement.text, values if (values and statement.bound) else None)
                if cur.description:
                    result = Result(cur.fetch_arrow_table(), -1)
                else:
                    result = Result(None, max(cur.rowcount, 0))
        return result

    def sql(self, sql: str, params: Sequence[Any] | Mapping[str, Any] | None = None) -> Result:
        return self.execute(sql, params)

    def begin(self) -> None:
        self.execute("BEGIN")
        self.in_transaction = True
        self.written = set()

    def commit(self) -> None:
        self.execute("COMMIT")
        self.in_transaction = False

    def rollback(self) -> None:
        self.execute("ROLLBACK")
        self.in_transaction = False

    def append(self, table: str, data: pa.Table) -> None:
        """Bulk append by COPY, inside the open transaction."""
        with self.raw.cursor() as cur:
            cur.adbc_ingest(table, data, mode="append")
        if self.in_transaction:
            self.written.add(table.lower())

    def analyse_written(self) -> list[str]:
        """After a commit: fresh planner statistics for the store's tables it wrote.

        PostgreSQL's autovacuum analyses a table only once enough rows changed and some time
        passed; until then a bulk-loaded table has none, and the planner's guesses over a
        million rows cost minutes. A failure here leaves the committed data as it is
        (statistics only speed up queries): it is logged, not raised. Returns the tables
        analysed."""
        names = sorted(self.written & _STORE_TABLES)
        self.written = set()
        if not names or self.in_transaction:
            return []
        try:
            with self.raw.cursor() as cur:
                cur.execute("ANALYZE " + ", ".join(names))
        except _driver().Error as exc:
            _LOG.warning("ANALYZE %s failed: %s", ", ".join(names), exc)
            return []
        return names

    def register(self, name: str, data: pa.Table) -> None:
        """A frame the next statements can name: a temporary table, gone with the session."""
        with self.raw.cursor() as cur:
            cur.execute(f'DROP TABLE IF EXISTS "{name}"')
            cur.adbc_ingest(name, data, mode="create", temporary=True)
        self._registered.add(name)

    def unregister(self, name: str) -> None:
        with self.raw.cursor() as cur:
            cur.execute(f'DROP TABLE IF EXISTS "{name}"')
        self._registered.discard(name)

    def advisory_lock(self, name: str, *, transaction: bool = True) -> None:
        fn = "pg_advisory_xact_lock" if transaction else "pg_advisory_lock"
        self.execute(f"SELECT {fn}(CAST(? AS BIGINT))", [_lock_key(name)])

    def advisory_unlock(self, name: str) -> None:
        self.execute("SELECT pg_advisory_unlock(CAST(? AS BIGINT))", [_lock_key(name)])

    def close(self) -> None:
        self.raw.close()


class Pool:
    """Idle connections per URL, handed to one thread at a time."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._idle: dict[str, list[Any]] = {}
        self._pid = os.getpid()

    def take(self, url: str) -> Any:
        with self._lock:
            if self._pid != os.getpid():  # forked: the parent's sockets are not ours
                self._idle, self._pid = {}, os.getpid()
            idle = self._idle.get(url)
            if idle:
                return idle.pop()
        adbc = _driver()
        try:
            raw = adbc.connect(url, autocommit=True)
        except adbc.Error as exc:
            raise StoreBusy(f"Cannot reach the store {redacted(url)}: {exc}") from exc
        with raw.cursor() as cur:
            for setting in SESSION_SETTINGS:
                cur.execute(setting)
        return raw

    def give(self, url: str, raw: Any, healthy: bool) -> None:
        with self._lock:
            idle = self._idle.setdefault(url, [])
            if healthy and len(idle) < POOL_SIZE:
                idle.append(raw)
                return
        with contextlib.suppress(Exception):
            raw.close()

    def close_idle(self) -> None:
        """At exit: close what is idle while the driver still exists (its finaliser otherwise
        runs after the interpreter has torn its module down, and prints a traceback)."""
        with self._lock:
            idle, self._idle = self._idle, {}
        for connections in idle.values():
            for raw in connections:
                with contextlib.suppress(Exception):
                    raw.close()


_POOL = Pool()
atexit.register(_POOL.close_idle)


def files_dir(url: str) -> Path:
    """Where a server store's side files (imported boundaries) live on this machine."""
    base = Path(os.environ.get(ENV_FILES_DIR) or Path("var"))
    slug = re.sub(r"[^A-Za-z0-9]+", "-", redacted(url).split("://", 1)[1].split("?")[0])
    return base / f"postgresql-{slug.strip('-')}"


@contextlib.contextmanager
def connection(url: str) -> Iterator[Connection]:
    raw = _POOL.take(url)
    con = Connection(raw)
    healthy = True
    try:
        yield con
    except BaseException:
        healthy = False
        raise
    finally:
        if con.in_transaction:
            healthy = False
            with contextlib.suppress(Exception):
                con.rollback()
        if con._registered:
            for name in list(con._registered):
                with contextlib.suppress(Exception):
                    con.unregister(name)
        _POOL.give(url, raw, healthy)


class PostgresStore(Store):
    """A PostgreSQL database holding the store's tables (``Store("postgresql://...")``)."""

    dialect = "postgres"

    def __init__(self, path: str | Path | None = None, *, keep_alive: bool | None = None) -> None:
        self.url = str(path) if path is not None else default_store_location()
        self.path = files_dir(self.url) / "store"
        self.keep_alive = False

    @property
    def location(self) -> str:
        return self.url

    def __str__(self) -> str:
        return redacted(self.url)

    @property
    def files_dir(self) -> Path:
        return files_dir(self.url)

    @contextlib.contextmanager
    def connect(self) -> Iterator[AnyConnection]:
        with self._server_connection() as con:
            yield con

    @contextlib.contextmanager
    def _server_connection(self) -> Iterator[Connection]:
        adbc = _driver()
        try:
            with connection(self.url) as con:
                yield con
        except adbc.OperationalError as exc:
            if getattr(exc, "sqlstate", None) in CONFLICT_STATES:
                raise StoreConflict(
                    f"Store {self} is busy: another write crossed this one, and nothing of "
                    "this one was written; try again in a moment."
                ) from exc
            raise StoreBusy(f"Store {self} is not reachable: {str(exc).splitlines()[0]}") from exc

    def analyse(self, con: AnyConnection) -> None:
        """After a bulk commit: ANALYZE the tables it wrote (:meth:`Connection.analyse_written`)."""
        assert isinstance(con, Connection)
        con.analyse_written()

    def serialise(self, con: AnyConnection, name: str) -> None:
        assert isinstance(con, Connection)
        con.advisory_lock(name, transaction=True)

    @contextlib.contextmanager
    def exclusive(self, name: str) -> Iterator[None]:
        with self._server_connection() as con:
            con.advisory_lock(name, transaction=False)
            try:
                yield
            finally:
                con.advisory_unlock(name)

    def exists(self) -> bool:
        with self.connect() as con:
            row = con.execute(
                "SELECT count(*) FROM information_schema.tables "
                "WHERE table_schema = 'public' AND table_name = 'meta'"
            ).fetchone()
        return bool(row and row[0])

    def _verified_key(self) -> tuple:
        return (self.url,)

    def _create(self) -> None:
        from schemas import TABLES

        with self.exclusive("netralitas:create"):
            if not self.exists():
                self._create_tables(TABLES)

    def file_signature(self) -> tuple[int, int, int, int]:
        """No file to look at: the data version itself (one indexed row, one round trip)."""
        return (self.data_version(), 0, 0, 0)


register_server_store(is_postgres_url, PostgresStore)
