"""Plain-dict contexts of the unit page (for the Kepala Dinas) and the agency recap."""

from __future__ import annotations

import pandas as pd

from scoring.distribution import RULES
from scoring.predikat import PREDIKATS

from . import charts, words
from .inputs import PeriodInfo
from .lookups import Lookups

AGENCY_NAME = "Rata-rata instansi"


def _count(value) -> int:
    return 0 if words.is_blank(value) else int(value)


def _summary_row(frame: pd.DataFrame, period: str, unit: str | None) -> dict:
    rows = frame.loc[frame["period"] == period]
    if unit is not None:
        rows = rows.loc[rows["unit"] == unit]
    return rows.iloc[0].to_dict() if len(rows) else {}


def rule_texts(org_predikat: str | None) -> dict[str, str]:
    """What SE 03/2023 asks of each predikat for the organisation's predikat ('maks. 70%').

    Examples:
        >>> rule_texts("good")["good"], rule_texts("good")["poor"]
        ('maks. 70%', 'harus ada (atau Butuh Perbaikan)')
    """
    out: dict[str, list[str]] = {code: [] for code in PREDIKATS}
    for rule in RULES.get(org_predikat, ()):
        for code in rule.predikat:
            others = [words.PREDIKAT_LABELS[c] for c in rule.predikat if c != code]
            joined = f" ({'atau' if rule.kind == 'must_have' else 'bersama'} {', '.join(others)})" \
                if others else ""
            text = {"max": f"maks. {rule.limit}%", "min": f"min. {rule.limit}%",
                    "none": "tidak boleh ada", "must_have": "harus ada"}[rule.kind]
            out[code].append(text + joined)
    return {code: "; ".join(texts) or words.MISSING for code, texts in out.items()}


def _counts_table(summary: dict, org_predikat: str | None) -> list[list[str]]:
    scored = _count(summary.get("scored"))
    rules = rule_texts(org_predikat)
    rows = []
    for code in PREDIKATS:
        count = _count(summary.get(f"count_{code}"))
        share = words.percent(100 * count / scored, 1) if scored else words.MISSING
        rows.append([words.PREDIKAT_LABELS[code], str(count), share, rules[code]])
    return rows


def _distribution_check(summary: dict, org_predikat: str | None) -> str:
    if org_predikat is None:
        return "Tidak diperiksa: Predikat Kinerja Organisasi belum ditetapkan di Pengaturan."
    ok = summary.get("distribution_ok")
    if ok is None or words.is_blank(ok):
        return "Belum dapat diperiksa: belum ada pegawai berpredikat."
    if ok:
        return "Sesuai SE MenPANRB No. 03 Tahun 2023."
    return f"Tidak sesuai: {words.breach_text(summary.get('breaches'))}."


def _ikm(summary: dict) -> str:
    shown = words.number(summary.get("ikm"))
    quality = words.text(summary.get("ikm_quality"))
    return f"{shown} (mutu {quality})" if shown != words.MISSING and quality else shown


def _trend(period: PeriodInfo, kind: str, lines: list[tuple[str, pd.DataFrame, bool]]) -> dict:
    labels = list(period.labels_of_year)
    series = []
    for name, frame, main in lines:
        by_period = dict(zip(frame["period"], frame["mean_score"], strict=True))
        values = [None if words.is_blank(by_period.get(p)) else float(by_period[p]) for p in labels]
        series.append({"name": name, "values": values, "main": main})
    return charts.trend([words.short_period(p, kind) for p in labels], series)


def _complaints(complaints: pd.DataFrame | None, period: str, unit: str | None) -> str:
    """'12 pengaduan (3 belum selesai, 1 melewati batas waktu)', or '' when not given."""
    if complaints is None:
        return ""
    rows = complaints.reset_index(drop=True)
    if "period" in rows.columns:
        rows = rows.loc[rows["period"].astype(str) == period]
    if unit is not None:
        rows = rows.loc[rows["unit"].map(words.text).str.casefold() == unit.casefold()]
    total = int(pd.to_numeric(rows.get("complaints"), errors="coerce").fillna(0).sum())
    details = []
    for column, word in (("open", "belum selesai"), ("overdue", "melewati batas waktu")):
        if column in rows.columns:
            details.append(f"{int(pd.to_numeric(rows[column], errors='coerce').fillna(0).sum())} "
                           f"{word}")
    return f"{total} pengaduan" + (f" ({', '.join(details)})" if details else "")


def _employee_row(rec: dict) -> dict:
    rank = "" if words.is_blank(rec["unit_rank"]) else str(int(rec["unit_rank"]))
    predikat = words.PREDIKAT_LABELS.get(rec["predikat"], words.MISSING) \
        if not words.is_blank(rec["predikat"]) else words.MISSING
    return {
        "rank": rank,
        "name": words.breakable(rec["name"]),
        "nip": str(rec["nip"]),
        "position": words.breakable(rec["position"]),
        "achievement": words.number(rec["work_achievement"]),
        "behaviour": words.number(rec["behaviour_score"]),
        "predikat": predikat,
        "score": words.number(rec["performance_score"]),
        "status": words.status_text(rec["status"], rec["reasons"]),
        "best": bool(rec["best_employee"]) if not words.is_blank(rec["best_employee"]) else False,
    }


def _best(records: list[dict]) -> str:
    best = [r for r in records if r["best"]]
    if not best:
        return "Belum ada (tidak ada pegawai lengkap berpredikat Baik atau lebih)."
    b = best[0]
    return f"{b['name']} (NIP {b['nip']}), Nilai Kinerja {b['score']}, {b['predikat']}"


