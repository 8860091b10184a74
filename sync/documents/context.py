"""Plain-dict contexts of the employee document (Evaluasi Kinerja Pegawai).

Everything a template prints is worked out here, as strings and small lists,
so the .typ file only lays it out and a context can be checked in a test or
sent to another process as JSON.
"""

from __future__ import annotations

from scoring.bands import RATINGS
from scoring.frames import VALUE_COLUMNS
from scoring.predikat import MATRIX
from sheet_templates import results as R

from . import charts, words
from .inputs import INDICATOR_TEXTS, PeriodInfo
from .lookups import Lookups

TITLES = ("PEGAWAI YANG DINILAI", "PEJABAT PENILAI KINERJA", "ATASAN PEJABAT PENILAI KINERJA")
IKM_SOURCE_LABELS = {"officer": "IKM petugas", "unit": "IKM unit"}


def employee_context(row: dict, period: PeriodInfo, look: Lookups) -> dict:
    """The context of one employee's document from their `results` row."""
    nip = str(row["nip"])
    me = look.people.get(nip) or {"nip": nip, "name": words.text(row["name"]),
                                  "position": words.text(row["position"]),
                                  "unit": words.text(row["unit"]), "rank": "", "supervisor_nip": ""}
    boss = _lookup_person(look.people, me.get("supervisor_nip"))
    boss_boss = _lookup_person(look.people, (boss or {}).get("supervisor_nip"))
    work_rating, behaviour_rating = row["work_rating"], row["behaviour_rating"]
    predikat = row["predikat"] if not words.is_blank(row["predikat"]) else None
    return {
        "org": look.org_name,
        "period": {"label": period.label, "name": period.name, "dates": period.dates},
        "people": [_person(t, p) for t, p in zip(TITLES, (me, boss, boss_boss), strict=True)],
        "org_predikat": look.org_predikat,
        "work": {
            "groups": _work_groups(look.indicators.get(nip, []), look.feedback),
            "achievement": words.percent(row["work_achievement"]),
            "rating": _rating(work_rating),
        },
        "behaviour": _behaviour(row, look.behaviour_feedback.get(nip, [])),
        "predikat": words.PREDIKAT_LABELS.get(predikat, words.MISSING),
        "status": words.status_text(row["status"], row["reasons"]),
        "complete": row["status"] == "complete",
        "rating_source": R.RATING_SOURCE_LABELS.get(row["rating_source"], ""),
        "summary": _summary(row, look),
        "follow_up": words.follow_up_words(row["follow_up"]),
        "note": look.notes.get(nip, ""),
        "distribution": {
            "title": "KURVA DISTRIBUSI PREDIKAT KINERJA PEGAWAI" + (
                f" DENGAN CAPAIAN KINERJA ORGANISASI {look.org_predikat}"
                if look.org_predikat_set else ""),
            **charts.distribution(look.agency_counts, predikat),
        },
        "quadrant": _quadrant(work_rating, behaviour_rating),
        "sign": {
            "place": look.place,
            "date": look.signed_on,
            "left": {"role": "Pegawai yang Dinilai", "name": me["name"], "nip": nip},
            "right": {"role": "Pejabat Penilai Kinerja",
                      "name": (boss or {}).get("name", ""), "nip": (boss or {}).get("nip", "")},
        },
        "footer": f"{me['name']} · NIP {nip} · {period.name.title()}",
    }


def _rating(code) -> str:
    return words.RATING_LABELS.get(code, words.MISSING) if not words.is_blank(code) else words.MISSING


def _lookup_person(people: dict[str, dict], nip) -> dict | None:
    nip = words.text(nip)
    if not nip:
        return None
    return people.get(nip) or {"nip": nip, "name": "", "rank": "", "position": "", "unit": "",
                               "supervisor_nip": ""}


def _person(title: str, person: dict | None) -> dict:
    person = person or {}
    return {
        "title": title,
        "name": words.breakable(person.get("name", "")),
        "nip": person.get("nip", ""),
        "rank": words.rank_text(person.get("rank", "")),
        "position": words.breakable(person.get("position", "")),
        "unit": words.breakable(person.get("unit", "")),
    }


def _target(rec: dict) -> str:
    shown = words.number(rec["target"], trim=True)
    if not words.is_blank(rec["target_max"]):
        shown = f"{shown} – {words.number(rec['target_max'], trim=True)}"
    return f"{shown} {rec['unit_of_measure']}".strip() if shown != words.MISSING else shown


