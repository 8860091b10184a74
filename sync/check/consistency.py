"""Rules that span rows or tabs: NIP layout, pangkat, supervisor chains, raters, weights, units.

Each function takes the parsed tabs (`TabRows`) and reports through them, so a
Galat here keeps a row out of scoring exactly like a bad cell does.
"""

from __future__ import annotations

import difflib
import re

import pandas as pd

from sheet_templates.messages import message
from sync.check.rows import TabRows
from sync.check.validate import ERROR, WARNING, make_issue
from sync.parse import (
    CellError,
    NoSuchRank,
    check_nip_layout,
    nip_layout,
    normalise_label,
    parse_rank,
)

LAYOUT_LABELS = {"pns": "PNS", "pppk": "PPPK"}
_SPACE = re.compile(r"\s")


def check_nip_layouts(rows: TabRows) -> None:
    """Pegawai: each NIP follows its layout (Galat) and agrees with Jenis ASN (Peringatan)."""
    frame = rows.frame
    # Plain lists, not frame.at per row: a row's flag changes only its own `_ok`, read before.
    for idx, nip, ok, asn in zip(frame.index, frame["nip"].tolist(), frame["_ok"].tolist(),
                                 frame["asn_type"].tolist(), strict=True):
        if not isinstance(nip, str) or not ok:
            continue
        try:
            check_nip_layout(nip)
        except CellError as exc:
            rows.flag(frame.index == idx, "nip_layout", "nip", problem=exc.problem, fix=exc.fix)
            continue
        if asn is not None and nip_layout(nip) != asn:
            rows.flag(frame.index == idx, "asn_type_layout", "asn_type", level=WARNING,
                      values=pd.Series(LAYOUT_LABELS[asn], index=frame.index),
                      layout=LAYOUT_LABELS[nip_layout(nip)])


def normalise_ranks(rows: TabRows) -> None:
    """Pegawai: Pangkat/Golongan in canonical form; an unreadable one is a Peringatan, one
    that does not exist (III/e) a Galat."""
    frame = rows.frame
    canonical = []
    parsed: dict[tuple, str | CellError] = {}  # (rank, kind) → its canonical form or the error
    for idx, (rank, asn, nip) in enumerate(zip(frame["rank"], frame["asn_type"], frame["nip"],
                                               strict=True)):
        if rank in (None, ""):
            canonical.append(rank)
            continue
        # When Jenis ASN contradicts the NIP that mismatch is reported already; accept either form.
        kind = asn if not isinstance(nip, str) or nip_layout(nip) == asn else None
        key = (rank.__class__, rank, kind)
        if key not in parsed:
            try:
                parsed[key] = parse_rank(rank, kind)
            except CellError as exc:
                parsed[key] = exc
        try:
            if isinstance(parsed[key], CellError):
                raise parsed[key]
            canonical.append(parsed[key])
        except CellError as exc:
            # A golongan that does not exist (III/e) is a Galat; one we cannot read, a Peringatan.
            canonical.append(rank)
            rows.flag(frame.index == frame.index[idx], "rank", "rank",
                      level=ERROR if isinstance(exc, NoSuchRank) else WARNING,
                      problem=exc.problem, fix=exc.fix)
    frame["rank"] = canonical


def check_code_spaces(rows: TabRows, column: str) -> None:
    """Codes with spaces inside are read without them (Peringatan), so tabs still match."""
    codes = rows.frame[column]
    # Distinct codes first: a year of Realisasi repeats each code twelve times.
    distinct = set(codes.dropna().tolist())
    try:
        if not _SPACE.search("\x00".join(distinct)):  # one search over all of them, usually enough
            return
    except TypeError:  # not all text
        distinct = {c for c in distinct if isinstance(c, str)}
    with_space = {c for c in distinct if _SPACE.search(c)}
    if not with_space:
        return
    spaced = codes.isin(with_space).astype(bool)
    for idx in spaced[spaced].index:
        fixed = "".join(codes[idx].split())
        rows.flag(rows.frame.index == idx, "code_spaces", column, level=WARNING, fixed=fixed)
        rows.frame.loc[idx, column] = fixed


