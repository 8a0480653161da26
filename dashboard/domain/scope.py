"""The access-scope rule: which rows a province/regency-scoped account may see or change.

A scope is a set of whole provinces and of single regencies (``None``: national). A row
with province ``p`` and regency ``r`` is inside it when ``p`` is one of the provinces, or
``r`` is one of the regencies and lies in ``p``. A row with no regency (a provincial-level
agency) is therefore inside only for an account that has the whole province.

The rule is written once, in :func:`_rule`, over a small set of operations; the SQL
predicate (queries), the Polars expression (uploads, widget options) and the plain Python
check are three renderings of it, and ``tests/access/test_scope.py`` checks that they agree
for every region code.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

import polars as pl

_PROVINCE_RE = re.compile(r"^\d{2}$")
_REGENCY_RE = re.compile(r"^\d{4}$")


@dataclass(frozen=True)
class Scope:
    """Whole provinces and single regencies (normalised: no regency inside a province)."""

    provinces: tuple[str, ...] = ()
    regencies: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        provs, kabs = normalise(self.provinces, self.regencies)
        object.__setattr__(self, "provinces", provs)
        object.__setattr__(self, "regencies", kabs)

    @property
    def visible_provinces(self) -> tuple[str, ...]:
        """Provinces the scope reaches into (wholly or through one of their regencies)."""
        return tuple(sorted({*self.provinces, *(r[:2] for r in self.regencies)}))


def normalise(
    provinces: Iterable[str] = (), regencies: Iterable[str] = ()
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Sorted, de-duplicated codes; a regency inside a whole province in scope is dropped.

    Raises ValueError on a code that is not a Kemendagri province (``17``) or regency
    (``1706``) code (so codes are safe to write into SQL as literals).
    """
    provs = sorted({p.strip() for p in provinces if p and p.strip()})
    kabs = sorted({r.strip().replace(".", "") for r in regencies if r and r.strip()})
    bad = [p for p in provs if not _PROVINCE_RE.match(p)] + [
        r for r in kabs if not _REGENCY_RE.match(r)
    ]
    if bad:
        raise ValueError(f"not a province (2 digits) or regency (4 digits) code: {bad}")
    return tuple(provs), tuple(r for r in kabs if r[:2] not in provs)


def scope_of(provinces: Iterable[str] = (), regencies: Iterable[str] = ()) -> Scope | None:
    """The scope of an account's codes; None (national) when it has none."""
    scope = Scope(tuple(provinces), tuple(regencies))
    return None if not scope.provinces and not scope.regencies else scope


T = TypeVar("T")


class _Ops(Protocol, Generic[T]):
    def is_in(self, value: T, codes: tuple[str, ...]) -> T: ...
    def province_of(self, regency: T) -> T: ...
    def equal(self, a: T, b: T) -> T: ...
    def both(self, a: T, b: T) -> T: ...
    def either(self, a: T, b: T) -> T: ...


def _rule(ops: _Ops[T], scope: Scope, province: T, regency: T) -> T:
    """The one definition (unknown values count as outside)."""
    return ops.either(
        ops.is_in(province, scope.provinces),
        ops.both(
            ops.is_in(regency, scope.regencies),
            ops.equal(ops.province_of(regency), province),
        ),
    )


class _SqlOps:
    def is_in(self, value: str, codes: tuple[str, ...]) -> str:
        if not codes:
            return "FALSE"
        return f"{value} IN ({', '.join(repr(c) for c in codes)})"

    def province_of(self, regency: str) -> str:
        return f"left({regency}, 2)"

    def equal(self, a: str, b: str) -> str:
        return f"{a} = {b}"

    def both(self, a: str, b: str) -> str:
        return f"({a} AND {b})"

    def either(self, a: str, b: str) -> str:
        return f"({a} OR {b})"


class _PolarsOps:
    def is_in(self, value: pl.Expr, codes: tuple[str, ...]) -> pl.Expr:
        return value.is_in(list(codes)) if codes else pl.lit(False)

    def province_of(self, regency: pl.Expr) -> pl.Expr:
        return regency.str.slice(0, 2)

    def equal(self, a: pl.Expr, b: pl.Expr) -> pl.Expr:
        return a == b

    def both(self, a: pl.Expr, b: pl.Expr) -> pl.Expr:
        return a & b

    def either(self, a: pl.Expr, b: pl.Expr) -> pl.Expr:
        return a | b


class _PythonOps:
    """Plain values; None stands for an unknown value (SQL NULL)."""

    def is_in(self, value: object, codes: tuple[str, ...]) -> object:
        return None if value is None else value in codes

    def province_of(self, regency: object) -> object:
        return None if regency is None else str(regency)[:2]

    def equal(self, a: object, b: object) -> object:
        return None if a is None or b is None else a == b

    def both(self, a: object, b: object) -> object:
        if a is False or b is False:
            return False
        return None if a is None or b is None else True

    def either(self, a: object, b: object) -> object:
        if a is True or b is True:
            return True
        return None if a is None or b is None else False


def sql_predicate(scope: Scope | None, province: str, regency: str) -> str:
    """SQL boolean over the columns ``province`` / ``regency``: the row is in scope.

    The leading ``IN`` over the visible provinces follows from the rule; it is spelled out
    so DuckDB can skip the row groups of other provinces.
    """
    if scope is None:
        return "TRUE"
    visible = _SqlOps().is_in(province, scope.visible_provinces)
    return f"({visible} AND coalesce({_rule(_SqlOps(), scope, province, regency)}, FALSE))"


def polars_expr(scope: Scope | None, province: str | pl.Expr, regency: str | pl.Expr) -> pl.Expr:
    """Polars boolean over the ``province`` / ``regency`` columns: the row is in scope."""
    if scope is None:
        return pl.lit(True)
    prov = pl.col(province) if isinstance(province, str) else province
    kab = pl.col(regency) if isinstance(regency, str) else regency
    return _rule(_PolarsOps(), scope, prov, kab).fill_null(False)


def contains(scope: Scope | None, province: str | None, regency: str | None) -> bool:
    """Whether one place (province code, regency code or None) is in scope."""
    if scope is None:
        return True
    return _rule(_PythonOps(), scope, province, regency) is True
