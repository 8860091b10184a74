"""`kinerja dokumen` from the command line: the files, the summary, and a period without results."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from sync.cli import cli
from sync.demo.sample import write_demo_workbook


@pytest.fixture(scope="module")
def workbook(tmp_path_factory):
    return write_demo_workbook(tmp_path_factory.mktemp("dok") / "opd.xlsx", units=2, employees_per_unit=3,
                               months=2, surveys=60)


def test_writes_a_pdf_per_employee_unit_and_agency(workbook, tmp_path):
    before = workbook.read_bytes()
    args = ["dokumen", str(workbook), "--period", "2026-02", "--out", str(tmp_path)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    pdfs = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.pdf"))
    employees = [p for p in pdfs if "/" in p and "/Rekap " not in p]
    units = [p for p in pdfs if "/Rekap " in p]
    agency = [p for p in pdfs if "/" not in p]
    assert len(units) == 2 and len(agency) == 1 and agency[0].startswith("Rekap ")
    assert f"{len(pdfs)} dokumen periode 2026-02" in result.output
    assert f"{len(employees)} pegawai, 2 rekap unit, 1 rekap instansi" in result.output
    assert all((tmp_path / p).read_bytes().startswith(b"%PDF") for p in pdfs)
    assert workbook.read_bytes() == before  # the source is read, never written


def test_a_period_without_results_is_one_sentence(workbook, tmp_path):
    args = ["dokumen", str(workbook), "--period", "2026-11", "--out", str(tmp_path)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1
    assert "2026-11" in result.output and "Traceback" not in result.output
    assert not list(tmp_path.rglob("*.pdf"))
