"""Capaian IKI's columns made as arrays (issue 17) equal the row-by-row way they were made before."""

from __future__ import annotations

import random

import numpy as np
import pandas as pd

from scoring import periods as period_rules
from sync.render.indicators import _Keys, _latest_note, indicator_status

YEAR, TYPE = 2026, "quarterly"


def realisations_and_rows(seed: int):
    rng = random.Random(seed)
    codes = [f"IKI-{i}" for i in range(40)]
    notes = ["", "  ", None, "Jaringan putus", "Anggaran terlambat", "Cuaca"]
    realisations = pd.DataFrame({
        "iki_code": [rng.choice(codes) for _ in range(600)],
        "month": [(YEAR, rng.randrange(1, 13)) for _ in range(600)],
        "obstacle": [rng.choice(notes) for _ in range(600)],
        "follow_up_plan": [rng.choice(notes) for _ in range(600)],
    })
    periods = period_rules.all_periods(YEAR, TYPE)
    frame = pd.DataFrame({
        "iki_code": [rng.choice([*codes, "IKI-none"]) for _ in range(300)],
        "period": [rng.choice(periods) for _ in range(300)],
        "flag": [rng.choice([None, "no_realisation", "invalid_target"]) for _ in range(300)],
        "status": [rng.choice([None, "", "complete", "rejected_month"]) for _ in range(300)],
    })
    months = np.array([m for _, m in realisations["month"]], dtype=np.int64)
    return realisations, frame, months


def old_notes(realisations: pd.DataFrame, frame: pd.DataFrame, months: np.ndarray) -> pd.DataFrame:
    """Kendala and Rencana Tindak Lanjut as the groupby and merge of before gave them."""
    notes = pd.DataFrame({
        "iki_code": realisations["iki_code"].to_numpy(dtype=object),
        "period": period_rules.month_to_period(months, YEAR, TYPE),
        "_month": months,
        **{c: realisations[c].to_numpy(dtype=object) for c in ("obstacle", "follow_up_plan")},
    })
    for c in ("obstacle", "follow_up_plan"):
        notes[c] = notes[c].where(notes[c].map(lambda v: isinstance(v, str) and v.strip() != ""))
    notes = notes.sort_values("_month", kind="stable")
    notes = notes.groupby(["iki_code", "period"], sort=False)[["obstacle", "follow_up_plan"]].last()
    notes = notes.reset_index()
    return frame.merge(notes, on=["iki_code", "period"], how="left")


def test_latest_notes_are_those_the_groupby_gave():
    for seed in range(5):
        realisations, frame, months = realisations_and_rows(seed)
        keys = _Keys(frame, realisations, months, YEAR, TYPE)
        expected = old_notes(realisations, frame, months)
        for column in ("obstacle", "follow_up_plan"):
            got = _latest_note(realisations, column, months, keys).tolist()
            want = [None if not isinstance(v, str) else v for v in expected[column]]
            assert got == want


def test_status_is_the_row_by_row_status():
    from sheet_templates import results as R
    from sync.render.indicators import _month_list, _sentence

    for seed in range(5):
        realisations, frame, months = realisations_and_rows(seed)
        keys = _Keys(frame, realisations, months, YEAR, TYPE)
        got = indicator_status(frame, keys.months_present(months), YEAR, TYPE).tolist()
        present: dict[str, int] = {}
        for code, month in zip(realisations["iki_code"], months.tolist(), strict=True):
            present[code] = present.get(code, 0) | (1 << month)
        want = []
        for code, period, flag, given in frame[["iki_code", "period", "flag", "status"]].itertuples(
                index=False):
            if flag == "no_realisation":
                want.append(R.INDICATOR_STATUS_LABELS["no_realisation"])
                continue
            bits = present.get(code, 0)
            last = period_rules.period_months(period, YEAR, TYPE)[1]
            first = bits & -bits
            missing = [m for m in range(1, last + 1) if bits and m > first.bit_length() - 1
                       and not bits >> m & 1]
            words = []
            if flag == "invalid_target":
                words.append(R.INDICATOR_STATUS_LABELS["invalid_target"])
            if isinstance(given, str) and given not in ("", "complete", "nan"):
                words.append(R.INDICATOR_STATUS_LABELS.get(given, given))
            if missing:
                words.append(R.INDICATOR_STATUS_LABELS["missing_month"].format(months=_month_list(missing)))
            want.append(_sentence("; ".join(words)) if words else R.INDICATOR_STATUS_LABELS["complete"])
        assert got == want
