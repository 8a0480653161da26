"""Small pure Polars expressions that turn what clerks type into typed values.

Each function takes a String expression and returns an expression; none of
them loops over rows, so a national roster normalises in a second or two. A
value that cannot be understood becomes null and the caller reports it:
normalising never guesses silently.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Sequence
from pathlib import Path

import polars as pl

from schemas.vocab import POSITION_LEVELS

# The SKB on ASN neutrality is dated 22 September 2022: a signature before it is a typo.
EARLIEST_SIGNATURE = dt.date(2022, 9, 22)
# Excel's day 0 (it wrongly counts 1900 as a leap year, so serials after Feb 1900 start here)
EXCEL_EPOCH = dt.date(1899, 12, 30)
EXCEL_SERIAL_MIN, EXCEL_SERIAL_MAX = 20_000, 80_000  # 1954 .. 2119
NIP_LENGTH = 18
MIN_BIRTH_YEAR = 1940
MIN_AGE_AT_SERVICE = 17
# "-" and friends are how many offices write "nothing here"
EMPTY_MARKERS = ("-", "--", "—", "–", "n/a", "na", "#n/a", "null", "none", "nil")

STATUS_TRUE = (
    "sudah",
    "sdh",
    "ya",
    "y",
    "yes",
    "true",
    "benar",
    "1",
    "✓",
    "✔",
    "√",
    "v",
    "ttd",
    "sudah ttd",
    "sudah tanda tangan",
    "sudah ditandatangani",
    "ditandatangani",
    "telah",
    "telah ttd",
    "telah tanda tangan",
    "tanda tangan",
    "selesai",
    "signed",
    "done",
    "ok",
    "sudah ikrar",
    "ikrar",
    "sudah mengucapkan",
    "pledged",
)
STATUS_FALSE = (
    "belum",
    "blm",
    "tidak",
    "tdk",
    "t",
    "n",
    "no",
    "false",
    "salah",
    "0",
    "✗",
    "✘",
    "×",
    "belum ttd",
    "belum tanda tangan",
    "belum ditandatangani",
    "tidak ttd",
    "not signed",
    "unsigned",
    "pending",
    "belum ikrar",
    "tidak ikrar",
    "not pledged",
)

# a status column of check marks: these mean signed, and then "x", a dash or an empty cell
# means not signed (in such a column "x" is the cross beside the ticks)
CHECK_MARKS = ("✓", "✔", "√", "v")
MARK_NOT = ("x",)

MONTHS: dict[str, int] = {
    **dict.fromkeys(("januari", "jan", "january"), 1),
    **dict.fromkeys(("februari", "pebruari", "feb", "peb", "february"), 2),
    **dict.fromkeys(("maret", "mar", "march"), 3),
    **dict.fromkeys(("april", "apr"), 4),
    **dict.fromkeys(("mei", "may"), 5),
    **dict.fromkeys(("juni", "jun", "june"), 6),
    **dict.fromkeys(("juli", "jul", "july"), 7),
    **dict.fromkeys(("agustus", "agu", "agt", "ags", "aug", "august"), 8),
    **dict.fromkeys(("september", "sep", "sept"), 9),
    **dict.fromkeys(("oktober", "okt", "oct", "october"), 10),
    **dict.fromkeys(("november", "nopember", "nov", "nop"), 11),
    **dict.fromkeys(("desember", "des", "dec", "december"), 12),
}
_WEEKDAYS = (
    r"^(senin|selasa|rabu|kamis|jumat|jum'at|sabtu|minggu|ahad|"
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b[,\s]*"
)

# Explicit position-level wording -> code; keys are lower-case letters and digits only.
POSITION_WORDS: dict[str, str] = {
    **dict.fromkeys(
        (
            "pejabatnegara",
            "pejabatnegaradipilih",
            "kepaladaerah",
            "wakilkepaladaerah",
            "pejabatpolitik",
            "elected",
            "electedofficial",
            "dipilih",
        ),
        "pejabat_negara",
    ),
    **dict.fromkeys(
        ("jptmadya", "eselon1", "eseloni", "eselonia", "eselonib", "eselon1a", "eselon1b"),
        "jpt_madya",
    ),
    **dict.fromkeys(
        (
            "jptpratama",
            "jpt",
            "eselon2",
            "eselonii",
            "eseloniia",
            "eseloniib",
            "eselon2a",
            "eselon2b",
        ),
        "jpt_pratama",
    ),
    **dict.fromkeys(
        (
            "administrator",
            "jabatanadministrator",
            "eselon3",
            "eseloniii",
            "eseloniiia",
            "eseloniiib",
            "eselon3a",
            "eselon3b",
        ),
        "administrator",
    ),
    **dict.fromkeys(
        (
            "pengawas",
            "jabatanpengawas",
            "eselon4",
            "eseloniv",
            "eseloniva",
            "eselonivb",
            "eselon4a",
            "eselon4b",
            "supervisor",
        ),
        "pengawas",
    ),
    **dict.fromkeys(
        ("fungsional", "jf", "jft", "jabatanfungsional", "fungsionaltertentu", "functional"),
        "fungsional",
    ),
    **dict.fromkeys(
        ("pelaksana", "jfu", "jabatanpelaksana", "fungsionalumum", "staf", "staff"),
        "pelaksana",
    ),
    **dict.fromkeys(("pppk", "p3k", "contractasnpppk"), "pppk"),
    "seniorexecutivejptmadya": "jpt_madya",
    "executivejptpratama": "jpt_pratama",
}

# Position title (jabatan) patterns whose level the Indonesian nomenclature implies, kept as
# data (pattern, level, an example title it must classify); the first match wins.
POSITION_RULES_FILE = Path(__file__).resolve().parent / "data" / "position_levels.csv"


@functools.cache
def position_rules() -> tuple[tuple[str, str, str], ...]:
    """(pattern, level, example) rows of :data:`POSITION_RULES_FILE`, in order."""
    table = pl.read_csv(POSITION_RULES_FILE, infer_schema=False)
    return tuple(table.select("pattern", "level", "example").iter_rows())


# the markers as people type them (exact lookup: cheaper than lower-casing every cell)
_EMPTY_SPELLINGS = sorted(
    {v for m in EMPTY_MARKERS for v in (m, m.upper(), m.title(), m.capitalize())} | {""}
)


def clean_text(expr: pl.Expr, collapse: bool = True) -> pl.Expr:
    """Trim, collapse inner whitespace, and turn empty cells and "-" markers into null."""
    out = expr.cast(pl.String)
    if collapse:
        out = out.str.replace_all(r"[\s\u00a0]+", " ")
    out = out.str.strip_chars()
    return pl.when(out.is_in(_EMPTY_SPELLINGS)).then(None).otherwise(out)


def clean_columns(
    df: pl.DataFrame, columns: tuple[str, ...] | list[str], collapse_in: tuple[str, ...] = ()
) -> pl.DataFrame:
    """:func:`clean_text` on ``columns``; whitespace collapsing only for ``collapse_in`` and
    only if such a column has doubled or odd whitespace at all (one literal scan), since a
    regex rewrite of a million cells costs more than everything else here."""
    present = [c for c in columns if c in df.columns]
    if not present or df.height == 0:
        return df

    def messy(c: pl.Expr) -> pl.Expr:  # one regex scan: half the time of five literal ones
        return c.str.contains(r"\s\s|[\t\n\r\u00a0]").any()

    repeated = repeats(df, present)
    check = [c for c in collapse_in if c in present]
    flags = (
        df.select(
            [messy(pl.col(c).unique() if c in repeated else pl.col(c)).alias(c) for c in check]
        ).row(0, named=True)
        if check
        else {}
    )
    return _map_columns(
        df,
        {c: functools.partial(clean_text, collapse=bool(flags.get(c))) for c in present},
        repeated,
    )


# a column repeats enough for per-value work to pay: at most this share of its rows distinct
_DISTINCT_SHARE = 0.25
_DISTINCT_MIN_ROWS = 10_000


def map_columns(df: pl.DataFrame, maps: dict[str, Callable[[pl.Expr], pl.Expr]]) -> pl.DataFrame:
    """``maps[c](pl.col(c))`` as column ``c``, for element-wise maps of text columns.

    Where a text column repeats (a national export names a few hundred agencies, a handful
    of statuses over a million rows), the map runs once per distinct value and the rows
    look their result up (one hash probe each) instead of rewriting a million strings; a
    column of mostly distinct values (NIPs, names) is mapped directly. Same result either
    way: the map must be element-wise."""
    return _map_columns(df, maps, repeats(df, list(maps)))


def _map_columns(
    df: pl.DataFrame, maps: dict[str, Callable[[pl.Expr], pl.Expr]], repeated: set[str]
) -> pl.DataFrame:
    out = []
    for c, fn in maps.items():
        expr = fn(pl.col(c))
        if c in repeated:
            values = df[c].unique().drop_nulls()
            mapped = pl.DataFrame({c: values}).select(expr).to_series()
            at_null = pl.DataFrame({c: [None]}, schema={c: pl.String}).select(expr).item()
            if at_null is None:
                if mapped.dtype == pl.String and mapped.equals(values, null_equal=True):
                    continue  # already what the map makes of it: nothing to rewrite
                expr = pl.col(c).replace_strict(
                    values, mapped, default=None, return_dtype=mapped.dtype
                )
        out.append(expr.alias(c))
    return df.with_columns(out) if out else df


def repeats(df: pl.DataFrame, columns: Sequence[str]) -> set[str]:
    """The text columns of ``df`` worth working on per distinct value (see map_columns)."""
    if df.height < _DISTINCT_MIN_ROWS:
        return set()
    text = [c for c in columns if df.schema[c] == pl.String]
    if not text:
        return set()
    counts = df.select(pl.col(c).approx_n_unique().alias(c) for c in text).row(0, named=True)
    return {c for c in text if counts[c] <= _DISTINCT_SHARE * df.height}


def on_distinct(
    df: pl.DataFrame, columns: str | list[str], derive: dict[str, pl.Expr]
) -> pl.DataFrame:
    """Add ``derive`` columns computed once per distinct value of ``columns``, joined back.

    Rosters repeat a few hundred dates, statuses, titles and agency names over a million
    rows: parsing those once instead of per row is what keeps a national upload fast.
    """
    keys = [columns] if isinstance(columns, str) else list(columns)
    uniq = df.select(keys).unique().with_columns(**derive)
    return df.join(uniq, on=keys, how="left", nulls_equal=True, maintain_order="left")


def key_text(expr: pl.Expr) -> pl.Expr:
    """Lower-cased, trimmed, single-spaced, trailing dot dropped: the form vocabularies use."""
    return (
        expr.str.to_lowercase()
        .str.replace_all(r"\s+", " ")
        .str.strip_chars()
        .str.strip_chars_end(".")
        .str.strip_chars()
    )


def status(expr: pl.Expr) -> pl.Expr:
    """Sudah/belum, ya/tidak, ✓/✗, 1/0, true/false, TTD … -> bool; anything else -> null."""
    mapping = {**dict.fromkeys(STATUS_TRUE, True), **dict.fromkeys(STATUS_FALSE, False)}
    return key_text(expr).replace_strict(mapping, default=None, return_dtype=pl.Boolean)


def uses_marks(df: pl.DataFrame, column: str) -> bool:
    """Whether ``column`` (cleaned text) marks its yes cells with a check mark."""
    if column not in df.columns or df.height == 0:
        return False
    return bool(df.select(key_text(pl.col(column)).is_in(CHECK_MARKS).any()).item())


def marked_status(expr: pl.Expr, parsed: pl.Expr) -> pl.Expr:
    """In a column of check marks: "x", a dash (cleaned to empty) and empty mean not signed."""
    unmarked = expr.is_null() | key_text(expr).is_in(MARK_NOT)
    return pl.when(unmarked).then(pl.lit(False)).otherwise(parsed)


def looks_like_formula(expr: pl.Expr) -> pl.Expr:
    """A cell a spreadsheet would run as a formula (CSV injection): starts with = + or @."""
    return expr.str.contains(r"^[=+@]")


def _ymd(y: pl.Expr, m: pl.Expr, d: pl.Expr) -> pl.Expr:
    """Build a date from string parts; an impossible date (31 Feb) becomes null."""
    return pl.concat_str([y, m.str.zfill(2), d.str.zfill(2)], separator="-").str.to_date(
        "%Y-%m-%d", strict=False
    )


def parse_date(expr: pl.Expr) -> pl.Expr:
    """A struct ``{date, precision}`` from the date spellings offices use.

    ISO (also with a time, as XLSX date cells arrive), dd/mm/yyyy, dd-mm-yyyy,
    dd.mm.yyyy, dd/mm/yy, yyyy/mm/dd, "25 September 2023", "Senin, 25 Sep 2023",
    "21-Sep-23" and "Kamis, 02-Okt-23" (Indonesian or English month abbreviations),
    "September 25, 2023", Excel serial numbers; "September 2023" / "09/2023" have
    month precision and "2023" year precision (the date is then the first day,
    and the precision says it is not a real day).
    """
    s = key_text(expr).str.replace(_WEEKDAYS, "")
    months = {k: f"{v:02d}" for k, v in MONTHS.items()}

    def month_word(group: pl.Expr) -> pl.Expr:
        return group.replace_strict(months, default=None, return_dtype=pl.String)

    iso = s.str.extract_groups(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ t]\d{1,2}:\d{2}(?::\d{2})?.*)?$")
    dmy = s.str.extract_groups(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
    dmy2 = s.str.extract_groups(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2})$")
    ymd = s.str.extract_groups(r"^(\d{4})[/.](\d{1,2})[/.](\d{1,2})$")
    dmony = s.str.extract_groups(r"^(\d{1,2})[\s\-/]*([a-z]+)\.?[\s\-/,]*(\d{4})$")
    # "21-Sep-23", "02-Okt-23": how Indonesian-locale Excel shows a date cell
    dmony2 = s.str.extract_groups(r"^(\d{1,2})[\s\-/]*([a-z]+)\.?[\s\-/,]*(\d{2})$")
    mondy = s.str.extract_groups(r"^([a-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})$")
    mony = s.str.extract_groups(r"^([a-z]+)\.?[\s\-/,]*(\d{4})$")
    my = s.str.extract_groups(r"^(\d{1,2})[/.\-](\d{4})$")
    ym = s.str.extract_groups(r"^(\d{4})-(\d{1,2})$")
    serial = s.str.extract(r"^(\d{5})(?:\.0+)?$").cast(pl.Int64, strict=False)

    def f(struct: pl.Expr, i: int) -> pl.Expr:
        return struct.struct.field(str(i))

    day = pl.coalesce(
        _ymd(f(iso, 1), f(iso, 2), f(iso, 3)),
        _ymd(f(dmy, 3), f(dmy, 2), f(dmy, 1)),
        _ymd(pl.lit("20") + f(dmy2, 3), f(dmy2, 2), f(dmy2, 1)),
        _ymd(f(ymd, 1), f(ymd, 2), f(ymd, 3)),
        _ymd(f(dmony, 3), month_word(f(dmony, 2)), f(dmony, 1)),
        _ymd(pl.lit("20") + f(dmony2, 3), month_word(f(dmony2, 2)), f(dmony2, 1)),
        _ymd(f(mondy, 3), month_word(f(mondy, 1)), f(mondy, 2)),
        pl.when(serial.is_between(EXCEL_SERIAL_MIN, EXCEL_SERIAL_MAX)).then(
            pl.lit(EXCEL_EPOCH) + pl.duration(days=serial)
        ),
    ).cast(pl.Date)
    month = pl.coalesce(
        _ymd(f(mony, 2), month_word(f(mony, 1)), pl.lit("1")),
        _ymd(f(my, 2), f(my, 1), pl.lit("1")),
        _ymd(f(ym, 1), f(ym, 2), pl.lit("1")),
    )
    year = _ymd(s.str.extract(r"^(\d{4})$"), pl.lit("1"), pl.lit("1"))
    return pl.struct(
        pl.coalesce(day, month, year).alias("date"),
        pl.when(day.is_not_null())
        .then(pl.lit("day"))
        .when(month.is_not_null())
        .then(pl.lit("month"))
        .when(year.is_not_null())
        .then(pl.lit("year"))
        .alias("precision"),
    )


def date_out_of_range(date: pl.Expr, today: dt.date | None = None) -> pl.Expr:
    """Before the 22 Sep 2022 SKB or in the future: almost always a typo."""
    today = today or dt.date.today()
    return (date < pl.lit(EARLIEST_SIGNATURE)) | (date > pl.lit(today))


# -- NIP -------------------------------------------------------------------------------


def nip_raw_scientific(expr: pl.Expr) -> pl.Expr:
    """``1.98E+17``: Excel turned the NIP into a number and dropped its last digits."""
    return expr.str.strip_chars().str.contains(r"^\d+(?:[.,]\d+)?[eE][+\-]?\d+$")


def nip_clean(expr: pl.Expr) -> pl.Expr:
    """Drop the spaces, dots and dashes people type inside NIPs and Excel's text apostrophe."""
    return expr.str.strip_chars().str.strip_chars_start("'").str.replace_all(r"[\s.\-]", "")


