import datetime as dt

import pytest

from sync.parse import (
    CellError,
    column_letter,
    normalise_label,
    parse_datetime,
    parse_int,
    parse_month,
    parse_nip,
    parse_number,
    parse_url,
)


@pytest.mark.parametrize(("typed", "meant"), [
    (85.5, 85.5), (12, 12.0), ("85,5", 85.5), ("85.5", 85.5), ("1.234,5", 1234.5),
    ("1.234.567", 1234567.0), ("1,234.5", 1234.5), ("90%", 90.0), (" 12 ", 12.0), ("-3", -3.0),
])
def test_parse_number_reads_what_a_clerk_means(typed, meant):
    assert parse_number(typed) == meant


@pytest.mark.parametrize("typed", ["abc", "12 hari", True, dt.date(2026, 1, 1), "1,2,3"])
def test_parse_number_rejects_with_a_fix(typed):
    with pytest.raises(CellError) as err:
        parse_number(typed)
    assert err.value.fix


def test_parse_int_refuses_fractions():
    assert parse_int("4,0") == 4
    with pytest.raises(CellError, match="bulat"):
        parse_int("4,5")


@pytest.mark.parametrize(("typed", "nip"), [
    ("196711101992031001", "196711101992031001"),
    ("19770312 200312 2 007", "197703122003122007"),
    ("'196711101992031001", "196711101992031001"),
])
def test_parse_nip_keeps_text(typed, nip):
    assert parse_nip(int(nip)) == nip  # an exact integer kept every digit
    assert parse_nip(typed) == nip


@pytest.mark.parametrize(("typed", "problem"), [
    (1.96711101992031e17, "dibulatkan|membulatkan"),
    ("19671110199203100", "18 angka, bukan 17"),
    ("19671110199203100X", "hanya boleh berisi angka"),
])
def test_parse_nip_explains(typed, problem):
    with pytest.raises(CellError, match=problem):
        parse_nip(typed)


@pytest.mark.parametrize(("typed", "ym"), [
    ("2026-03", (2026, 3)), ("03/2026", (2026, 3)), ("3-2026", (2026, 3)), ("Maret 2026", (2026, 3)),
    ("mar-26", (2026, 3)), (dt.date(2026, 3, 1), (2026, 3)), (dt.datetime(2026, 3, 9, 8), (2026, 3)),
    ("2026-03-01", (2026, 3)), (46082.0, (2026, 3)),
])
def test_parse_month_forms(typed, ym):
    assert parse_month(typed) == ym


@pytest.mark.parametrize("typed", ["2026-13", "Maretz 2026", "kemarin", 3.0])
def test_parse_month_rejects(typed):
    with pytest.raises(CellError):
        parse_month(typed)


def test_parse_datetime_forms():
    assert parse_datetime("2026-03-14T09:21:05Z") == dt.datetime(2026, 3, 14, 9, 21, 5)
    assert parse_datetime("14/03/2026 09:21") == dt.datetime(2026, 3, 14, 9, 21)
    assert parse_datetime(dt.date(2026, 3, 14)) == dt.datetime(2026, 3, 14)


def test_parse_url():
    assert parse_url("https://drive.google.com/x") == "https://drive.google.com/x"
    with pytest.raises(CellError):
        parse_url("drive.google.com/x")


def test_labels_and_letters():
    assert normalise_label("  Bobot   (%) ") == normalise_label("bobot")
    assert normalise_label("Pangkat/Golongan") == normalise_label("pangkat golongan")
    assert normalise_label("N.I.P.") == normalise_label("NIP") == "nip"
    assert normalise_label("U1 Persyaratan") != normalise_label("U2 Persyaratan")
    assert [column_letter(i) for i in (0, 25, 26, 701, 702)] == ["A", "Z", "AA", "ZZ", "AAA"]
