"""DuckDB and PostgreSQL give identical answers: every public read of ``dashboard.queries``
runs on one demo store held by both engines (built on DuckDB, moved by ``store copy``), for
random filter combinations, and the frames must be equal (columns, types, rows).

The registry test fails when a public function of a ``dashboard.queries`` module is neither
in the table of calls below nor named as a builder of SQL text (which runs only inside the
reads), so a read added later is compared too.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import importlib
import inspect
import pkgutil
from collections.abc import Callable, Iterator
from typing import Any, NamedTuple

import polars as pl
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal
from run_summary import summary_lines

import dashboard.queries as queries_pkg
from dashboard import queries
from dashboard.access import auth
from dashboard.access import followup as fa
from dashboard.install import builtin
from dashboard.queries import Filters
from dashboard.queries import followup as fq
from dashboard.store.copy import copy_store
from dashboard.store.database import Store
from schemas.vocab import AGENCY_LEVELS, POSITION_LEVELS

TODAY = dt.date.today()
COMBINATIONS = 50


class Engines(NamedTuple):
    duck: Store
    pg: Store
    provinces: list[str]
    regencies: list[tuple[str, str]]  # (regency, its province)
    agencies: list[str]
    letter_id: str


@pytest.fixture(scope="module")
def engines(pg_cluster: Any, tmp_path_factory: pytest.TempPathFactory) -> Engines:
    """Seed events, a few thousand demo officials and some follow-up on DuckDB, then the
    same store copied to PostgreSQL."""
    # kept open between queries, as the dashboard keeps it: the comparison runs thousands
    duck = Store(tmp_path_factory.mktemp("agree") / "demo.duckdb", keep_alive=True)
    builtin.install(duck, with_demo=True, n_officials=3_000)
    # the demo roster is all PNS: make some PPPK and some of no known kind, so the
    # PNS/PPPK filter has rows of each to compare
    with duck.transaction() as con:
        con.execute(
            "UPDATE officials SET jenis_asn = CASE WHEN right(nip, 1) IN ('1', '4', '7') "
            "THEN 'PPPK' WHEN right(nip, 1) = '0' THEN NULL ELSE jenis_asn END"
        )
    admin = auth.User("adm", "admin")
    unsigned = (
        duck.table("officials")
        .filter(pl.col("superseded_by").is_null() & ~pl.col("signed"))
        .group_by("agency_id")
        .len()
        .sort(["len", "agency_id"], descending=[True, False])
    )
    a, b, c = unsigned["agency_id"].head(3).to_list()
    fa.set_deadline(duck, admin, TODAY - dt.timedelta(days=5))
    fa.set_deadline(duck, admin, TODAY + dt.timedelta(days=3), agency_id=b)
    fa.set_contact(duck, admin, a, email="tu@a.example", send_list=True)
    fa.set_contact(duck, admin, b, email="tu@b.example", send_list=False)
    batch = fa.generate_letters(duck, admin, [a, b], fmt="docx")
    letter_id = str(fq.letters(duck)["letter_id"].sort()[0])
    fa.confirm_sent(duck, admin, letter_id)
    fa.record_step(duck, admin, c, "reminder_1", note="ditelepon")
    auth.add_user(duck, "ani", "analyst", provinces=["17"], actor="cli:test", source="oidc")
    assert batch is not None
    pg = Store(pg_cluster.new_database())
    copy_store(duck, pg)
    agencies = duck.table("agencies")
    return Engines(
        duck,
        pg,
        sorted(agencies["province_code"].drop_nulls().unique().to_list()),
        sorted((r, r[:2]) for r in agencies["regency_code"].drop_nulls().unique().to_list()),
        sorted(agencies["agency_id"].to_list()),
        letter_id,
    )


class Extra(NamedTuple):
    """What a call takes besides the filters, drawn with them."""

    search: str | None
    sort: str
    grouping: str
    unsigned_group: str
    agency_id: str
    agency_ids: list[str]
    personal: bool
    offset: int


def _scoped_lv(s: Store, f: Filters) -> pl.DataFrame:
    with queries.scoped(s, f) as run:
        return run(" SELECT * FROM lv")


# the reads that take the filters: each runs for every combination
PER_FILTER: dict[str, Callable[[Store, Filters, Extra], object]] = {
    "agencies.agency_count": lambda s, f, x: queries.agency_count(s, f, x.search),
    "agencies.agency_detail": lambda s, f, x: queries.agency_detail(s, f, x.agency_id),
    "agencies.agency_ranking": lambda s, f, x: queries.agency_ranking(
        s, f, sort=x.sort, search=x.search, offset=x.offset, limit=20
    ),
    "agencies.agency_roster": lambda s, f, x: queries.agency_roster(
        s, f, x.agency_id, offset=x.offset, limit=20, personal=x.personal
    ),
    "agencies.agency_roster_count": lambda s, f, x: queries.agency_roster_count(s, f, x.agency_id),
    "compliance.agency_compliance": lambda s, f, x: queries.agency_compliance(s, f),
    "compliance.agencies_not_reported": lambda s, f, x: queries.agencies_not_reported(s, f),
    "compliance.cumulative_signed": lambda s, f, x: queries.cumulative_signed(
        s, f, by_province=x.personal
    ),
    "compliance.headline": lambda s, f, x: queries.headline(s, f),
    "compliance.scoped": lambda s, f, x: _scoped_lv(s, f),
    "compliance.summary": lambda s, f, x: queries.summary(s, f, x.grouping),
    "compliance.unsigned_by_position": lambda s, f, x: queries.unsigned_by_position(s, f),
    "events.event_points": lambda s, f, x: queries.event_points(s, f),
    "events.events": lambda s, f, x: queries.events(s, f),
    "followup.agency_figures": lambda s, f, x: fq.agency_figures(s, f),
    "followup.unsigned_of": lambda s, f, x: fq.unsigned_of(s, f, x.agency_ids),
    "unsigned.report_unsigned": lambda s, f, x: queries.report_unsigned(s, f),
    "unsigned.unsigned_by": lambda s, f, x: queries.unsigned_by(s, f, x.unsigned_group),
    "unsigned.unsigned_cells": lambda s, f, x: queries.unsigned_cells(s, f, x.search),
    "unsigned.unsigned_count": lambda s, f, x: queries.unsigned_count(s, f, x.search, x.personal),
    "unsigned.unsigned_days": lambda s, f, x: queries.unsigned_days(s, f),
    "unsigned.unsigned_heat": lambda s, f, x: queries.unsigned_heat(s, f),
    "unsigned.unsigned_officials": lambda s, f, x: queries.unsigned_officials(
        s, f, offset=x.offset, limit=20, search=x.search, personal=x.personal
    ),
    "unsigned.unsigned_overview": lambda s, f, x: queries.unsigned_overview(s, f),
    "uploads.freshness": lambda s, f, x: queries.freshness(s, f),
}


def _nips(s: Store, e: Engines) -> list[str]:
    """Some NIPs of the store's current roster (the same on both engines)."""
    return sorted(queries.current_roster(s, e.agencies[:40])["nip"].to_list())[:50]


