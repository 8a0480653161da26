"""Where DuckDB and PostgreSQL differ: the one place that knows both dialects.

The query layer writes DuckDB SQL (the embedded default) with ``$name`` or ``?``
parameters. For a PostgreSQL store each statement is translated once (sqlglot, cached
by its text) into PostgreSQL with positional ``$1``-style parameters, which the ADBC
driver binds; results come back as Arrow. The few things sqlglot does not carry over
are rewritten here too: ``GROUP BY ALL`` (grouped by the non-aggregate output columns),
``round`` of a double (PostgreSQL rounds only ``numeric``) and ``date_diff`` (a BIGINT).
Frames are appended through each engine's bulk path: DuckDB scans a registered Arrow
table, PostgreSQL receives them by COPY (ADBC ingest).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple, TypeAlias

import polars as pl
import pyarrow as pa
import sqlglot
from sqlglot import exp
from sqlglot.dialects.dialect import Dialect
from sqlglot.tokens import TokenType

if TYPE_CHECKING:
    import duckdb

    from dashboard.store import postgres

    Connection: TypeAlias = duckdb.DuckDBPyConnection | postgres.Connection
else:
    Connection = Any

SQL_TYPES: dict[str, dict[type[pl.DataType], str]] = {
    "duckdb": {
        pl.String: "VARCHAR",
        pl.Int64: "BIGINT",
        pl.Int32: "INTEGER",
        pl.Float64: "DOUBLE",
        pl.Boolean: "BOOLEAN",
        pl.Date: "DATE",
        pl.Datetime: "TIMESTAMP",
    },
    "postgres": {
        pl.String: "text",
        pl.Int64: "bigint",
        pl.Int32: "integer",
        pl.Float64: "double precision",
        pl.Boolean: "boolean",
        pl.Date: "date",
        pl.Datetime: "timestamp without time zone",
    },
}


# the schema user tables live in, as information_schema names it
CATALOG_SCHEMA = {"duckdb": "main", "postgres": "public"}


def _expand_group_by_all(node: exp.Expression) -> exp.Expression:
    if isinstance(node, exp.Select):
        group = node.args.get("group")
        if group is not None and group.args.get("all"):
            positions = [
                exp.Literal.number(i)
                for i, e in enumerate(node.expressions, start=1)
                if not e.find(exp.AggFunc) or e.find(exp.Window)
            ]
            node.set("group", exp.Group(expressions=positions))
    return node


def _numeric_round(node: exp.Expression) -> exp.Expression:
    if isinstance(node, exp.Round) and node.args.get("decimals") is not None:
        inner = node.copy()
        inner.set("this", exp.cast(node.this, exp.DataType.build("numeric")))
        return exp.cast(inner, exp.DataType.build("double"))
    return node


def _average_as_double(node: exp.Expression) -> exp.Expression:
    if isinstance(node, exp.Avg) and not isinstance(node.parent, exp.Cast):
        return exp.cast(node.copy(), exp.DataType.build("double"))
    return node


def _date_diff_as_bigint(node: exp.Expression) -> exp.Expression:
    """DuckDB's ``date_diff`` is a BIGINT; PostgreSQL's date subtraction an integer."""
    if isinstance(node, exp.DateDiff) and not isinstance(node.parent, exp.Cast):
        return exp.cast(node.copy(), exp.DataType.build("bigint"))
    return node


def _any_value(node: exp.Expression) -> exp.Expression:
    """PostgreSQL 15 has no ``any_value``: the first non-null value of the group instead."""
    if isinstance(node, exp.IgnoreNulls) and isinstance(node.this, exp.AnyValue):
        node = node.this
    if isinstance(node, exp.AnyValue):
        value = node.this
        template = sqlglot.parse_one(
            "(ARRAY_AGG(__v) FILTER (WHERE __v IS NOT NULL))[1]", read="postgres"
        )
        return template.transform(
            lambda n: value.copy() if isinstance(n, exp.Column) and n.name == "__v" else n
        )
    return node


def _alias_subqueries(tree: exp.Expression) -> exp.Expression:
    """PostgreSQL 15 wants a name for every subquery in FROM; DuckDB does not."""
    for i, sub in enumerate(tree.find_all(exp.Subquery)):
        if not sub.alias and isinstance(sub.parent, exp.From | exp.Join):
            sub.set("alias", exp.TableAlias(this=exp.to_identifier(f"_q{i}")))
    return tree


def number_placeholders(sql: str) -> str:
    """Each ``?`` becomes ``$k``, k its position in the text (``?`` in a string, quoted name
    or comment stays; ``?::type`` is a cast of one). The parsed tree is walked in its own
    order, not the text's, so a ``?`` must carry its number before parsing:
    ``a = ? AND b = ? AND c = ?`` would otherwise bind the first value to ``c``."""
    tokens = [
        t
        for t in Dialect.get_or_raise("duckdb").tokenize(sql)
        if (t.token_type, t.text) in {(TokenType.PLACEHOLDER, "?"), (TokenType.QDCOLON, "?::")}
    ]
    if not tokens:
        return sql
    parts: list[str] = []
    last = 0
    for k, token in enumerate(tokens, start=1):
        parts.append(sql[last : token.start])
        parts.append(f"${k}")
        last = token.start + 1
    parts.append(sql[last:])
    return "".join(parts)


class Statement(NamedTuple):
    text: str
    bound: bool  # takes the parameters (the others take none)


@functools.lru_cache(maxsize=2048)
def postgres_sql(sql: str) -> tuple[tuple[Statement, ...], tuple[str | int, ...]]:
    """DuckDB SQL (one or more statements) -> PostgreSQL statements and the parameter each
    ``$k`` stands for: a name (``$name``) or a position in a list (``?``).

    A table made by ``CREATE TABLE ... AS`` is analysed at once: the planner has no
    statistics for it otherwise (an aggregate rebuilt, a page's scope tables), and its
    guesses over a few hundred thousand rows cost seconds."""
    statements: list[Statement] = []
    order: list[str | int] = []
    names: dict[str, int] = {}
    anonymous = 0
    for tree in sqlglot.parse(number_placeholders(sql), read="duckdb"):
        if tree is None:
            continue
        placeholders = list(tree.find_all(exp.Placeholder))
        for ph in placeholders:
            name = "" if ph.name == "?" else ph.name
            if name and not name.isdigit():
                if name not in names:
                    order.append(name)
                    names[name] = len(order)
                k = names[name]
            else:
                order.append(anonymous if not name else int(name) - 1)
                anonymous += 1
                k = len(order)
            ph.replace(exp.Parameter(this=exp.Literal.number(k)))
        tree = tree.transform(_expand_group_by_all)
        tree = tree.transform(_numeric_round)
        tree = tree.transform(_average_as_double)
        tree = tree.transform(_date_diff_as_bigint)
        tree = tree.transform(_any_value)
        tree = _alias_subqueries(tree)
        text = tree.sql(dialect="postgres")
        if isinstance(tree, exp.Delete | exp.Update) and order and not tree.args.get("returning"):
            # the driver reports no row count for a statement with bound parameters
            text = f"WITH changed AS ({text} RETURNING 1) SELECT count(*) FROM changed"
        statements.append(Statement(text, bool(placeholders)))
        if isinstance(tree, exp.Create) and tree.args.get("expression") is not None:
            statements.append(Statement(f"ANALYZE {tree.this.sql(dialect='postgres')}", False))
    return tuple(statements), tuple(order)


@functools.lru_cache(maxsize=2048)
def written_tables(sql: str) -> frozenset[str]:
    """The tables a statement (or several) writes rows into: INSERT, UPDATE, DELETE, COPY
    and ``CREATE TABLE ... AS`` targets, unqualified and lower-cased (what ANALYZE names)."""
    out: set[str] = set()
    for tree in sqlglot.parse(number_placeholders(sql), read="duckdb"):
        target: exp.Expression | None = None
        if isinstance(tree, exp.Insert | exp.Update | exp.Delete | exp.Copy) or (
            isinstance(tree, exp.Create)
            and tree.args.get("expression") is not None
            and tree.find(exp.TemporaryProperty) is None
        ):
            target = tree.this
        if isinstance(target, exp.Schema):
            target = target.this
        if isinstance(target, exp.Table) and target.name:
            out.add(target.name.lower())
    return frozenset(out)


def bind(order: Sequence[str | int], params: Sequence[Any] | Mapping[str, Any] | None) -> tuple:
    """The values for ``$1, $2, ...`` in the order :func:`postgres_sql` gave."""
    if not order:
        return ()
    if params is None:
        raise ValueError("The statement has parameters but none were given.")
    if isinstance(params, Mapping):
        return tuple(params[k] for k in order)  # type: ignore[index]
    return tuple(params[int(k)] for k in order)


def _is_numeric(field: pa.Field) -> bool:
    meta = field.metadata or {}
    return b"numeric" in (meta.get(b"POSTGRESQL:type"), meta.get(b"ADBC:postgresql:typname"))


def frame_from_arrow(table: pa.Table) -> pl.DataFrame:
    """PostgreSQL's ``numeric`` (a sum of counts, say) arrives as an Arrow extension type over
    text: make it a number, an integer where every value is whole, as DuckDB types the sum of
    integers."""
    numeric: list[str] = []
    for i, field in enumerate(table.schema):
        if not _is_numeric(field):
            continue
        chunks = [
            c.storage if isinstance(c, pa.ExtensionArray) else c for c in table.column(i).chunks
        ]
        values = pa.chunked_array(chunks, type=pa.string()).cast(pa.float64())
        table = table.set_column(i, pa.field(field.name, pa.float64()), values)
        numeric.append(field.name)
    df = pl.from_arrow(table)
    assert isinstance(df, pl.DataFrame)
    whole = [
        name
        for name in numeric
        if bool((df[name].drop_nulls() == df[name].drop_nulls().floor()).all())
    ]
    return df.with_columns(pl.col(whole).cast(pl.Int64)) if whole else df


def dialect_of(con: Connection) -> str:
    return str(getattr(con, "dialect", "duckdb"))


def append(con: Connection, table: str, data: pa.Table) -> None:
    """Append rows whose columns are the table's, inside the caller's transaction."""
    if dialect_of(con) == "postgres":
        con.append(table, data)
        return
    view = f"_incoming_{table}"
    con.register(view, data)
    try:
        con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM {view}")
    finally:
        con.unregister(view)