def nip_non_digit(clean: pl.Expr) -> pl.Expr:
    return clean.str.contains(r"\D")


def nip_wrong_length(clean: pl.Expr) -> pl.Expr:
    return clean.str.len_chars() != NIP_LENGTH


def nip_birth_date(clean: pl.Expr) -> pl.Expr:
    return clean.str.slice(0, 8).str.to_date("%Y%m%d", strict=False)


def nip_birth_dates(clean: pl.Series) -> pl.Series:
    """:func:`nip_birth_date` of a column, parsed once per distinct birth date (a roster of
    a million holds a few tens of thousands)."""
    prefix = clean.str.slice(0, 8)
    values = prefix.unique().drop_nulls()
    dates = values.str.to_date("%Y%m%d", strict=False)
    return prefix.replace_strict(values, dates, default=None, return_dtype=pl.Date)


def nip_birthdate_implausible(
    clean: pl.Expr, today: dt.date | None = None, birth: pl.Expr | None = None
) -> pl.Expr:
    """Digits 1-8 must be a real birth date of someone of working age (``birth``: those
    digits already parsed, :func:`nip_birth_dates`)."""
    today = today or dt.date.today()
    latest = dt.date(today.year - MIN_AGE_AT_SERVICE, today.month, min(today.day, 28))
    birth = nip_birth_date(clean) if birth is None else birth
    return (
        birth.is_null() | (birth.dt.year() < MIN_BIRTH_YEAR) | (birth > pl.lit(latest))
    ).fill_null(True)


