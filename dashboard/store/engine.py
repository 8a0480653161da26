"""The embedded DuckDB engine: where the file is, connections, transactions, upgrades.

Connections are short-lived (open, work, close) because DuckDB locks the file
per process: the CLI importing while the dashboard runs must be able to get in
between two page renders. A lock held by another process is retried for a
while and then reported as :class:`StoreBusy`, never as a half-done write.
"""

from __future__ import annotations

import atexit
import contextlib
import glob
import os
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb
import polars as pl

from dashboard.store.dialect import CATALOG_SCHEMA, SQL_TYPES, Connection
from dashboard.store.errors import StoreBusy, StoreError, StoreVersionError
from dashboard.store.schema import (
    AGGREGATE_TABLES,
    SCHEMA_VERSION,
    TABLE_NAMES,
    load_bundled_reference,
    read_schema_version,
    refresh_aggregates,
    table_ddl,
    table_names,
)

if TYPE_CHECKING:  # pandera (and through it pandas) costs ~2 s to import: only where validating
    pass


ENV_STORE = "NETRALITAS_STORE"


ENV_KEEP_ALIVE = "NETRALITAS_KEEP_ALIVE"


DEFAULT_STORE = Path("var") / "netralitas.duckdb"


LOCK_WAIT_SECONDS = 15.0


def default_store_location() -> str:
    """``$NETRALITAS_STORE`` (a file or a ``postgresql://`` URL) if set, else
    ``var/netralitas.duckdb`` under the working directory."""
    return os.environ.get(ENV_STORE) or str(DEFAULT_STORE)


# Stores for locations that are not a DuckDB file (a server URL), each registered by its own
# module (dashboard/store/__init__.py imports them), so this base knows none of them.
_SERVER_STORES: list[tuple[Callable[[Any], bool], type[Store]]] = []


def register_server_store(matches: Callable[[Any], bool], store_class: type[Store]) -> None:
    """``Store(location)`` gives ``store_class`` for every location ``matches`` accepts."""
    _SERVER_STORES.append((matches, store_class))


def default_store_path() -> Path:
    return Path(default_store_location())


_VERIFIED: set[tuple] = set()


def count_of(cursor: Any) -> int:
    """The single number a ``count(*)`` or a DELETE/UPDATE (rows changed) statement returns."""
    row = cursor.fetchone()
    if row is None:
        raise StoreError("The store returned no row count.")
    return int(row[0])


def _is_lock_error(exc: Exception) -> bool:
    """Whether opening failed only because the file is in use, so a retry can succeed.

    Besides another process's lock, DuckDB refuses an open for a moment while another
    thread of this process is closing the same file ("unique file handle conflict").
    """
    text = str(exc).lower()
    return any(w in text for w in ("lock", "conflicting", "already open", "file handle conflict"))


def _writer_marker(path: Path) -> Path:
    """The file by which this process says it wants the database (see :class:`_KeepAlive`)."""
    return path.with_name(f"{path.name}.writer-{os.getpid()}")


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def foreign_writer_waiting(path: Path) -> bool:
    """Whether another live process (the CLI) has announced that it wants the file.

    Markers of dead processes (a killed CLI) are ignored.
    """
    own = os.getpid()
    for marker in path.parent.glob(f"{glob.escape(path.name)}.writer-*"):
        pid = marker.name.rsplit("-", 1)[-1]
        if pid.isdigit() and int(pid) != own and _pid_alive(int(pid)):
            return True
    return False