def check_supervisor_loops(rows: TabRows) -> None:
    """Pegawai: one Galat per loop in the NIP Atasan chain, on the loop's first row."""
    frame = rows.frame.loc[rows.frame["_ok"].astype(bool)]
    boss = dict(zip(frame["nip"].tolist(), frame["supervisor_nip"].tolist(), strict=True))
    row_of = dict(zip(frame["nip"].tolist(), frame["_row"].tolist(), strict=True))
    seen_loops: set[frozenset] = set()
    for start in boss:
        path, nip = [], start
        while nip is not None and nip in boss and nip not in path:
            path.append(nip)
            nip = boss[nip]
        if nip is None or nip not in path:
            continue
        loop = path[path.index(nip):]
        if frozenset(loop) in seen_loops:
            continue
        seen_loops.add(frozenset(loop))
        first = min(loop, key=lambda n: row_of[n])
        chain = " → ".join([*loop[loop.index(first):], *loop[:loop.index(first)], first])
        rows.flag(rows.frame["_row"] == row_of[first], "supervisor_loop", "supervisor_nip",
                  level=WARNING, chain=chain)
        rows.frame.loc[rows.frame["_row"] == row_of[first], "supervisor_nip"] = None


def check_raters(rows: TabRows, employees: pd.DataFrame) -> None:
    """Perilaku: an Atasan rater should be the supervisor; a self-rating should say so."""
    frame = rows.frame
    boss = dict(zip(employees["nip"].tolist(), employees["supervisor_nip"].tolist(), strict=True))
    ok = frame["_ok"].astype(bool)
    self_rated = ok & (frame["nip"] == frame["rater_nip"]) & (frame["role"] != "self")
    rows.flag(self_rated, "self_rating_role", "role", level=WARNING)
    frame.loc[self_rated, "role"] = "self"
    expected = frame["nip"].map(boss)
    wrong = ok & ~self_rated & (frame["role"] == "supervisor") & expected.notna() & (
        expected != frame["rater_nip"])
    for idx in wrong[wrong].index:
        rows.flag(frame.index == idx, "not_the_supervisor", "rater_nip", level=WARNING,
                  expected=expected[idx])


def check_indicator_weights(rows: TabRows) -> None:
    """SKP: where an employee's indicators carry Bobot (%), they add up to 100 (Peringatan)."""
    frame = rows.frame.loc[rows.frame["_ok"].astype(bool)]
    weighted = frame.loc[frame["weight"].notna()]
    totals = weighted.groupby("nip")["weight"].sum()
    for nip, total in totals.items():
        if abs(total - 100) > 1e-6:
            first = weighted.loc[weighted["nip"] == nip, "_row"].min()
            rows.flag(rows.frame["_row"] == first, "indicator_weights", "weight", level=WARNING,
                      nip=nip, total=f"{total:g}".replace(".", ","))


def check_service_units(rows: TabRows, service_units: pd.DataFrame, employees: pd.DataFrame) -> None:
    """Survei: Unit Layanan must be a known service unit or Unit Kerja (nearest one suggested)."""
    names = [*service_units["service_unit"].dropna().tolist(), *employees["unit"].dropna().tolist()]
    normalised = {n: normalise_label(n) for n in set(names)}  # each distinct name once
    known = {normalised[n]: n for n in names}
    frame = rows.frame
    if not known:
        return
    canonical = {}
    for unit in frame["service_unit"].dropna().unique():
        key = normalise_label(unit)
        if key in known:
            canonical[unit] = known[key]
            continue
        close = difflib.get_close_matches(key, list(known), n=1, cutoff=0.6)
        suggestion = message("suggestion", suggest=known[close[0]])[0] if close else ""
        rows.flag(frame["_ok"].astype(bool) & (frame["service_unit"] == unit), "unknown_service_unit",
                  "service_unit", suggestion=suggestion)
    # Match case and spacing to the official name, so the IKM groups them together.
    frame["service_unit"] = frame["service_unit"].map(lambda u: canonical.get(u, u))


def threshold_issues(settings: dict, tab) -> list:
    """Pengaturan: each 'Di Atas' threshold above its 'Sesuai' one, else defaults (Peringatan)."""
    issues = []
    for high, low in (("work_above", "work_meets"), ("behaviour_above", "behaviour_meets")):
        if float(settings[high]) <= float(settings[low]):
            upper, lower = tab.column(high), tab.column(low)
            issues.append(make_issue(WARNING, "thresholds_order", tab, upper=upper.label,
                                     lower=lower.label, high=settings[high], low=settings[low]))
            settings[high], settings[low] = upper.default, lower.default
    return issues

