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


# --- issue 12: numbers that would overflow; issue 11: what Excel shows, golongan that exist ---


@pytest.mark.parametrize(("typed", "words"), [
    (1e308, "terlalu besar"), (-1e300, "terlalu besar"), ("1e308", "terlalu besar"),
    ("1,5e300", "terlalu besar"), (10**400, "terlalu besar"), ("1" + "0" * 400, "terlalu besar"),
    (1e16, "terlalu besar"), (1e-300, "terlalu kecil"), ("1e-320", "terlalu kecil"),
    ("inf", "bukan angka yang sah"), ("nan", "bukan angka yang sah"),
])
def test_numbers_too_large_to_compute_with_are_refused(typed, words):
    with pytest.raises(CellError, match=words):
        parse_number(typed)


def test_numbers_within_bounds_still_read():
    assert parse_number(999_999_999_999_999) == 999_999_999_999_999
    assert parse_number("0") == 0.0 and parse_number(0.0) == 0.0
    assert parse_number(5.551115123125783e-17) == pytest.approx(5.551115123125783e-17)
    assert parse_int(10**15) == 10**15


@pytest.mark.parametrize(("value", "shown"), [
    (1.98503142010031e17, "198503142010031000"),  # the float itself ends in ...008
    (1.97703122003122e17, "197703122003122000"),
    (1234567890123456.0, "1234567890123460"),
    (1e308, "1E+308"), (-2.5e30, "-2.5E+30"),
    (999999999999999.0, "999999999999999"), (12.0, "12"), (85.5, "85.5"),
])
def test_as_text_shows_large_numbers_as_excel_does(value, shown):
    from sync.parse import as_text

    assert as_text(value) == shown


@pytest.mark.parametrize("typed", ["III/e", "II/e", "I/e", "3e", "IIIe", "Penata (III/e)"])
def test_a_golongan_that_does_not_exist_is_refused(typed):
    from sync.parse import NoSuchRank, parse_rank

    with pytest.raises(NoSuchRank, match="tidak ada"):
        parse_rank(typed, "pns")


@pytest.mark.parametrize(("typed", "rank"), [("IV/e", "IV/e"), ("4e", "IV/e"), ("III.d", "III/d"),
                                             ("I/a", "I/a")])
def test_every_golongan_that_exists_is_read(typed, rank):
    from sync.parse import parse_rank

    assert parse_rank(typed, "pns") == rank
