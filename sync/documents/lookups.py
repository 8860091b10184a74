"""The period's data indexed by NIP or Kode IKI, built once for all of its documents."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

import pandas as pd

import scoring
from scoring.behaviour import ROLES
from scoring.predikat import PREDIKATS

from . import words
from .inputs import INDICATOR_TEXTS, REALISATION_TEXTS, DocumentTexts, PeriodInfo, text_columns


@dataclass
class Lookups:
    """The period's data indexed by NIP (or Kode IKI), built once for all employees."""

    people: dict[str, dict]
    indicators: dict[str, list[dict]]
    feedback: dict[str, list[str]]
    behaviour_feedback: dict[str, list[dict]]
    notes: dict[str, str]
    agency_counts: dict[str, int]
    scored_in_unit: dict[str, int]
    scored: int
    org_predikat: str
    org_predikat_set: bool
    org_name: str
    place: str
    signed_on: str


def lookups(frames: scoring.Frames, settings: scoring.Settings, results: scoring.Results,
            period: PeriodInfo, rows: pd.DataFrame, texts: DocumentTexts) -> Lookups:
    """Index everything the employee documents of `period` need; `rows` are its result rows."""
    ranked = rows.loc[rows["predikat"].notna()]
    agency = results.agency.loc[results.agency["period"] == period.label]
    counts = ({code: int(agency[f"count_{code}"].iloc[0]) for code in PREDIKATS}
              if len(agency) else ranked["predikat"].value_counts().to_dict())
    org_predikat = words.ORG_PREDIKAT_LABELS.get(settings.org_predikat, "")
    return Lookups(
        people=_people(frames.employees),
        indicators=_indicators(frames, results, period, texts),
        feedback=_work_feedback(frames, period, texts),
        behaviour_feedback=_behaviour_feedback(frames, period, texts),
        notes=_notes(frames, period, texts),
        agency_counts=counts,
        scored_in_unit=ranked["unit"].value_counts().to_dict(),
        scored=len(ranked),
        org_predikat=org_predikat.upper() if org_predikat else "BELUM DITETAPKAN",
        org_predikat_set=bool(org_predikat),
        org_name=words.text(settings.org_name),
        place=words.text(texts.place),
        signed_on=words.long_date(texts.signed_on or date.today()),
    )


def _people(employees: pd.DataFrame) -> dict[str, dict]:
    out = {}
    columns = [c for c in ("nip", "name", "rank", "position", "unit", "supervisor_nip")
               if c in employees.columns]
    for rec in employees[columns].to_dict("records"):
        nip = words.text(rec.get("nip"))
        if nip:
            out[nip] = {key: words.text(rec.get(key)) for key in
                        ("nip", "name", "rank", "position", "unit", "supervisor_nip")}
    return out


def _indicators(frames, results, period: PeriodInfo, texts: DocumentTexts) -> dict[str, list]:
    scores = results.indicators.loc[results.indicators["period"] == period.label]
    info = text_columns(texts.indicators, frames.indicators, ("iki_code",), INDICATOR_TEXTS)
    info = info.drop_duplicates("iki_code", keep="last")
    merged = pd.DataFrame({
        "iki_code": scores["iki_code"].astype(object).to_numpy(),
        "nip": scores["nip"].astype(object).to_numpy(),
        "rhk_type": scores["rhk_type"].astype(object).to_numpy(),
        **{c: scores[c].to_numpy(dtype="float64") for c in
           ("realisation", "target", "target_max", "capaian")},
        "flag": scores["flag"].astype(object).to_numpy(),
    }).merge(info, on="iki_code", how="left")
    out: dict[str, list] = defaultdict(list)
    for rec in merged.to_dict("records"):
        out[str(rec["nip"])].append(rec)
    return out


def _work_feedback(frames, period: PeriodInfo, texts: DocumentTexts) -> dict[str, list[str]]:
    real = text_columns(texts.realisations, frames.realisations, ("iki_code", "month"),
                        REALISATION_TEXTS)
    months = pd.to_numeric(real["month"], errors="coerce")
    real = real.loc[months.between(period.first_month, period.last_month)]
    real = real.assign(month=months).sort_values("month", kind="stable")
    several = period.first_month != period.last_month
    out: dict[str, list[str]] = defaultdict(list)
    for rec in real.to_dict("records"):
        parts = []
        if rec["obstacle"]:
            parts.append(f"Kendala: {rec['obstacle'].rstrip('.')}")
        if rec["follow_up_plan"]:
            parts.append(f"Rencana tindak lanjut: {rec['follow_up_plan'].rstrip('.')}")
        if parts:
            when = f"{words.MONTHS[int(rec['month']) - 1]}: " if several else ""
            out[str(rec["iki_code"])].append(words.breakable(when + ". ".join(parts) + "."))
    return out


def _behaviour_feedback(frames, period: PeriodInfo, texts: DocumentTexts) -> dict[str, list]:
    rows = text_columns(texts.behaviours, frames.behaviours, ("month", "nip", "role"),
                        ("feedback",))
    months = pd.to_numeric(rows["month"], errors="coerce")
    keep = months.between(period.first_month, period.last_month) & (rows["role"] != "self")
    rows = rows.loc[keep & (rows["feedback"] != "")].assign(month=months)
    order = {role: i for i, role in enumerate(ROLES)}
    rows = rows.assign(_order=rows["role"].map(order).fillna(len(ROLES)))
    rows = rows.sort_values(["_order", "month"], kind="stable")
    several = period.first_month != period.last_month
    out: dict[str, list] = defaultdict(list)
    seen = set()
    for rec in rows.to_dict("records"):
        key = (str(rec["nip"]), rec["role"], rec["feedback"])
        if key in seen:
            continue
        seen.add(key)
        out[key[0]].append({
            "who": words.ROLE_LABELS.get(rec["role"], words.text(rec["role"])),
            "when": words.MONTHS[int(rec["month"]) - 1] if several else "",
            "text": words.breakable(rec["feedback"]),
        })
    return out


def _notes(frames, period: PeriodInfo, texts: DocumentTexts) -> dict[str, str]:
    notes = text_columns(texts.supervisor_ratings, frames.supervisor_ratings, ("period", "nip"),
                         ("note",))
    notes = notes.loc[(notes["period"].astype(str) == period.label) & (notes["note"] != "")]
    return {str(n): words.breakable(t) for n, t in zip(notes["nip"], notes["note"], strict=True)}
