"""The embedded DuckDB store: the only module that writes.

Connections are short-lived (open, work, close) because DuckDB locks the file
per process: the CLI importing while the dashboard runs must be able to get in
between two page renders. A lock held by another process is retried for a
while and then reported as :class:`StoreBusy`, never as a half-done write.
"""

from __future__ import annotations

import atexit
import contextlib
import datetime as dt
import glob
import hashlib
import os
import secrets
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import polars as pl

from schemas import TABLE_MODELS

if TYPE_CHECKING:  # pandera (and through it pandas) costs ~2 s to import: only where validating
    import pandera.polars as pa

SCHEMA_VERSION = 3  # 2: users, audit_log (access control); 3: follow-up tables
ENV_STORE = "NETRALITAS_STORE"
ENV_KEEP_ALIVE = "NETRALITAS_KEEP_ALIVE"
DEFAULT_STORE = Path("var") / "netralitas.duckdb"
LOCK_WAIT_SECONDS = 15.0
TABLE_NAMES = tuple(TABLE_MODELS)

_DUCKDB_TYPES: dict[type[pl.DataType], str] = {
    pl.String: "VARCHAR",
    pl.Int64: "BIGINT",
    pl.Int32: "INTEGER",
    pl.Float64: "DOUBLE",
    pl.Boolean: "BOOLEAN",
    pl.Date: "DATE",
    pl.Datetime: "TIMESTAMP",
}


class StoreError(RuntimeError):
    """A store problem the user can act on (message is safe to show)."""


class StoreBusy(StoreError):
    """Another process holds the write lock for longer than we are willing to wait."""


class StoreVersionError(StoreError):
    """The file was written by a schema version this code cannot read."""


def default_store_path() -> Path:
    """``$NETRALITAS_STORE`` if set, else ``var/netralitas.duckdb`` under the working directory."""
    return Path(os.environ.get(ENV_STORE) or DEFAULT_STORE)


def polars_schema(model: type[pa.DataFrameModel]) -> dict[str, pl.DataType]:
    """Column name -> Polars dtype, in schema order."""
    return {name: col.dtype.type for name, col in model.to_schema().columns.items()}


def empty_frame(model: type[pa.DataFrameModel]) -> pl.DataFrame:
    return pl.DataFrame(schema=polars_schema(model))


def conform(df: pl.DataFrame, model: type[pa.DataFrameModel]) -> pl.DataFrame:
    """Select and cast ``df`` to the table's columns (missing nullable columns become null)."""
    schema = polars_schema(model)
    return df.select(
        [
            (pl.col(c) if c in df.columns else pl.lit(None)).cast(t).alias(c)
            for c, t in schema.items()
        ]
    )


def _ddl(table: str, model: type[pa.DataFrameModel]) -> str:
    cols = []
    for name, col in model.to_schema().columns.items():
        sql_type = _DUCKDB_TYPES[col.dtype.type.base_type()]
        cols.append(f'"{name}" {sql_type}{"" if col.nullable else " NOT NULL"}')
    return f"CREATE TABLE IF NOT EXISTS {table} ({', '.join(cols)})"


_VERIFIED: set[tuple[str, tuple[int, int, int, int]]] = set()

# Derived tables rebuilt inside every roster-touching transaction: national
# figures come from ~0.4 M aggregate rows instead of 4.3 M officials.
AGGREGATE_TABLES = ("agg_roster", "agg_signed_days")


def refresh_aggregates(con: duckdb.DuckDBPyConnection) -> None:
    """Rebuild the roster aggregates from the current roster (call inside a transaction)."""
    con.execute(
        """
        CREATE OR REPLACE TABLE agg_roster AS
        SELECT agency_id, position_level, is_demo,
               count(*) AS n,
               count(*) FILTER (WHERE signed) AS signed_n,
               count(*) FILTER (WHERE signed AND signed_date IS NULL) AS signed_undated,
               count(*) FILTER (WHERE pledged) AS pledged_n,
               max(signed_date) FILTER (WHERE signed) AS last_signed_date
        FROM officials WHERE superseded_by IS NULL
        GROUP BY ALL
        """
    )
    con.execute(
        """
        CREATE OR REPLACE TABLE agg_signed_days AS
        SELECT agency_id, position_level, is_demo, signed_date, count(*) AS n
        FROM officials
        WHERE superseded_by IS NULL AND signed AND signed_date IS NOT NULL
        GROUP BY ALL
        """
    )


