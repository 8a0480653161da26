"""``netralitas boundaries import`` reads a zip within bounds, as roster uploads are read:
the zip directory is checked before anything is unpacked (the roster's limits, from the
environment), members are unpacked in pieces, and a bomb ends with exit 2, a message and
little memory."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

from dashboard.geo import boundaries

ROOT = Path(__file__).resolve().parents[2]
CLI = ROOT / ".venv" / "bin" / "netralitas"
PEAK_LIMIT_KB = 600 * 1024
# runs the command given and prints the peak memory (KB) of the largest process it started
PEAK = (
    "import resource, subprocess, sys;"
    "r = subprocess.run(sys.argv[1:], capture_output=True, text=True);"
    "sys.stderr.write(r.stderr);"
    "print(r.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
)


def _bomb(path: Path, shp_bytes: int, *, fill: bytes = b"\0", level: int = 1) -> Path:
    """A zipped shapefile whose .shp is ``shp_bytes`` of ``fill``, written by streaming."""
    piece = fill * ((1 << 20) // len(fill))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as zf:
        with zf.open("batas.shp", "w", force_zip64=True) as out:
            for _ in range(shp_bytes // len(piece)):
                out.write(piece)
        zf.writestr("batas.shx", bytes(100))
        zf.writestr("batas.dbf", b"\x03" + bytes(31))
    return path


def _import(path: Path, tmp: Path, env: dict[str, str] | None = None) -> tuple[int, int, str]:
    """(exit code, peak memory in KB, stderr) of ``netralitas boundaries import``."""
    cmd = [str(CLI), "boundaries", "import", str(path), "--level", "kabupaten",
           "--store", str(tmp / "s.duckdb")]  # fmt: skip
    proc = subprocess.run(
        [sys.executable, "-c", PEAK, *cmd],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=1800,
    )
    code, peak = proc.stdout.split()
    return int(code), int(peak), proc.stderr


def test_an_800_mb_shapefile_in_a_small_zip_is_refused_from_its_directory(tmp_path: Path) -> None:
    bomb = _bomb(tmp_path / "batas.zip", 800 << 20)
    assert bomb.stat().st_size < 8 << 20  # a few MB that unpack to 800 MB
    env = {k: "" for k in ("NETRALITAS_MAX_INFLATED_MB", "NETRALITAS_MAX_ZIP_RATIO")}
    code, peak, err = _import(bomb, tmp_path, env)  # the default limits
    assert code == 2, err
    assert "batas.zip: the zip unpacks to 839 MB (limit 200 MB" in err, err
    assert "Traceback" not in err
    assert peak < PEAK_LIMIT_KB, peak
    assert not boundaries.official_path(tmp_path / "s.duckdb", "kabupaten").exists()


def test_the_limits_come_from_the_environment(tmp_path: Path) -> None:
    # random bytes do not compress: only the total size can refuse this one
    noise = _bomb(tmp_path / "acak.zip", 6 << 20, fill=os.urandom(1 << 16), level=6)
    code, _, err = _import(noise, tmp_path, {"NETRALITAS_MAX_INFLATED_MB": "4"})
    assert code == 2, err
    assert "acak.zip: the zip unpacks to 6 MB (limit 4 MB" in err, err
    # within the limits the same file is read (and refused only as no usable shapefile)
    code, _, err = _import(noise, tmp_path, {"NETRALITAS_MAX_INFLATED_MB": "50"})
    assert code == 2 and "unpacks" not in err, err


def test_a_zip_that_compresses_implausibly_well_is_refused(tmp_path: Path) -> None:
    zeros = _bomb(tmp_path / "nol.zip", 32 << 20, level=9)
    code, _, err = _import(zeros, tmp_path, {"NETRALITAS_MAX_INFLATED_MB": "1000"})
    assert code == 2, err
    assert "nol.zip: the zip unpacks to 34 MB" in err and "implausibly" in err, err
