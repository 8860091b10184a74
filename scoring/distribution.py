"""Rule 11: does the predikat distribution fit the organisation's predikat (SE MenPANRB 03/2023)?"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .predikat import PREDIKATS


@dataclass(frozen=True)
class Rule:
    """One limit on the share (%) of employees whose predikat is in `predikat`.

    kind "max": share ≤ limit; "min": share ≥ limit; "none": nobody;
    "must_have": at least one employee.
    """

    kind: Literal["max", "min", "none", "must_have"]
    predikat: tuple[str, ...]
    limit: int | None = None


RULES: dict[str, tuple[Rule, ...]] = {
    "outstanding": (Rule("max", ("very_good",), 70),),
    "good": (
        Rule("max", ("good",), 70),
        Rule("must_have", ("needs_improvement", "poor")),
    ),
    "needs_improvement": (
        Rule("min", ("needs_improvement",), 60),
        Rule("max", ("very_good",), 10),
    ),
    "poor": (
        Rule("min", ("poor",), 60),
        Rule("min", ("needs_improvement",), 10),
        Rule("max", ("very_good",), 10),
    ),
    "very_poor": (
        Rule("min", ("very_poor",), 60),
        Rule("min", ("poor", "needs_improvement"), 10),
        Rule("none", ("very_good",), 0),
    ),
}
"""The distribution guide of domain.md §1.4, per organisation predikat code."""


def check_distribution(counts: dict[str, int], org_predikat: str) -> tuple[dict, ...]:
    """The breached rules for one group of employees, as dicts the sync layer can phrase.

    Shares are of the employees that have a predikat; the comparison is done
    in integers (count × 100 vs limit × total), so 70 % exactly is no breach.
    Each breach is {"rule", "predikat" (tuple of codes), "limit" (percent, None
    for must_have), "actual" (percent)}. An empty group breaches nothing.

    Examples:
        >>> check_distribution({"very_good": 33, "good": 7}, "outstanding")
        ({'rule': 'max', 'predikat': ('very_good',), 'limit': 70, 'actual': 82.5},)
    """
    total = sum(int(counts.get(code, 0)) for code in PREDIKATS)
    if total == 0:
        return ()
    breaches = []
    for rule in RULES[org_predikat]:
        count = sum(int(counts.get(code, 0)) for code in rule.predikat)
        if _breached(rule, count, total):
            breaches.append({
                "rule": rule.kind,
                "predikat": rule.predikat,
                "limit": rule.limit,
                "actual": 100 * count / total,
            })
    return tuple(breaches)


def _breached(rule: Rule, count: int, total: int) -> bool:
    if rule.kind == "max":
        return count * 100 > rule.limit * total
    if rule.kind == "min":
        return count * 100 < rule.limit * total
    if rule.kind == "none":
        return count > 0
    return count == 0