# the reads without filters: each runs once, with the store's own keys
ONCE: dict[str, Callable[[Store, Engines], object]] = {
    "accounts.audit_rows": lambda s, e: queries.audit_rows(s),
    "accounts.count_password_users": lambda s, e: queries.count_password_users(s),
    "accounts.get_user": lambda s, e: queries.get_user(s, "ani"),
    "accounts.get_user_by_email": lambda s, e: queries.get_user_by_email(s, "ani@x.example"),
    "accounts.list_users": lambda s, e: queries.list_users(s),
    "accounts.recent_signin_failures": lambda s, e: queries.recent_signin_failures(
        s, "ani", dt.datetime(2000, 1, 1), 10
    ),
    "agencies.agencies_for_matching": lambda s, e: queries.agencies_for_matching(
        s, ["dinas pendidikan", "bkd"], e.provinces[:3]
    ),
    "agencies.agency_figures": lambda s, e: queries.agency_figures(s, e.agencies[:40]),
    "agencies.agency_names": lambda s, e: queries.agency_names(s, e.agencies[:40]),
    "agencies.agency_uploads": lambda s, e: queries.agency_uploads(s, e.agencies[0]),
    "agencies.current_roster": lambda s, e: queries.current_roster(s, e.agencies[:40]),
    "agencies.stored_signatures": lambda s, e: queries.stored_signatures(s, _nips(s, e)),
    "agencies.target_people": lambda s, e: queries.target_people(s, _nips(s, e)),
    "events.seed_events": lambda s, e: queries.seed_events(s),
    "followup.agencies": lambda s, e: fq.agencies(s, e.agencies[:40]),
    "followup.contacts": lambda s, e: fq.contacts(s),
    "followup.deadlines": lambda s, e: fq.deadlines(s),
    "followup.history": lambda s, e: fq.history(s),
    "followup.legal_bases": lambda s, e: fq.legal_bases(s, e.agencies[:40]),
    "followup.letter": lambda s, e: fq.letter(s, e.letter_id),
    "followup.letter_settings": lambda s, e: fq.letter_settings(s),
    "followup.letters": lambda s, e: fq.letters(s),
    "followup.reminder_sends": lambda s, e: fq.reminder_sends(s),
    "followup.signed_days": lambda s, e: fq.signed_days(s, e.agencies[:40]),
    "options.agency_options": lambda s, e: queries.agency_options(s),
    "options.region_options": lambda s, e: queries.region_options(s),
    "sessions.list_sessions": lambda s, e: queries.list_sessions(s),
    "sessions.session_by_digest": lambda s, e: queries.session_by_digest(s, "0" * 64),
    "sessions.session_by_id": lambda s, e: queries.session_by_id(s, "none"),
    "uploads.committed_upload_with_sha256": lambda s, e: queries.committed_upload_with_sha256(
        s, "0" * 64, "roster"
    ),
    "uploads.recent_uploads": lambda s, e: queries.recent_uploads(s),
    "uploads.upload_count": lambda s, e: queries.upload_count(s),
    "uploads.upload_kind": lambda s, e: queries.upload_kind(s, "none"),
    "uploads.upload_places": lambda s, e: queries.upload_places(
        s, queries.uploads(s)["upload_id"].to_list()
    ),
    "uploads.upload_regions": lambda s, e: queries.upload_regions(
        s, queries.uploads(s)["upload_id"].to_list()
    ),
    "uploads.uploads": lambda s, e: queries.uploads(s),
    # the demo store holds no upload: an unknown one previews nothing on both engines
    # (tests/ingest/test_rollback_preview.py compares real uploads on both)
    "uploads.rollback_preview": lambda s, e: pl.DataFrame(
        [queries.rollback_preview(s, next(iter(queries.uploads(s)["upload_id"].sort()), "none"))]
    ),
}

