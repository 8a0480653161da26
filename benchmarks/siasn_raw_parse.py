"""The floor an import of a SIASN export is measured against: a raw Polars parse of the
15 columns the target import reads, nothing else (docs/performance.md).

    /usr/bin/time -v .venv/bin/python benchmarks/siasn_raw_parse.py var/siasn/siasn_1000000.csv
"""

from __future__ import annotations

import sys

import polars as pl

NEEDED = [
    "NIP BARU",
    "NAMA",
    "GELAR DEPAN",
    "GELAR BELAKANG",
    "JABATAN NAMA",
    "JENIS JABATAN NAMA",
    "ESELON NAMA",
    "INSTANSI INDUK NAMA",
    "INSTANSI KERJA NAMA",
    "SATUAN KERJA KERJA NAMA",
    "UNOR NAMA",
    "KEDUDUKAN HUKUM ID",
    "KEDUDUKAN HUKUM NAMA",
    "JENIS PEGAWAI NAMA",
    "STATUS ASN",
]


def main() -> None:
    frame = pl.read_csv(sys.argv[1], separator="|", columns=NEEDED, infer_schema=False)
    print(frame.height)


if __name__ == "__main__":
    main()
