"""`check` on a workbook it cannot write still reports its findings; `run` skips a workbook open in Excel."""

from __future__ import annotations

import csv

from click.testing import CliRunner

from sync.cli import cli
from tests.helpers import write_workbook
from tests.sync.run.helpers import invoke, write_agency, write_config

BAD = {
    "Pengaturan": [["Kunci", "Nilai"], ["Nama Instansi", "Dinas Contoh"], ["Tahun Penilaian", 2026]],
    "Pegawai": [
        ["NIP", "Nama", "Jenis ASN", "Pangkat/Golongan", "Jabatan", "Unit Kerja", "NIP Atasan", "Aktif"],
        ["12345", "Ani", "PNS", "III/e", "Analis", "Bidang A", None, "Ya"],
    ],
}


def test_check_prints_its_findings_when_validasi_cannot_be_written(tmp_path):
    path = write_workbook(tmp_path / "opd.xlsx", BAD)
    (tmp_path / ".~lock.opd.xlsx#").write_text("Budi Santoso,budi,PC-KEU,02.12.2026 08:00,file:///home/budi;")
    before = path.read_bytes()
    result = CliRunner().invoke(cli, ["check", str(path)])
    assert result.exit_code == 1
    assert "Galat" in result.output and "Pegawai!A2" in result.output  # the findings, on the terminal
    assert "Tab Validasi tidak ditulis" in result.output and "Budi Santoso" in result.output
    assert path.read_bytes() == before


def test_the_full_list_goes_to_a_csv_beside_the_workbook(tmp_path):
    path = write_workbook(tmp_path / "opd.xlsx", BAD)
    result = CliRunner().invoke(cli, ["check", str(path), "--daftar-lengkap"])
    assert result.exit_code == 1
    with open(tmp_path / "opd.validasi.csv", encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle, delimiter=";"))
    assert len(rows) - 1 == sum(1 for line in result.output.splitlines() if line.startswith("  Galat"))


def test_run_skips_a_workbook_open_in_excel_and_goes_on(tmp_path):
    dinkes = write_agency(tmp_path / "dinkes.xlsx", seed=1)
    write_agency(tmp_path / "disdik.xlsx", seed=2)
    (tmp_path / "~$dinkes.xlsx").write_bytes(b"\x05Sari W" + b" " * 40)
    config = write_config(tmp_path, {"dinkes": dinkes.name, "disdik": "disdik.xlsx"})
    result = invoke("run", "--config", str(config), "--database", f"sqlite:///{tmp_path / 'k.db'}")
    assert "dinkes: Dilewati: workbook sedang dibuka" in result.output
    assert "sedang dibuka di Excel oleh Sari" in result.output, result.output
    assert "disdik" in result.output