def nip_is_pppk(clean: pl.Expr) -> pl.Expr:
    """A PPPK NI: digits 9-12 the appointment year, then the digit 2 (PPPK) where a PNS NIP
    has the month of its start of service (01-12, never starting with 2)."""
    return clean.str.slice(12, 1) == "2"


def _service_start(clean: pl.Expr, today: dt.date) -> tuple[pl.Expr, pl.Expr]:
    """(year of the start of service, whether digits 9-14 alone are implausible)."""
    year = clean.str.slice(8, 4).cast(pl.Int32, strict=False)
    pppk = nip_is_pppk(clean).fill_null(False)
    month = pl.when(pppk).then(1).otherwise(clean.str.slice(12, 2).cast(pl.Int32, strict=False))
    own = (
        year.is_null()
        | month.is_null()
        | ~month.is_between(1, 12)
        | (year > today.year)
        | ((year == today.year) & (month > today.month))
        | (year < MIN_BIRTH_YEAR + MIN_AGE_AT_SERVICE)
    ).fill_null(True)
    return year, own


def nip_service_start_years(clean: pl.Series, today: dt.date | None = None) -> pl.Series:
    """Per NIP the year service started, null where digits 9-14 alone are implausible;
    worked out once per distinct YYYYMM (a few hundred), for
    :func:`nip_service_start_implausible`'s ``start``."""
    today = today or dt.date.today()
    digits = clean.str.slice(8, 6)
    values = digits.unique().drop_nulls()
    year, own = _service_start(pl.lit("00000000") + pl.col("d"), today)
    years = pl.DataFrame({"d": values}).select(pl.when(~own).then(year)).to_series()
    return digits.replace_strict(values, years, default=None, return_dtype=pl.Int32)


