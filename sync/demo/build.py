"""A realistic sample workbook: units, employees, SKP, a year of reports, surveys.

`demo_data` returns one DataFrame per input tab, keyed by the tab's internal
name, with the internal column names and the cells a clerk would type:
dropdown labels ("PNS", "Utama", "Naik"), months as ``YYYY-MM``, NIPs as
18-digit text, numbers as numbers. Everything is drawn from one seed and built
column-wise with numpy, so the same call gives the same frames and 100,000
employees take seconds. The catalogues (unit names, jobs, SKP indicators,
names) are what a Pemda in Aceh would recognise.

This module holds the entry points, the argument checks and the order in which
the generators draw; the tabs themselves come from `demo_people` (Pegawai),
`demo_work` (SKP, Realisasi), `demo_ratings` (Perilaku, Penilaian Atasan) and
`demo_surveys` (Survei, Unit Layanan), and the wording from `demo_catalogue`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sync.demo import pay as demo_pay
from sync.demo import people as demo_people
from sync.demo import ratings as demo_ratings
from sync.demo import surveys as demo_surveys
from sync.demo import work as demo_work
from sync.demo.catalogue import DEFAULT_ORG_NAME

__all__ = ["DEFAULT_ORG_NAME", "demo_data", "demo_frames_for_scale", "demo_settings"]


def demo_settings(year: int = 2026, org_name: str = DEFAULT_ORG_NAME) -> dict:
    """Pengaturan overrides for the demo workbook, by internal name, as a clerk types them.

    Examples:
        >>> demo_settings(2026)["org_predikat"]
        'Baik'
    """
    return {"org_name": org_name, "year": year, "period_type": "Bulanan", "org_predikat": "Baik"}


def demo_frames_for_scale(employees: int, seed: int = 1) -> dict[str, pd.DataFrame]:
    """Benchmark-sized input tabs: about `employees` employees, 5 IKI each, a year of reports.

    Surveys (5 per employee) and sparse behaviour feedback (about 7 rows per
    employee) match the scoring budget in design.md §6.
    """
    units = max(3, min(50, employees // 200))
    return demo_data(seed=seed, units=units, employees_per_unit=max(1, round(employees / units)),
                     indicators_per_employee=5, surveys=5 * employees, behaviour="sparse")


def demo_data(*, seed: int = 2026, year: int = 2026, units: int = 3, employees_per_unit: int = 15,
              months: int = 12, surveys: int = 4400, behaviour: str = "monthly",
              indicators_per_employee: int | None = None) -> dict[str, pd.DataFrame]:
    """One DataFrame per input tab of a realistic agency workbook, drawn from `seed`.

    Keys are the tabs' internal names ("employees", "indicators",
    "realisations", "behaviours", "supervisor_ratings", "surveys",
    "service_units", "tpp_table", "attendance"); columns are the schema's internal names in tab order.
    Cells hold what a clerk types: choice labels, ``YYYY-MM`` months, NIPs
    as 18-digit strings, numbers as numbers, `timestamp` as datetime.

    Args:
        seed: the same seed always gives identical frames.
        year: Tahun Penilaian; every month and survey falls inside it.
        units: number of OPD; the first three are Dukcapil, Dinas Kesehatan
            and Dinas Pendidikan, then other real OPD, then numbered UPTD.
        employees_per_unit: one head, section heads, and staff under them.
        months: reported months, January onwards (1-12).
        surveys: SKM answers spread over the months.
        behaviour: "monthly" (360° feedback every month) or "sparse" (about
            7 rows per employee per year, for benchmarks).
        indicators_per_employee: SKP indicators per employee (1-5); None
            draws 3-5.

    Examples:
        >>> tabs = demo_data(units=1, employees_per_unit=4, months=2, surveys=5)
        >>> tabs["employees"].loc[0, "position"]
        'Kepala Dinas'
    """
    _check_args(units, employees_per_unit, months, surveys, behaviour, indicators_per_employee)
    streams = np.random.SeedSequence(seed).spawn(8)  # a stream per generator: adding one moves no other
    rng = [np.random.default_rng(s) for s in streams]
    labels = np.array([f"{year}-{m:02d}" for m in range(1, months + 1)], dtype=object)
    org = demo_people.organisation(rng[0], demo_people.unit_catalogue(units), employees_per_unit, year)
    skp, indicators = demo_work.indicators(rng[1], org, indicators_per_employee)
    return {
        "employees": demo_pay.employee_pay(org),
        "indicators": indicators,
        "realisations": demo_work.realisations(rng[2], org, skp, labels),
        "behaviours": demo_ratings.behaviours(rng[3], org, labels, behaviour),
        "supervisor_ratings": demo_ratings.supervisor_ratings(rng[4], org, labels),
        "surveys": demo_surveys.surveys(rng[5], org, year, months, surveys),
        "service_units": demo_surveys.service_units(rng[6], org, labels),
        "tpp_table": demo_pay.tpp_table(),
        "attendance": demo_pay.attendance(rng[7], org, year, months),
    }


def demo_complaints(surveys: pd.DataFrame, *, seed: int = 2026, year: int = 2026,
                    months: int = 12) -> pd.DataFrame:
    """The supervisors' typing in Pengaduan for the complaints among `surveys` (`demo_data`'s),
    with internal names: response_id, status, action, finished_on, handled_by."""
    stream = np.random.SeedSequence(seed).spawn(9)[8]  # after demo_data's eight: they stay as they are
    return demo_surveys.complaint_handling(np.random.default_rng(stream), surveys, year, months)


def _check_args(units, per_unit, months, surveys, behaviour, per_employee) -> None:
    if units < 1 or per_unit < 1:
        raise ValueError("units and employees_per_unit must be at least 1")
    if not 1 <= months <= 12:
        raise ValueError(f"months must be between 1 and 12, not {months}")
    if surveys < 0:
        raise ValueError("surveys cannot be negative")
    if behaviour not in ("monthly", "sparse"):
        raise ValueError(f'behaviour must be "monthly" or "sparse", not {behaviour!r}')
    if per_employee is not None and not 1 <= per_employee <= 5:
        raise ValueError(f"indicators_per_employee must be between 1 and 5, not {per_employee}")