class _WriterIntent:
    """Process-wide count of open short-lived connections per path, with the marker file
    present while any is open or being waited for, and for a short grace after the last
    closes (a CLI command opens the file many times in a row): the dashboard then lets go
    of the file and waits, so the CLI gets in however busy the dashboard is."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._count: dict[Path, int] = {}
        self._generation: dict[Path, int] = {}

    def enter(self, path: Path) -> None:
        with self._lock:
            n = self._count.get(path, 0)
            if n == 0:
                self._generation[path] = self._generation.get(path, 0) + 1
                with contextlib.suppress(OSError):
                    _writer_marker(path).touch()
            self._count[path] = n + 1

    def leave(self, path: Path) -> None:
        with self._lock:
            n = self._count[path] - 1
            self._count[path] = n
            if n == 0:
                timer = threading.Timer(
                    WRITER_GRACE_SECONDS, self._expire, (path, self._generation[path])
                )
                timer.daemon = True
                timer.start()

    def remove_all(self) -> None:
        """At exit: no marker outlives the process (dead ones are ignored anyway)."""
        with self._lock:
            for path in self._count:
                with contextlib.suppress(OSError):
                    _writer_marker(path).unlink()

    def _expire(self, path: Path, generation: int) -> None:
        with self._lock:
            if self._count.get(path, 0) == 0 and self._generation.get(path) == generation:
                with contextlib.suppress(OSError):
                    _writer_marker(path).unlink()


WRITER_GRACE_SECONDS = 3.0


_WRITER_INTENT = _WriterIntent()


atexit.register(_WRITER_INTENT.remove_all)


class _KeepAlive:
    """Holds a store's database open for a moment after the last use.

    Opening a DuckDB file costs ~35 ms; while one connection of this process is
    open, further ones cost ~1 ms. The dashboard renders a page with several
    queries, so it keeps the file open between them and lets go after
    ``seconds`` idle, which is when another process (the CLI) can get in.

    Viewers re-rendering all the time would never leave it idle, so a process that
    wants the file announces it (:func:`foreign_writer_waiting`): then no new query
    starts here (only nested ones of a query already running), the file is closed as
    soon as the running ones end, and queries resume once the other process is done.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._roots: dict[str, tuple[duckdb.DuckDBPyConnection, float, int]] = {}
        self._thread: threading.Thread | None = None
        self._held = threading.local()  # per thread: paths -> nesting depth

    def depth(self, path: str) -> int:
        return int(getattr(self._held, "depths", {}).get(path, 0))

    def _set_depth(self, path: str, n: int) -> None:
        depths = getattr(self._held, "depths", None)
        if depths is None:
            depths = self._held.depths = {}
        depths[path] = n

    def wait_for_writers(self, path: Path) -> None:
        """Before a new (not nested) query: let another process's write go first."""
        deadline = time.monotonic() + LOCK_WAIT_SECONDS
        while foreign_writer_waiting(path) and time.monotonic() < deadline:
            self.close_idle(0.0)
            time.sleep(0.02)

    def acquire(self, path: str, open_fn: Callable[[], duckdb.DuckDBPyConnection]) -> None:
        with self._lock:
            root = self._roots.get(path)
            if root is None:
                self._roots[path] = (open_fn(), time.monotonic(), 1)
            else:
                self._roots[path] = (root[0], time.monotonic(), root[2] + 1)
            if self._thread is None:
                self._thread = threading.Thread(target=self._janitor, daemon=True)
                self._thread.start()
        self._set_depth(path, self.depth(path) + 1)

    def release(self, path: str) -> None:
        self._set_depth(path, self.depth(path) - 1)
        with self._lock:
            con, _, users = self._roots[path]
            self._roots[path] = (con, time.monotonic(), users - 1)
            if users == 1 and foreign_writer_waiting(Path(path)):
                con.close()
                del self._roots[path]

    def close_idle(self, seconds: float) -> None:
        now = time.monotonic()
        with self._lock:
            for path, (con, last, users) in list(self._roots.items()):
                if users == 0 and (now - last >= seconds or foreign_writer_waiting(Path(path))):
                    con.close()
                    del self._roots[path]

    def _janitor(self) -> None:
        while True:
            time.sleep(0.2)
            self.close_idle(KEEP_ALIVE_SECONDS)


_KEEP_ALIVE = _KeepAlive()


