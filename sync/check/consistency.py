"""Rules that span rows or tabs: NIP layout, pangkat, supervisor chains, raters, weights, units.

Each function takes the parsed tabs (`TabRows`) and reports through them, so a
Galat here keeps a row out of scoring exactly like a bad cell does.
"""

from __future__ import annotations

import difflib
import re

import numpy as np
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
    # Plain lists, not frame.at per row; the rows found are flagged at once (each on its own row).
    bad: dict[int, CellError] = {}
    mismatch: dict[int, tuple[str, str]] = {}
    for i, (nip, ok, asn) in enumerate(zip(frame["nip"].tolist(), frame["_ok"].tolist(),
                                           frame["asn_type"].tolist(), strict=True)):
        if not isinstance(nip, str) or not ok:
            continue
        try:
            check_nip_layout(nip)
        except CellError as exc:
            bad[i] = exc
            continue
        if asn is not None and nip_layout(nip) != asn:
            mismatch[i] = (LAYOUT_LABELS[asn], LAYOUT_LABELS[nip_layout(nip)])
    if bad:
        rows.flag(_at(frame, bad), "nip_layout", "nip", problem=_each(frame, bad, lambda e: e.problem),
                  fix=_each(frame, bad, lambda e: e.fix))
    if mismatch:
        rows.flag(_at(frame, mismatch), "asn_type_layout", "asn_type", level=WARNING,
                  values=_each(frame, mismatch, lambda m: m[0]),
                  layout=_each(frame, mismatch, lambda m: m[1]))


def _at(frame: pd.DataFrame, found: dict[int, object]) -> np.ndarray:
    """A mask of the row positions in `found`."""
    mask = np.zeros(len(frame), dtype=bool)
    mask[list(found)] = True
    return mask


def _each(frame: pd.DataFrame, found: dict[int, object], part) -> pd.Series:
    """One message value per row: `part` of what was found there ("" elsewhere, never shown)."""
    values = np.full(len(frame), "", dtype=object)
    for i, what in found.items():
        values[i] = part(what)
    return pd.Series(values, index=frame.index, dtype=object)


def normalise_ranks(rows: TabRows) -> None:
    """Pegawai: Pangkat/Golongan in canonical form; an unreadable one is a Peringatan, one
    that does not exist (III/e) a Galat."""
    frame = rows.frame
    canonical = []
    parsed: dict[tuple, str | CellError] = {}  # (rank, kind) → its canonical form or the error
    failed: dict[int, CellError] = {}
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
            canonical.append(rank)
            failed[idx] = exc
    # A golongan that does not exist (III/e) is a Galat; one we cannot read, a Peringatan. Each
    # row has one message, so flagging the rows of each level at once keeps the same messages.
    for level, of_level in ((ERROR, True), (WARNING, False)):
        found = {i: e for i, e in failed.items() if isinstance(e, NoSuchRank) is of_level}
        if found:
            rows.flag(_at(frame, found), "rank", "rank", level=level,
                      problem=_each(frame, found, lambda e: e.problem),
                      fix=_each(frame, found, lambda e: e.fix))
    frame["rank"] = canonical


def check_code_spaces(rows: TabRows, column: str) -> None:
    """Codes with spaces inside are read without them (Peringatan), so tabs still match."""
    codes = rows.frame[column]
    # Distinct codes first: a year of Realisasi repeats each code twelve times.
    distinct = set(rows.codes(column)[1].tolist())
    try:
        if not _SPACE.search("\x00".join(distinct)):  # one search over all of them, usually enough
            return
    except TypeError:  # not all text
        distinct = {c for c in distinct if isinstance(c, str)}
    with_space = {c for c in distinct if _SPACE.search(c)}
    if not with_space:
        return
    spaced = rows.isin(column, with_space)
    fixed = pd.Series(np.where(spaced, codes.to_numpy(dtype=object), None), index=codes.index, dtype=object)
    fixed[spaced] = ["".join(code.split()) for code in codes[spaced].tolist()]
    rows.flag(spaced, "code_spaces", column, level=WARNING, fixed=fixed)
    rows.frame.loc[spaced, column] = fixed[spaced]


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
    """Perilaku: an Atasan rater should be the supervisor; a self-rating should say so.

    NIPs are compared as their positions among the distinct NIPs (`TabRows.codes`): a year of
    Perilaku repeats each NIP many times, and text compared row by row costs more than the checks."""
    frame = rows.frame
    ok = frame["_ok"].to_numpy(dtype=bool)
    nips, nip_values = rows.codes("nip")
    if (ok & (nips < 0)).any():  # a row kept without a NIP (parsing rejects those): as pandas maps blanks
        _check_raters_by_series(rows, employees)
        return
    boss = dict(zip(employees["nip"].tolist(), employees["supervisor_nip"].tolist(), strict=True))
    raters, rater_values = rows.codes("rater_nip")
    role = frame["role"].to_numpy(dtype=object)
    as_rater = _positions(nip_values.tolist(), rater_values.tolist())
    self_rated = ok & (as_rater[nips] == raters) & (role != "self")
    if self_rated.any():  # usually none: no write (and no copy of the column)
        rows.flag(self_rated, "self_rating_role", "role", level=WARNING)
        frame.loc[self_rated, "role"] = "self"
    # The supervisor each distinct NIP should be rated by (NaN: none known), and its position
    # among the raters (-2: not a rater anywhere).
    expected = np.array([boss.get(nip, np.nan) for nip in nip_values.tolist()] + [np.nan], dtype=object)
    known = ~pd.isna(expected)
    expected_at = _positions(expected[:-1].tolist(), rater_values.tolist())
    wrong = ok & ~self_rated & (role == "supervisor") & known[nips] & (expected_at[nips] != raters)
    if wrong.any():
        rows.flag(wrong, "not_the_supervisor", "rater_nip", level=WARNING,
                  expected=pd.Series(expected[nips], index=frame.index, dtype=object))