# public functions that read no store: they build SQL text or hold no data, and run
# inside the reads above (or touch no engine at all)
NOT_READS = {
    "compliance.agency_compliance_cte_body",
    "compliance.agency_compliance_sql",
    "compliance.scope_ctes",
    "events.events_sql",
    "events.last_signing_event_cte",
    "filters.in_list",
    "filters.is_typable",
    "filters.jenis_clause",
    "filters.position_rank_sql",
    "filters.region_clause",
    "filters.roster_only",
    "filters.typed_text",
    "filters.used_params",
    "filters.view_clause",
    "followup.campaign_of",
    "options.regions_table",
    "rule.demo_ok",
    "rule.done_agg_sql",
    "rule.done_row_sql",
    "rule.late_cte",
    "rule.latest_report_distinct",
    "rule.latest_report_order",
    "rule.latest_report_sql",
    "rule.report_done_sql",
    "rule.roster_agg",
    "rule.signatures_join",
    "rule.signed_days",
    "rule.source_sql",
}


def public_functions() -> set[str]:
    """``module.function`` for every public function defined in a ``dashboard.queries`` module."""
    found: set[str] = set()
    for info in pkgutil.iter_modules(queries_pkg.__path__):
        module = importlib.import_module(f"dashboard.queries.{info.name}")
        for name, obj in inspect.getmembers(module, inspect.isfunction):
            if not name.startswith("_") and obj.__module__ == module.__name__:
                found.add(f"{info.name}.{name}")
    return found


