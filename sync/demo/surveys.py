"""The demo's public-service side: SKM survey answers and the citizens each service unit served.

`surveys` draws the Survei tab (answers U1-U9 per service unit, heavier in the
campaign months, naming front-office officers, with respondent profile, Saran and
form or paper source); `service_units` draws Unit Layanan, the monthly population
served that sets the minimum SKM sample. It is separate because the survey tabs
describe citizens rather than employees and use only the units and front-office
staff of the organisation.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from scoring.complaints import ComplaintSettings, detect_complaints
from sheet_templates.complaints import STATUS_LABELS
from sync.demo.catalogue import COMPLAINT_ACTIONS, COMPLAINT_HANDLERS, DRIVE, SUGGESTIONS
from sync.demo.people import Org

CAMPAIGN_WEIGHT = 1.35  # campaign months get this many times the answers of an ordinary month
_EDUCATION = (("SD", "SMP", "SMA", "S1", "S2", "S3"), (0.08, 0.12, 0.45, 0.28, 0.06, 0.01))
_OCCUPATION = (("PNS", "TNI", "POLRI", "SWASTA", "WIRAUSAHA", "Lainnya"), (0.12, 0.03, 0.03, 0.3, 0.3, 0.22))


def surveys(rng, org: Org, year: int, n_months: int, count: int) -> pd.DataFrame:
    """Survei: SKM answers (1-4, mostly 3, U4 mostly 4), a little heavier in the March/September campaigns."""
    share = np.array([u[3] for u in org.units], dtype=float)
    if count == 0 or share.sum() == 0:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in _SURVEY_COLUMNS})
    unit = rng.choice(share.size, count, p=share / share.sum())
    # The form is always open; the March and September campaigns add a third more answers.
    campaign = np.where(np.isin(np.arange(n_months), [2, 8]), CAMPAIGN_WEIGHT, 1.0)
    month = rng.choice(n_months, count, p=campaign / campaign.sum())
    officer, officer_skill = _officers(rng, org, unit)
    named = officer >= 0
    mood = (3.3 + rng.normal(0, 0.12, share.size)[unit] + np.where(named, officer_skill, 0)
            + rng.normal(0, 0.35, count))
    answers = np.clip(np.rint(mood[:, None] + rng.normal(0, 0.45, (count, 9))), 1, 4).astype(np.int64)
    answers[:, 3] = rng.choice([4, 3, 2], count, p=[0.88, 0.09, 0.03])  # most services are free
    form = rng.random(count) < 0.9
    frame = pd.DataFrame({
        "response_id": np.where(form, _response_ids(rng, count), None),
        "timestamp": _office_hours(rng, year, month),
        "service_unit": np.array([u[0] for u in org.units], dtype=object)[unit],
        "service_type": _services(rng, org, unit),
        "officer_nip": np.where(named, org.nip[np.maximum(officer, 0)], None),
        **{f"u{i + 1}": answers[:, i] for i in range(9)},
        "sex": np.array(["L", "P"], dtype=object)[rng.integers(0, 2, count)],
        "age": np.clip(np.rint(rng.normal(38, 12, count)), 17, 75).astype(np.int64),
        "education": np.array(_EDUCATION[0], dtype=object)[rng.choice(6, count, p=_EDUCATION[1])],
        "occupation": np.array(_OCCUPATION[0], dtype=object)[rng.choice(6, count, p=_OCCUPATION[1])],
        "suggestion": _suggestions(rng, answers.mean(axis=1)),
        "source": np.where(form, "Formulir", "Manual").astype(object),
    })
    frame = frame.sort_values("timestamp", kind="stable", ignore_index=True)
    manual = frame["response_id"].isna().to_numpy()
    frame.loc[manual, "response_id"] = [f"KERTAS-{year}-{i:05d}" for i in range(1, int(manual.sum()) + 1)]
    return frame


_SURVEY_COLUMNS = ("response_id", "timestamp", "service_unit", "service_type", "officer_nip",
                   *(f"u{i}" for i in range(1, 10)), "sex", "age", "education", "occupation",
                   "suggestion", "source")


def _officers(rng, org: Org, unit: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The front-office officer named in each answer (-1: none), a few officers taking most."""
    front = np.flatnonzero(org.front)
    named = (rng.random(unit.size) < 0.85) & np.isin(unit, org.unit[front])
    if not front.size:
        return np.full(unit.size, -1), np.zeros(unit.size)
    front = front[np.lexsort((rng.random(front.size), org.unit[front]))]
    home = org.unit[front]
    start = np.searchsorted(home, home)
    weight = 1 / (np.arange(front.size) - start + 1) ** 1.2
    within = np.cumsum(weight) - (np.cumsum(weight) - weight)[start]
    cum = home + within / np.bincount(home, weights=weight)[home]
    cum[np.r_[home[1:] != home[:-1], True]] = np.unique(home) + 1.0
    pick = np.minimum(np.searchsorted(cum, unit + rng.random(unit.size), side="right"), front.size - 1)
    skill = rng.normal(0, 0.2, front.size) - np.where(rng.random(front.size) < 0.12, 0.5, 0)
    return np.where(named, front[pick], -1), np.where(named, skill[pick], 0.0)