class _SharedWhileBusy:
    """Short-lived connections of one process to one file share one open database while
    any of them is in use, and the file is closed when the last one ends.

    Each ``duckdb.connect`` otherwise opens the file anew once the previous connection has
    closed it; threads opening while another closes collide on the file lock (the closing
    database still holds it), and under load some gave up after the whole wait."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._roots: dict[str, tuple[duckdb.DuckDBPyConnection, int]] = {}

    def acquire(self, path: str, open_fn: Callable[[], duckdb.DuckDBPyConnection]) -> None:
        with self._lock:
            root = self._roots.get(path)
            self._roots[path] = (open_fn(), 1) if root is None else (root[0], root[1] + 1)

    def release(self, path: str) -> None:
        with self._lock:
            con, users = self._roots[path]
            if users == 1:
                del self._roots[path]
                con.close()
            else:
                self._roots[path] = (con, users - 1)


_SHARED_WHILE_BUSY = _SharedWhileBusy()


KEEP_ALIVE_SECONDS = 1.0


class Store:
    """A DuckDB file holding every table in :data:`schemas.TABLES` plus a ``meta`` table.

    ``Store(location)`` with a ``postgresql://`` URL gives the server store
    (:class:`dashboard.store.postgres.PostgresStore`): the same tables and methods.
    """

    dialect = "duckdb"

    def __new__(cls, path: str | Path | None = None, **_: Any) -> Store:
        location = default_store_location() if path is None else path
        if cls is Store:
            for matches, server_store in _SERVER_STORES:
                if matches(location):
                    return super().__new__(server_store)
        return super().__new__(cls)

    def __init__(self, path: str | Path | None = None, *, keep_alive: bool | None = None) -> None:
        self.path = Path(path) if path is not None else default_store_path()
        # the dashboard (``netralitas serve`` sets $NETRALITAS_KEEP_ALIVE) keeps the file
        # open briefly between queries; the CLI does not
        if keep_alive is None:
            keep_alive = os.environ.get(ENV_KEEP_ALIVE) == "1"
        self.keep_alive = keep_alive
        # resolved once: every cached read of a page keys on it (realpath is a syscall chain)
        self._location = str(self.path.resolve())

    @property
    def location(self) -> str:
        """What ``Store(...)`` reopens this store from (a cache key, an environment value)."""
        return self._location

    def __str__(self) -> str:
        return str(self.path)

    @property
    def files_dir(self) -> Path:
        """Where side files (imported official boundaries) live: beside the file."""
        return self.path.parent

    # -- connections -------------------------------------------------------
    def serialise(self, con: Connection, name: str) -> None:
        """Inside a transaction: writers naming the same thing go one at a time, across
        processes too. A DuckDB file admits one writing process already (its file lock);
        the threads of this process queue on the caller's lock."""

    @contextlib.contextmanager
    def exclusive(self, name: str) -> Iterator[None]:
        """Outside a transaction: hold ``name`` for a few statements, against every process."""
        with self.connect():
            yield

    @contextlib.contextmanager
    def connect(self) -> Iterator[Connection]:
        if not self.keep_alive or not self.path.exists():
            # short-lived connections (the CLI): announced, so a busy dashboard makes way
            intent = self.path.resolve()
            _WRITER_INTENT.enter(intent)
            try:
                _SHARED_WHILE_BUSY.acquire(str(intent), self._open)
                try:
                    with self._connect() as con:
                        yield con
                finally:
                    _SHARED_WHILE_BUSY.release(str(intent))
            finally:
                _WRITER_INTENT.leave(intent)
            return
        key = str(self.path.resolve())
        if _KEEP_ALIVE.depth(key) == 0:
            _KEEP_ALIVE.wait_for_writers(Path(key))
        _KEEP_ALIVE.acquire(key, self._open)
        try:
            with self._connect() as con:
                yield con
        finally:
            _KEEP_ALIVE.release(key)

    def _open(self) -> duckdb.DuckDBPyConnection:
        with self._connect(close=False) as con:
            return con

    @contextlib.contextmanager
    def _connect(self, close: bool = True) -> Iterator[duckdb.DuckDBPyConnection]:
        deadline = time.monotonic() + LOCK_WAIT_SECONDS
        delay = 0.05
        while True:
            try:
                con = duckdb.connect(str(self.path))
                break
            except duckdb.Error as exc:
                if not _is_lock_error(exc) or time.monotonic() > deadline:
                    if _is_lock_error(exc):
                        raise StoreBusy(
                            f"Store {self.path} is busy (another process is writing); "
                            "try again in a moment."
                        ) from exc
                    raise
                time.sleep(delay)
                delay = min(delay * 2, 0.1)
        try:
            yield con
        finally:
            if close:
                con.close()

    @contextlib.contextmanager
    def transaction(
        self, *, aggregates: bool = True, bump_version: bool = True
    ) -> Iterator[Connection]:
        """All-or-nothing write; bumps the data version so caches refresh.

        ``aggregates`` rebuilds the roster aggregates inside the same transaction;
        writes that cannot touch the roster (users, audit) pass False to stay cheap.
        ``bump_version=False`` is for appends that change no figure (the audit trail):
        they then touch no shared row, so concurrent ones cannot conflict.
        """
        self.ensure()
        with self.connect() as con:
            con.begin()
            try:
                yield con
                if aggregates:
                    refresh_aggregates(con)
                if bump_version:
                    con.execute(
                        "UPDATE meta SET value = CAST(CAST(value AS BIGINT) + 1 AS VARCHAR) "
                        "WHERE key = 'data_version'"
                    )
                con.commit()
            except BaseException:
                con.rollback()
                raise
            if aggregates:  # a bulk write (roster, demo, copy): statistics for what it wrote
                self.analyse(con)

    def analyse(self, con: Connection) -> None:
        """After a committed bulk write: bring the planner's statistics up to date.

        DuckDB keeps its statistics as it writes (per row group, updated by every insert,
        update and delete): nothing to do. The server store analyses the tables written."""

    # -- lifecycle ---------------------------------------------------------
    def exists(self) -> bool:
        return self.path.exists()

    def ensure(self) -> None:
        """Create a missing store, upgrade an older one additively, refuse a newer one.

        Verified once per file state (path + cheap signature), so reads do not pay
        for an extra connection each time.
        """
        if self._verified_key() in _VERIFIED:
            return
        if self.exists():
            if self.check_version() < SCHEMA_VERSION:
                self.migrate()
            self._ensure_aggregates()
        else:
            self._create()
        _VERIFIED.add(self._verified_key())

    def _verified_key(self) -> tuple:
        return (str(self.path.resolve()), self.file_signature())

    def _create(self) -> None:
        from schemas import TABLES

        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._create_tables(TABLES)

    def _create_tables(self, tables: dict) -> None:
        with self.connect() as con:
            con.begin()
            con.execute("CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
            for table, model in tables.items():
                con.execute(table_ddl(table, model, self.dialect))
            con.execute(
                "INSERT INTO meta VALUES ('schema_version', ?), ('data_version', '0')",
                [str(SCHEMA_VERSION)],
            )
            load_bundled_reference(con)
            refresh_aggregates(con)
            con.commit()
            self.analyse(con)

    def _ensure_aggregates(self) -> None:
        """Stores written before the aggregates existed get them on first open, and a store
        without reference regions (made by an older version's import) gets them."""
        with self.connect() as con:
            if count_of(con.execute("SELECT count(*) FROM regions")) == 0:
                con.begin()
                load_bundled_reference(con)
                con.commit()
                self.analyse(con)
            if not set(AGGREGATE_TABLES) <= table_names(con):
                con.begin()
                refresh_aggregates(con)
                con.commit()
                self.analyse(con)

    def check_version(self) -> int:
        """The file's schema version; refuses a foreign file or one newer than this code."""
        with self.connect() as con:
            found = read_schema_version(con, self)
        if found > SCHEMA_VERSION:
            raise StoreVersionError(
                f"{self} was written by schema version {found}; this program reads "
                f"version {SCHEMA_VERSION}. Open it with the matching version of Netralitas "
                "or start a new store."
            )
        return found

    def migrate(self) -> list[str]:
        """Upgrade an older store in place, additively, in one transaction.

        Generic on purpose (any engineer may add a table or a nullable column and bump
        :data:`SCHEMA_VERSION`): missing tables are created, missing nullable columns
        added. Anything else (a changed type, a new NOT NULL column on an existing table,
        a column this code does not know) is refused and the file is left untouched.
        Returns the changes made.
        """
        from schemas import TABLES

        changes: list[str] = []
        with self.connect() as con:
            con.begin()
            try:
                found = read_schema_version(con, self)
                if found >= SCHEMA_VERSION:  # another process got there first
                    con.rollback()
                    return changes
                have: dict[str, dict[str, str]] = {}
                for table, column, data_type in con.execute(
                    "SELECT table_name, column_name, data_type FROM information_schema.columns "
                    "WHERE table_schema = ? AND table_catalog = current_database()",
                    [CATALOG_SCHEMA[self.dialect]],
                ).fetchall():
                    have.setdefault(table, {})[column] = data_type
                for table, model in TABLES.items():
                    if table not in have:
                        con.execute(table_ddl(table, model, self.dialect))
                        changes.append(f"create table {table}")
                        continue
                    want = model.to_schema().columns
                    unknown = set(have[table]) - set(want)
                    if unknown:
                        raise StoreVersionError(
                            f"{self}: table {table} has columns this program does not "
                            f"know ({', '.join(sorted(unknown))}); not upgrading."
                        )
                    for name, col in want.items():
                        sql_type = SQL_TYPES[self.dialect][col.dtype.type.base_type()]
                        if name not in have[table]:
                            if not col.nullable:
                                raise StoreVersionError(
                                    f"{self}: new column {table}.{name} is required "
                                    "(NOT NULL); an additive upgrade cannot fill it."
                                )
                            con.execute(f'ALTER TABLE {table} ADD COLUMN "{name}" {sql_type}')
                            changes.append(f"add column {table}.{name}")
                        elif have[table][name].lower() != sql_type.lower():
                            raise StoreVersionError(
                                f"{self}: column {table}.{name} is {have[table][name]} "
                                f"in the file but {sql_type} in this program; not upgrading."
                            )
                if changes:  # the aggregates read new tables / columns: rebuild them
                    refresh_aggregates(con)
                con.execute(
                    "UPDATE meta SET value = ? WHERE key = 'schema_version'", [str(SCHEMA_VERSION)]
                )
                con.commit()
            except BaseException:
                con.rollback()
                raise
            self.analyse(con)
        return changes

    # -- reads -------------------------------------------------------------
    def query(self, sql: str, params: list | dict | None = None) -> pl.DataFrame:
        self.ensure()
        with self.connect() as con:
            return con.sql(sql, params=params).pl()

    def table(self, name: str) -> pl.DataFrame:
        if name not in TABLE_NAMES:
            raise KeyError(name)
        return self.query(f"SELECT * FROM {name}")

    def data_version(self) -> int:
        self.ensure()
        with self.connect() as con:
            row = con.execute("SELECT value FROM meta WHERE key = 'data_version'").fetchone()
        return int(row[0]) if row else 0

    def file_signature(self) -> tuple[int, int, int, int]:
        """Cheap change detector (no connection): mtimes and sizes of the file and its WAL."""
        out: list[int] = []
        for p in (self.path, self.path.with_name(self.path.name + ".wal")):
            try:
                st = p.stat()
                out += [st.st_mtime_ns, st.st_size]
            except FileNotFoundError:
                out += [0, 0]
        return (out[0], out[1], out[2], out[3])

    def counts(self) -> dict[str, int]:
        self.ensure()
        with self.connect() as con:
            return {t: count_of(con.execute(f"SELECT count(*) FROM {t}")) for t in TABLE_NAMES}
