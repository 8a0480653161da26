"""Trial behind 0001-one-query-layer-for-two-engines.md: one query, three ways to write it.

The per-province summary from ``agg_roster`` (with the as-of rule of
``dashboard/queries/rule.py``, late signatures counted via ``agg_signed_days``), a province
IN-list and an as-of date, written as (0) the project's DuckDB SQL translated by
``dashboard.store.dialect.postgres_sql``, (a) Ibis, (b) SQLAlchemy Core. Each is compiled for
DuckDB and PostgreSQL, run on both engines and compared with the project's own figures.

Not part of the project: not imported by it, not collected by pytest. Run it from a scratch
venv (the project venv has neither Ibis nor SQLAlchemy)::

    python3 -m venv /tmp/trial
    /tmp/trial/bin/pip install 'ibis-framework[duckdb,postgres]' sqlalchemy duckdb_engine \
        'psycopg[binary]' adbc-driver-postgresql duckdb polars pyarrow
    /tmp/trial/bin/python docs/decisions/trial_query_layer.py \
        --duckdb /tmp/pg/d1.duckdb --postgres postgresql://postgres@127.0.0.1:55432/c1

Both stores are only read. The reference figures come from the project's venv
(``.venv/bin/python`` calling ``dashboard.queries.summary``, and ``netralitas summary --json``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import inspect
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import adbc_driver_postgresql.dbapi as adbc  # noqa: E402
import duckdb  # noqa: E402
import duckdb_engine  # noqa: E402
import ibis  # noqa: E402
import polars as pl  # noqa: E402
import pyarrow as pa  # noqa: E402
import sqlalchemy as sa  # noqa: E402
from ibis import _  # noqa: E402
from sqlalchemy.dialects import postgresql  # noqa: E402

from dashboard.store.dialect import bind, frame_from_arrow, postgres_sql  # noqa: E402

COLUMNS = ["code", "name", "target", "signed", "unsigned", "rate"]

# --- (0) the project's way: DuckDB SQL (rule.py's late_cte / done_agg_sql inlined) ----------
PROJECT_SQL = """
WITH late AS (
    SELECT agency_id, position_level, is_demo, sum(n) AS n_before FROM agg_signed_days
    WHERE signed_date <= $as_of AND agency_id IN (
        SELECT agency_id FROM agg_roster WHERE last_signed_date > $as_of)
    GROUP BY ALL
),
roster AS (
    SELECT c.agency_id, sum(c.n)::BIGINT AS target,
           sum(CASE WHEN c.last_signed_date IS NULL OR c.last_signed_date <= $as_of
               THEN c.signed_n ELSE c.signed_undated + coalesce(d.n_before, 0) END)::BIGINT AS done
    FROM agg_roster c LEFT JOIN late d USING (agency_id, position_level, is_demo)
    GROUP BY c.agency_id
)
SELECT a.province_code AS code, any_value(p.name) AS name,
       sum(r.target)::BIGINT AS target, sum(r.done)::BIGINT AS signed,
       sum(r.target - r.done)::BIGINT AS unsigned, sum(r.done) / nullif(sum(r.target), 0) AS rate