def _services(rng, org: Org, unit: np.ndarray) -> np.ndarray:
    """Jenis Layanan: the unit's services, the first ones (Akta Kelahiran, KTP-el) most often."""
    lists = [u[5] or ("Layanan Umum",) for u in org.units]
    flat = np.array([s for group in lists for s in group], dtype=object)
    count = np.array([len(g) for g in lists])
    offset = np.cumsum(count) - count
    which = np.floor(rng.random(unit.size) ** 1.6 * count[unit]).astype(int)
    return flat[offset[unit] + np.minimum(which, count[unit] - 1)]


def _office_hours(rng, year: int, month: np.ndarray) -> np.ndarray:
    """A working day inside the month, 08.00-12.00 or 13.00-17.00 as on the paper form."""
    first = np.datetime64(f"{year}-01", "M") + month
    start, end = first.astype("datetime64[D]"), (first + 1).astype("datetime64[D]")
    workdays = np.busday_count(start, end)
    day = np.busday_offset(start, (rng.random(month.size) * workdays).astype(np.int64), roll="forward")
    hour = np.where(rng.random(month.size) < 0.65, 8, 13)
    seconds = hour * 3600 + rng.integers(0, 4 * 3600, month.size)
    return (day.astype("datetime64[s]") + seconds).astype("datetime64[ns]")


def _response_ids(rng, count: int) -> np.ndarray:
    """Google Forms style response ids ("2_ABaOnud..."), random and so unique."""
    tail = DRIVE[rng.integers(0, 64, (count, 46))].view("<U46").ravel()
    return np.strings.add("2_ABaOnu", tail).astype(object)


def _suggestions(rng, mean: np.ndarray) -> np.ndarray:
    """Saran on a quarter of the answers: complaints from the unhappy, thanks from the rest."""
    good, bad = SUGGESTIONS["good"], SUGGESTIONS["bad"]
    flat = np.array([*good, *bad, None], dtype=object)
    unhappy = mean < 3.0
    which = np.where(unhappy, len(good) + rng.integers(0, len(bad), mean.size),
                     rng.integers(0, len(good) + len(bad), mean.size))
    return flat[np.where(rng.random(mean.size) < 0.25, which, flat.size - 1)]


OPEN_WEEKS = 3  # complaints of the data's last weeks are still being handled
LATE_SHARE = 0.15  # of the older ones, finished after their Batas Waktu
FORGOTTEN_SHARE = 0.04  # ... and left Diproses: red rows in the demo's Pengaduan tab
HANDLING_COLUMNS = ("response_id", "status", "action", "finished_on", "handled_by")


def complaint_handling(rng, surveys: pd.DataFrame, year: int, months: int) -> pd.DataFrame:
    """The supervisors' side of Pengaduan: what they typed for each complaint in `surveys`.

    Complaints are the answers with an unsur of 1 (the default Ambang Pengaduan). Most are
    Selesai within their Batas Waktu, a few late, a few forgotten as Diproses; those of the last
    weeks of the data are still Baru or Diproses.
    """
    found = detect_complaints(surveys, ComplaintSettings())
    if found.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in HANDLING_COLUMNS})
    n = len(found)
    day = found["timestamp"].to_numpy(dtype="datetime64[D]")
    deadline = pd.to_datetime(found["deadline"]).to_numpy(dtype="datetime64[D]")
    end = np.datetime64(f"{year}-{months:02d}", "M") + 1
    recent = day >= end.astype("datetime64[D]") - 7 * OPEN_WEEKS
    draw = rng.random(n)
    done = ~recent & (draw >= FORGOTTEN_SHARE)
    status = np.where(done, STATUS_LABELS["done"], np.where(
        recent & (draw < 0.5), STATUS_LABELS["new"], STATUS_LABELS["in_progress"])).astype(object)
    late = done & (rng.random(n) < LATE_SHARE)
    on_time = np.busday_offset(day, rng.integers(0, 5, n), roll="forward")
    overdue = np.busday_offset(deadline, rng.integers(1, 8, n), roll="forward")
    finished = pd.Series(np.where(late, overdue, on_time).astype("datetime64[ns]")).dt.date.astype(object)
    acted = status != STATUS_LABELS["new"]
    return pd.DataFrame({
        "response_id": found["response_id"].to_numpy(dtype=object),
        "status": status,
        "action": np.where(acted, np.array(COMPLAINT_ACTIONS, dtype=object)[
            rng.integers(0, len(COMPLAINT_ACTIONS), n)], None),
        "finished_on": np.where(done, finished.to_numpy(), None),
        "handled_by": np.where(acted, np.array(COMPLAINT_HANDLERS, dtype=object)[
            rng.integers(0, len(COMPLAINT_HANDLERS), n)], None),
    })


def service_units(rng, org: Org, labels: np.ndarray) -> pd.DataFrame:
    """Unit Layanan: citizens served per service unit per month (for the minimum SKM sample)."""
    served = [u for u in org.units if u[3] > 0]
    base = np.repeat([u[4] for u in served], labels.size)
    return pd.DataFrame({
        "service_unit": np.repeat(np.array([u[0] for u in served], dtype=object), labels.size),
        "period": np.tile(labels, len(served)),
        "population": np.maximum(np.rint(base * (1 + rng.normal(0, 0.1, base.size))), 10).astype(np.int64),
    })
