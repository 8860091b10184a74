"""The demo's organisation: units, employees, jobs, golongan, NIPs and names.

`organisation` builds the Pegawai tab (heads, section heads and staff per unit, with
titles, degrees, ranks, 18-digit NIPs and Acehnese names) together with `Org`, the
hidden traits (seat, level, supervisor, performance tier, front-office flag) that
every other demo tab is drawn from. It is separate because it is the one generator
the others depend on, and NIP and name construction is a subject of its own.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from sync.demo.catalogue import (
    AHLI,
    CLINIC,
    HEADS,
    NAMES,
    PNS_GRADES,
    PPPK_GRADES,
    PROFILES,
    S1,
    TERAMPIL,
    TIERS,
    UNITS,
)


def unit_catalogue(units: int) -> list[tuple]:
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
class Org:
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


def organisation(rng, units: list[tuple], n: int, year: int) -> Org:
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
    return Org(frame=frame, units=units, per_unit=n, nip=nip, unit=unit, seat=seat, level=level,
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
