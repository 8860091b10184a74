"""A realistic sample workbook: units, employees, SKP, a year of reports, surveys.

`demo_data` returns one DataFrame per input tab, keyed by the tab's internal
name, with the internal column names and the cells a clerk would type:
dropdown labels ("PNS", "Utama", "Naik"), months as ``YYYY-MM``, NIPs as
18-digit text, numbers as numbers. Everything is drawn from one seed and built
column-wise with numpy, so the same call gives the same frames and 100,000
employees take seconds. The catalogues (unit names, jobs, SKP indicators,
names) are what a Pemda in Aceh would recognise.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .demo_catalogue import (
    AHLI,
    CLINIC,
    DEFAULT_ORG_NAME,
    DRIVE,
    EXTRA,
    FEEDBACK,
    HEADS,
    MOOD,
    NAMES,
    PNS_GRADES,
    PPPK_GRADES,
    PROFILES,
    ROLES,
    S1,
    SKILL,
    SUGGESTIONS,
    TERAMPIL,
    TIERS,
    UNITS,
    VALUES,
    Iki,
)

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
              months: int = 12, surveys: int = 150, behaviour: str = "monthly",
              indicators_per_employee: int | None = None) -> dict[str, pd.DataFrame]:
    """One DataFrame per input tab of a realistic agency workbook, drawn from `seed`.

    Keys are the tabs' internal names ("employees", "indicators",
    "realisations", "behaviours", "supervisor_ratings", "surveys",
    "service_units"); columns are the schema's internal names in tab order.
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
    streams = np.random.SeedSequence(seed).spawn(7)
    rng = [np.random.default_rng(s) for s in streams]
    labels = np.array([f"{year}-{m:02d}" for m in range(1, months + 1)], dtype=object)
    org = _organisation(rng[0], _unit_catalogue(units), employees_per_unit, year)
    skp, indicators = _indicators(rng[1], org, indicators_per_employee)
    return {
        "employees": org.frame,
        "indicators": indicators,
        "realisations": _realisations(rng[2], org, skp, labels),
        "behaviours": _behaviours(rng[3], org, labels, behaviour),
        "supervisor_ratings": _supervisor_ratings(rng[4], org, labels),
        "surveys": _surveys(rng[5], org, year, months, surveys),
        "service_units": _service_units(rng[6], org, labels),
    }


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


def _unit_catalogue(units: int) -> list[tuple]:
    """The first `units` catalogue rows; past the real OPD, numbered Puskesmas and schools."""
    rows = list(UNITS[:units])
    for k in range(units - len(rows)):
        no = k // 2 + 1
        if k % 2 == 0:
            rows.append((f"UPTD Puskesmas {no}", f"PKM{no:02d}", "puskesmas", 1.5, 900, CLINIC))
        else:
            rows.append((f"SD Negeri {no} Lhokseumawe", f"SDN{no:02d}", "sekolah", 0, 0, ()))
    return rows


@dataclass
class _Org:
    """The Pegawai tab plus the hidden traits the other tabs are drawn from (one entry per employee)."""

    frame: pd.DataFrame
    units: list[tuple]
    per_unit: int
    nip: np.ndarray
    unit: np.ndarray
    seat: np.ndarray  # 0 = head, 1..sections = section heads, then staff
    level: np.ndarray  # 0 head, 1 section head, 2 staff
    sup: np.ndarray  # index of the supervisor, -1 for unit heads
    sections: np.ndarray  # section heads in the employee's unit
    tier: np.ndarray  # 0 star, 1 good, 2 weak, 3 poor
    front: np.ndarray