def _is_lock_error(exc: Exception) -> bool:
    text = str(exc).lower()
    return "lock" in text or "conflicting" in text or "already open" in text


def _read_schema_version(con: duckdb.DuckDBPyConnection, path: Path) -> int:
    try:
        row = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    except duckdb.CatalogException as exc:
        raise StoreVersionError(f"{path} is not a Netralitas store (no meta table).") from exc
    if not row:
        raise StoreVersionError(f"{path} is not a Netralitas store (no schema version).")
    return int(row[0])


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
KEEP_ALIVE_SECONDS = 1.0


class Store:
    """A DuckDB file holding every table in :data:`schemas.TABLES` plus a ``meta`` table."""

    def __init__(self, path: str | Path | None = None, *, keep_alive: bool | None = None) -> None:
        self.path = Path(path) if path is not None else default_store_path()
        # the dashboard (``netralitas serve`` sets $NETRALITAS_KEEP_ALIVE) keeps the file
        # open briefly between queries; the CLI does not
        if keep_alive is None:
            keep_alive = os.environ.get(ENV_KEEP_ALIVE) == "1"
        self.keep_alive = keep_alive

    # -- connections -------------------------------------------------------
    @contextlib.contextmanager
    def connect(self) -> Iterator[duckdb.DuckDBPyConnection]:
        if not self.keep_alive or not self.path.exists():
            # short-lived connections (the CLI): announced, so a busy dashboard makes way
            intent = self.path.resolve()
            _WRITER_INTENT.enter(intent)
            try:
                with self._connect() as con:
                    yield con
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
    ) -> Iterator[duckdb.DuckDBPyConnection]:
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

    # -- lifecycle ---------------------------------------------------------
    def exists(self) -> bool:
        return self.path.exists()

    def ensure(self) -> None:
        """Create a missing store, upgrade an older one additively, refuse a newer one.

        Verified once per file state (path + cheap signature), so reads do not pay
        for an extra connection each time.
        """
        key = (str(self.path.resolve()), self.file_signature())
        if key in _VERIFIED:
            return
        if self.path.exists():
            if self.check_version() < SCHEMA_VERSION:
                self.migrate()
            self._ensure_aggregates()
        else:
            self._create()
        _VERIFIED.add((str(self.path.resolve()), self.file_signature()))

    def _create(self) -> None:
        from schemas import TABLES

        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.connect() as con:
            con.begin()
            con.execute("CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
            for table, model in TABLES.items():
                con.execute(_ddl(table, model))
            con.execute(
                "INSERT INTO meta VALUES ('schema_version', ?), ('data_version', '0')",
                [str(SCHEMA_VERSION)],
            )
            _load_bundled_reference(con)
            refresh_aggregates(con)
            con.commit()

    def _ensure_aggregates(self) -> None:
        """Stores written before the aggregates existed get them on first open, and a store
        without reference regions (made by an older version's import) gets them."""
        with self.connect() as con:
            if con.execute("SELECT count(*) FROM regions").fetchone()[0] == 0:  # type: ignore[index]
                con.begin()
                _load_bundled_reference(con)
                con.commit()
            present = {
                r[0]
                for r in con.execute(
                    "SELECT table_name FROM duckdb_tables() WHERE table_name IN (?, ?)",
                    list(AGGREGATE_TABLES),
                ).fetchall()
            }
            if present != set(AGGREGATE_TABLES):
                con.begin()
                refresh_aggregates(con)
                con.commit()

    def check_version(self) -> int:
        """The file's schema version; refuses a foreign file or one newer than this code."""
        with self.connect() as con:
            found = _read_schema_version(con, self.path)
        if found > SCHEMA_VERSION:
            raise StoreVersionError(
                f"{self.path} was written by schema version {found}; this program reads "
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
                found = _read_schema_version(con, self.path)
                if found >= SCHEMA_VERSION:  # another process got there first
                    con.rollback()
                    return changes
                have: dict[str, dict[str, str]] = {}
                for table, column, data_type in con.execute(
                    "SELECT table_name, column_name, data_type FROM information_schema.columns "
                    "WHERE table_schema = 'main' AND table_catalog = current_database()"
                ).fetchall():
                    have.setdefault(table, {})[column] = data_type
                for table, model in TABLES.items():
                    if table not in have:
                        con.execute(_ddl(table, model))
                        changes.append(f"create table {table}")
                        continue
                    want = model.to_schema().columns
                    unknown = set(have[table]) - set(want)
                    if unknown:
                        raise StoreVersionError(
                            f"{self.path}: table {table} has columns this program does not "
                            f"know ({', '.join(sorted(unknown))}); not upgrading."
                        )
                    for name, col in want.items():
                        sql_type = _DUCKDB_TYPES[col.dtype.type.base_type()]
                        if name not in have[table]:
                            if not col.nullable:
                                raise StoreVersionError(
                                    f"{self.path}: new column {table}.{name} is required "
                                    "(NOT NULL); an additive upgrade cannot fill it."
                                )
                            con.execute(f'ALTER TABLE {table} ADD COLUMN "{name}" {sql_type}')
                            changes.append(f"add column {table}.{name}")
                        elif have[table][name] != sql_type:
                            raise StoreVersionError(
                                f"{self.path}: column {table}.{name} is {have[table][name]} "
                                f"in the file but {sql_type} in this program; not upgrading."
                            )
                con.execute(
                    "UPDATE meta SET value = ? WHERE key = 'schema_version'", [str(SCHEMA_VERSION)]
                )
                con.commit()
            except BaseException:
                con.rollback()
                raise
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
            return {
                t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]  # type: ignore[index]
                for t in TABLE_NAMES
            }


def insert_frame(
    con: duckdb.DuckDBPyConnection, table: str, df: pl.DataFrame, *, validate: bool = True
) -> int:
    """Validate ``df`` against the table's schema and append it inside the caller's transaction."""
    from schemas import TABLES

    model = TABLES[table]
    frame = conform(df, model)
    if validate:
        frame = model.validate(frame)  # type: ignore[assignment]
    if frame.height == 0:
        return 0
    view = f"_incoming_{table}"
    con.register(view, frame.to_arrow())
    try:
        con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM {view}")
    finally:
        con.unregister(view)
    return frame.height


def _load_bundled_reference(con: duckdb.DuckDBPyConnection) -> None:
    """The shipped regions and aliases: every store has them from its first write, so names
    and filters work whether the first data came from the demo, the seed or an import."""
    from dashboard.geo import regions

    load_reference(con, regions.load_regions(), regions.load_aliases())


def load_reference(
    con: duckdb.DuckDBPyConnection, regions: pl.DataFrame, aliases: pl.DataFrame
) -> None:
    """Replace the reference tables (regions, aliases) inside the caller's transaction."""
    con.execute("DELETE FROM regions")
    con.execute("DELETE FROM region_aliases")
    insert_frame(con, "regions", regions)
    insert_frame(con, "region_aliases", aliases)


def replace_builtin(
    store: Store,
    *,
    regions: pl.DataFrame,
    aliases: pl.DataFrame,
    frames: dict[str, pl.DataFrame],
    upload_rows: pl.DataFrame,
    builtin_ids: tuple[str, ...] = ("seed", "demo"),
) -> None:
    """Swap the built-in (seed / demo) rows for ``frames`` in one transaction.

    Rows that came from uploads are untouched: built-in rows are recognised by
    their ``upload_id``.
    """
    with store.transaction() as con:
        load_reference(con, regions, aliases)
        placeholders = ", ".join("?" for _ in builtin_ids)
        for table in ("officials", "events", "signature_reports", "agencies", "uploads"):
            con.execute(
                f"DELETE FROM {table} WHERE upload_id IN ({placeholders})", list(builtin_ids)
            )
        for table, df in frames.items():
            insert_frame(con, table, df)
        insert_frame(con, "uploads", upload_rows)


# --- users and audit log (access control, issue 6) ------------------------------------------
# Writes for sign-in accounts and the audit trail. They never touch the roster, so they skip
# the aggregate rebuild. Password hashes are written here but never read back by listings.

USER_PUBLIC_COLUMNS = (
    "username",
    "email",
    "role",
    "source",
    "scope_provinces",
    "scope_regencies",
    "created_at",
    "updated_at",
)


def get_user(store: Store, username: str) -> dict | None:
    """One account by user name, including its password hash (for verification only)."""
    df = store.query("SELECT * FROM users WHERE username = $u", {"u": username})
    return df.row(0, named=True) if df.height else None


def get_user_by_email(store: Store, email: str) -> dict | None:
    """An account by e-mail (case-insensitive): OIDC sign-ins take role and scope from it."""
    df = store.query(
        "SELECT * FROM users WHERE lower(email) = lower($e) ORDER BY username LIMIT 1",
        {"e": email},
    )
    return df.row(0, named=True) if df.height else None


def list_users(store: Store) -> pl.DataFrame:
    """Every account without its password hash, plus whether one is set."""
    cols = ", ".join(USER_PUBLIC_COLUMNS)
    return store.query(
        f"SELECT {cols}, password_hash IS NOT NULL AS has_password FROM users ORDER BY username"
    )


def count_password_users(store: Store) -> int:
    """Accounts that can sign in with a password (local sign-in is configured when > 0)."""
    df = store.query("SELECT count(*) AS n FROM users WHERE password_hash IS NOT NULL")
    return int(df["n"][0])


def save_user(store: Store, row: dict, *, audit: pl.DataFrame | None = None) -> None:
    """Insert or replace one account (validated), with its audit row in the same transaction."""
    from schemas import Users

    with store.transaction(aggregates=False) as con:
        con.execute("DELETE FROM users WHERE username = ?", [row[Users.username]])
        insert_frame(con, "users", pl.DataFrame([row]))
        if audit is not None:
            insert_frame(con, "audit_log", audit)


def delete_user(store: Store, username: str, *, audit: pl.DataFrame | None = None) -> bool:
    """Remove one account; False when there was none."""
    with store.transaction(aggregates=False) as con:
        found = con.execute("SELECT count(*) FROM users WHERE username = ?", [username]).fetchone()
        if not found or not found[0]:
            return False
        con.execute("DELETE FROM users WHERE username = ?", [username])
        if audit is not None:
            insert_frame(con, "audit_log", audit)
    return True


def append_audit(store: Store, rows: pl.DataFrame) -> None:
    """Append audit rows (already built and cleaned by ``dashboard.audit``).

    An insert only: it does not bump the data version (no figure depends on the trail, and
    the admin page reads it uncached), so simultaneous audited actions never collide on
    the version row.
    """
    with store.transaction(aggregates=False, bump_version=False) as con:
        insert_frame(con, "audit_log", rows)


# one lock per account (striped: bounded memory whatever names are tried)
_SIGNIN_LOCKS = tuple(threading.Lock() for _ in range(64))


@contextlib.contextmanager
def signin_serialised(store: Store, account: str) -> Iterator[None]:
    """One sign-in attempt at a time per account, so checking the lock-out, verifying the
    password and recording the attempt form one step.

    Threads of this process queue on a per-account lock; the attempt also holds the
    database open throughout, and DuckDB admits one process at a time, so another
    process cannot interleave either.
    """
    key = f"{store.path.resolve()}\0{account}".encode()
    lock = _SIGNIN_LOCKS[int.from_bytes(hashlib.blake2b(key, digest_size=4).digest()) % 64]
    store.ensure()
    with lock, store.connect():
        yield


_ACCOUNT_KEY_LOCK = threading.Lock()


def account_key_secret(store: Store) -> bytes:
    """A random per-store key (kept in ``meta``) for naming unknown accounts in the trail
    by a keyed hash: a password typed into the name field is never stored readable."""
    with _ACCOUNT_KEY_LOCK:
        df = store.query("SELECT value FROM meta WHERE key = 'account_key'")
        if df.height:
            return bytes.fromhex(df["value"][0])
        value = secrets.token_hex(32)
        with store.transaction(aggregates=False, bump_version=False) as con:
            con.execute(
                "INSERT INTO meta VALUES ('account_key', ?) ON CONFLICT DO NOTHING", [value]
            )
            value = con.execute("SELECT value FROM meta WHERE key = 'account_key'").fetchone()[0]  # type: ignore[index]
        return bytes.fromhex(value)


def audit_rows(
    store: Store,
    *,
    since: dt.datetime | None = None,
    actions: tuple[str, ...] = (),
    limit: int | None = None,
) -> pl.DataFrame:
    """The audit trail, newest first."""
    params: dict = {"since": since or dt.datetime(1900, 1, 1)}
    where = "occurred_at >= $since"
    if actions:
        params["actions"] = list(actions)
        where += " AND action IN (SELECT unnest($actions))"
    sql = f"SELECT * FROM audit_log WHERE {where} ORDER BY occurred_at DESC, event_id"
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    return store.query(sql, params)


def recent_signin_failures(
    store: Store, username: str, since: dt.datetime, limit: int
) -> list[dt.datetime]:
    """Times of the latest failed sign-ins for ``username`` since ``since``, newest first.

    Failures before the last success, unlock or password change do not count: the audit
    trail is the lock-out counter, so it survives restarts and spans sessions and processes.
    An attempt on an unknown account is recorded with its keyed name in ``target`` (the
    actor is a placeholder), so ``username`` may be that key: unknown names lock too.
    """
    df = store.query(
        f"""SELECT occurred_at FROM audit_log
            WHERE action = 'signin' AND outcome = 'failure' AND coalesce(target, actor) = $u
              AND occurred_at >= $since
              AND occurred_at > coalesce((
                  SELECT max(occurred_at) FROM audit_log
                  WHERE (action = 'signin' AND outcome = 'ok' AND actor = $u)
                     OR (action IN ('user.unlock', 'user.password', 'user.add')
                         AND outcome = 'ok' AND target = $u)
              ), TIMESTAMP '1900-01-01')
            ORDER BY occurred_at DESC LIMIT {int(limit)}""",
        {"u": username, "since": since},
    )
    return df["occurred_at"].to_list()


# --- uploads: commit and rollback of roster and event files (issue 4) ----------------------
# A commit is one transaction: the upload row, new agencies, superseding the replaced roster
# and the new rows land together or not at all. The sha256 check runs inside that transaction
# and, within this process, under a lock: DuckDB serialises processes by its file lock, but two
# threads (two browser tabs) share one database and would both pass a check made outside it.

ENV_COMMIT_PAUSE = "NETRALITAS_TEST_COMMIT_PAUSE"
_UPLOAD_LOCK = threading.Lock()


class UploadError(StoreError):
    """An upload cannot be rolled back (unknown, already rolled back, built-in)."""


@dataclass(frozen=True)
class CommitResult:
    upload_id: str | None  # None when nothing was written
    duplicate_of: str | None  # the committed upload with the same file content


def new_upload_id(now: dt.datetime | None = None) -> str:
    """``up-20231125-0930-1a2b3c``: sortable by time, short enough to type in ``rollback``."""
    now = now or dt.datetime.now()
    return f"up-{now:%Y%m%d-%H%M}-{uuid.uuid4().hex[:6]}"


def _pause_for_tests() -> None:
    """Test hook: announce being inside the transaction, then sleep (the test kills us)."""
    marker = os.environ.get(ENV_COMMIT_PAUSE)
    if marker:
        Path(marker).write_text(str(os.getpid()))
        time.sleep(120)


def commit_upload(
    store: Store,
    upload: dict,
    *,
    agencies: pl.DataFrame | None = None,
    officials: pl.DataFrame | None = None,
    events: pl.DataFrame | None = None,
    signature_reports: pl.DataFrame | None = None,
    replace_agency_ids: list[str] | None = None,
    validated: tuple[str, ...] = (),
) -> CommitResult:
    """Write one upload atomically; a committed upload with the same sha256 and kind wins.

    ``upload`` is the uploads row (its ``upload_id`` is stamped on every row written).
    ``agencies`` may contain agencies that exist by now (another upload created them
    meanwhile): only match keys the store lacks are inserted. ``replace_agency_ids``
    supersedes the current roster rows of those agencies first (mode replace).
    ``validated`` names frames the caller has already run through the same pandera schema
    (the roster pipeline does, on exactly these rows): they are not validated twice.
    """
    upload_id = upload["upload_id"]
    try:
        with _UPLOAD_LOCK, store.transaction() as con:
            dup = con.execute(
                "SELECT upload_id FROM uploads WHERE sha256 = ? AND kind = ? "
                "AND status = 'committed' ORDER BY uploaded_at LIMIT 1",
                [upload["sha256"], upload["kind"]],
            ).fetchone()
            if dup:
                raise _Duplicate(dup[0])  # rolls the (empty) transaction back: no version bump
            _write_upload(
                con,
                upload,
                agencies=agencies,
                officials=officials,
                events=events,
                signature_reports=signature_reports,
                replace_agency_ids=replace_agency_ids,
                validated=validated,
            )
            _pause_for_tests()
    except _Duplicate as dup:
        return CommitResult(upload_id=None, duplicate_of=dup.upload_id)
    return CommitResult(upload_id=upload_id, duplicate_of=None)


class _Duplicate(Exception):
    def __init__(self, upload_id: str) -> None:
        super().__init__(upload_id)
        self.upload_id = upload_id


def _write_upload(
    con: duckdb.DuckDBPyConnection,
    upload: dict,
    *,
    agencies: pl.DataFrame | None,
    officials: pl.DataFrame | None,
    events: pl.DataFrame | None,
    signature_reports: pl.DataFrame | None,
    replace_agency_ids: list[str] | None,
    validated: tuple[str, ...] = (),
) -> None:
    """The writes of :func:`commit_upload`, inside its transaction."""
    upload_id = upload["upload_id"]
    if agencies is not None and agencies.height:
        existing = con.sql(
            "SELECT match_key FROM agencies WHERE match_key IN (SELECT unnest($k))",
            params={"k": agencies["match_key"].to_list()},
        ).pl()["match_key"]
        fresh = agencies.filter(~pl.col("match_key").is_in(existing.to_list()))
        insert_frame(con, "agencies", fresh.with_columns(pl.lit(upload_id).alias("upload_id")))
    if replace_agency_ids:
        con.execute(
            "UPDATE officials SET superseded_by = ? "
            "WHERE superseded_by IS NULL AND agency_id IN (SELECT unnest(?))",
            [upload_id, list(replace_agency_ids)],
        )
    stamp = [pl.lit(upload_id).alias("upload_id")]
    if officials is not None:
        insert_frame(
            con,
            "officials",
            officials.with_columns(*stamp, pl.lit(None, dtype=pl.String).alias("superseded_by")),
            validate="officials" not in validated,
        )
    if events is not None:
        insert_frame(con, "events", events.with_columns(*stamp))
    if signature_reports is not None:
        insert_frame(con, "signature_reports", signature_reports.with_columns(*stamp))
    insert_frame(con, "uploads", pl.DataFrame([upload]))


def rollback_upload(store: Store, upload_id: str) -> dict[str, int]:
    """Undo a committed roster/event upload in one transaction; returns rows removed/restored.

    Its rows are deleted; the rows it superseded become current again — unless a later
    committed replace touched the same agency, in which case that later upload now
    supersedes them (so an agency never ends up with two current rosters). Agencies it
    created that nothing refers to any more are deleted.
    """
    with _UPLOAD_LOCK, store.transaction() as con:
        row = con.execute(
            "SELECT kind, status FROM uploads WHERE upload_id = ?", [upload_id]
        ).fetchone()
        if row is None:
            raise UploadError(f"Upload {upload_id} not found.")
        kind, status = row
        if kind not in ("roster", "events"):
            raise UploadError(
                f"Upload {upload_id} is built-in data ({kind}); it cannot be rolled back."
            )
        if status != "committed":
            raise UploadError(f"Upload {upload_id} was already rolled back.")
        counts: dict[str, int] = {}
        for table in ("officials", "events", "signature_reports"):
            counts[table] = con.execute(
                f"DELETE FROM {table} WHERE upload_id = ?", [upload_id]
            ).fetchone()[0]  # type: ignore[index]
        # rows it superseded: handed to the earliest later replace of the same agency, if any
        counts["restored"] = con.execute(
            """
            UPDATE officials o SET superseded_by = (
                SELECT later.upload_id FROM officials later
                JOIN uploads u ON u.upload_id = later.upload_id
                WHERE later.agency_id = o.agency_id AND u.mode = 'replace'
                  AND u.status = 'committed'
                  AND u.uploaded_at > (SELECT uploaded_at FROM uploads WHERE upload_id = $u)
                ORDER BY u.uploaded_at, later.upload_id LIMIT 1
            )
            WHERE o.superseded_by = $u
            """,
            {"u": upload_id},
        ).fetchone()[0]  # type: ignore[index]
        counts["agencies"] = con.execute(
            """
            DELETE FROM agencies WHERE upload_id = ?
              AND agency_id NOT IN (SELECT agency_id FROM officials)
              AND agency_id NOT IN (SELECT agency_id FROM events)
              AND agency_id NOT IN (SELECT agency_id FROM signature_reports)
            """,
            [upload_id],
        ).fetchone()[0]  # type: ignore[index]
        con.execute("UPDATE uploads SET status = 'rolled_back' WHERE upload_id = ?", [upload_id])
    return counts
