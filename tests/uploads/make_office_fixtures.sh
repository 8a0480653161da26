#!/bin/sh
# Regenerate the files in tests/uploads/office/ with a real office suite (LibreOffice Calc).
# Run once by hand; the tests read the committed files and never need LibreOffice:
#   apt-get install -y libreoffice-calc-nogui && sh tests/uploads/make_office_fixtures.sh
# Sources come from make_corpus.py, so each fixture's expected report is the corpus's.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
SRC=$(mktemp -d)
OUT="$HERE/office"
PROFILE="file://$SRC/profile"
mkdir -p "$OUT"
"$HERE/../../.venv/bin/python" "$HERE/make_corpus.py" "$SRC" >/dev/null
lo() { soffice -env:UserInstallation="$PROFILE" --headless "$@" >/dev/null 2>&1; }
cd "$SRC"
# workbook with an instructions sheet first and title rows above the header
lo --convert-to 'xls:MS Excel 97' --outdir "$OUT" title_rows_instructions.xlsx
lo --convert-to 'ods:calc8' --outdir "$OUT" title_rows_instructions.xlsx
cp title_rows_instructions.xlsx calc_saved.xlsx
lo --convert-to 'xlsx:Calc MS Excel 2007 XML' --outdir "$OUT" calc_saved.xlsx
# the clerk's semicolon / Windows-1252 CSV, opened in Calc and saved as XLS and ODS
# (CSV filter: separator 59 ';', quote 34 '"', charset 1 = Windows-1252, first line 1;
# column 2 (NIP) imported as text: 2/2)
lo --infilter='CSV:59,34,1,1,1/2/2/2' --convert-to 'xls:MS Excel 97' --outdir "$OUT" \
  clerk_semicolon_cp1252.csv
lo --infilter='CSV:59,34,1,1,1/2/2/2' --convert-to 'ods:calc8' --outdir "$OUT" \
  clerk_semicolon_cp1252.csv
# a header-only roster as XLS and ODS (read, but no data rows: exit 1)
lo --infilter='CSV:59,34,76,1' --convert-to 'xls:MS Excel 97' --outdir "$OUT" header_only.csv
lo --infilter='CSV:59,34,76,1' --convert-to 'ods:calc8' --outdir "$OUT" header_only.csv
# Calc's "Text CSV" export as Unicode (UTF-16, tab-separated), like Excel's "Unicode Text"
lo --infilter='CSV:44,34,76,1,1/2/2/2' \
  --convert-to 'txt:Text - txt - csv (StarCalc):9,34,65535' --outdir "$OUT" google_sheets_utf8.csv
mv "$OUT/google_sheets_utf8.txt" "$OUT/calc_unicode_text.txt"
# office patterns (make_office_patterns.py): one sheet per work unit, a two-row header
# under a merged group, worded headers with check marks and Indonesian dates
"$HERE/../../.venv/bin/python" "$HERE/make_office_patterns.py" "$SRC" >/dev/null
lo --convert-to 'ods:calc8' --outdir "$OUT" units_50.xlsx
cp units_50.xlsx units_50_calc.xlsx
lo --convert-to 'xlsx:Calc MS Excel 2007 XML' --outdir "$OUT" units_50_calc.xlsx
lo --convert-to 'xls:MS Excel 97' --outdir "$OUT" two_row_header.xlsx
lo --convert-to 'ods:calc8' --outdir "$OUT" two_row_header.xlsx
# Calc's CSV of the merged header: the cells under a merge are left blank
lo --convert-to 'csv:Text - txt - csv (StarCalc):44,34,76,1' --outdir "$OUT" two_row_header.xlsx
lo --convert-to 'ods:calc8' --outdir "$OUT" words_marks_dates.xlsx
# Calc's HTML export of the merged header (rowspan/colspan), saved with an .xls name
lo --convert-to 'html:HTML (StarCalc)' two_row_header.xlsx
mv two_row_header.html "$OUT/two_row_header_calc_html.xls"
# not made by an office suite: a PHP system's HTML "Export Excel", and SpreadsheetML 2003
# written in Excel 2003's layout (LibreOffice 7.4 fails to export that format)
cp php_export.xls simpeg_2003.xls "$OUT/"
rm -rf "$SRC"
ls -l "$OUT"
