"""Short Indonesian summaries of a run, printed by the CLI."""

from __future__ import annotations

from sheet_templates import results as R
from sync.check.validate import ERROR
from sync.pipeline import RunReport

MAX_PROBLEMS = 10


def _problems(report: RunReport) -> list[str]:
    lines = []
    issues = sorted(report.checked.issues, key=lambda i: (i.level != ERROR, *i.sort_key()))
    for issue in issues[:MAX_PROBLEMS]:
        where = f"{issue.tab}!{issue.cell}" if issue.cell else issue.tab
        level = R.LEVEL_ERROR if issue.level == ERROR else R.LEVEL_WARNING
        lines.append(f"  {level:<10} {where:<16} {issue.problem}")
    if len(issues) > MAX_PROBLEMS:
        lines.append(f"  … dan {len(issues) - MAX_PROBLEMS} lainnya di tab {R.VALIDATION.label}.")
    return lines


def check_summary(report: RunReport) -> str:
    """Counts and the first problems of a check run."""
    c = report.checked
    head = f"{report.location}: {c.errors} Galat, {c.warnings} Peringatan."
    return "\n".join([head, *_problems(report)])


def score_summary(report: RunReport, top: bool = False) -> str:
    """What was scored and, for the latest period, the best employee of each unit."""
    lines = [check_summary(report)]
    res = report.results
    if res is None or res.results.empty:
        lines.append("Tidak ada periode yang dapat dinilai (belum ada data realisasi atau perilaku).")
        return "\n".join(lines)
    frame = res.results
    lines.append(f"Dinilai: {frame['nip'].nunique()} pegawai, {len(report.periods)} periode "
                 f"({report.periods[0]} s.d. {report.periods[-1]}); "
                 f"tab ditulis: {', '.join(report.written)}.")
    last = frame.loc[frame["period"] == report.periods[-1]]
    counts = last["predikat"].map(R.PREDIKAT_LABELS).value_counts()
    spread = ", ".join(f"{label} {counts.get(label, 0)}" for _, label in R.PREDIKAT)
    lines.append(f"Periode {report.periods[-1]}: {spread}; {incomplete_text(last)}.")
    if top:
        best = last.loc[last["best_employee"].astype(bool)]
        for row in best.itertuples():
            lines.append(f"  {R.BEST_EMPLOYEE_LABEL} {row.unit}: {row.name} "
                         f"(Nilai Kinerja {row.performance_score:.2f}, "
                         f"{R.PREDIKAT_LABELS.get(row.predikat, '')})")
    return "\n".join(lines)


def incomplete_text(results) -> str:
    """How many results of one period are not complete, and why, in groups.

    E.g. "2 pegawai belum lengkap: 1 data ditolak, 1 realisasi periode ini belum diisi". An
    employee with several reasons is counted under each.
    """
    incomplete = results.loc[results["status"] != "complete"]
    if incomplete.empty:
        return "0 belum lengkap"
    counts: dict[str, int] = {}
    for reasons in incomplete["reasons"]:
        for reason in reasons or ():
            counts[reason] = counts.get(reason, 0) + 1
    words = {**R.REASON_LABELS, "rows_rejected": R.REASON_REJECTED_CELLS}
    groups = ", ".join(f"{n} {words.get(code, code)}" for code, n in
                       sorted(counts.items(), key=lambda item: (-item[1], item[0])))
    return f"{len(incomplete)} pegawai belum lengkap: {groups}"
