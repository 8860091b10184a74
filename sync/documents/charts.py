"""Chart data for the templates: values scaled to 0–1 with their axis ticks.

The templates only place what these give them, so the scaling rules live in
Python where they are tested, and the .typ files stay about layout.
"""

from __future__ import annotations

import math

from scoring.predikat import PREDIKATS

from . import words

MIN_SPAN = 10.0
"""The least y range of a trend chart (Nilai Kinerja points)."""

CURVE_ORDER = tuple(reversed(PREDIKATS))
"""The annex's x axis: Sangat Kurang, Kurang/Misconduct, Butuh Perbaikan, Baik, Sangat Baik."""


def nice_step(span: float, ticks: int = 4) -> float:
    """A round tick step (1, 2 or 5 × 10^k) that cuts `span` into about `ticks` parts.

    Examples:
        >>> nice_step(37), nice_step(3), nice_step(0.4)
        (10.0, 1.0, 0.1)
    """
    if span <= 0:
        return 1.0
    raw = span / ticks
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if raw <= factor * power:
            return float(factor * power)
    return float(10 * power)


def _ticks(low: float, high: float, step: float, decimals: int) -> list[dict]:
    count = round((high - low) / step)
    return [{"label": words.number(low + i * step, decimals, trim=True),
             "at": i / count if count else 0.0} for i in range(count + 1)]


def distribution(counts: dict[str, int], highlight: str | None = None) -> dict:
    """Bars of employees per predikat in the annex's order, the tallest at 1.

    Args:
        counts: predikat code → number of employees.
        highlight: the predikat code to mark (the employee's own), or None.

    Examples:
        >>> d = distribution({"good": 4, "very_good": 1}, "good")
        >>> [(b["label"], b["count"], b["height"], b["mine"]) for b in d["bars"]][-2:]
        [('Baik', 4, 1.0, True), ('Sangat Baik', 1, 0.25, False)]
    """
    top = max([int(counts.get(code, 0)) for code in CURVE_ORDER] + [1])
    step = max(1.0, nice_step(top))
    top = step * math.ceil(top / step)
    bars = [{
        "label": words.PREDIKAT_LABELS[code],
        "count": int(counts.get(code, 0)),
        "height": int(counts.get(code, 0)) / top,
        "mine": code == highlight,
    } for code in CURVE_ORDER]
    return {"bars": bars, "ticks": _ticks(0, top, step, 0),
            "total": sum(b["count"] for b in bars)}


def trend(labels: list[str], series: list[dict]) -> dict:
    """Lines over the year's periods; values None are gaps.

    Args:
        labels: the x-axis labels, one per period.
        series: [{"name": str, "values": [float | None, ...], "main": bool}].

    Returns:
        {"labels", "ticks", "series": [{"name", "main", "points": [{"x", "y", "label"}]}]},
        x and y in 0–1; the y axis spans the values rounded out to a tick step.

    Examples:
        >>> t = trend(["T1", "T2"], [{"name": "Unit", "values": [90.0, 100.0], "main": True}])
        >>> [p["y"] for p in t["series"][0]["points"]], t["ticks"][0]["label"]
        ([0.0, 1.0], '90')
    """
    values = [v for s in series for v in s["values"] if v is not None and math.isfinite(v)]
    low, high = (min(values), max(values)) if values else (0.0, 100.0)
    if high - low < MIN_SPAN:  # a flat line should look flat, not zoomed into noise
        middle = (low + high) / 2
        low, high = middle - MIN_SPAN / 2, middle + MIN_SPAN / 2
    step = nice_step(high - low, 4)
    low, high = step * math.floor(low / step), step * math.ceil(high / step)
    decimals = 0 if step >= 1 else 1
    n = len(labels)
    out = []
    for s in series:
        points = [{"x": (i + 0.5) / n, "y": (v - low) / (high - low), "label": words.number(v, 1)}
                  for i, v in enumerate(s["values"]) if v is not None and math.isfinite(v)]
        out.append({"name": s["name"], "main": bool(s.get("main")), "points": points})
    return {"labels": labels, "ticks": _ticks(low, high, step, decimals), "series": out}