def nip_service_start_implausible(
    clean: pl.Expr,
    today: dt.date | None = None,
    birth: pl.Expr | None = None,
    start: pl.Expr | None = None,
) -> pl.Expr:
    """Digits 9-14 are the start of service (YYYYMM): a real month, after age 17, not future.

    For a PPPK NI only the year (digits 9-12) is checked: digits 13-14 are not a month.
    ``birth`` / ``start``: :func:`nip_birth_dates` / :func:`nip_service_start_years` of
    ``clean``, worked out per distinct value beforehand.
    """
    birth_year = (nip_birth_date(clean) if birth is None else birth).dt.year()
    if start is not None:
        late = birth_year.is_not_null() & (start < birth_year + MIN_AGE_AT_SERVICE)
        return (start.is_null() | late).fill_null(True)
    year, own = _service_start(clean, today or dt.date.today())
    late = birth_year.is_not_null() & (year < birth_year + MIN_AGE_AT_SERVICE)
    return (own | late).fill_null(True)


def nip_sex_digit_invalid(clean: pl.Expr) -> pl.Expr:
    """Digit 15 is the sex: 1 or 2."""
    return ~clean.str.slice(14, 1).is_in(["1", "2"])


# -- position level --------------------------------------------------------------------


def position_level(expr: pl.Expr) -> pl.Expr:
    """Explicit jenjang wording ("JPT Pratama", "Eselon III", "JFU") -> code, else null."""
    key = expr.str.to_lowercase().str.replace_all(r"[^0-9a-z]", "")
    return key.replace_strict(POSITION_WORDS, default=None, return_dtype=pl.String)


def infer_position_level(jabatan: pl.Expr) -> pl.Expr:
    """The level a position title clearly implies ("Camat" -> administrator), else null."""
    s = jabatan.str.to_lowercase().str.replace_all(r"\s+", " ").str.strip_chars()
    rules: list[tuple[str, str]] = []
    for pattern, level, _example in position_rules():
        if level not in POSITION_LEVELS:
            raise ValueError(f"{POSITION_RULES_FILE.name}: unknown level {level!r}")
        rules.append((pattern, level))
    return first_match(s, rules, pl.lit(None, dtype=pl.String))


def first_match(text: pl.Expr, rules: Sequence[tuple[str, str]], default: pl.Expr) -> pl.Expr:
    """The value of the first (pattern, value) rule whose regex matches ``text``, else default."""
    out = default
    for pattern, value in reversed(rules):
        out = pl.when(text.str.contains(pattern)).then(pl.lit(value)).otherwise(out)
    return out
