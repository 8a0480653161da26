"""The office that writes the letters: letterhead, signer, copies, numbering, step names.

One row (``setting_id = 'default'``). ``tembusan`` holds one recipient per line;
``number_format`` is a Python format string with ``{seq}`` and ``{year}``;
``step_labels`` is an optional JSON object overriding the step names (step code -> name).
"""

from __future__ import annotations

import datetime as dt

import pandera.polars as pa


class LetterSettings(pa.DataFrameModel):
    setting_id: str = pa.Field(unique=True, isin=["default"])
    office_name: str = pa.Field(str_length={"min_value": 2})
    office_parent: str = pa.Field(nullable=True)  # "PEMERINTAH PROVINSI ..." above the name
    office_address: str = pa.Field(nullable=True)
    logo_path: str = pa.Field(nullable=True)  # PNG/JPEG on the server
    city: str = pa.Field(nullable=True)  # place line before the date
    signer_position: str
    signer_name: str
    signer_nip: str = pa.Field(nullable=True, str_matches=r"^\d{18}$")
    tembusan: str = pa.Field(nullable=True)
    number_format: str = pa.Field(str_matches=r".*\{seq[^}]*\}")
    classification: str = pa.Field(nullable=True)  # sifat: Penting, Segera, Biasa
    step_labels: str = pa.Field(nullable=True)
    updated_by: str
    updated_at: dt.datetime

    class Config:
        strict = True
        coerce = True
