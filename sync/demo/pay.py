"""The demo's pay side (issue 15): kelas jabatan, TPP amounts, functional grades and attendance.

`employee_pay` adds the three optional Pegawai columns; `tpp_table` is Kota
Lubuklinggau's SK Basic TPP 2022 (domain.md §5, the classes it was read for);
`attendance` is a Kehadiran row per employee per month, drawn from the same
hidden performance tier as the rest of the demo, so the weak and poor
employees come late more often, and a couple of them reach a rung of the PP
94/2021 ladder during the year. Column-wise numpy, from one generator: the
same seed gives the same tabs.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from sync.demo.people import Org

TPP_TABLE = (  # kelas jabatan → Besaran TPP (Rp), Kota Lubuklinggau 2022 [S]
    (15, 17_311_827), (12, 9_458_076), (9, 5_532_975), (7, 3_920_964), (5, 2_841_561), (1, 910_340),
)
BENDAHARA_AMOUNT = 4_500_000  # an override: the treasurer's class amount plus a Perkada add-on
GRADES = ("Ahli Pertama", "Ahli Muda", "Ahli Madya", "Ahli Utama", "Pemula", "Terampil", "Mahir",
          "Penyelia")
HOLIDAYS_2026 = ("2026-01-01", "2026-01-16", "2026-02-17", "2026-03-19", "2026-03-20", "2026-03-23",
                 "2026-04-03", "2026-05-01", "2026-05-14", "2026-05-27", "2026-06-01", "2026-06-16",
                 "2026-08-17", "2026-08-25", "2026-12-25")
"""Libur nasional and cuti bersama falling on weekdays (SKB 3 Menteri 2026, as announced)."""
LATE = np.array([0.25, 0.7, 1.8, 3.2])  # mean TL1 a month per tier: star, good, weak, poor
ABSENT = np.array([0.0, 0.02, 0.12, 0.45])  # mean days Tanpa Keterangan a month per tier


def employee_pay(org: Org) -> pd.DataFrame:
    """Pegawai with Kelas Jabatan, Besaran TPP (Rp) for the treasurer, Jenjang Jabatan Fungsional.

    Heads are kelas 15, section heads 12, expert functional staff 9, other
    graduates and skilled functional staff 7, the rest 5; the last employee of
    the first unit is its treasurer, paid an amount of their own.
    """
    frame = org.frame.copy()
    position = frame["position"].astype(str)
    grade = pd.Series(None, index=frame.index, dtype=object)
    for label in GRADES:
        grade = grade.where(grade.notna() | ~position.str.endswith(" " + label), label)
    expert = position.str.contains(" Ahli ", regex=False).to_numpy()
    graduate = frame["rank"].isin(("III/a", "III/b", "III/c", "III/d", "IX", "X", "XI")).to_numpy()
    staff_class = np.where(expert, 9, np.where(graduate | grade.notna().to_numpy(), 7, 5))
    frame["job_class"] = np.select([org.level == 0, org.level == 1], [15, 12], staff_class).astype(np.int64)
    amount = np.full(len(frame), None, dtype=object)
    if org.per_unit > 1:
        amount[org.per_unit - 1] = BENDAHARA_AMOUNT
    frame["tpp_amount"] = amount
    frame["functional_grade"] = grade.to_numpy()
    return frame


def tpp_table() -> pd.DataFrame:
    """Tabel TPP: kelas jabatan and amount, highest class first as the SK lists them."""
    return pd.DataFrame(TPP_TABLE, columns=["job_class", "amount"])


def work_days(year: int, months: int) -> np.ndarray:
    """Working days per month: weekdays, less the 2026 holidays in 2026."""
    starts = np.array([np.datetime64(dt.date(year, m, 1)) for m in range(1, months + 1)])
    ends = np.array([np.datetime64(dt.date(year + m // 12, m % 12 + 1, 1)) for m in range(1, months + 1)])
    holidays = HOLIDAYS_2026 if year == 2026 else ()
    return np.busday_count(starts.astype("datetime64[D]"), ends.astype("datetime64[D]"),
                           holidays=np.array(holidays, dtype="datetime64[D]"))


def attendance(rng, org: Org, year: int, months: int) -> pd.DataFrame:
    """Kehadiran: one row per employee per month, month by month.

    Counts follow the employee's tier: TL1 most, fewer in the longer brackets,
    early leavings rarer than late arrivals; Tanpa Keterangan is rare except
    for the poor tier; Izin, Sakit, Cuti and Dinas Luar now and then; every
    row's days stay within Hari Kerja.
    """
    n = len(org.frame)
    size = (months, n)
    days = np.repeat(work_days(year, months)[:, None], n, axis=1)
    tier = np.broadcast_to(org.tier, size)
    late = LATE[tier]
    counts = {
        "tl1": rng.poisson(late), "tl2": rng.poisson(late / 3), "tl3": rng.poisson(late / 8),
        "tl4": rng.poisson(late / 12),
        "psw1": rng.poisson(late / 2), "psw2": rng.poisson(late / 6), "psw3": rng.poisson(late / 14),
        "psw4": rng.poisson(late / 20),
    }
    rate = ABSENT[tier].copy()
    rate[:, np.flatnonzero(org.tier == 3)[:1]] *= 3  # one employee heads for a moderate sanction
    absent = rng.poisson(rate)
    sick = np.where(rng.random(size) < 0.12, rng.integers(1, 4, size), 0)
    permit = np.where(rng.random(size) < 0.08, 1, 0)
    leave = np.where(rng.random(size) < 0.07, rng.integers(2, 7, size), 0)
    travel = np.where((org.level < 2) & (rng.random(size) < 0.35), rng.integers(1, 5, size),
                      np.where(rng.random(size) < 0.1, rng.integers(1, 3, size), 0))
    absent = np.minimum(absent, days // 2)
    left = days - absent
    sick, left = _take(sick, left)
    permit, left = _take(permit, left)
    leave, left = _take(leave, left)
    travel, left = _take(travel, left)
    present = left + travel  # days at work or on dinas luar (counted present)
    for kind in ("tl", "psw"):  # at most one late arrival (early leaving) a day at work
        keys = [f"{kind}{i}" for i in range(1, 5)]
        total = sum(counts[key] for key in keys)
        scale = np.where(total > left, left / np.maximum(total, 1), 1.0)
        for key in keys:
            counts[key] = np.floor(counts[key] * scale).astype(np.int64)
    no_apel = np.minimum(rng.poisson(late / 3 + rate), np.minimum(4, present))
    note = np.full(size, None, dtype=object)
    note[sick >= 3] = "Surat keterangan dokter"
    note[leave > 0] = "Cuti tahunan"
    note[(travel >= 3) & (org.level < 2)] = "Dinas luar: rapat koordinasi provinsi"
    month = np.repeat(np.arange(1, months + 1), n)
    frame = pd.DataFrame({
        "month": np.array([f"{year}-{m:02d}" for m in month], dtype=object),
        "nip": np.tile(org.nip, months),
        "work_days": days.ravel(),
        **{key: value.ravel() for key, value in counts.items()},
        "absent_no_reason": absent.ravel(),
        "no_apel": no_apel.ravel(),
        "leave_permit": permit.ravel(), "sick": sick.ravel(), "leave": leave.ravel(),
        "official_travel": travel.ravel(), "note": note.ravel(),
    })
    return frame


def _take(wanted: np.ndarray, left: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """At most what is left of the month's days."""
    taken = np.minimum(wanted, left)
    return taken, left - taken