FROM roster r JOIN agencies a USING (agency_id) LEFT JOIN regions p ON p.code = a.province_code
WHERE a.province_code IN (SELECT unnest($provinces))
GROUP BY a.province_code ORDER BY code
"""

# --- (a) Ibis -------------------------------------------------------------------------------
IBIS_SCHEMAS = {
    "agg_roster": dict(
        agency_id="string",
        position_level="string",
        is_demo="boolean",
        n="int64",
        signed_n="int64",
        signed_undated="int64",
        pledged_n="int64",
        last_signed_date="date",
    ),
    "agg_signed_days": dict(
        agency_id="string",
        position_level="string",
        is_demo="boolean",
        signed_date="date",
        n="int64",
    ),
    "agencies": dict(agency_id="string", name="string", province_code="string"),
    "regions": dict(code="string", name="string"),
}


def ibis_query(
    t: dict, provinces: list[str], as_of, name_agg: str = "arbitrary", float_rate: bool = False
):
    r, sd, a, g = t["agg_roster"], t["agg_signed_days"], t["agencies"], t["regions"]
    keys = ["agency_id", "position_level", "is_demo"]
    late_ids = r.filter(r.last_signed_date > as_of).agency_id
    late = (
        sd.filter(sd.signed_date <= as_of, sd.agency_id.isin(late_ids))
        .group_by(keys)
        .aggregate(n_before=_.n.sum())
    )
    j = r.left_join(late, keys)
    done = ibis.cases(
        (j.last_signed_date.isnull() | (j.last_signed_date <= as_of), j.signed_n),
        else_=j.signed_undated + j.n_before.fill_null(0),
    )
    roster = j.group_by("agency_id").aggregate(target=j.n.sum(), done=done.sum())
    ag = a.filter(a.province_code.isin(provinces)).select("agency_id", "province_code")
    x = roster.join(ag, "agency_id").left_join(g, _.province_code == g.code)
    return (
        x.group_by(code=x.province_code)
        .aggregate(name=getattr(x.name, name_agg)(), target=x.target.sum(), signed=x.done.sum())
        .mutate(
            unsigned=_.target - _.signed,
            rate=(_.signed.cast("float64") / _.target.cast("float64").nullif(0))
            if float_rate
            else _.signed / _.target.nullif(0),
        )
        .order_by("code")
    )


# --- (b) SQLAlchemy Core --------------------------------------------------------------------
MD = sa.MetaData()
S, B, BIG, D = sa.String, sa.Boolean, sa.BigInteger, sa.Date
AGG_ROSTER = sa.Table(
    "agg_roster",
    MD,
    *(
        sa.Column(n, ty)
        for n, ty in [
            ("agency_id", S),
            ("position_level", S),
            ("is_demo", B),
            ("n", BIG),
            ("signed_n", BIG),
            ("signed_undated", BIG),
            ("pledged_n", BIG),
            ("last_signed_date", D),
        ]
    ),
)
AGG_SIGNED_DAYS = sa.Table(
    "agg_signed_days",
    MD,
    *(
        sa.Column(n, ty)
        for n, ty in [
            ("agency_id", S),
            ("position_level", S),
            ("is_demo", B),
            ("signed_date", D),
            ("n", BIG),
        ]
    ),
)
AGENCIES = sa.Table(
    "agencies", MD, sa.Column("agency_id", S), sa.Column("name", S), sa.Column("province_code", S)
)
REGIONS = sa.Table("regions", MD, sa.Column("code", S), sa.Column("name", S))


def sa_query(name_agg: str = "min"):
    as_of = sa.bindparam("as_of", type_=sa.Date)
    sd, c = AGG_SIGNED_DAYS, AGG_ROSTER.alias("c")
    keys = ("agency_id", "position_level", "is_demo")
    late_ids = sa.select(AGG_ROSTER.c.agency_id).where(AGG_ROSTER.c.last_signed_date > as_of)
    late = (
        sa.select(*(sd.c[k] for k in keys), sa.func.sum(sd.c.n).label("n_before"))
        .where(sd.c.signed_date <= as_of, sd.c.agency_id.in_(late_ids))
        .group_by(*(sd.c[k] for k in keys))
        .cte("late")
    )
    done = sa.case(
        (sa.or_(c.c.last_signed_date.is_(None), c.c.last_signed_date <= as_of), c.c.signed_n),
        else_=c.c.signed_undated + sa.func.coalesce(late.c.n_before, 0),
    )
    roster = (
        sa.select(
            c.c.agency_id,
            sa.cast(sa.func.sum(c.c.n), BIG).label("target"),
            sa.cast(sa.func.sum(done), BIG).label("done"),
        )
        .select_from(c.outerjoin(late, sa.and_(*(c.c[k] == late.c[k] for k in keys))))
        .group_by(c.c.agency_id)
        .cte("roster")
    )
    a, p = AGENCIES.alias("a"), REGIONS.alias("p")
    target, signed = (sa.cast(sa.func.sum(roster.c[k]), BIG) for k in ("target", "done"))
    return (
        sa.select(
            a.c.province_code.label("code"),
            getattr(sa.func, name_agg)(p.c.name).label("name"),
            target.label("target"),
            signed.label("signed"),
            (target - signed).label("unsigned"),
            (sa.cast(signed, sa.Double) / sa.func.nullif(target, 0)).label("rate"),
        )
        .select_from(
            roster.join(a, a.c.agency_id == roster.c.agency_id).outerjoin(
                p, p.c.code == a.c.province_code
            )
        )
        .where(a.c.province_code.in_(sa.bindparam("provinces", expanding=True)))
        .group_by(a.c.province_code)
        .order_by(sa.text("code"))
    )


# --- helpers --------------------------------------------------------------------------------
def loc(text: str) -> int:
    """Non-blank, non-comment lines."""
    return sum(1 for ln in text.splitlines() if ln.strip() and not ln.strip().startswith("#"))


def segment_loc(start: str, end: str) -> int:
    """Lines of this file from the line starting with ``start`` up to ``end``."""
    text = Path(__file__).read_text()
    return loc(text[text.index(start) : text.index(end)])


def median_us(fn, n: int) -> float:
    return medians_us([fn], n)[0]


def medians_us(fns: list, n: int) -> list[float]:
    """Median time of each function, the runs interleaved so machine load hits all alike."""
    for fn in fns:
        fn()  # warm
    times: list[list[float]] = [[] for _f in fns]
    for _i in range(n):
        for fn, ts in zip(fns, times, strict=True):
            t0 = time.perf_counter()
            fn()
            ts.append(time.perf_counter() - t0)
    return [statistics.median(ts) * 1e6 for ts in times]


def project_summary_sql(provinces: list[str], as_of: dt.date) -> str:
    """The statement dashboard.queries.summary(by="provinsi") really sends (with the report
    branch and sources): the project's translation cost for a full-size statement."""
    from dashboard.queries import compliance

    captured: list[str] = []

    class Capture:
        def query(self, sql, params):
            captured.append(sql)
            return pl.DataFrame()

    f = compliance.Filters(provinces=tuple(provinces), date_to=as_of)
    compliance.summary(Capture(), f, "provinsi")  # type: ignore[arg-type]
    return captured[0]


