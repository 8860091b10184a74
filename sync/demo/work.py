"""The demo's work results: SKP indicators (IKI) and their monthly realisations.

`indicators` picks 1-5 IKI per employee from the unit profile's catalogue (leaders
from the lead list, staff from the work list, plus some Tambahan) and cascades each
to the supervisor's RHK; `realisations` reports them month by month around the
target, scaled by the employee's skill, with Kendala, Tautan Bukti and a few
missed months. It is separate because SKP and Realisasi share their own per-indicator
state (`_Skp`) that no other tab needs.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from sync.demo.catalogue import DRIVE, EXTRA, PROFILES, SKILL, Iki
from sync.demo.people import Org


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


def indicators(rng, org: Org, per_employee: int | None) -> tuple[_Skp, pd.DataFrame]:
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


def realisations(rng, org: Org, skp: _Skp, labels: np.ndarray) -> pd.DataFrame:
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


def _obstacles(rng, org: Org, skp: _Skp, ratio: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
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


def _evidence(rng, org: Org, skp: _Skp, n_months: int) -> np.ndarray:
    """Tautan Bukti: a Google Drive folder per employee, linked by the more diligent half."""
    ids = DRIVE[rng.integers(0, 64, (org.nip.size, 32))].view("<U32").ravel()
    folders = np.strings.add(np.strings.add("https://drive.google.com/drive/folders/1", ids),
                             "?usp=drive_link").astype(object)
    diligent = (rng.random(org.nip.size) < 0.55)[skp.emp]
    linked = diligent[None, :] & (rng.random((n_months, skp.emp.size)) < 0.8)
    return np.where(linked, folders[skp.emp][None, :], None)


def _reported(rng, org: Org, skp: _Skp, n_months: int) -> np.ndarray:
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
