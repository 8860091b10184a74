"""The official documents of an evaluation period, as PDF (Typst templates).

- per employee: Evaluasi Kinerja Pegawai, in the order of the PermenPANRB
  6/2022 annex (domain.md §1.8), signed by the Pejabat Penilai Kinerja;
- per unit: a one- or two-page recap for the Kepala Dinas;
- per agency: the recap of its units.

Example:
    >>> results = scoring.score(frames, settings)                      # doctest: +SKIP
    >>> export_documents(frames, settings, results, "2026-T1", "dokumen",
    ...                  DocumentTexts(place="Lhokseumawe"))           # doctest: +SKIP
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import scoring

from . import output, words
from .context import employee_context
from .context_unit import agency_context, unit_context
from .inputs import (
    DocumentError,
    DocumentTexts,
    NoResultsForPeriod,
    PeriodInfo,
    require_results,
    year_summaries,
)
from .lookups import lookups
from .output import Written, write_document
from .render import Document, Job, Progress, RenderError, render_jobs

__all__ = [
    "Document", "DocumentError", "DocumentTexts", "Job", "NoResultsForPeriod", "RenderError",
    "Written", "build_documents", "export_documents", "iter_documents", "plan_documents",
    "write_documents",
]


def plan_documents(frames: scoring.Frames, settings: scoring.Settings, results: scoring.Results,
                   period: str, texts: DocumentTexts | None = None, *,
                   nips: list[str] | None = None, unit: str | None = None) -> list[Job]:
    """Every document of `period` to print, with its data, in print order.

    Which documents:
        - no `nips`, no `unit`: every employee with a predikat in the period,
          a page per unit, and the agency recap;
        - `unit`: that unit's employees with a predikat and its page;
        - `nips`: those employees (with or without a predikat), no recaps; with
          `unit` too, each must belong to it.

    Args:
        frames: the validated scoring input frames (their extra text columns are used).
        settings: the scoring settings (org_name, year, period_type, org_predikat).
        results: `scoring.score(frames, settings)`; periods of the year it lacks
            before `period` are scored here for the trend charts.
        period: a label of the settings' period type (2026-03, 2026-T1, 2026-S1, 2026).
        texts: texts and signing place/date the scoring frames do not hold.

    Raises:
        DocumentError: a malformed period, an unknown NIP or unit.
        NoResultsForPeriod: nobody has a predikat in the period.
    """
    texts = texts or DocumentTexts()
    info = PeriodInfo.of(period, settings)
    rows = require_results(results, info)
    chosen_unit = _match_unit(rows, unit, info) if unit is not None else None
    if chosen_unit is not None:
        rows_in_scope = rows.loc[rows["unit"] == chosen_unit]
    else:
        rows_in_scope = rows
    if nips is not None:
        people = _named(rows_in_scope, nips, info, chosen_unit)
    else:
        people = rows_in_scope.loc[rows_in_scope["predikat"].notna()]
    look = lookups(frames, settings, results, info, rows, texts)
    jobs = [Job("employee", output.employee_path(r["unit"], r["nip"], r["name"]),
                _json(employee_context(r, info, look)))
            for r in people.to_dict("records")]
    if nips is None:
        units, agency = year_summaries(frames, settings, results, info)
        for name in dict.fromkeys(rows_in_scope["unit"]):
            jobs.append(Job("unit", output.unit_path(name), _json(unit_context(
                name, rows.loc[rows["unit"] == name], units, agency, info, look, settings,
                texts.complaints))))
        if chosen_unit is None:
            jobs.append(Job("agency", output.agency_path(settings.org_name), _json(agency_context(
                rows, units, agency, info, look, settings, texts.complaints))))
    return jobs


def iter_documents(frames: scoring.Frames, settings: scoring.Settings, results: scoring.Results,
                   period: str, texts: DocumentTexts | None = None, *,
                   nips: list[str] | None = None, unit: str | None = None,
                   workers: int | None = None, progress: Progress | None = None,
                   ) -> Iterator[Document]:
    """The documents of `plan_documents`, each yielded once compiled (in completion order).

    Checks the request before returning, so DocumentError is raised by this call,
    not by the first `next()`. `workers`: processes to compile in (None: every
    core when there are more than a few documents). `progress(done, total, document)`
    is called after each document.
    """
    jobs = plan_documents(frames, settings, results, period, texts, nips=nips, unit=unit)
    return render_jobs(jobs, workers, progress)


def build_documents(frames: scoring.Frames, settings: scoring.Settings, results: scoring.Results,
                    period: str, texts: DocumentTexts | None = None, *,
                    nips: list[str] | None = None, unit: str | None = None,
                    workers: int | None = None, progress: Progress | None = None,
                    ) -> list[Document]:
    """Every document of `plan_documents`, compiled, in print order (all PDFs in memory)."""
    jobs = plan_documents(frames, settings, results, period, texts, nips=nips, unit=unit)
    order = {job.path_parts: i for i, job in enumerate(jobs)}
    documents = list(render_jobs(jobs, workers, progress))
    return sorted(documents, key=lambda d: order[d.path_parts])


def write_documents(documents, out_dir: str | Path) -> list[Written]:
    """Write each Document atomically to out_dir/<Unit Kerja>/<NIP> <Nama>.pdf etc."""
    return [write_document(document, Path(out_dir)) for document in documents]


def export_documents(frames: scoring.Frames, settings: scoring.Settings, results: scoring.Results,
                     period: str, out_dir: str | Path, texts: DocumentTexts | None = None, *,
                     nips: list[str] | None = None, unit: str | None = None,
                     workers: int | None = None, progress: Progress | None = None,
                     ) -> list[Written]:
    """Plan, compile and write the documents of `period` under `out_dir`, streaming.

    Each PDF is written as soon as it is compiled, so memory stays flat;
    `progress(done, total, document)` is called after each file is in place.
    Returns what was written, in completion order.
    """
    jobs = plan_documents(frames, settings, results, period, texts, nips=nips, unit=unit)
    written = []
    for document in render_jobs(jobs, workers):
        written.append(write_document(document, Path(out_dir)))
        if progress is not None:
            progress(len(written), len(jobs), document)
    return written


def _json(context: dict) -> str:
    return json.dumps(context, ensure_ascii=False, allow_nan=False, separators=(",", ":"))


def _match_unit(rows, unit: str, info: PeriodInfo) -> str:
    names = list(dict.fromkeys(rows["unit"].dropna()))
    wanted = words.text(unit).casefold()
    for name in names:
        if words.text(name).casefold() == wanted:
            return name
    raise DocumentError(f"Unit Kerja '{unit}' tidak ada di hasil periode {info.label}; "
                        f"pilih salah satu: {', '.join(names)}.")


def _named(rows, nips: list[str], info: PeriodInfo, unit: str | None):
    wanted = [words.text(n) for n in nips]
    found = rows.loc[rows["nip"].isin(wanted)]
    missing = [n for n in wanted if n not in set(found["nip"])]
    if missing:
        where = f"Unit Kerja {unit}" if unit else "hasil"
        raise DocumentError(f"NIP {', '.join(missing)} tidak ada di {where} periode {info.label}; "
                            "periksa NIP-nya (18 angka) di tab Pegawai.")
    order = {nip: i for i, nip in enumerate(dict.fromkeys(wanted))}
    return found.assign(_order=found["nip"].map(order)).sort_values("_order")
