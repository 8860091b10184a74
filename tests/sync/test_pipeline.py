"""The whole job on Excel: read once, validate, score, write the result tabs once."""

import datetime as dt
import io
import zipfile

import openpyxl
import pytest
import python_calamine

from sheet_templates import INPUT_TABS, OUTPUT_TABS, SETTINGS
from sheet_templates.xlsx import build_template
from sync import pipeline
from sync.demo.sample import write_demo_workbook
from sync.errors import SourceChanged, WorkbookInvalid
from sync.sources.excel.source import ExcelSource

NOW = dt.datetime(2026, 4, 2, 8, 30)
INPUT_LABELS = [t.label for t in (SETTINGS, *INPUT_TABS)]
OUTPUT_LABELS = [t.label for t in OUTPUT_TABS]


def cells(path, labels):
    book = python_calamine.CalamineWorkbook.from_path(str(path))
    return {name: book.get_sheet_by_name(name).to_python() for name in labels if name in book.sheet_names}


def parts(path):
    with zipfile.ZipFile(path) as z:
        return {name: z.read(name) for name in z.namelist()}


@pytest.fixture(scope="module")
def demo_book(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "demo.xlsx"
    return write_demo_workbook(path, seed=7)


@pytest.fixture
def scored(demo_book, tmp_path):
    path = tmp_path / "opd.xlsx"
    path.write_bytes(demo_book.read_bytes())
    before = cells(path, INPUT_LABELS)
    report = pipeline.score(ExcelSource(path), now=NOW)
    return path, before, report


def test_demo_scores_cleanly_and_fills_every_result_tab(scored):
    path, _, report = scored
    assert report.checked.errors == 0
    assert report.periods == [f"2026-{m:02d}" for m in range(1, 13)]
    out = cells(path, OUTPUT_LABELS)
    for tab in OUTPUT_TABS:
        rows = out[tab.label]
        header = rows[1] if tab.label == "Validasi" else rows[0]
        assert header == [c.label for c in tab.columns]
    hasil = out["Hasil"]
    assert len(hasil) - 1 == len(report.results.results) == 45 * 12
    predikat = {row[hasil[0].index("Predikat Kinerja")] for row in hasil[1:]}
    assert {"Sangat Baik", "Baik", "Butuh Perbaikan"} <= predikat
    peringkat = out["Peringkat"]
    best = [r for r in peringkat[1:] if r[9]]
    assert len(best) == len({(r[0], r[1]) for r in best})  # at most one best employee per unit and period
    assert out["IKM"][1][2] and out["Rekap Unit"][1][1]


def test_input_tabs_are_identical_after_a_run(scored):
    path, before, _ = scored
    assert cells(path, INPUT_LABELS) == before


def test_only_output_parts_change_and_a_rerun_changes_nothing(scored):
    path, _, _ = scored
    first = parts(path)
    pipeline.score(ExcelSource(path), now=NOW)
    second = parts(path)
    assert first == second


def test_nips_stay_18_digit_text(scored):
    path, _, _ = scored
    hasil = cells(path, ["Hasil"])["Hasil"]
    assert all(isinstance(r[1], str) and len(r[1]) == 18 and r[1].isdigit() for r in hasil[1:])


def test_one_period_only(demo_book, tmp_path):
    path = tmp_path / "opd.xlsx"
    path.write_bytes(demo_book.read_bytes())
    report = pipeline.score(ExcelSource(path), ["2026-03"], now=NOW)
    assert set(report.results.results["period"]) == {"2026-03"}
    assert {r[0] for r in cells(path, ["Hasil"])["Hasil"][1:]} == {"2026-03"}


def test_unknown_period_is_a_plain_error(demo_book, tmp_path):
    path = tmp_path / "opd.xlsx"
    path.write_bytes(demo_book.read_bytes())
    with pytest.raises(WorkbookInvalid, match="tulis seperti 2026-01"):
        pipeline.score(ExcelSource(path), ["Maret"], now=NOW)
    report = pipeline.score(ExcelSource(path), ["Maret 2026"], now=NOW)  # lenient, like the sheet
    assert report.periods == ["2026-03"]


def test_refuses_to_overwrite_a_workbook_saved_meanwhile(demo_book, tmp_path):
    path = tmp_path / "opd.xlsx"
    path.write_bytes(demo_book.read_bytes())
    source = ExcelSource(path)
    source.read()
    wb = openpyxl.load_workbook(path)
    wb["Pegawai"]["B2"] = "Nama Baru"
    wb.save(path)
    saved = path.read_bytes()
    with pytest.raises(SourceChanged, match="berubah setelah dibaca"):
        source.write([])
    assert path.read_bytes() == saved


def test_hand_filled_template_scores_without_errors(tmp_path):
    path = tmp_path / "template.xlsx"
    build_template(path, settings={"org_name": "Dinas Sosial", "year": 2026})
    wb = openpyxl.load_workbook(path)  # the clerk types into the template in Excel
    wb["Pegawai"].append(["196711101992031001", "Hj. Nurhayati", "PNS", "IV/b", "Kepala Dinas",
                          "Dinas Sosial", None, "Ya"])
    wb["Pegawai"].append(["198503142010032002", "Rahmat Hidayat", "PNS", "III/c", "Pekerja Sosial",
                          "Dinas Sosial", "196711101992031001", "Ya"])
    wb["SKP"].append(["DS-1", "198503142010032002", "Utama", "", "Terlayaninya penerima bansos",
                      "Kuantitas", "Jumlah KPM yang diverifikasi", "KPM", 1200, None, "Naik", None, None])
    wb["SKP"].append(["DS-2", "198503142010032002", "Utama", "", "Layanan cepat", "Waktu",
                      "Rata-rata hari verifikasi", "hari", 5, None, "Turun", None, None])
    for month, done, days in (("2026-01", 110, 4), ("2026-02", "95", "5,5")):
        wb["Realisasi"].append(["DS-1", month, done, None, None, None, None])
        wb["Realisasi"].append(["DS-2", month, days, None, None, None, None])
    for month in ("2026-01", "2026-02"):
        wb["Perilaku"].append([month, "198503142010032002", "196711101992031001", "Atasan",
                               4, 4, 5, 4, 4, 4, 4, "Baik"])
    wb.save(path)
    report = pipeline.score(ExcelSource(path), now=NOW)
    assert report.checked.errors == 0, [i.problem for i in report.checked.issues]
    res = report.results.results.set_index(["period", "nip"])
    # January: 110 of a prorated 100 → 110 %; 4 days against 5 (lower is better) → 120 %.
    jan = res.loc[("2026-01", "198503142010032002")]
    assert jan["work_achievement"] == pytest.approx(115.0)
    assert jan["behaviour_score"] == pytest.approx(29 / 7)
    assert jan["predikat"] == "good"
    # February, cumulative: 205 of 200 → 102.5 %; mean 4.75 days of 5 → 105 %.
    feb = res.loc[("2026-02", "198503142010032002")]
    assert feb["work_achievement"] == pytest.approx(103.75)
    head = res.loc[("2026-02", "196711101992031001")]
    assert head["status"] == "incomplete"


def test_a_workbook_without_year_gets_validasi_and_a_clear_error(make_workbook):
    path = make_workbook({"Pengaturan": [["Kunci", "Nilai"], ["Nama Instansi", "Dinas X"]],
                          "Pegawai": [["NIP"]]})
    with pytest.raises(WorkbookInvalid, match="Tahun Penilaian"):
        pipeline.score(ExcelSource(path), now=NOW)
    validasi = cells(path, ["Validasi"])["Validasi"]
    assert any("Tahun Penilaian" in str(r[6]) for r in validasi[2:])


def test_check_writes_only_validasi(demo_book, tmp_path):
    path = tmp_path / "opd.xlsx"
    path.write_bytes(demo_book.read_bytes())
    before = parts(path)
    report = pipeline.check(ExcelSource(path), now=NOW)
    after = parts(path)
    changed = {name for name in after if before.get(name) != after[name]}
    assert report.ok
    validasi_part = _sheet_part(path, "Validasi")
    # The template's own note on Validasi (a comment part) goes with the old sheet, hence the
    # content types; no other tab's part may change.
    assert validasi_part in changed
    assert changed <= {validasi_part, "xl/styles.xml", "[Content_Types].xml"}


def _sheet_part(path, name):
    wb = openpyxl.load_workbook(path, read_only=True)
    index = wb.sheetnames.index(name)
    with zipfile.ZipFile(path) as z:
        rels = z.read("xl/_rels/workbook.xml.rels").decode()
        workbook = z.read("xl/workbook.xml").decode()
    import re

    rid = re.findall(r'<sheet [^>]*?r:id="(rId\d+)"', workbook)[index]
    target = re.search(rf'Id="{rid}"[^>]*Target="([^"]+)"|Target="([^"]+)"[^>]*Id="{rid}"', rels)
    target = target.group(1) or target.group(2)
    return target.lstrip("/") if target.startswith("/") else "xl/" + target


def test_reading_keeps_bytes_for_the_write(demo_book):
    source = ExcelSource(demo_book)
    raw = source.read(pipeline.INPUT_TAB_KEYS)
    assert set(raw.tabs) == {*INPUT_LABELS, "Pengaduan"}  # the tab both sides write is read too
    assert io.BytesIO(demo_book.read_bytes()).getbuffer().nbytes > 0


def test_a_cell_calamine_cannot_read_does_not_stop_the_run(make_workbook, tmp_path):
    # A large negative number in a date-formatted cell makes python-calamine panic.
    path = make_workbook({"Pengaturan": [["Kunci", "Nilai"], ["Nama Instansi", "X"],
                                         ["Tahun Penilaian", 2026]],
                          "Survei": [["ID Respons", "Waktu", "Unit Layanan"], ["R1", -10**15, "X"]]})
    wb = openpyxl.load_workbook(path)
    wb["Survei"]["B2"].number_format = "yyyy-mm-dd hh:mm"
    wb.save(path)
    raw = ExcelSource(path).read()
    assert raw.tabs["Survei"].rows[1][0] == "R1"
    report = pipeline.check(ExcelSource(path), now=NOW)
    assert any(i.cell == "B2" and i.tab == "Survei" for i in report.checked.issues)


def test_scoring_gets_no_text_columns_but_the_documents_do(demo_book):
    """Scoring is handed only what it reads (issue 17: memory); Evaluation.frames keeps the texts the
    documents print, as validation made them."""
    raw = ExcelSource(demo_book).read(pipeline.INPUT_TAB_KEYS)
    evaluation = pipeline.evaluate(raw, "demo")
    checked = evaluation.report.checked
    frames, _ = pipeline.scoring_inputs(checked)
    for name, columns in pipeline.NOT_SCORED.items():
        assert not set(columns) & set(getattr(frames, name).columns), name
    for name, columns in pipeline.DOCUMENT_TEXTS.items():
        kept, source = getattr(evaluation.frames, name), checked.frames[name]
        for column in columns:
            if column in source:
                assert kept[column].equals(source[column]), (name, column)
    assert len(raw.tabs) > 1  # evaluate leaves the caller's workbook alone unless asked


def test_score_releases_the_input_tabs_but_pengaduan(demo_book):
    raw = ExcelSource(demo_book).read(pipeline.INPUT_TAB_KEYS)
    kept = pipeline.evaluate(raw, "demo").report.results.results
    released = pipeline.evaluate(raw, "demo", release_input=True)
    assert [pipeline.normalise_label(n) for n in raw.tabs] in ([], [pipeline.normalise_label("Pengaduan")])
    assert released.report.results.results.equals(kept)


def test_malloc_arenas_are_limited_on_glibc_unless_the_environment_says(monkeypatch):
    """Issue 17: the threads' own C heaps kept `kinerja score` above 1 GB at 10,000 employees."""
    import platform
    import sys

    from sync import memory

    monkeypatch.delenv("MALLOC_ARENA_MAX", raising=False)
    on_glibc = sys.platform == "linux" and platform.libc_ver()[0] == "glibc"
    assert memory.limit_malloc_arenas() is on_glibc
    monkeypatch.setenv("MALLOC_ARENA_MAX", "4")
    assert memory.limit_malloc_arenas() is False