def norm(df: pl.DataFrame) -> pl.DataFrame:
    return df.select(
        pl.col("code").cast(pl.String),
        pl.col("name").cast(pl.String),
        *(pl.col(c).cast(pl.Int64) for c in ("target", "signed", "unsigned")),
        pl.col("rate").cast(pl.Float64),
    ).sort("code")


def same(a: pl.DataFrame, b: pl.DataFrame) -> bool:
    a, b = norm(a), norm(b)
    if a.shape != b.shape or a.drop("rate").to_dicts() != b.drop("rate").to_dicts():
        return False
    return all(abs(x - y) < 1e-12 for x, y in zip(a["rate"], b["rate"], strict=True))


def reference(store: str, provinces: list[str], as_of: dt.date) -> pl.DataFrame:
    """The project's own figures: dashboard.queries.summary in the project's venv."""
    code = (
        "import datetime as dt, sys; from dashboard import queries; "
        "from dashboard.store.database import Store; "
        f"f = queries.Filters(provinces={tuple(provinces)!r}, date_to=dt.date.fromisoformat"
        f"({as_of.isoformat()!r})); "
        f"sys.stdout.write(queries.summary(Store({store!r}), f, 'provinsi')"
        ".write_json())"
    )
    out = subprocess.run(
        [str(ROOT / ".venv/bin/python"), "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return pl.DataFrame(json.loads(out))


def cli(store: str, province: str) -> pl.DataFrame:
    out = subprocess.run(
        [
            str(ROOT / ".venv/bin/netralitas"),
            "summary",
            "--store",
            store,
            "--province",
            province,
            "--json",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return pl.DataFrame(json.loads(out))


def attempt(fn):
    try:
        return fn(), None
    except Exception as exc:  # noqa: BLE001 - the trial records every failure
        return None, f"{type(exc).__name__}: {str(exc).splitlines()[0][:110]}"


# --- the engines ------------------------------------------------------------------------------
class Engines:
    def __init__(self, duck_path: str, pg_url: str) -> None:
        # one DuckDB database instance for all three (duckdb_engine's user agent must match,
        # or DuckDB refuses a second connection to the file "with a different configuration")
        agent = f"duckdb_engine/{duckdb_engine.__version__}(sqlalchemy/{sa.__version__})"
        self.duck = duckdb.connect(duck_path, read_only=True, config={"custom_user_agent": agent})
        self.adbc = adbc.connect(pg_url)
        self.ibis_duck = ibis.duckdb.from_connection(self.duck.cursor())
        self.ibis_pg = ibis.connect(pg_url)
        # table() reads the schema from the server: done once, as an application would
        self.ibis_tables = {
            eng: {k: be.table(k) for k in IBIS_SCHEMAS}
            for eng, be in (("duckdb", self.ibis_duck), ("postgres", self.ibis_pg))
        }
        self.sa_duck = sa.create_engine(f"duckdb:///{duck_path}", connect_args={"read_only": True})
        self.sa_pg = sa.create_engine(pg_url.replace("postgresql://", "postgresql+psycopg://"))

    # (0) project
    def project(self, engine: str, sql: str, params: dict) -> pl.DataFrame:
        if engine == "duckdb":
            with self.duck.cursor() as cur:
                return pl.from_arrow(cur.sql(sql, params=params).to_arrow_table())
        statements, order = postgres_sql(sql)
        with self.adbc.cursor() as cur:
            cur.execute(statements[-1], bind(order, params))
            return frame_from_arrow(cur.fetch_arrow_table())

    # (a) Ibis
    def ibis(self, engine: str, provinces, as_of, name_agg="arbitrary", workarounds=False):
        tables = self.ibis_tables[engine]
        if workarounds:  # a date as a cast string, not MAKE_DATE; float division on PostgreSQL
            as_of = ibis.literal(as_of.isoformat()).cast("date")
        expr = ibis_query(tables, provinces, as_of, name_agg, float_rate=workarounds)
        return pl.from_arrow(expr.to_pyarrow())

    # (b) SQLAlchemy (rows through the driver, then Arrow)
    def sa(self, engine: str, provinces, as_of, name_agg="min") -> pl.DataFrame:
        eng = self.sa_duck if engine == "duckdb" else self.sa_pg
        with eng.connect() as con:
            res = con.execute(sa_query(name_agg), {"as_of": as_of, "provinces": provinces})
            rows = [dict(r._mapping) for r in res]  # the Python row loop SQLAlchemy implies
        return pl.from_arrow(pa.Table.from_pylist(rows))

    # (b') SQLAlchemy as a builder only, statement handed to ADBC (Arrow, no row loop)
    def sa_adbc(self, provinces, as_of) -> pl.DataFrame:
        dialect = postgresql.asyncpg.dialect()  # paramstyle numeric_dollar: $1, $2, ...
        state = (
            sa_query()
            .compile(dialect=dialect)
            .construct_expanded_state({"as_of": as_of, "provinces": provinces})
        )  # IN (...) grows with the list
        values = [state.parameters[k] for k in state.positiontup]
        with self.adbc.cursor() as cur:
            cur.execute(state.statement, values)
            return frame_from_arrow(cur.fetch_arrow_table())


# --- DuckDB-specific constructs -------------------------------------------------------------
CONSTRUCTS = {
    "DISTINCT ON": "SELECT DISTINCT ON (agency_id) agency_id, signed_date FROM agg_signed_days "
    "ORDER BY agency_id, signed_date DESC",
    "QUALIFY": "SELECT agency_id, signed_date FROM agg_signed_days QUALIFY row_number() OVER "
    "(PARTITION BY agency_id ORDER BY signed_date DESC) = 1",
    "FILTER": "SELECT count(*) FILTER (WHERE n > 1) AS n FROM agg_signed_days",
    "sum, no cast": "SELECT sum(n) AS n FROM agg_signed_days",
    "list param": "SELECT count(*) AS n FROM agencies WHERE province_code IN "
    "(SELECT unnest($provinces))",
}


def constructs(e: Engines) -> list[str]:
    out = []
    params = {"provinces": ["33", "62"]}
    for label, sql in CONSTRUCTS.items():
        p = params if "$" in sql else {}
        d, err_d = attempt(lambda sql=sql, p=p: e.project("duckdb", sql, p).rows())
        g, err_g = attempt(lambda sql=sql, p=p: e.project("postgres", sql, p).rows())
        pg_sql = postgres_sql(sql)[0][-1]
        ok = err_g is None and sorted(map(tuple, g)) == sorted(map(tuple, d or []))
        out.append(
            f"  project {label:11s}: duckdb {'ok' if err_d is None else err_d}; "
            f"postgres {'same rows' if ok else err_g or 'DIFFERENT'}  -> {pg_sql[:90]}"
        )

    # Ibis: the same expression built on each backend's tables
    def ibis_exprs(be):
        sd, ag = be.table("agg_signed_days"), be.table("agencies")
        return {
            "DISTINCT ON": sd.select("agency_id", "signed_date")
            .order_by(ibis.desc("signed_date"))
            .distinct(on="agency_id", keep="first"),
            "QUALIFY": sd.mutate(
                rn=ibis.row_number().over(group_by="agency_id", order_by=ibis.desc("signed_date"))
            )
            .filter(_.rn == 0)
            .select("agency_id", "signed_date"),
            "FILTER": sd.aggregate(n=sd.count(where=sd.n > 1)),
            "sum, no cast": sd.aggregate(n=sd.n.sum()),
            "list param": ag.filter(ag.province_code.isin(params["provinces"])).aggregate(
                n=_.count()
            ),
        }

    duck_x, pg_x = ibis_exprs(e.ibis_duck), ibis_exprs(e.ibis_pg)
    for label in duck_x:
        sql_pg = " ".join(ibis.to_sql(pg_x[label], dialect="postgres").split())
        d, err_d = attempt(lambda x=duck_x[label]: sorted(x.to_pyarrow().to_pylist(), key=str))
        g, err_g = attempt(lambda x=pg_x[label]: sorted(x.to_pyarrow().to_pylist(), key=str))
        pg = err_g or ("same rows" if g == d else "DIFFERENT")
        out.append(
            f"  ibis    {label:11s}: duckdb {err_d or 'ok'}; postgres {pg}  -> {sql_pg[:90]}"
        )
    # SQLAlchemy
    sd = AGG_SIGNED_DAYS
    rn = sa.func.row_number().over(partition_by=sd.c.agency_id, order_by=sd.c.signed_date.desc())
    inner = sa.select(sd.c.agency_id, sd.c.signed_date, rn.label("rn")).subquery()
    sq = {
        "DISTINCT ON": sa.select(sd.c.agency_id, sd.c.signed_date)
        .ext(postgresql.distinct_on(sd.c.agency_id))
        .order_by(sd.c.agency_id, sd.c.signed_date.desc()),
        "QUALIFY": sa.select(inner.c.agency_id, inner.c.signed_date).where(inner.c.rn == 1),
        "FILTER": sa.select(sa.func.count().filter(sd.c.n > 1).label("n")),
        "sum, no cast": sa.select(sa.func.sum(sd.c.n).label("n")),
        "list param": sa.select(sa.func.count().label("n"))
        .select_from(AGENCIES)
        .where(AGENCIES.c.province_code.in_(sa.bindparam("provinces", expanding=True))),
    }
    for label, stmt in sq.items():
        sql_pg = " ".join(str(stmt.compile(dialect=postgresql.psycopg.dialect())).split())
        p = params if label == "list param" else {}
        res = []
        for eng in (e.sa_duck, e.sa_pg):

            def run(eng=eng, stmt=stmt, p=p):
                with eng.connect() as con:
                    return sorted(map(tuple, con.execute(stmt, p).fetchall()), key=str)

            res.append(attempt(run))
        (d, err_d), (g, err_g) = res
        pg = err_g or ("same rows" if g == d else "DIFFERENT")
        out.append(
            f"  sqlalch {label:11s}: duckdb {err_d or 'ok'}; postgres {pg}  -> {sql_pg[:90]}"
        )
    return out


IBIS_DATE_PROBE = """
import datetime as dt, sys, ibis, sqlglot
if sys.argv[1] == "after": sqlglot.parse_one("SELECT 1").sql("postgres")
t = ibis.table(dict(d="date"), name="x")
print(ibis.to_sql(t.filter(t.d <= dt.date(2024, 1, 15)), dialect="postgres", pretty=False))
"""


def ibis_date_probe() -> list[str]:
    """Ibis's PostgreSQL date literal in a fresh process, before and after sqlglot's own
    Postgres generator has run once (as it has in any process using dialect.postgres_sql)."""
    out = []
    for when in ("before", "after"):
        sql = subprocess.run(
            [sys.executable, "-c", IBIS_DATE_PROBE, when],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        out.append(f"  {when:6s} sqlglot's Postgres generator ran: {sql.split('WHERE ')[1]}")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--duckdb", default="/tmp/pg/d1.duckdb")
    ap.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:55432/c1")
    ap.add_argument("--provinces", default="33,35,62")
    ap.add_argument("--as-of", default="2024-01-15", type=dt.date.fromisoformat)
    ap.add_argument("--repeat", default=200, type=int)
    ap.add_argument("--dump", type=Path, help="write the compiled SQL into this folder")
    args = ap.parse_args()
    provinces, as_of = args.provinces.split(","), args.as_of
    params = {"as_of": as_of, "provinces": provinces}
    print(f"ibis {ibis.__version__}, sqlalchemy {sa.__version__}, duckdb {duckdb.__version__}")
    print(f"query: provinces {provinces}, as of {as_of}\n")

    # 1. lines of code (as ruff formats them, the project's formatter)
    print("lines of code (non-blank, ruff-formatted) for the query")
    print(f"  project SQL  {loc(PROJECT_SQL)}")
    ibis_lines = loc(inspect.getsource(ibis_query))
    print(
        f"  ibis         {ibis_lines} (+ {segment_loc('IBIS_SCHEMAS = {', 'def ibis_query')} for "
        "table schemas, needed only to compile without a connection)"
    )
    print(
        f"  sqlalchemy   {loc(inspect.getsource(sa_query))} (+ "
        f"{segment_loc('MD = sa.MetaData()', 'def sa_query')} for the Table definitions)\n"
    )

    # 2. compiled SQL
    unbound = {k: ibis.table(v, name=k) for k, v in IBIS_SCHEMAS.items()}
    expr = ibis_query(unbound, provinces, as_of)
    stmt = sa_query()
    pg_dialect, duck_dialect = postgresql.psycopg.dialect(), duckdb_engine.Dialect()
    compiled = {
        "project.duckdb.sql": PROJECT_SQL,
        "project.postgres.sql": postgres_sql(PROJECT_SQL)[0][-1],
        "ibis.duckdb.sql": ibis.to_sql(expr, dialect="duckdb"),
        "ibis.postgres.sql": ibis.to_sql(expr, dialect="postgres"),
        "sqlalchemy.duckdb.sql": str(stmt.compile(dialect=duck_dialect)),
        "sqlalchemy.postgres.sql": str(stmt.compile(dialect=pg_dialect)),
    }
    print("compiled SQL size (lines as emitted / characters)")
    for k, v in compiled.items():
        print(f"  {k:25s} {len(v.splitlines()):4d} / {len(v):5d}")
    if args.dump:
        args.dump.mkdir(parents=True, exist_ok=True)
        for k, v in compiled.items():
            (args.dump / k).write_text(v + "\n")
    print()

    # 3. compile time
    n = args.repeat
    translate = postgres_sql.__wrapped__
    print(f"compile time per call, median of {n} (microseconds)")
    rows = [
        ("project: postgres_sql uncached", lambda: translate(PROJECT_SQL)),
        ("project: postgres_sql cached", lambda: postgres_sql(PROJECT_SQL)),
        ("ibis: to_sql(postgres), expr built once", lambda: ibis.to_sql(expr, dialect="postgres")),
        (
            "ibis: build expr + to_sql(postgres)",
            lambda: ibis.to_sql(ibis_query(unbound, provinces, as_of), dialect="postgres"),
        ),
        (
            "sqlalchemy: compile(postgres), stmt built once",
            lambda: str(stmt.compile(dialect=pg_dialect)),
        ),
        (
            "sqlalchemy: build stmt + compile(postgres)",
            lambda: str(sa_query().compile(dialect=pg_dialect)),
        ),
    ]
    full = project_summary_sql(provinces, as_of)
    rows.insert(
        2,
        (f"project: full summary statement ({len(full)} chars), uncached", lambda: translate(full)),
    )
    for (label, _fn), us in zip(rows, medians_us([fn for _l, fn in rows], n), strict=True):
        print(f"  {label:56s} {us:9.1f}")
    print()

    # 4. results on both engines vs the project's figures (the project's Store opens the
    # DuckDB file for writing, so its figures are taken before this script opens it)
    stores = {"duckdb": args.duckdb, "postgres": args.postgres}
    refs = {eng: reference(where, provinces, as_of) for eng, where in stores.items()}
    cli_refs = {
        (eng, prov): cli(where, prov) for eng, where in stores.items() for prov in provinces
    }
    e = Engines(args.duckdb, args.postgres)
    print("reference (dashboard.queries.summary, project venv, duckdb store):")
    print(norm(refs["duckdb"]))
    print(f"  duckdb and postgres references equal: {same(refs['duckdb'], refs['postgres'])}")
    print("\nresults vs reference, and median time of 20 runs (ms) to a Polars frame")
    runs = {
        "project SQL": lambda g: e.project(g, PROJECT_SQL, params),
        "ibis as written (arbitrary)": lambda g: e.ibis(g, provinces, as_of),
        "ibis + date/float workarounds": lambda g: e.ibis(g, provinces, as_of, workarounds=True),
        "ibis + workarounds + min": lambda g: e.ibis(g, provinces, as_of, "min", True),
        "sqlalchemy (any_value)": lambda g: e.sa(g, provinces, as_of, "any_value"),
        "sqlalchemy (min)": lambda g: e.sa(g, provinces, as_of, "min"),
    }
    cases = [
        (label, eng, lambda fn=fn, eng=eng: fn(eng))
        for label, fn in runs.items()
        for eng in ("duckdb", "postgres")
    ]
    cases.append(("sqlalchemy builder + ADBC", "postgres", lambda: e.sa_adbc(provinces, as_of)))
    results = [(label, eng, fn, *attempt(fn)) for label, eng, fn in cases]
    working = [fn for _l, _e, fn, _df, err in results if err is None]
    timings = iter(medians_us(working, 20))
    for label, eng, _fn, df, err in results:
        if err:
            print(f"  {label:36s} {eng:8s} ERROR {err}")
        else:
            ms = next(timings) / 1000
            print(f"  {label:36s} {eng:8s} equal={same(df, refs[eng])}  {ms:7.1f} ms")

    # 5. the project's CLI (one province, as of today) against each form, as of today
    today = dt.date.today()
    print(f"\n`netralitas summary --province P --json` (as of today, {today}) vs each form")
    for prov in provinces:
        checks = []
        for eng in stores:
            ref = cli_refs[eng, prov]
            p1 = {"as_of": today, "provinces": [prov]}
            checks.append(
                f"{eng}: project={same(e.project(eng, PROJECT_SQL, p1), ref)} "
                f"ibis={same(e.ibis(eng, [prov], today, 'min', True), ref)} "
                f"sqlalchemy={same(e.sa(eng, [prov], today), ref)}"
            )
        print(f"  {prov}: " + "; ".join(checks))

    # 6. DuckDB-specific constructs
    print("\nDuckDB-specific constructs, compiled for and run on both engines")
    for line in constructs(e):
        print(line)
    print("\nIbis date literal for PostgreSQL, fresh process")
    for line in ibis_date_probe():
        print(line)


if __name__ == "__main__":
    main()
