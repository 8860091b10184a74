"""What the documents are built from: the scoring inputs and results, plus their texts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

import scoring
from scoring.periods import all_periods, period_months, validate_period
from sync.errors import SyncError

from . import words


class DocumentError(SyncError):
    """Base for problems with a document request that the user can fix; the message is Indonesian."""


class NoResultsForPeriod(DocumentError):
    """The period has no scored employee, so there is nothing to print."""


@dataclass(frozen=True)
class DocumentTexts:
    """The words the documents print that scoring does not need.

    Each frame is optional. When one is None, its columns are read from the
    matching scoring frame (`Frames.indicators`, `.realisations`,
    `.behaviours`, `.supervisor_ratings`), because the input tabs' text
    columns may ride along there as extra columns; a column found in neither
    prints blank.

    Attributes:
        indicators: iki_code, parent_rhk (RHK Atasan yang Diintervensi), rhk
            (Rencana Hasil Kerja), indicator (Indikator Kinerja Individu),
            unit_of_measure (Satuan).
        realisations: iki_code, month (1–12), obstacle (Kendala),
            follow_up_plan (Rencana Tindak Lanjut).
        behaviours: month (1–12), nip (the employee rated), role (supervisor,
            peer, subordinate, self), feedback (Umpan Balik). Raters are shown by
            role only; rater_nip is never read. Self-ratings' feedback is left out.
        supervisor_ratings: period (label), nip, note (Catatan of Penilaian Atasan).
        complaints: per unit for the period: unit, complaints (count), and
            optionally open, overdue; with a period column only that period's rows
            count. None: the unit page leaves complaints out.
        place: Tempat Penandatanganan (Pengaturan); blank prints a dotted line.
        signed_on: the date beside the place; default: today.
    """

    indicators: pd.DataFrame | None = None
    realisations: pd.DataFrame | None = None
    behaviours: pd.DataFrame | None = None
    supervisor_ratings: pd.DataFrame | None = None
    complaints: pd.DataFrame | None = None
    place: str = ""
    signed_on: date | None = None


INDICATOR_TEXTS = ("parent_rhk", "rhk", "indicator", "unit_of_measure", "aspect")
REALISATION_TEXTS = ("obstacle", "follow_up_plan")


def text_columns(given: pd.DataFrame | None, fallback: pd.DataFrame, keys: tuple[str, ...],
                 columns: tuple[str, ...]) -> pd.DataFrame:
    """`keys` + `columns` from `given` (else `fallback`); absent text columns are "".

    A column missing from `given` is still taken from `fallback` when the
    fallback has the same keys, so texts may be split across the two.
    """
    source = given if given is not None else fallback
    missing = [k for k in keys if k not in source.columns]
    if missing:
        raise DocumentError(f"Data teks dokumen tidak memiliki kolom {', '.join(missing)}; "
                            f"kolom yang diperlukan: {', '.join(keys + columns)}.")
    source = source.reset_index(drop=True)  # callers' frames may carry a repeated index
    out = source[list(keys)].copy()
    for column in columns:
        if column in source.columns:
            out[column] = source[column].map(words.text).to_numpy()
        elif given is not None and column in fallback.columns and all(
                k in fallback.columns for k in keys):
            lookup = fallback[list(keys) + [column]].drop_duplicates(list(keys), keep="last")
            merged = out[list(keys)].merge(lookup, on=list(keys), how="left")
            out[column] = merged[column].map(words.text).to_numpy()
        else:
            out[column] = ""
    return out


@dataclass(frozen=True)
class PeriodInfo:
    """One evaluation period: its label, months and the words that head a document."""

    label: str
    first_month: int
    last_month: int
    name: str
    dates: str
    labels_of_year: tuple[str, ...]

    @classmethod
    def of(cls, period: str, settings: scoring.Settings) -> PeriodInfo:
        """The period `period` of `settings`' year and period type; DocumentError if malformed."""
        year, kind = int(settings.year), settings.period_type
        try:
            label = validate_period(period, year, kind)
        except scoring.ScoringError:
            example = all_periods(year, kind)[0]
            raise DocumentError(
                f"Periode '{period}' tidak sesuai Periode Evaluasi dan Tahun Penilaian "
                f"workbook; tulis seperti {example}.") from None
        first, last = period_months(label, year, kind)
        start = date(year, first, 1)
        end = (date(year + 1, 1, 1) if last == 12 else date(year, last + 1, 1)).toordinal() - 1
        dates = f"{words.long_date(start)} s.d. {words.long_date(date.fromordinal(end))}"
        return cls(label, first, last, words.period_name(label, kind, first), dates,
                   tuple(all_periods(year, kind)))


def require_results(results: scoring.Results, period: PeriodInfo) -> pd.DataFrame:
    """The period's result rows; NoResultsForPeriod when nobody has a predikat in it."""
    rows = results.results.loc[results.results["period"] == period.label]
    if rows.empty or rows["predikat"].isna().all():
        raise NoResultsForPeriod(
            f"Periode {period.label} belum punya hasil penilaian: belum ada pegawai yang "
            "mendapat predikat (realisasi atau penilaian perilaku periode ini belum diisi). "
            "Jalankan `kinerja score` setelah datanya lengkap, atau pilih periode lain.")
    return rows.reset_index(drop=True)


def year_summaries(frames: scoring.Frames, settings: scoring.Settings, results: scoring.Results,
                   period: PeriodInfo) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(units, agency) summary rows for every period of the year up to `period`.

    Periods the given results lack are scored here, so a trend is drawn even when
    the caller scored only `period`.
    """
    wanted = list(period.labels_of_year[: period.labels_of_year.index(period.label) + 1])
    have = set(results.units["period"].dropna()) | set(results.agency["period"].dropna())
    missing = [p for p in wanted if p not in have]
    units, agency = results.units, results.agency
    if missing:
        extra = scoring.score(frames, settings, missing)
        units = pd.concat([units, extra.units], ignore_index=True)
        agency = pd.concat([agency, extra.agency], ignore_index=True)
    return (units.loc[units["period"].isin(wanted)].reset_index(drop=True),
            agency.loc[agency["period"].isin(wanted)].reset_index(drop=True))