def _check_raters_by_series(rows: TabRows, employees: pd.DataFrame) -> None:
    """`check_raters` row by row, as pandas compares and maps blank NIPs."""
    frame = rows.frame
    boss = dict(zip(employees["nip"].tolist(), employees["supervisor_nip"].tolist(), strict=True))
    ok = frame["_ok"].astype(bool)
    self_rated = ok & (frame["nip"] == frame["rater_nip"]) & (frame["role"] != "self")
    rows.flag(self_rated, "self_rating_role", "role", level=WARNING)
    frame.loc[self_rated, "role"] = "self"
    expected = frame["nip"].map(boss)
    wrong = ok & ~self_rated & (frame["role"] == "supervisor") & expected.notna() & (
        expected != frame["rater_nip"])
    rows.flag(wrong, "not_the_supervisor", "rater_nip", level=WARNING, expected=expected)


def _positions(values: list, among: list) -> np.ndarray:
    """Per value its position in `among` (-2 where absent), one more -2 at the end for -1 codes."""
    where = {value: i for i, value in enumerate(among)}
    return np.array([where.get(value, -2) for value in values] + [-2], dtype=np.int64)


def check_indicator_weights(rows: TabRows) -> None:
    """SKP: where an employee's indicators carry Bobot (%), they add up to 100 (Peringatan)."""
    frame = rows.frame
    weighted = frame["_ok"].to_numpy(dtype=bool) & frame["weight"].notna().to_numpy(dtype=bool)
    if not weighted.any():
        return
    # Only the rows and columns the sums need: one take of 3 columns, not two of the whole tab.
    grouped = frame.loc[weighted, ["nip", "weight", "_row"]].groupby("nip")
    totals, firsts = grouped["weight"].sum(), grouped["_row"].min()
    off = {firsts[nip]: (nip, f"{total:g}".replace(".", ",")) for nip, total in totals.items()
           if abs(total - 100) > 1e-6}
    if off:  # each on the first row of its employee: one message per row
        at = {i: off[row] for i, row in enumerate(rows.frame["_row"].tolist()) if row in off}
        rows.flag(_at(rows.frame, at), "indicator_weights", "weight", level=WARNING,
                  nip=_each(rows.frame, at, lambda f: f[0]), total=_each(rows.frame, at, lambda f: f[1]))


def check_service_units(rows: TabRows, service_units: pd.DataFrame, employees: pd.DataFrame) -> None:
    """Survei: Unit Layanan must be a known service unit or Unit Kerja (nearest one suggested)."""
    names = [*service_units["service_unit"].dropna().tolist(), *employees["unit"].dropna().tolist()]
    normalised = {n: normalise_label(n) for n in set(names)}  # each distinct name once
    known = {normalised[n]: n for n in names}
    frame = rows.frame
    if not known:
        return
    canonical, suggestions = {}, {}
    for unit in frame["service_unit"].dropna().unique():
        key = normalise_label(unit)
        if key in known:
            canonical[unit] = known[key]
            continue
        close = difflib.get_close_matches(key, list(known), n=1, cutoff=0.6)
        suggestions[unit] = message("suggestion", suggest=known[close[0]])[0] if close else ""
    if suggestions:  # every row of an unknown unit at once (one message per row)
        unknown = frame["_ok"].astype(bool) & frame["service_unit"].isin(list(suggestions))
        rows.flag(unknown, "unknown_service_unit", "service_unit",
                  suggestion=frame["service_unit"].map(lambda u: suggestions.get(u, "")).astype(object))
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