def test_every_public_query_function_is_compared() -> None:
    listed = set(PER_FILTER) | set(ONCE)
    assert not listed & NOT_READS
    missing = public_functions() - listed - NOT_READS
    assert not missing, f"not compared on both engines: {sorted(missing)}"
    stale = (listed | NOT_READS) - public_functions()
    assert not stale, f"listed but gone: {sorted(stale)}"


def frames(value: object, name: str = "") -> Iterator[tuple[str, pl.DataFrame]]:
    """A result as named frames: a frame itself, each frame of a dict or dataclass, and
    any other value as a one-row frame."""
    if isinstance(value, pl.DataFrame):
        yield name, value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
        yield from frames(fields, name)
    elif isinstance(value, dict) and any(isinstance(v, pl.DataFrame) for v in value.values()):
        for k in sorted(value):
            yield from frames(value[k], f"{name}.{k}")
    elif isinstance(value, dict):
        yield name, pl.DataFrame([value]) if value else pl.DataFrame()
    elif isinstance(value, list | tuple):
        yield name, pl.DataFrame({"value": list(value)})
    else:
        yield name, pl.DataFrame({"value": [value]})


def _sorted(df: pl.DataFrame) -> pl.DataFrame:
    keys = [c for c, t in df.schema.items() if not isinstance(t, pl.List | pl.Struct | pl.Array)]
    return df.sort(keys, nulls_last=True) if keys and df.height else df


def assert_same(what: str, duck: object, pg: object) -> None:
    ours, theirs = dict(frames(duck)), dict(frames(pg))
    assert ours.keys() == theirs.keys(), what
    for part, left in ours.items():
        right = theirs[part]
        assert left.columns == right.columns, f"{what}{part}: columns"
        assert left.schema == right.schema, f"{what}{part}: {left.schema} != {right.schema}"
        try:
            assert_frame_equal(_sorted(left), _sorted(right), check_exact=True)
        except AssertionError as err:
            raise AssertionError(f"{what}{part}: {err}") from None


def test_reads_without_filters_agree(engines: Engines, request: pytest.FixtureRequest) -> None:
    for name, call in ONCE.items():
        assert_same(name, call(engines.duck, engines), call(engines.pg, engines))
    summary_lines(request.config).append(
        f"engines agree: {len(ONCE)} reads without filters, DuckDB = PostgreSQL"
    )


@st.composite
def drawn(draw: st.DrawFn, e: Engines) -> tuple[Filters, Extra]:
    provinces = draw(st.lists(st.sampled_from(e.provinces), max_size=2, unique=True))
    in_them = [r for r, p in e.regencies if not provinces or p in provinces]
    regencies = draw(st.lists(st.sampled_from(in_them), max_size=2, unique=True)) if in_them else []
    agencies = draw(st.lists(st.sampled_from(e.agencies), max_size=2, unique=True))
    start = dt.date(2023, 6, 1)
    span = (TODAY - start).days
    days = sorted(draw(st.lists(st.integers(0, span), min_size=2, max_size=2)))
    date_from = draw(st.sampled_from([None, start + dt.timedelta(days=days[0])]))
    date_to = draw(st.sampled_from([None, start + dt.timedelta(days=days[1])]))
    f = Filters(
        provinces=tuple(provinces),
        regencies=tuple(regencies),
        agencies=tuple(agencies),
        agency_levels=tuple(
            draw(st.lists(st.sampled_from(list(AGENCY_LEVELS)), max_size=2, unique=True))
        ),
        position_levels=tuple(
            draw(st.lists(st.sampled_from(list(POSITION_LEVELS)), max_size=2, unique=True))
        ),
        date_from=date_from,
        date_to=date_to,
        include_demo=draw(st.booleans()),
        measure=draw(st.sampled_from(queries.MEASURES)),
    )
    x = Extra(
        search=draw(st.sampled_from([None, "dinas", "kab", "a", "BADAN"])),
        sort=draw(st.sampled_from(sorted(queries.AGENCY_SORTS))),
        grouping=draw(st.sampled_from(queries.GROUPINGS)),
        unsigned_group=draw(st.sampled_from(queries.UNSIGNED_GROUPS)),
        agency_id=draw(st.sampled_from(agencies or e.agencies)),
        agency_ids=draw(st.lists(st.sampled_from(e.agencies), max_size=4, unique=True)),
        personal=draw(st.booleans()),
        offset=draw(st.sampled_from([0, 0, 20])),
    )
    return f, x


