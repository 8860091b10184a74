"""The run history: every `kinerja run` of every source, and the results each period scored.

SQLAlchemy Core, in the same database as the survey store
(KINERJA_DATABASE_URL, opened by `sync.database`). Three tables, beside the
`source_claims` of `sync.claims`:

- `runs`: one row per source per run: when, which revision, how many rows,
  Galat and Peringatan, how long, and the outcome (see `OUTCOMES`);
- `period_results`: per source, period and employee the latest scores, so the
  master recap can show trends and rank changes across agencies;
- `period_summaries`: per source, period and unit (`""` = the whole agency) the
  `Rekap Unit` figures, with the distribution check;
- `period_pay`: per source and period the agency's TPP and discipline figures
  (issue 15: employees with TPP, TPP Diterima of the period's latest month,
  mean Potongan Disiplin, employees at each PP 94/2021 level). A table of its
  own rather than new columns of `period_summaries`, because `create_schema`
  creates missing tables but never alters an existing one: a database made
  before issue 15 gets it on the next run without a migration. Every figure
  is nullable (a workbook without TPP or Kehadiran stores none);
- `period_complaints`: per source, period and unit (`""` = the whole agency)
  the complaint figures of `Rekap Unit` (issue 16: complaints, open, overdue,
  median days to Selesai), a table of its own for the same reason; a unit
  that is no service unit stores none. `summaries` joins them in;

Times are naive UTC. Period results are replaced per source and year when a
source is scored again, so they hold the latest word on each period, not one
copy per run.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields

import numpy as np
import pandas as pd
import sqlalchemy as sa

import scoring
from scoring.predikat import PREDIKATS
from sync.database import metadata
from sync.run.rows import insert_rows, records

OK, FAILED, UNCHANGED, BUSY, DONE, LOCKED = "ok", "failed", "unchanged", "busy", "done", "locked"
OUTCOMES = (OK, FAILED, UNCHANGED, BUSY, DONE, LOCKED)  # LOCKED: open in Excel/LibreOffice, not written
PROCESSED = (OK, FAILED)  # outcomes of a run that read and scored (or tried to)
AGENCY_UNIT = ""  # period_summaries.unit of the agency-wide row

runs = sa.Table(
    "runs", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("batch", sa.String(64), nullable=False),  # one `kinerja run` invocation (its worker id)
    sa.Column("source", sa.String(255), nullable=False),
    sa.Column("location", sa.String(1000), nullable=False),
    sa.Column("agency", sa.String(255)),  # Nama Instansi as read
    sa.Column("started_at", sa.DateTime(), nullable=False),
    sa.Column("finished_at", sa.DateTime(), nullable=False),
    sa.Column("seconds", sa.Float, nullable=False),
    sa.Column("revision", sa.String(64)),  # the source's own revision (Excel: sha256 of the file)
    sa.Column("input_hash", sa.String(64)),  # sha256 of the input tabs' cells: what "unchanged" means
    sa.Column("config_hash", sa.String(64)),  # what else decides the result (periods, version)
    sa.Column("rows_read", sa.Integer),
    sa.Column("errors", sa.Integer),
    sa.Column("warnings", sa.Integer),
    sa.Column("periods", sa.JSON),
    sa.Column("outcome", sa.String(16), nullable=False),
    sa.Column("message", sa.Text),
    sa.Index("ix_runs_source_finished", "source", "finished_at"),
)

period_results = sa.Table(
    "period_results", metadata,
    sa.Column("source", sa.String(255), primary_key=True),
    sa.Column("period", sa.String(16), primary_key=True),
    sa.Column("nip", sa.String(32), primary_key=True),
    sa.Column("name", sa.String(255)),
    sa.Column("unit", sa.String(255)),
    sa.Column("position", sa.String(255)),
    sa.Column("work_achievement", sa.Float),
    sa.Column("performance_score", sa.Float),
    sa.Column("predikat", sa.String(32)),
    sa.Column("status", sa.String(16)),
    sa.Column("unit_rank", sa.Integer),
    sa.Column("agency_rank", sa.Integer),
    sa.Column("rank_change", sa.Integer),
    sa.Column("best_employee", sa.Boolean, nullable=False),
    sa.Column("run_id", sa.Integer, nullable=False),
)

COUNT_COLUMNS = tuple(f"count_{code}" for code in PREDIKATS)
period_summaries = sa.Table(
    "period_summaries", metadata,
    sa.Column("source", sa.String(255), primary_key=True),
    sa.Column("period", sa.String(16), primary_key=True),
    sa.Column("unit", sa.String(255), primary_key=True),
    sa.Column("employees", sa.Integer, nullable=False),
    sa.Column("scored", sa.Integer, nullable=False),
    sa.Column("mean_score", sa.Float),
    *(sa.Column(name, sa.Integer, nullable=False) for name in COUNT_COLUMNS),
    sa.Column("ikm", sa.Float),
    sa.Column("ikm_quality", sa.String(4)),
    sa.Column("distribution_ok", sa.Boolean),
    sa.Column("breaches", sa.JSON),
    sa.Column("run_id", sa.Integer, nullable=False),
)


period_pay = sa.Table(
    "period_pay", metadata,
    sa.Column("source", sa.String(255), primary_key=True),
    sa.Column("period", sa.String(16), primary_key=True),
    sa.Column("month", sa.String(16)),  # the latest month of the period with TPP, e.g. "2026-03"
    sa.Column("tpp_employees", sa.Integer),
    sa.Column("tpp_total", sa.BigInteger),  # Σ TPP Diterima (Rp) of that month
    sa.Column("mean_deduction", sa.Float),  # mean Potongan Disiplin (%) of that month
    sa.Column("discipline_light", sa.Integer),
    sa.Column("discipline_moderate", sa.Integer),
    sa.Column("discipline_severe", sa.Integer),
    sa.Column("run_id", sa.Integer, nullable=False),
)

period_complaints = sa.Table(
    "period_complaints", metadata,
    sa.Column("source", sa.String(255), primary_key=True),
    sa.Column("period", sa.String(16), primary_key=True),
    sa.Column("unit", sa.String(255), primary_key=True),
    sa.Column("complaints", sa.Integer),
    sa.Column("complaints_open", sa.Integer),
    sa.Column("complaints_overdue", sa.Integer),
    sa.Column("complaints_median_days", sa.Float),
    sa.Column("run_id", sa.Integer, nullable=False),
)
COMPLAINT_COLUMNS = ("complaints", "complaints_open", "complaints_overdue", "complaints_median_days")
"""The `Rekap Unit` complaint figures, as stored and as `summaries` returns them."""


@dataclass
class RunRecord:
    """One row of `runs` (id is None until recorded)."""

    batch: str
    source: str
    location: str
    started_at: dt.datetime
    finished_at: dt.datetime
    outcome: str
    message: str | None = None
    agency: str | None = None
    revision: str | None = None
    input_hash: str | None = None
    config_hash: str | None = None
    rows_read: int | None = None
    errors: int | None = None
    warnings: int | None = None
    periods: list[str] = field(default_factory=list)
    seconds: float = 0.0
    id: int | None = None


_RUN_FIELDS = tuple(f.name for f in fields(RunRecord) if f.name != "id")


def record_run(conn: sa.Connection, run: RunRecord) -> int:
    """Insert `run` and return its id (also set on `run`)."""
    values = {name: getattr(run, name) for name in _RUN_FIELDS}
    run.id = conn.execute(runs.insert().values(**values).returning(runs.c.id)).scalar_one()
    return run.id


def save_results(conn: sa.Connection, run_id: int, source: str, year: int, periods: Sequence[str] | None,
                 results: scoring.Results, pay: pd.DataFrame | None = None) -> None:
    """Replace the source's stored results for `periods` (None: every period of `year`).

    A whole-year run replaces the whole year, so a period whose data was
    removed from the workbook disappears here too; earlier years are kept
    for the trend. `pay`: the run's `sync.render.pay` summary (period_pay rows).
    """
    for table in (period_results, period_summaries, period_pay, period_complaints):
        where = table.c.source == source
        if periods:
            where &= table.c.period.in_(list(periods))
        else:
            where &= (table.c.period == str(year)) | table.c.period.like(f"{year}-%")
        conn.execute(table.delete().where(where))
    insert_rows(conn, period_results, result_frame(results.results, source, run_id))
    insert_rows(conn, period_summaries, summary_rows_of(results.units, source, run_id)
            + summary_rows_of(results.agency.assign(unit=AGENCY_UNIT), source, run_id))
    if pay is not None and len(pay):
        insert_rows(conn, period_pay, pay.assign(source=source, run_id=run_id))
    for summary in (results.units, results.agency.assign(unit=AGENCY_UNIT)):  # units' rows, then the agency's
        insert_rows(conn, period_complaints, complaint_frame(summary, source, run_id))


def result_frame(results: pd.DataFrame, source: str, run_id: int) -> pd.DataFrame:
    """`scoring.Results.results` as `period_results` rows (codes, not labels)."""
    names = [c.name for c in period_results.columns if c.name not in ("source", "run_id")]
    frame = results.assign(source=source, run_id=run_id)[["source", *names, "run_id"]]
    return frame.assign(best_employee=frame["best_employee"].fillna(False).astype(bool))


def summary_rows_of(summary: pd.DataFrame, source: str, run_id: int) -> list[dict]:
    """`scoring.Results.units`/`.agency` as `period_summaries` rows; breaches as JSON lists."""
    names = [c.name for c in period_summaries.columns if c.name not in ("source", "run_id")]
    frame = summary.assign(source=source, run_id=run_id)[["source", *names, "run_id"]]
    rows = records(frame)
    for row in rows:
        row["breaches"] = [_plain(b) for b in row["breaches"] or ()]
    return rows


def complaint_frame(summary: pd.DataFrame, source: str, run_id: int) -> pd.DataFrame:
    """The complaint figures of `scoring.Results.units`/`.agency` (added by `sync.complaints`) as
    `period_complaints` rows: only rows with any figure, none when the columns are absent."""
    if not set(COMPLAINT_COLUMNS) <= set(summary.columns):
        return pd.DataFrame()
    frame = summary.loc[summary[list(COMPLAINT_COLUMNS)].notna().any(axis=1)]
    return frame.assign(source=source, run_id=run_id)[["source", "period", "unit", *COMPLAINT_COLUMNS,
                                                       "run_id"]]


def _plain(breach: dict) -> dict:
    """A breach of `scoring.distribution` as JSON can hold it (tuples → lists, numpy → Python)."""
    codes = breach["predikat"]
    return {**{k: v.item() if isinstance(v, np.generic) else v for k, v in breach.items()},
            "predikat": list(codes) if isinstance(codes, tuple | list) else [codes]}


# --- questions the runner and the recap ask ---------------------------------------------------


def _run(row) -> RunRecord:
    return RunRecord(**{k: row[k] for k in (*_RUN_FIELDS, "id")})


def last_success(conn: sa.Connection, source: str) -> RunRecord | None:
    """The latest run of `source` that scored and wrote its workbook."""
    query = (sa.select(runs).where(runs.c.source == source, runs.c.outcome == OK)
             .order_by(runs.c.id.desc()).limit(1))
    row = conn.execute(query).mappings().first()
    return _run(row) if row else None


def processed_since(conn: sa.Connection, source: str, since: dt.datetime, batch: str) -> RunRecord | None:
    """A run of `source` by another batch that finished processing at or after `since`."""
    query = (sa.select(runs).where(runs.c.source == source, runs.c.outcome.in_(PROCESSED),
                                   runs.c.finished_at >= since, runs.c.batch != batch)
             .order_by(runs.c.id.desc()).limit(1))
    row = conn.execute(query).mappings().first()
    return _run(row) if row else None


def recent_runs(engine: sa.Engine, source: str | None = None, limit: int = 20) -> list[RunRecord]:
    """The latest `limit` runs (of `source`, or of every source), newest first."""
    query = sa.select(runs).order_by(runs.c.id.desc()).limit(limit)
    if source:
        query = query.where(runs.c.source == source)
    with engine.connect() as conn:
        return [_run(row) for row in conn.execute(query).mappings()]


def latest_runs(conn: sa.Connection, sources: Iterable[str]) -> list[RunRecord]:
    """Per source the latest successful and the latest failed run (at most two rows each)."""
    names = list(sources)
    newest = (sa.select(sa.func.max(runs.c.id)).where(runs.c.source.in_(names), runs.c.outcome.in_(PROCESSED))
              .group_by(runs.c.source, runs.c.outcome))
    query = sa.select(runs).where(runs.c.id.in_(newest)).order_by(runs.c.id)
    return [_run(row) for row in conn.execute(query).mappings()]


def summaries(conn: sa.Connection, sources: Iterable[str]) -> pd.DataFrame:
    """Every stored `period_summaries` row of `sources`, with its `period_complaints` figures
    (COMPLAINT_COLUMNS; missing where none were stored)."""
    keys = ("source", "period", "unit")
    joined = period_summaries.outerjoin(period_complaints, sa.and_(
        *(period_summaries.c[k] == period_complaints.c[k] for k in keys)))
    query = (sa.select(period_summaries, *(period_complaints.c[name] for name in COMPLAINT_COLUMNS))
             .select_from(joined).where(period_summaries.c.source.in_(list(sources))))
    rows = conn.execute(query).mappings().all()
    columns = [*(c.name for c in period_summaries.columns), *COMPLAINT_COLUMNS]
    return pd.DataFrame([dict(r) for r in rows], columns=columns)


def pay_summaries(conn: sa.Connection, sources: Iterable[str]) -> pd.DataFrame:
    """Every stored `period_pay` row of `sources`."""
    query = sa.select(period_pay).where(period_pay.c.source.in_(list(sources)))
    return _frame(conn, query, period_pay)


def best_employees(conn: sa.Connection, sources: Iterable[str]) -> pd.DataFrame:
    """The stored Pegawai Terbaik rows (every period) of `sources`."""
    query = sa.select(period_results).where(period_results.c.source.in_(list(sources)),
                                            period_results.c.best_employee.is_(True))
    return _frame(conn, query, period_results)


def _frame(conn: sa.Connection, query, table: sa.Table) -> pd.DataFrame:
    rows = conn.execute(query).mappings().all()
    return pd.DataFrame([dict(r) for r in rows], columns=[c.name for c in table.columns])
