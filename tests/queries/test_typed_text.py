"""Text a user types reaches SQL cleaned, in one place (``queries.typed_text``): a NUL byte
(PostgreSQL text refuses it) or another control character in a search or an agency link
is no error on either engine, and the answer is the one without it."""

from __future__ import annotations

import polars as pl
import pytest
from independent_figures import read_sql

from dashboard import queries
from dashboard.queries import Filters
from dashboard.store.database import Store

NUL = "\x00"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        (NUL, None),
        (f" di{NUL}nas\x01 ", "dinas"),
        ("\x7f\x9f\t\n", None),
        ("\ud800kantor", "kantor"),
        ("Badan Kepegawaian", "Badan Kepegawaian"),
        (None, None),
    ],
)
def test_typed_text_drops_what_no_search_can_mean(typed: str | None, expected: str | None) -> None:
    assert queries.typed_text(typed) == expected


def _a_name(store: Store) -> str:
    """A name on the not-yet-signed list, straight from the table."""
    df = read_sql(
        store,
        "SELECT name FROM officials WHERE superseded_by IS NULL AND NOT signed "
        "ORDER BY nip LIMIT 1",
    )
    return str(df["name"][0])


def test_searches_with_control_bytes_answer_as_without_them(demo_store: Store) -> None:
    f = Filters()
    everything = queries.agency_count(demo_store, f)
    assert everything > 0
    assert queries.agency_count(demo_store, f, NUL) == everything
    assert queries.agency_count(demo_store, f, f"din{NUL}as") == queries.agency_count(
        demo_store, f, "dinas"
    )
    ranked = queries.agency_ranking(demo_store, f, search=f"{NUL}dinas\x1b", limit=20)
    assert ranked.height > 0
    assert ranked.equals(queries.agency_ranking(demo_store, f, search="dinas", limit=20))

    name = _a_name(demo_store)
    listed = queries.unsigned_officials(
        demo_store, f, search=f"{name}{NUL}", personal=True, limit=None
    )
    assert listed.height > 0 and set(listed["name"]) >= {name}
    assert listed.equals(
        queries.unsigned_officials(demo_store, f, search=name, personal=True, limit=None)
    )
    assert queries.unsigned_count(demo_store, f, f"{name}{NUL}", True) == listed.height
    assert queries.unsigned_count(demo_store, f, NUL, True) == queries.unsigned_count(demo_store, f)
    cells = queries.unsigned_cells(demo_store, f, f"dinas{NUL}")
    assert cells.height > 0 and cells.equals(queries.unsigned_cells(demo_store, f, "dinas"))


def test_an_agency_link_with_a_control_byte_names_no_agency(demo_store: Store) -> None:
    agency = "seed-1706-pemkab"
    assert queries.agency_detail(demo_store, Filters(), agency) is not None
    for typed in (f"{agency}{NUL}", f"{NUL}", f"{agency}\x01"):
        assert queries.agency_detail(demo_store, Filters(), typed) is None
        assert queries.agency_roster_count(demo_store, Filters(), typed) == 0
        roster = queries.agency_roster(demo_store, Filters(), typed)
        assert isinstance(roster, pl.DataFrame) and roster.height == 0