def _unit_head(unit: str, look: Lookups) -> dict:
    members = [p for p in look.people.values() if p["unit"] == unit]
    inside = {p["nip"] for p in members}
    heads = [p for p in members if p["supervisor_nip"] not in inside]
    head = heads[0] if len(heads) == 1 else {}
    return {"role": head.get("position") or "Kepala Unit Kerja", "name": head.get("name", ""),
            "nip": head.get("nip", "")}


def unit_context(unit: str, rows: pd.DataFrame, units: pd.DataFrame, agency: pd.DataFrame,
                 period: PeriodInfo, look: Lookups, settings, complaints) -> dict:
    """The unit page: the unit's `rows` of the period and its summaries over the year."""
    summary = _summary_row(units, period.label, unit)
    ordered = rows.assign(_unranked=rows["unit_rank"].isna()).sort_values(
        ["_unranked", "unit_rank", "nip"], kind="stable")
    records = [_employee_row(r) for r in ordered.to_dict("records")]
    follow = [{"name": r["name"], "nip": r["nip"], "predikat": r["predikat"],
               "items": "; ".join(words.follow_up_words(f))}
              for r, f in zip(records, ordered["follow_up"], strict=True) if f]
    counts = {code: _count(summary.get(f"count_{code}")) for code in PREDIKATS}
    facts = [
        ["Jumlah pegawai", str(_count(summary.get("employees")) or len(records))],
        ["Pegawai berpredikat", str(_count(summary.get("scored")))],
        ["Rata-rata Nilai Kinerja", words.number(summary.get("mean_score"))],
        ["Indeks Kepuasan Masyarakat", _ikm(summary)],
        ["Sebaran predikat", _distribution_check(summary, settings.org_predikat)],
        ["Pegawai Terbaik", _best(records)],
    ]
    shown = _complaints(complaints, period.label, unit)
    if shown:
        facts.append(["Pengaduan masyarakat", shown])
    unit_year = units.loc[units["unit"] == unit]
    return {
        "org": look.org_name,
        "unit": words.breakable(unit),
        "period": {"label": period.label, "name": period.name, "dates": period.dates},
        "org_predikat": look.org_predikat,
        "facts": facts,
        "counts": _counts_table(summary, settings.org_predikat),
        "distribution": charts.distribution(counts),
        "trend": _trend(period, settings.period_type, [
            (unit, unit_year, True), (AGENCY_NAME, agency, False)]),
        "follow_up": follow,
        "employees": records,
        "sign": {"place": look.place, "date": look.signed_on, "right": _unit_head(unit, look)},
        "footer": f"Rekap {unit} · {period.name.title()}",
    }


def agency_context(rows: pd.DataFrame, units: pd.DataFrame, agency: pd.DataFrame,
                   period: PeriodInfo, look: Lookups, settings, complaints) -> dict:
    """The agency recap: one row per unit, the agency's distribution and trend."""
    summary = _summary_row(agency, period.label, None)
    best = {u: r for u, r in zip(rows["unit"], rows.to_dict("records"), strict=True)
            if not words.is_blank(r["best_employee"]) and r["best_employee"]}
    unit_rows = []
    for rec in units.loc[units["period"] == period.label].sort_values("unit").to_dict("records"):
        b = best.get(rec["unit"])
        unit_rows.append({
            "unit": words.breakable(rec["unit"]),
            "employees": str(_count(rec["employees"])),
            "scored": str(_count(rec["scored"])),
            "mean": words.number(rec["mean_score"]),
            "counts": [str(_count(rec[f"count_{c}"])) for c in PREDIKATS],
            "ikm": _ikm(rec),
            "distribution": {True: "Sesuai", False: "Tidak sesuai"}.get(rec["distribution_ok"],
                                                                         words.MISSING),
            "best": (f"{words.breakable(b['name'])} ({words.number(b['performance_score'])})"
                     if b else words.MISSING),
            "complaints": _complaints(complaints, period.label, rec["unit"]).split(" ")[0]
            if complaints is not None else "",
        })
    counts = {code: _count(summary.get(f"count_{code}")) for code in PREDIKATS}
    facts = [
        ["Predikat Kinerja Organisasi", look.org_predikat],
        ["Jumlah pegawai / berpredikat",
         f"{_count(summary.get('employees'))} / {_count(summary.get('scored'))}"],
        ["Rata-rata Nilai Kinerja", words.number(summary.get("mean_score"))],
        ["Indeks Kepuasan Masyarakat", _ikm(summary)],
        ["Sebaran predikat", _distribution_check(summary, settings.org_predikat)],
    ]
    shown = _complaints(complaints, period.label, None)
    if shown:
        facts.append(["Pengaduan masyarakat", shown])
    return {
        "org": look.org_name,
        "period": {"label": period.label, "name": period.name, "dates": period.dates},
        "facts": facts,
        "predikat_labels": [words.PREDIKAT_LABELS[c] for c in PREDIKATS],
        "units": unit_rows,
        "with_complaints": complaints is not None,
        "counts": _counts_table(summary, settings.org_predikat),
        "distribution": charts.distribution(counts),
        "trend": _trend(period, settings.period_type, [(AGENCY_NAME, agency, True)]),
        "footer": f"Rekap {look.org_name} · {period.name.title()}",
    }
