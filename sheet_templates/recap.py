"""The master recap across a Pemda's agencies, written by `kinerja run` to `[output] location`.

Declarative like `results`: every column here either is a column of an
agency's own result tabs (taken from `results`, so a label is spelled once) or
is new to the recap. BKPSDM reads these tabs; the words are Indonesian.
"""

from __future__ import annotations

from dataclasses import replace

from . import results as R
from .schema import Column, Tab

C = Column


def _same(tab: Tab, column: str, **changes) -> Column:
    """A column of an agency's result tab, reused with another internal name, label or width."""
    return replace(tab.column(column), **changes)


AGENCY = C("Instansi", "agency", width=34)
SOURCE = C("Sumber", "source", width=14)
_SUMMARY = tuple(c for c in R.UNIT_SUMMARY.columns if c.name != "unit")  # period … breaches
PAY = (  # issue 15: the agency's TPP and discipline at its latest period (empty without TPP/Kehadiran)
    C("Pegawai dengan TPP", "tpp_employees", "int", width=10),
    C("Bulan TPP", "tpp_month", width=9),
    C("TPP Diterima Bulan Itu (Rp)", "tpp_total", "int", width=16),
    C("Rata-rata Potongan Disiplin (%)", "mean_deduction", "number", width=11),
    *(C(f"Disiplin {label}", f"discipline_{code}", "int", width=9)
      for code, label in R.DISCIPLINE_LEVEL_LABELS.items()),
)

AGENCY_RECAP = Tab(
    label="Rekap Pemda",
    name="agency_recap",
    kind="output",
    description="Satu baris per instansi: periode terakhirnya, sebaran predikat, IKM, pemeriksaan sebaran "
                "dan peringkat antarinstansi; bila instansi memakai tab TPP dan Kehadiran, juga pegawai "
                "dengan TPP, jumlah TPP Diterima bulan terakhir periode itu, rata-rata Potongan Disiplin "
                "dan jumlah pegawai pada tiap tingkat hukuman disiplin PP 94/2021 (ringan, sedang, berat) "
                "menurut hari tanpa keterangan sejak Januari. Ditulis oleh Kinerja.",
    columns=(
        _same(R.RANKINGS, "unit_rank", name="rank"),
        _same(R.RESULTS, "rank_change"),
        AGENCY,
        SOURCE,
        *_SUMMARY,
        *PAY,
        C("Dinilai Pada", "scored_at", width=17),
        C("Status Terakhir", "last_run", width=48),
    ),
)

UNIT_RECAP = Tab(
    label="Rekap Unit Pemda",
    name="unit_recap",
    kind="output",
    description="Rekap Unit setiap instansi pada periode terakhirnya, termasuk baris seluruh instansi. "
                "Ditulis oleh Kinerja.",
    columns=(AGENCY, *R.UNIT_SUMMARY.columns),
)

BEST_EMPLOYEES = Tab(
    label=R.BEST_EMPLOYEE_LABEL,
    name="best_employees",
    kind="output",
    description="Pegawai Terbaik setiap unit kerja pada periode terakhir instansinya; yang terbaik di "
                "instansinya ditandai. Ditulis oleh Kinerja.",
    columns=(
        AGENCY,
        *(R.RESULTS.column(name) for name in ("period", "unit", "nip", "name", "position")),
        *(R.RESULTS.column(name) for name in ("predikat", "performance_score", "unit_rank", "agency_rank",
                                              "rank_change")),
        C("Terbaik Instansi", "agency_best", width=12),
    ),
)

TREND = Tab(
    label="Tren",
    name="trend",
    kind="output",
    description="Rata-rata Nilai Kinerja setiap instansi pada periode-periode terakhir. "
                "Ditulis oleh Kinerja.",
    columns=(AGENCY, SOURCE, C("Perubahan", "change", "number", width=11)),
)
TREND_PERIOD = _same(R.UNIT_SUMMARY, "mean_score", label="{period}", width=10)
"""One column per period on `Tren`, between Sumber and Perubahan; the label is the period's."""

RECAP_TABS: tuple[Tab, ...] = (AGENCY_RECAP, UNIT_RECAP, BEST_EMPLOYEES, TREND)

# --- lines and charts -----------------------------------------------------------------------

AGENCY_RECAP_TITLE = (
    "Peringkat antarinstansi: rata-rata Nilai Kinerja pegawai yang dinilai pada periode terakhir setiap "
    "instansi (capaian kumulatif sejak Januari); bila sama, persentase pegawai yang dinilai, lalu nama "
    "sumber.")
TREND_TITLE = ("Rata-rata Nilai Kinerja per instansi, {count} periode terakhir; Perubahan = periode "
               "terakhir dikurangi periode sebelumnya.")
CHART_PREDIKAT = "Sebaran Predikat Kinerja per Instansi"
CHART_MEAN = "Rata-rata Nilai Kinerja per Instansi"
CHART_TREND = "Tren Rata-rata Nilai Kinerja per Instansi"
AXIS_EMPLOYEES = "Jumlah pegawai"
AXIS_SCORE = "Nilai Kinerja"
AGENCY_BEST_MARK = "★"

# --- what happened on a run (Status Terakhir, and `kinerja history`) ------------------------

RUN_OUTCOME_LABELS = {
    "ok": "Berhasil",
    "failed": "Gagal",
    "unchanged": "Dilewati: tidak berubah",
    "busy": "Dilewati: sedang diproses oleh pekerja lain",
    "done": "Dilewati: sudah diproses pekerja lain",
    "locked": "Dilewati: workbook sedang dibuka",
}
NEVER_SCORED = "Belum pernah berhasil dinilai"