def _indicator_row(rec: dict, feedback: dict[str, list[str]]) -> dict:
    notes = list(feedback.get(str(rec["iki_code"]), []))
    if rec["flag"] == "no_realisation":
        notes.insert(0, "Belum ada realisasi.")
    elif rec["flag"] == "invalid_target":
        notes.insert(0, "Target periode tidak sah (bukan angka lebih dari 0).")
    realisation = words.number(rec["realisation"], trim=True)
    return {
        "aspect": words.ASPECT_LABELS.get(rec["aspect"], rec["aspect"]),
        "indicator": words.breakable(rec["indicator"]),
        "target": _target(rec),
        "realisation": (f"{realisation} {rec['unit_of_measure']}".strip()
                        if realisation != words.MISSING else realisation),
        "capaian": words.percent(rec["capaian"]),
        "feedback": notes,
    }


def _work_groups(indicators: list[dict], feedback: dict[str, list[str]]) -> list[dict]:
    """Indicators as A. Utama / B. Tambahan, each a list of RHK with their IKI rows."""
    groups = []
    for code, title in (("main", "A. KINERJA UTAMA"), ("additional", "B. KINERJA TAMBAHAN")):
        rhks: dict[tuple[str, str], dict] = {}
        for rec in indicators:
            rec = {k: ("" if k in INDICATOR_TEXTS and words.is_blank(v) else v)
                   for k, v in rec.items()}
            if rec["rhk_type"] != code:
                continue
            key = (rec["parent_rhk"], rec["rhk"])
            if key not in rhks:
                rhks[key] = {"no": len(rhks) + 1, "parent": words.breakable(key[0]),
                             "rhk": words.breakable(key[1]), "rows": []}
            rhks[key]["rows"].append(_indicator_row(rec, feedback))
        groups.append({"title": title, "rhks": list(rhks.values())})
    return groups


def _behaviour(row: dict, feedback: list[dict]) -> dict:
    values = [{
        "no": i + 1,
        "label": words.VALUE_LABELS[value],
        "indicators": list(words.BERAKHLAK_INDICATORS[value]),
        "score": words.number(row.get(f"value_{value}")),
    } for i, value in enumerate(VALUE_COLUMNS)]
    self_score = row.get("self_score")
    return {
        "values": values,
        "feedback": feedback,
        "score": words.number(row["behaviour_score"]),
        "self_score": "" if words.is_blank(self_score) else words.number(self_score),
        "rating": _rating(row["behaviour_rating"]),
    }


def _summary(row: dict, look: Lookups) -> list[list[str]]:
    ikm = words.number(row["ikm"])
    if ikm != words.MISSING:
        source = IKM_SOURCE_LABELS.get(row["ikm_source"], "")
        ikm = f"{ikm} (mutu {words.text(row['ikm_quality'])}{', ' + source if source else ''})"
    rank = words.MISSING
    if not words.is_blank(row["unit_rank"]):
        rank = (f"{int(row['unit_rank'])} dari {look.scored_in_unit.get(row['unit'], 0)} di unit "
                f"kerja; {int(row['agency_rank'])} dari {look.scored} di instansi")
    return [
        ["Capaian Hasil Kerja s.d. periode", words.percent(row["work_achievement"])],
        ["Nilai Perilaku Kerja (1–5)", words.number(row["behaviour_score"])],
        ["Indeks Kepuasan Masyarakat", ikm],
        ["Nilai Kinerja", words.number(row["performance_score"])],
        ["Peringkat", rank],
    ]


def _quadrant(work_rating, behaviour_rating) -> dict:
    """The 3×3 kuadran: rows Hasil Kerja (Di Atas first), columns Perilaku (Di Bawah first)."""
    rows = list(RATINGS)
    columns = list(reversed(RATINGS))
    cells = [[words.PREDIKAT_LABELS[MATRIX[(w, b)]] for b in columns] for w in rows]
    mark = None
    if work_rating in rows and behaviour_rating in columns:
        mark = [rows.index(work_rating), columns.index(behaviour_rating)]
    return {"rows": [words.RATING_LABELS[r] for r in rows],
            "columns": [words.RATING_LABELS[c] for c in columns], "cells": cells, "mark": mark}
