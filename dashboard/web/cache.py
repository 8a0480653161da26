"""Cached reads for the pages, keyed on the store version and frozen filters.

Contract: ``cached_query(queries.summary, ctx, ctx.filters, "provinsi")`` calls
``fn(store, *args, **kwargs)`` once per (function, store file, ``ctx.version``, arguments).
Arguments must be hashable plain values or frozen dataclasses (``Filters``); never Polars
frames: ``st.cache_data`` hashes a frame by a sample of its rows, which serves stale figures
(NOTES-stack). ``fn`` must be a module-level function so it can be found by name.

``ctx.version`` is ``(data_version, *Store.file_signature())``: the file signature costs
no connection, and the data version is read only when the signature moves, so a commit
from the upload page or the CLI shows up on the next run.

Results are kept as resources (the object itself, shared by every session), not pickled:
``st.cache_data`` unpickles a copy on every hit, which cost more per rerun than most
queries. Callers must treat what they get as read-only (Polars frames are; dicts and
lists of records must not be mutated). ``cached_object`` keeps derived objects (Plotly
figures, pydeck decks, display frames) the same way, keyed on what they are built from.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar, cast

import polars as pl
import streamlit as st

from dashboard.store.database import Store

if TYPE_CHECKING:
    from dashboard.web.context import Ctx

T = TypeVar("T")


@st.cache_data(show_spinner=False, max_entries=16)
def _data_version(store_path: str, signature: tuple) -> int:
    return Store(store_path).data_version()


def store_version(store: Store) -> tuple:
    """Cheap version key: changes whenever the file (or its WAL) changes."""
    sig = store.file_signature()
    return (_data_version(store.location, sig), *sig)


@st.cache_resource(show_spinner=False, max_entries=1024)
def _call(
    module: str, name: str, store_path: str, version: tuple, args: tuple, kwargs: tuple
) -> Any:
    fn = getattr(importlib.import_module(module), name)
    return fn(Store(store_path), *args, **dict(kwargs))


def cached_query(fn: Callable[..., T], ctx: Ctx, *args: object, **kwargs: object) -> T:
    """``fn(ctx.store, *args, **kwargs)``, cached on the store version and the arguments."""
    for a in (*args, *kwargs.values()):
        if isinstance(a, pl.DataFrame | pl.LazyFrame):
            raise TypeError("cached_query: pass filters/values, never Polars frames")
    return _call(
        fn.__module__,
        fn.__qualname__,
        ctx.store.location,
        ctx.version,
        args,
        tuple(sorted(kwargs.items())),
    )


@st.cache_resource(show_spinner=False, max_entries=1024)
def _object(key: tuple, _build: Callable[[], Any]) -> Any:
    return _build()


def memo(key: tuple, build: Callable[[], T]) -> T:
    """``build()`` once per ``key`` (plain hashable values that name everything ``build``
    reads, the store version included), kept as a shared, read-only resource."""
    return cast(T, _object(key, build))


def view_key(ctx: Ctx) -> tuple:
    """What every derived object of a page depends on: store file, data version, filters
    (already narrowed to the user's scope), language and role."""
    role = ctx.user.role if ctx.user is not None else None
    return (ctx.store.location, ctx.version, ctx.filters, ctx.lang, role)


def cached_object(ctx: Ctx, name: str, build: Callable[[], T], *extra: object) -> T:
    """``build()`` once per (``name``, :func:`view_key`, ``extra``), kept as a resource.

    ``build`` must be a pure function of cached data and of what the key names (pass
    anything else it reads, a width or a toggle, as ``extra``); the result is shared and
    must not be mutated.
    """
    return memo((name, *view_key(ctx), *extra), build)
