"""`Capaian IKI`: the per-indicator figures behind every rating, with a status per indicator and period."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from scoring import periods as period_rules
from sheet_templates import results as R
from sheet_templates.schema import INDICATORS
from sync.outtabs import (
    OutputTab,
)
from sync.render.common import MAX_MONTHS_NAMED, output_columns, table_rows

# --- Capaian IKI -------------------------------------------------------------------------------

_ASPECT_LABELS = {c.code: c.label for c in INDICATORS.column("aspect").choices}
_DIRECTION_LABELS = {c.code: c.label for c in INDICATORS.column("direction").choices}


def render_indicators(indicators: pd.DataFrame, results: pd.DataFrame, skp: pd.DataFrame,
                      realisations: pd.DataFrame, year: int, period_type: str) -> OutputTab:
    """The `Capaian IKI` tab: the per-indicator figures behind each Rating Hasil Kerja.

    One row per employee, indicator and scored period, in the order of `Hasil`
    (then the SKP's order): target and realisation accumulated from January to
    the period's end, the capaian they give, the period's Kendala and Rencana
    Tindak Lanjut, and a status naming what is missing. Capaian is cut (not
    rounded) to two decimals, so that 109,996 reads 109,99: below the 110 %
    band, as it was rated.

    Args:
        indicators: `scoring.Results.indicators`.
        results: `scoring.Results.results` (names, units and the order of `Hasil`).
        skp: the validated SKP rows (iki_code, rhk, indicator, aspect, direction as codes).
        realisations: the validated Realisasi rows (iki_code, month, obstacle, follow_up_plan).
        year, period_type: Tahun Penilaian and Periode Evaluasi (codes).
    """
    tab = R.CAPAIAN_IKI
    columns = output_columns(tab)
    if indicators.empty:
        return OutputTab(tab.label, columns, [], autofilter=True)
    frame = indicators.reset_index(drop=True).assign(period=lambda f: f["period"].astype(str))
    people = results[["period", "nip", "name", "unit"]].astype({"period": str}).drop_duplicates(
        ["period", "nip"])
    people = people.assign(_order=np.arange(len(people)))
    frame = frame.merge(people, on=["period", "nip"], how="left")
    details = skp.drop_duplicates("iki_code", keep="last").set_index("iki_code")
    for column in ("rhk", "indicator", "aspect", "direction"):
        frame[column] = frame["iki_code"].map(details[column]) if column in details else None
    frame["_skp"] = frame["iki_code"].map(pd.Series(np.arange(len(details)), index=details.index))
    frame["rhk_type"] = frame["rhk_type"].astype(str).map(R.RHK_TYPE_LABELS)
    frame["aspect"] = frame["aspect"].map(_ASPECT_LABELS)
    frame["direction"] = frame["direction"].map(_DIRECTION_LABELS)
    months = _month_numbers(realisations["month"]) if len(realisations) else np.zeros(0, np.int64)
    notes = _period_notes(realisations, months, year, period_type)
    frame = frame.merge(notes, on=["iki_code", "period"], how="left")
    frame["target"] = _target_text(frame["target"], frame["target_max"])
    frame["capaian"] = _cut(frame["capaian"])
    frame["status"] = indicator_status(frame, realisations["iki_code"], months, year, period_type)
    frame = frame.sort_values(["_order", "_skp"], kind="stable", na_position="last")
    return OutputTab(tab.label, columns, table_rows(frame, tab), autofilter=True)


def _month_numbers(series: pd.Series) -> np.ndarray:
    """Month numbers 1–12 of validated months: (year, month) pairs or numbers."""
    return np.array([m[1] if isinstance(m, tuple | list) else int(m) for m in series], dtype=np.int64)


def _period_notes(realisations: pd.DataFrame, months: np.ndarray, year: int,
                  period_type: str) -> pd.DataFrame:
    """Per indicator and period: the latest Kendala and Rencana Tindak Lanjut typed in its months."""
    columns = ["iki_code", "period", "obstacle", "follow_up_plan"]
    if not len(realisations):
        return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    notes = pd.DataFrame({
        "iki_code": realisations["iki_code"].to_numpy(dtype=object),
        "period": period_rules.month_to_period(months, year, period_type),
        "_month": months,
        **{c: realisations[c].to_numpy(dtype=object) if c in realisations else None
           for c in ("obstacle", "follow_up_plan")},
    })
    for c in ("obstacle", "follow_up_plan"):
        notes[c] = notes[c].where(notes[c].map(lambda v: isinstance(v, str) and v.strip() != ""))
    notes = notes.sort_values("_month", kind="stable")
    return notes.groupby(["iki_code", "period"], sort=False)[["obstacle", "follow_up_plan"]].last(
        ).reset_index()


def _target_text(lower: pd.Series, upper: pd.Series) -> list:
    """The target as a number, or "10,00–12,00" for a range target (capaian 100 % inside it)."""
    out = []
    for lo, hi in zip(lower.tolist(), upper.tolist(), strict=True):
        if hi is None or (isinstance(hi, float) and math.isnan(hi)):
            out.append(lo)
        else:
            out.append(f"{_id_number(lo)}–{_id_number(hi)}")
    return out


def _id_number(value) -> str:
    """A number with two decimals the Indonesian way: 1.234,50."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return f"{value:,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")


def _cut(values: pd.Series) -> pd.Series:
    """Capaian cut to two decimals (never rounded up across a band edge)."""
    hundredths = np.floor(np.round(values.to_numpy(dtype="float64") * 100, 6))
    return pd.Series(hundredths / 100, index=values.index)


def indicator_status(frame: pd.DataFrame, codes: pd.Series, months: np.ndarray, year: int,
                     period_type: str) -> list[str]:
    """The `Status` of each Capaian IKI row.

    No realisation at all, a target that is not positive, then scoring's own
    per-indicator `status` where it gives one (rejected months), else the
    months without a Realisasi row between the indicator's first reported
    month and the period's end: capaian is cumulative, so such a month
    silently repeats the earlier figure unless it is named.
    """
    present = _months_present(codes, months)
    row_present = frame["iki_code"].map(present).fillna(0).astype(np.int64).to_numpy()
    ends = {p: period_rules.period_months(p, year, period_type)[1] for p in frame["period"].unique()}
    last = frame["period"].map(ends).to_numpy(dtype=np.int64)
    lowest = row_present & -row_present  # the first reported month's bit
    upto = (np.left_shift(1, last + 1) - 1)
    missing = ~row_present & upto & ~((lowest << 1) - 1) & np.where(row_present > 0, -1, 0)
    flags = frame["flag"].astype(object).to_numpy()
    given = frame["status"].to_numpy(dtype=object) if "status" in frame else None
    out = []
    for i in range(len(frame)):
        flag = flags[i]
        if flag == "no_realisation":
            out.append(R.INDICATOR_STATUS_LABELS["no_realisation"])
            continue
        words = []
        if flag == "invalid_target":
            words.append(R.INDICATOR_STATUS_LABELS["invalid_target"])
        if given is not None and isinstance(given[i], str) and given[i] not in ("", "complete", "nan"):
            words.append(R.INDICATOR_STATUS_LABELS.get(given[i], given[i]))
        if missing[i]:
            words.append(R.INDICATOR_STATUS_LABELS["missing_month"].format(
                months=_month_list([m for m in range(1, 13) if missing[i] >> m & 1])))
        out.append(_sentence("; ".join(words)) if words else R.INDICATOR_STATUS_LABELS["complete"])
    return out


def _months_present(codes: pd.Series, months: np.ndarray) -> dict[str, int]:
    """Per Kode IKI, the months with a Realisasi row as a bitmask (bit m for month m)."""
    out: dict[str, int] = {}
    for code, month in zip(codes.tolist(), months.tolist(), strict=True):
        out[code] = out.get(code, 0) | (1 << month)
    return out


def _month_list(months: list[int]) -> str:
    named = [R.MONTH_NAMES[m] for m in months[:MAX_MONTHS_NAMED]]
    return ", ".join(named) + (", dst." if len(months) > MAX_MONTHS_NAMED else "")


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


