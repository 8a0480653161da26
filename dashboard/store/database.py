"""The store's public names, for callers that need more than one part of it.

The parts: :mod:`.engine` (file, connections, transactions, upgrades), :mod:`.schema`
(tables, schema version, aggregates), :mod:`.writes` (every write) and :mod:`.errors`.
Reads live in :mod:`dashboard.queries`.
"""

from __future__ import annotations

from dashboard.store.engine import (
    DEFAULT_STORE,
    ENV_KEEP_ALIVE,
    ENV_STORE,
    LOCK_WAIT_SECONDS,
    WRITER_GRACE_SECONDS,
    Store,
    count_of,
    default_store_path,
    foreign_writer_waiting,
)
from dashboard.store.errors import StoreBusy, StoreError, StoreVersionError
from dashboard.store.schema import (
    AGGREGATE_TABLES,
    SCHEMA_VERSION,
    TABLE_NAMES,
    conform,
    empty_frame,
    polars_schema,
    refresh_aggregates,
)
from dashboard.store.writes import (
    ENV_COMMIT_PAUSE,
    CommitResult,
    UploadError,
    account_key_secret,
    append_audit,
    commit_upload,
    delete_user,
    insert_frame,
    load_reference,
    new_upload_id,
    replace_builtin,
    rollback_upload,
    save_user,
    signin_serialised,
)

__all__ = [
    "AGGREGATE_TABLES",
    "DEFAULT_STORE",
    "ENV_COMMIT_PAUSE",
    "ENV_KEEP_ALIVE",
    "ENV_STORE",
    "LOCK_WAIT_SECONDS",
    "SCHEMA_VERSION",
    "TABLE_NAMES",
    "CommitResult",
    "Store",
    "StoreBusy",
    "StoreError",
    "StoreVersionError",
    "UploadError",
    "WRITER_GRACE_SECONDS",
    "account_key_secret",
    "foreign_writer_waiting",
    "signin_serialised",
    "append_audit",
    "commit_upload",
    "conform",
    "count_of",
    "default_store_path",
    "delete_user",
    "empty_frame",
    "insert_frame",
    "load_reference",
    "new_upload_id",
    "polars_schema",
    "refresh_aggregates",
    "replace_builtin",
    "rollback_upload",
    "save_user",
]