def test_reads_with_filters_agree(engines: Engines, request: pytest.FixtureRequest) -> None:
    seen: set[str] = set()

    @settings(
        max_examples=COMBINATIONS + 10,
        derandomize=True,
        deadline=None,
        database=None,
        # a difference is reported with the filters that show it; no shrinking (minutes)
        phases=[Phase.explicit, Phase.generate],
        report_multiple_bugs=False,
        suppress_health_check=list(HealthCheck),
    )
    @given(drawn(engines))
    def check(case: tuple[Filters, Extra]) -> None:
        f, x = case
        for name, call in PER_FILTER.items():
            assert_same(f"{name} {f} {x}", call(engines.duck, f, x), call(engines.pg, f, x))
        seen.add(repr(case))

    check()
    distinct = len(seen)
    assert distinct >= COMBINATIONS, f"only {distinct} filter combinations were drawn"
    summary_lines(request.config).append(
        f"engines agree: {len(PER_FILTER)} reads with filters over {distinct} filter "
        "combinations (filters and the arguments drawn with them), DuckDB = PostgreSQL"
    )


def test_reads_with_pns_pppk_filter_agree(engines: Engines, request: pytest.FixtureRequest) -> None:
    """The PNS/PPPK filter with the other filters (fixed combinations, so the drawn ones
    above stay as they were)."""
    kab, prov = engines.regencies[0]
    cases = [
        Filters(jenis_asn=("PPPK",)),
        Filters(jenis_asn=("PNS", "PPPK"), measure="ikrar"),
        Filters(jenis_asn=("PPPK",), provinces=(prov,), position_levels=(POSITION_LEVELS[2],)),
        Filters(jenis_asn=("PNS",), regencies=(kab,), include_demo=False),
        Filters(jenis_asn=("PPPK",), date_to=TODAY - dt.timedelta(days=200)),
        Filters(
            jenis_asn=("PPPK",), agency_levels=(AGENCY_LEVELS[0],), agencies=(engines.agencies[0],)
        ),
    ]
    for i, f in enumerate(cases):
        x = Extra(
            search=[None, "dinas", "a"][i % 3],
            sort=sorted(queries.AGENCY_SORTS)[i % len(queries.AGENCY_SORTS)],
            grouping=queries.GROUPINGS[i % len(queries.GROUPINGS)],
            unsigned_group=queries.UNSIGNED_GROUPS[i % len(queries.UNSIGNED_GROUPS)],
            agency_id=(f.agencies or tuple(engines.agencies))[0],
            agency_ids=engines.agencies[:4],
            personal=i % 2 == 0,
            offset=0,
        )
        for name, call in PER_FILTER.items():
            assert_same(f"{name} {f} {x}", call(engines.duck, f, x), call(engines.pg, f, x))
    summary_lines(request.config).append(
        f"engines agree: {len(PER_FILTER)} reads with the PNS/PPPK filter over {len(cases)} "
        "combinations, DuckDB = PostgreSQL"
    )