def _organisation(rng, units: list[tuple], n: int, year: int) -> _Org:
    """Employees of every unit: a head, section heads under the head, staff under section heads."""
    sections = np.array([min(-(-(n - 1) // 5), len(PROFILES[u[2]].sections)) for u in units])
    unit = np.repeat(np.arange(len(units)), n)
    seat = np.tile(np.arange(n), len(units))
    s = sections[unit]
    level = np.where(seat == 0, 0, np.where(seat <= s, 1, 2))
    sup = np.where(level == 0, -1,
                   unit * n + np.where(level == 1, 0, 1 + (seat - 1 - s) % np.maximum(s, 1)))
    # Fixed shares, shuffled, so that even 45 employees show every predikat.
    tier = rng.permutation(np.repeat(np.arange(4), _shares(TIERS, unit.size)))
    tier[(level < 2) & (tier == 3)] = 1
    job = _jobs(rng, units, unit, seat, level)
    pppk = (level == 2) & (rng.random(unit.size) < 0.18)
    female = job["female"] | (rng.random(unit.size) < np.where(level == 0, 0.25, 0.5))
    nip, grade = _nips(rng, year, level, pppk, female, job["entry"])
    unit_names = np.array([u[0] for u in units], dtype=object)
    frame = pd.DataFrame({
        "nip": nip,
        "name": job["prefix"] + _names(rng, female) + job["suffix"],
        "asn_type": np.where(pppk, "PPPK", "PNS").astype(object),
        "rank": grade,
        "position": _career_level(job["title"], grade),
        "unit": unit_names[unit],
        "supervisor_nip": np.where(sup >= 0, nip[np.maximum(sup, 0)], None),
        "active": np.full(unit.size, "Ya", dtype=object),
    })
    return _Org(frame=frame, units=units, per_unit=n, nip=nip, unit=unit, seat=seat, level=level,
                sup=sup, sections=s, tier=tier, front=job["front"])


def _jobs(rng, units, unit, seat, level) -> dict[str, np.ndarray]:
    """Title, degree, entry grade and front-office flag per employee, by level and unit profile."""
    size = unit.size
    out = {"title": np.empty(size, dtype=object), "prefix": np.full(size, "", dtype=object),
           "suffix": np.full(size, "", dtype=object), "entry": np.full(size, S1),
           "front": np.zeros(size, bool), "female": np.zeros(size, bool)}
    heads = np.array([next(t for p, t in HEADS if u[0].startswith(p)) for u in units], dtype=object)
    out["title"][level == 0] = heads[unit[level == 0]]
    profile = np.array([u[2] for u in units], dtype=object)[unit]
    for name in dict.fromkeys(u[2] for u in units):
        prof = PROFILES[name]
        mine = profile == name
        lead = np.flatnonzero(mine & (level == 1))
        out["title"][lead] = np.array(prof.sections, dtype=object)[seat[lead] - 1]
        lead = np.flatnonzero(mine & (level < 2))
        pick = rng.integers(0, len(prof.degrees), lead.size)
        out["prefix"][lead] = np.array([d[0] for d in prof.degrees], dtype=object)[pick]
        out["suffix"][lead] = np.array([d[1] for d in prof.degrees], dtype=object)[pick]
        staff = np.flatnonzero(mine & (level == 2))
        weights = np.array([j.weight for j in prof.staff])
        pick = rng.choice(len(prof.staff), staff.size, p=weights / weights.sum())
        for key in ("title", "prefix", "suffix", "entry", "front", "female"):
            out[key][staff] = np.array([getattr(j, key) for j in prof.staff], dtype=out[key].dtype)[pick]
    return out


def _career_level(title: np.ndarray, rank: np.ndarray) -> np.ndarray:
    """Functional positions carry the jenjang that goes with the golongan (Ahli Muda at III/c ...)."""
    title = title.copy()
    for marker, by_rank in ((" Ahli Pertama", AHLI), (" Terampil", TERAMPIL)):
        has = np.flatnonzero(np.strings.endswith(title.astype(str), marker) & np.isin(rank, list(by_rank)))
        if has.size:
            base = np.strings.replace(title[has].astype(str), marker, "").astype(object)
            title[has] = base + np.array([by_rank[r] for r in rank[has]], dtype=object)
    return title


def _shares(shares: np.ndarray, size: int) -> np.ndarray:
    """Counts per share summing to `size` (largest remainders)."""
    exact = shares / shares.sum() * size
    count = np.floor(exact).astype(int)
    count[np.argsort(count - exact)[: size - count.sum()]] += 1
    return count


def _nips(rng, year: int, level, pppk, female, entry) -> tuple[np.ndarray, np.ndarray]:
    """Unique NIPs in the PNS or PPPK layout (domain.md §4) and a golongan consistent with them."""
    size = level.size
    age = np.select([level == 0, level == 1, pppk],
                    [rng.integers(48, 59, size), rng.integers(38, 57, size), rng.integers(24, 51, size)],
                    rng.integers(23, 58, size))
    birth = ((year - age - 1970).astype("datetime64[Y]").astype("datetime64[D]")
             + rng.integers(0, 365, size))
    by, bm, bd = _ymd(birth)
    entry_age = np.where(level < 2, rng.integers(23, 31, size), rng.integers(21, 36, size))
    tmt_year = np.clip(by + entry_age, by + 18, year - 1)
    tmt_month = rng.choice([1, 2, 3, 4, 6, 12], size, p=[0.3, 0.15, 0.25, 0.15, 0.05, 0.1])
    pppk_year = np.clip(rng.choice(np.arange(2021, 2026), size, p=[0.2, 0.25, 0.2, 0.25, 0.1]),
                        by + 20, year - 1)
    term = np.where(rng.random(size) < 0.85, 1, 2)
    sex = np.where(female, 2, 1).astype(np.int64)
    birth8 = (by * 10000 + bm * 100 + bd).astype(np.int64) * 10**10
    key = np.where(pppk, birth8 + pppk_year * 10**6 + 2 * 10**5 + term * 10**4,
                   birth8 + (tmt_year * 100 + tmt_month) * 10**4) + sex * 1000
    nip = (key + _sequence(rng, key)).astype(str).astype(object)
    grade = entry + (year - tmt_year) // 4
    grade = np.select([level == 0, level == 1], [np.clip(grade, 13, 14), np.clip(grade, 11, 13)],
                      np.minimum(grade, np.where(entry >= S1, 13, 11)))
    rank = np.where(pppk, np.array(PPPK_GRADES, dtype=object)[entry],
                    np.array(PNS_GRADES, dtype=object)[grade])
    return nip, rank


def _ymd(days: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Year, month and day of a datetime64[D] array."""
    months = days.astype("datetime64[M]")
    return (days.astype("datetime64[Y]").astype(np.int64) + 1970,
            months.astype(np.int64) % 12 + 1, (days - months).astype(np.int64) + 1)


def _sequence(rng, key: np.ndarray) -> np.ndarray:
    """The NIP's 3-digit number: counts up within each birth date + TMT + sex, like BKN does."""
    order = np.argsort(key, kind="stable")
    ordered = key[order]
    start = np.r_[True, ordered[1:] != ordered[:-1]]
    first = np.maximum.accumulate(np.where(start, np.arange(key.size), 0))
    seq = np.empty_like(key)
    seq[order] = rng.integers(1, 4, key.size)[first] + np.arange(key.size) - first
    return seq


def _names(rng, female: np.ndarray) -> np.ndarray:
    """Given + second (or Batak family) names, mostly Acehnese, some Teuku/Cut."""
    regions = list(NAMES.values())
    weights = np.array([r[0] for r in regions])
    region = rng.choice(len(regions), female.size, p=weights / weights.sum())
    draw = rng.random((3, female.size))
    given = np.empty(female.size, dtype=object)
    second = np.empty(female.size, dtype=object)
    honorific = np.full(female.size, "", dtype=object)
    for r, (_, men, women, men2, women2, honorifics) in enumerate(regions):
        for is_female, first, last, honour in ((False, men, men2, honorifics[0]),
                                               (True, women, women2, honorifics[1])):
            mask = (region == r) & (female == is_female)
            given[mask] = np.array(first, dtype=object)[(draw[0, mask] * len(first)).astype(int)]
            second[mask] = np.array(last, dtype=object)[(draw[1, mask] * len(last)).astype(int)]
            if honour:
                honorific[mask & (draw[2] < 0.1)] = honour
    return honorific + given + " " + second


@dataclass
class _Skp:
    """Per indicator: whose it is and the figures realisations are drawn around."""

    emp: np.ndarray
    code: np.ndarray
    target: np.ndarray
    target_max: np.ndarray
    direction: np.ndarray
    aggregation: np.ndarray
    capped: np.ndarray  # percentages and 0-100 scores cannot exceed 100


def _indicators(rng, org: _Org, per_employee: int | None) -> tuple[_Skp, pd.DataFrame]:
    """The SKP tab: 3-5 IKI per employee from their unit's catalogue, leaders' from the lead list."""
    size = org.nip.size
    count = np.full(size, per_employee) if per_employee else rng.integers(3, 6, size)
    widest = int(count.max())
    catalogue: list[Iki] = list(EXTRA)
    chosen = np.full((size, widest), -1)
    profile = np.array([u[2] for u in org.units], dtype=object)[org.unit]
    for name in dict.fromkeys(u[2] for u in org.units):
        prof = PROFILES[name]
        for leaders, pool in ((True, prof.lead), (False, prof.work)):
            rows = np.flatnonzero((profile == name) & ((org.level < 2) == leaders))
            ids = np.array([_template_id(catalogue, t) for t in pool])
            pick = np.argsort(rng.random((rows.size, len(pool))), axis=1)[:, :widest]
            pick = np.where(np.arange(widest) < count[rows, None], pick, len(pool))
            pick.sort(axis=1)
            chosen[rows] = np.append(ids, -1)[pick]
    extra = (count >= 4) & (rng.random(size) < 0.3)
    chosen[extra, count[extra] - 1] = rng.integers(0, len(EXTRA), int(extra.sum()))
    emp = np.repeat(np.arange(size), count)
    pos = np.arange(emp.size) - np.repeat(np.cumsum(count) - count, count)
    tid = chosen[chosen >= 0]
    cols = {f: np.array([getattr(t, f) for t in catalogue], dtype=object)
            for f in Iki.__dataclass_fields__}
    cols["target_max"] = np.array([np.nan if t.target_max is None else t.target_max
                                   for t in catalogue])
    target = cols["target"][tid].astype(float)
    scalable = (cols["aggregation"][tid] == "Jumlah") & (target >= 24)
    factor = rng.choice([0.5, 0.75, 1, 1, 1, 1.25, 1.5], emp.size)
    target = np.where(scalable, np.maximum(np.round(target * factor / 12), 1) * 12, target)
    weighted = (rng.random(size) < 0.3)[emp]
    weights = np.array([[100, 0, 0, 0, 0], [60, 40, 0, 0, 0], [40, 30, 30, 0, 0], [30, 30, 20, 20, 0],
                        [30, 20, 20, 15, 15]], dtype=float)[count[emp] - 1, pos]
    starts = np.cumsum(count) - count
    sup = org.sup[emp]
    boss = np.maximum(sup, 0)
    parent_at = starts[boss] + pos % count[boss]
    parent_at = np.where(tid[parent_at] < len(EXTRA), starts[boss], parent_at)
    parent = np.where((sup >= 0) & (tid >= len(EXTRA)), cols["rhk"][tid[parent_at]], None)
    code = np.array([u[1] + "-" for u in org.units], dtype=object)[org.unit[emp]]
    width = max(4, len(str(org.per_unit)))
    seats = np.array([f"{i + 1:0{width}d}-" for i in range(org.per_unit)], dtype=object)
    frame = pd.DataFrame({
        "iki_code": code + seats[org.seat[emp]] + (pos + 1).astype(str).astype(object),
        "nip": org.nip[emp],
        "rhk_type": np.where(tid < len(EXTRA), "Tambahan", "Utama").astype(object),
        "parent_rhk": parent,
        "rhk": cols["rhk"][tid],
        "aspect": cols["aspect"][tid],
        "indicator": cols["indicator"][tid],
        "unit_of_measure": cols["uom"][tid],
        "target": target,
        "target_max": cols["target_max"][tid],
        "direction": cols["direction"][tid],
        "aggregation": cols["aggregation"][tid],
        "weight": np.where(weighted, weights, np.nan),
    })
    skp = _Skp(emp=emp, code=frame["iki_code"].to_numpy(dtype=object), target=target,
               target_max=frame["target_max"].to_numpy(),
               direction=cols["direction"][tid], aggregation=cols["aggregation"][tid],
               capped=np.isin(cols["uom"][tid], ["%", "nilai"]))
    return skp, frame


def _template_id(catalogue: list[Iki], template: Iki) -> int:
    for i, t in enumerate(catalogue):
        if t is template:
            return i
    catalogue.append(template)
    return len(catalogue) - 1


def _realisations(rng, org: _Org, skp: _Skp, labels: np.ndarray) -> pd.DataFrame:
    """Realisasi: one row per IKI per month, around the target scaled by the employee's skill."""
    n_ind, n_months = skp.emp.size, labels.size
    skill = SKILL[org.tier] * np.exp(rng.normal(0, 0.03, org.nip.size))
    ratio = ((skill[skp.emp] * np.exp(rng.normal(0, 0.04, n_ind)))[None, :]
             * np.exp(rng.normal(0, 0.08, (n_months, n_ind))))
    total = skp.aggregation == "Jumlah"
    seasonal = total & (rng.random(n_ind) < 0.03)
    if seasonal.sum() < 2 and total.any():  # a few Target Periode in every demo
        seasonal[rng.choice(np.flatnonzero(total), min(2, int(total.sum())), replace=False)] = True
    wave = 1 + 0.35 * np.sin(2 * np.pi * (np.arange(n_months)[:, None] + rng.integers(0, 12, n_ind)) / 12)
    period_target = np.where(seasonal, np.maximum(np.round(skp.target / 12 * wave), 1), np.nan)
    trend = np.where(skp.aggregation == "Terakhir", 0.96 + 0.04 * np.arange(1, n_months + 1)[:, None] / 12, 1)
    level = np.where(np.isnan(skp.target_max), skp.target, (skp.target + np.nan_to_num(skp.target_max)) / 2)
    up = level * ratio * trend
    up = np.where(skp.capped, np.minimum(up, 100), up)
    down = np.maximum(skp.target * (2 - ratio), 0.1 * skp.target)
    value = np.where(skp.direction == "Turun", down, up)
    value = np.where(skp.target < 10, np.round(value, 2), np.round(value, 1))
    value = np.where(total, np.round(np.where(seasonal, period_target, skp.target / 12) * ratio), value)
    obstacle, plan = _obstacles(rng, org, skp, ratio)
    evidence = _evidence(rng, org, skp, n_months)
    keep = _reported(rng, org, skp, n_months).ravel()
    return pd.DataFrame({
        "iki_code": np.tile(skp.code, n_months)[keep],
        "month": np.repeat(labels, n_ind)[keep],
        "value": value.ravel()[keep],
        "period_target": period_target.ravel()[keep],
        "obstacle": obstacle.ravel()[keep],
        "follow_up_plan": plan.ravel()[keep],
        "evidence_url": evidence.ravel()[keep],
    })


def _obstacles(rng, org: _Org, skp: _Skp, ratio: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Kendala and Rencana Tindak Lanjut, mostly in the months that went badly."""
    pairs = [PROFILES[u[2]].obstacles for u in org.units]
    offset = np.cumsum([0] + [len(p) for p in pairs[:-1]])
    count = np.array([len(p) for p in pairs])
    flat = [pair for p in pairs for pair in p]
    texts = np.array([o for o, _ in flat] + [None], dtype=object)
    plans = np.array([r for _, r in flat] + [None], dtype=object)
    unit = org.unit[skp.emp]
    which = offset[unit] + rng.integers(0, 1 << 30, ratio.shape) % count[unit]
    noted = rng.random(ratio.shape) < np.where(ratio < 0.88, 0.6, 0.02)
    which = np.where(noted, which, len(flat))
    return texts[which], plans[which]


def _evidence(rng, org: _Org, skp: _Skp, n_months: int) -> np.ndarray:
    """Tautan Bukti: a Google Drive folder per employee, linked by the more diligent half."""
    ids = DRIVE[rng.integers(0, 64, (org.nip.size, 32))].view("<U32").ravel()
    folders = np.strings.add(np.strings.add("https://drive.google.com/drive/folders/1", ids),
                             "?usp=drive_link").astype(object)
    diligent = (rng.random(org.nip.size) < 0.55)[skp.emp]
    linked = diligent[None, :] & (rng.random((n_months, skp.emp.size)) < 0.8)
    return np.where(linked, folders[skp.emp][None, :], None)


def _reported(rng, org: _Org, skp: _Skp, n_months: int) -> np.ndarray:
    """Which (month, IKI) reports exist: a couple of staff skipped a month or two."""
    missing = np.full((2, org.nip.size), -1)
    staff = np.flatnonzero(org.level == 2)
    if n_months >= 2 and staff.size:
        late = rng.choice(staff, min(staff.size, max(2, org.nip.size // 200)), replace=False)
        missing[0, late] = rng.integers(1, n_months, late.size)
        twice = late[rng.random(late.size) < 0.5]
        missing[1, twice] = np.where(missing[0, twice] + 1 < n_months, missing[0, twice] + 1, -1)
    month = np.arange(n_months)[:, None]
    return (month != missing[0, skp.emp][None, :]) & (month != missing[1, skp.emp][None, :])


def _behaviours(rng, org: _Org, labels: np.ndarray, mode: str) -> pd.DataFrame:
    """Perilaku: 360° BerAKHLAK ratings, 1-5, around each employee's disposition."""
    size = org.nip.size
    month, nip, rater, role = _rating_rows(rng, org, labels.size, mode)
    mood = MOOD[org.tier] + rng.normal(0, 0.12, size)
    offsets = rng.normal(0, 0.25, (size, len(VALUES)))
    staff = np.flatnonzero((org.level == 2) & (org.tier == 1))
    if staff.size:  # a couple whose one weak value calls for training (Tindak Lanjut: Pelatihan)
        weak = rng.choice(staff, min(staff.size, max(2, size // 100)), replace=False)
        value = rng.integers(0, len(VALUES), weak.size)
        value[0] = VALUES.index("accountable")
        offsets[weak, value] -= 1.7
    lenience = np.array([0.0, 0.1, 0.15, 0.35])[role]
    score = ((mood[nip] + lenience + rng.normal(0, 0.3, nip.size))[:, None] + offsets[nip]
             + rng.normal(0, 0.4, (nip.size, len(VALUES))))
    score = np.clip(np.rint(score), 1, 5).astype(np.int64)
    frame = pd.DataFrame({"month": labels[month], "nip": org.nip[nip], "rater_nip": org.nip[rater],
                          "role": ROLES[role]})
    for i, name in enumerate(VALUES):
        frame[name] = score[:, i]
    frame["feedback"] = _feedback(rng, score.mean(axis=1), role)
    return frame


def _rating_rows(rng, org: _Org, n_months: int, mode: str):
    """Who rates whom when: month, rated, rater and role (0 Atasan ... 3 Diri Sendiri) per row."""
    size = org.nip.size
    month = np.arange(n_months)[:, None]
    has_sup = np.broadcast_to(org.sup >= 0, (n_months, size))
    group, place, member = _peer_groups(org)
    first = 1 + (month + rng.integers(0, 1000, size)) % np.maximum(group - 1, 1)
    second = 1 + first % np.maximum(group - 1, 1)
    if mode == "monthly":
        supervised = has_sup.copy()
        late = np.flatnonzero(org.level == 2)
        if n_months >= 2 and late.size:  # one or two atasan skipped a month
            late = rng.choice(late, min(late.size, max(2, size // 200)), replace=False)
            supervised[rng.integers(0, n_months, late.size), late] = False
        peers = [(group >= 2) & (month >= 0), (group >= 3) & (rng.random((n_months, size)) < 0.5)]
        subs = np.bincount(org.sup[org.sup >= 0], minlength=size)
        below = has_sup & (rng.random((n_months, size)) < 1.5 / np.maximum(subs[org.sup], 1))
        self_rated = rng.random((n_months, size)) < 0.25
    else:  # about 7 rows per employee per year: 4 Atasan, 2 Rekan Kerja, 1 Diri Sendiri
        quarter = np.isin(month, np.round(np.linspace(n_months / 4 - 1, n_months - 1, 4)))
        supervised = has_sup & quarter
        peers = [(group >= 2) & np.isin(month, [max(n_months // 2 - 1, 0), n_months - 1]),
                 np.zeros((n_months, size), bool)]
        below = np.zeros((n_months, size), bool)
        self_rated = np.broadcast_to(month == n_months - 1, (n_months, size))
    parts = [(supervised, "self", lambda m, e: org.sup[e], 0),
             (peers[0], "self", lambda m, e: member((place[e] + first[m, e]) % group[e], e), 1),
             (peers[1], "self", lambda m, e: member((place[e] + second[m, e]) % group[e], e), 1),
             (below, "sup", lambda m, e: e, 2),
             (self_rated, "self", lambda m, e: e, 3)]
    out = [[], [], [], []]
    for mask, rated, who, role in parts:
        m, e = np.nonzero(mask)
        out[0].append(m)
        out[1].append(e if rated == "self" else org.sup[e])
        out[2].append(who(m, e))
        out[3].append(np.full(m.size, role))
    month, nip, rater, role = (np.concatenate(x) for x in out)
    order = np.lexsort((rater, role, nip, month))
    return month[order], nip[order], rater[order], role[order]


def _peer_groups(org: _Org):
    """Each employee's peer group (same supervisor; unit heads with each other): size, place, member()."""
    n, s, unit, seat = org.per_unit, org.sections, org.unit, org.seat
    span = np.maximum(s, 1)
    staff = n - 1 - s
    section = (seat - 1 - s) % span
    head, lead = org.level == 0, org.level == 1
    group = np.select([head, lead], [len(org.units), s], staff // span + (section < staff % span))
    place = np.select([head, lead], [unit, seat - 1], (seat - 1 - s) // span)

    def member(p, e):
        return np.select([head[e], lead[e]], [p * n, unit[e] * n + 1 + p],
                         unit[e] * n + 1 + s[e] + p * span[e] + section[e])

    return group, place, member


def _feedback(rng, mean: np.ndarray, role: np.ndarray) -> np.ndarray:
    """Umpan Balik on about a fifth of the supervisors' rows, matching the scores given."""
    kind = np.select([mean >= 4.4, mean >= 3.6], [0, 1], 2)
    texts = [FEEDBACK["praise"], FEEDBACK["neutral"], FEEDBACK["improve"]]
    flat = np.array([t for group in texts for t in group] + [None], dtype=object)
    offset = np.cumsum([0] + [len(t) for t in texts[:-1]])[kind]
    count = np.array([len(t) for t in texts])[kind]
    which = offset + rng.integers(0, 1 << 30, mean.size) % count
    return flat[np.where((role == 0) & (rng.random(mean.size) < 0.2), which, flat.size - 1)]


def _supervisor_ratings(rng, org: _Org, labels: np.ndarray) -> pd.DataFrame:
    """Penilaian Atasan: a handful of supervisors' final words, mostly lifting a rating."""
    rated = np.flatnonzero(org.sup >= 0)
    count = min(rated.size, max(5, org.nip.size // 200))
    stars, rest = rated[org.tier[rated] == 0], rated[org.tier[rated] != 0]
    from_stars = min(stars.size, count // 2 + 1)
    who = np.concatenate([rng.choice(stars, from_stars, replace=False),
                          rng.choice(rest, min(rest.size, count - from_stars), replace=False)])
    tier = org.tier[who]
    notes = np.array(["Berinisiatif membuka layanan jemput bola di gampong dan membimbing pegawai baru",
                      "Menyelesaikan tunggakan berkas selama rekan satu bidang cuti melahirkan",
                      "Realisasi rendah karena blangko dan jaringan terganggu, di luar kendali pegawai"],
                     dtype=object)
    kind = np.select([tier == 0, tier == 1], [0, 1], 2)
    frame = pd.DataFrame({
        "period": labels[rng.integers(0, labels.size, who.size)],
        "nip": org.nip[who],
        "work_rating": np.array([None, "Di Atas Ekspektasi", "Sesuai Ekspektasi"], dtype=object)[kind],
        "behaviour_rating": np.where(kind == 0, "Di Atas Ekspektasi", None),
        "note": notes[kind],
    })
    # A unit head's atasan (the Sekda) is not in the agency's workbook: the Sekda's word on
    # behaviour arrives through Penilaian Atasan every period, so heads are scored completely.
    heads = np.flatnonzero(org.sup < 0)
    period, head = np.meshgrid(labels, heads, indexing="ij")
    head = head.ravel()
    by_sekda = pd.DataFrame({
        "period": period.ravel(),
        "nip": org.nip[head],
        "work_rating": None,
        "behaviour_rating": np.where(org.tier[head] == 0, "Di Atas Ekspektasi", "Sesuai Ekspektasi"),
        "note": "Penilaian perilaku oleh Sekretaris Daerah",
    })
    frame = pd.concat([frame, by_sekda], ignore_index=True)
    return frame.sort_values(["period", "nip"], ignore_index=True)


_EDUCATION = (("SD", "SMP", "SMA", "S1", "S2", "S3"), (0.08, 0.12, 0.45, 0.28, 0.06, 0.01))
_OCCUPATION = (("PNS", "TNI", "POLRI", "SWASTA", "WIRAUSAHA", "Lainnya"), (0.12, 0.03, 0.03, 0.3, 0.3, 0.22))


def _surveys(rng, org: _Org, year: int, n_months: int, count: int) -> pd.DataFrame:
    """Survei: SKM answers (1-4, mostly 3, U4 mostly 4), heavier in the March/September campaigns."""
    share = np.array([u[3] for u in org.units], dtype=float)
    if count == 0 or share.sum() == 0:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in _SURVEY_COLUMNS})
    unit = rng.choice(share.size, count, p=share / share.sum())
    campaign = np.where(np.isin(np.arange(n_months), [2, 8]), 6.0, 1.0)
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


def _officers(rng, org: _Org, unit: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
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


def _services(rng, org: _Org, unit: np.ndarray) -> np.ndarray:
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


def _service_units(rng, org: _Org, labels: np.ndarray) -> pd.DataFrame:
    """Unit Layanan: citizens served per service unit per month (for the minimum SKM sample)."""
    served = [u for u in org.units if u[3] > 0]
    base = np.repeat([u[4] for u in served], labels.size)
    return pd.DataFrame({
        "service_unit": np.repeat(np.array([u[0] for u in served], dtype=object), labels.size),
        "period": np.tile(labels, len(served)),
        "population": np.maximum(np.rint(base * (1 + rng.normal(0, 0.1, base.size))), 10).astype(np.int64),
    })
