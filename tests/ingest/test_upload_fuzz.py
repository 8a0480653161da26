"""Fuzzing the roster reader and the boundary importer (hypothesis, bounded).

Whatever the bytes — random, a truncated workbook, broken XML inside an XLSX, a file
under the wrong extension — reading ends in a report or in ``UnreadableFile`` (a
message, exit 2), never in another exception. Examples are capped so the file runs
in a few tens of seconds; the slowest example's time is printed, not asserted.
"""

from __future__ import annotations

import importlib.util
import io
import json
import tempfile
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard.cli.main import main
from dashboard.geo import boundaries
from dashboard.ingest.reading import UnreadableFile
from dashboard.ingest.roster import check_roster, read_roster

UPLOADS = Path(__file__).resolve().parents[1] / "uploads"
_spec = importlib.util.spec_from_file_location("make_corpus", UPLOADS / "make_corpus.py")
mc = importlib.util.module_from_spec(_spec)  # type: ignore[arg-type]
_spec.loader.exec_module(mc)  # type: ignore[union-attr]

XLSX = mc.xlsx_bytes()
ODS = (UPLOADS / "office" / "title_rows_instructions.ods").read_bytes()
XLS = (UPLOADS / "office" / "title_rows_instructions.xls").read_bytes()
CSV = mc.clerk_csv_bytes()
BOUNDED = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
SLOWEST: dict[str, float] = {}


def _outcome(data: bytes, name: str) -> str:
    """Read and check; "report" or the unreadable code. Any other exception fails the test."""
    start = time.perf_counter()
    try:
        raw = read_roster(data, name)
    except UnreadableFile as exc:
        outcome = exc.code
    else:
        check_roster(raw)
        outcome = "report"
    took = time.perf_counter() - start
    SLOWEST[name] = max(SLOWEST.get(name, 0.0), took)
    return outcome


@pytest.fixture(scope="module", autouse=True)
def _print_slowest() -> object:
    yield
    print({k: round(v, 2) for k, v in sorted(SLOWEST.items())})


@BOUNDED
@given(st.binary(max_size=4096), st.sampled_from(["x.csv", "x.xlsx", "x.ods", "x.txt"]))
def test_random_bytes_never_crash(data: bytes, name: str) -> None:
    _outcome(data, name)


@BOUNDED
@given(st.sampled_from([XLSX, ODS]), st.floats(0.0, 0.98))
def test_truncated_zip_workbooks_are_unreadable(book: bytes, keep: float) -> None:
    # a zip's directory is at its end: any cut loses it
    assert _outcome(book[: int(len(book) * keep)], "cut.xlsx") != "report"


@BOUNDED
@given(st.floats(0.0, 0.98))
def test_truncated_xls_never_crashes(keep: float) -> None:
    # an XLS cut only in its trailing OLE metadata may still be read: either outcome is fine
    _outcome(XLS[: int(len(XLS) * keep)], "cut.xls")


def _with_member(book: bytes, member: str, content: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(book)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            dst.writestr(info, content if info.filename == member else src.read(info))
    return out.getvalue()


@BOUNDED
@given(
    st.sampled_from(["xl/worksheets/sheet2.xml", "xl/sharedStrings.xml", "xl/workbook.xml"]),
    st.binary(max_size=512) | st.sampled_from([b"<worksheet><sheetData><row>", b"<<<>", b""]),
)
def test_broken_xml_inside_an_xlsx(member: str, content: bytes) -> None:
    _outcome(_with_member(XLSX, member, content), "broken.xlsx")


@BOUNDED
@given(st.integers(0, len(CSV) - 1), st.binary(min_size=1, max_size=8))
def test_csv_with_bytes_flipped(at: int, junk: bytes) -> None:
    _outcome(CSV[:at] + junk + CSV[at + len(junk) :], "flipped.csv")


@pytest.mark.parametrize(
    ("data", "name"),
    [(XLSX, "roster.csv"), (ODS, "roster.xlsx"), (XLS, "roster.ods"), (CSV, "roster.xlsx")],
)
def test_wrong_extensions_are_read_by_content(data: bytes, name: str) -> None:
    assert _outcome(data, name) == "report"


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, "x.csv"),
        (XLSX[: len(XLSX) // 2], "x.xlsx"),
        (_with_member(XLSX, "xl/workbook.xml", b"<broken"), "x.xlsx"),
    ],
)
def test_the_cli_answers_exit_2_with_a_message(tmp_path: Path, data: bytes, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    result = CliRunner().invoke(main, ["validate", str(path), "--json"])
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    doc = json.loads(result.stdout)
    assert doc["ok"] is False and doc["errors"][0]["message"]


# -- the boundary importer ---------------------------------------------------------------

_json = st.recursive(
    st.none() | st.booleans() | st.floats(allow_nan=False) | st.integers() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)
_geometry = st.fixed_dictionaries(
    {
        "type": st.sampled_from(["Polygon", "MultiPolygon", "Point", "LineString", "Nope"]),
        "coordinates": _json,
    }
)
_feature = st.fixed_dictionaries(
    {"type": st.just("Feature"), "properties": _json, "geometry": _geometry | _json}
)


def _import(data: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"b{suffix}"
        path.write_bytes(data)
        start = time.perf_counter()
        try:
            boundaries.import_file(path, "provinsi", Path(tmp) / "s.duckdb")
        except boundaries.BoundaryFileError as exc:
            assert str(exc).startswith(path.name)
        SLOWEST[f"boundary{suffix}"] = max(
            SLOWEST.get(f"boundary{suffix}", 0.0), time.perf_counter() - start
        )


@BOUNDED
@given(st.binary(max_size=2048), st.sampled_from([".geojson", ".zip", ".shp", ".json"]))
def test_boundary_random_bytes_never_crash(data: bytes, suffix: str) -> None:
    _import(data, suffix)


@BOUNDED
@given(st.lists(_feature, max_size=5) | _json)
def test_boundary_odd_geojson_never_crashes(features: object) -> None:
    doc = {"type": "FeatureCollection", "features": features}
    _import(json.dumps(doc).encode(), ".geojson")


@BOUNDED
@given(st.floats(0.0, 0.98))
def test_boundary_truncated_zip_never_crashes(keep: float) -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("a.shp", b"\x00\x00\x27\x0a" + b"\x00" * 200)
        zf.writestr("a.dbf", b"\x03" + b"\x00" * 100)
    data = out.getvalue()
    _import(data[: int(len(data) * keep)], ".zip")
