"""Agency names: normalisation so one office typed three ways is one agency.

"Pemkab Mukomuko", "PEMERINTAH KABUPATEN MUKOMUKO" and "Pemerintah Kab. Mukomuko"
share a match key (normalised name + region codes).
"""

from __future__ import annotations

import hashlib

import polars as pl

# whole-word abbreviations -> canonical wording (applied to lower-cased text)
ABBREVIATIONS: list[tuple[str, str]] = [
    (r"\bpemkab\b", "pemerintah kabupaten"),
    (r"\bpemkot\b", "pemerintah kota"),
    (r"\bpemprov\b", "pemerintah provinsi"),
    (r"\bsetwan\b", "sekretariat dprd"),
    (r"\bsetda\b", "sekretariat daerah"),
    (r"\bkesbangpol\b", "kesatuan bangsa dan politik"),
    (r"\bbkpsdm\b", "badan kepegawaian dan pengembangan sumber daya manusia"),
    (r"\bbkd\b", "badan kepegawaian daerah"),
    (r"\bbappeda\b", "badan perencanaan pembangunan daerah"),
    (r"\bdpmptsp\b", "dinas penanaman modal dan pelayanan terpadu satu pintu"),
    (r"\bdisdik\b", "dinas pendidikan"),
    (r"\bdinkes\b", "dinas kesehatan"),
    (r"\bdishub\b", "dinas perhubungan"),
    # more short names offices type
    (r"\bptsp\b", "pelayanan terpadu satu pintu"),
    (r"\bdisdukcapil\b", "dinas kependudukan dan pencatatan sipil"),
    (r"\bdiskominfo\b", "dinas komunikasi dan informatika"),
    (r"\bdinsos\b", "dinas sosial"),
    (r"\bsatpol\s+pp\b", "satuan polisi pamong praja"),
    (r"\bpupr\b", "pekerjaan umum dan penataan ruang"),
    (r"\bkab\b\.?", "kabupaten"),
    (r"\bprov\b\.?", "provinsi"),
    (r"\bkec\b\.?", "kecamatan"),
]


def normalise_name_expr(expr: pl.Expr) -> pl.Expr:
    """Lower-case, expand abbreviations, turn punctuation into spaces, collapse spaces."""
    out = expr.cast(pl.String).str.to_lowercase().str.replace_all(r"[.,;:/()\-_'\"]", " ")
    for pattern, repl in ABBREVIATIONS:
        out = out.str.replace_all(pattern, repl)
    # "badan kesatuan bangsa dan politik" and "kesatuan bangsa dan politik" are one office
    out = out.str.replace_all(r"\bbadan kesatuan bangsa", "kesatuan bangsa")
    return out.str.replace_all(r"\s+", " ").str.strip_chars()


def match_key_expr(name: pl.Expr, province_code: pl.Expr, regency_code: pl.Expr) -> pl.Expr:
    """``normalised name|province|regency``: the identity of an agency."""
    return pl.concat_str(
        [normalise_name_expr(name), province_code.fill_null(""), regency_code.fill_null("")],
        separator="|",
    )


def agency_ids(match_keys: pl.Series, prefix: str = "ag") -> pl.Series:
    """Stable ids from match keys (blake2b, so they survive library upgrades).

    Hashes each distinct key once; rosters repeat a handful of agencies many times.
    """
    uniq = match_keys.unique().drop_nulls().to_list()
    mapping = {k: f"{prefix}-{stable_id(k)}" for k in uniq}
    return match_keys.replace_strict(mapping, default=None, return_dtype=pl.String)


def stable_id(*parts: str) -> str:
    return hashlib.blake2b("|".join(parts).encode(), digest_size=8).hexdigest()
