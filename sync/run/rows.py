"""Rows of the run history as the database driver takes them: plain Python values, column by column.

Recording an agency's run is the one serial part of `kinerja run --jobs` (it happens in the
command's process), so its rows go to the driver's `executemany` straight from a frame's
columns, with the statement compiled once per table and database (issue 17).
"""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd
import sqlalchemy as sa


def insert_rows(conn: sa.Connection, table: sa.Table, rows: list[dict] | pd.DataFrame) -> None:
    """`rows` (or a frame's `records`) into `table`. Straight to the driver's executemany where no column
    needs SQLAlchemy's conversion (JSON): its per-row parameter handling was a third of recording an
    agency's run; a frame's rows then come straight from its columns, not from a dict per row."""
    json = any(isinstance(c.type, sa.JSON) for c in table.columns)
    if isinstance(rows, pd.DataFrame) and (json or not len(rows)):
        rows = records(rows)
    if json:
        for start in range(0, len(rows), 2000):
            conn.execute(table.insert(), rows[start:start + 2000])
        return
    if not len(rows):
        return
    sql, positions = _insert_sql(table, conn.dialect)
    if isinstance(rows, pd.DataFrame) and positions is not None:
        columns = {name: _plain_column(column) for name, column in rows.items()}  # last wins
        missing = [None] * len(rows)
        conn.exec_driver_sql(sql, list(zip(*(columns.get(n, missing) for n in positions), strict=True)))
        return
    rows = records(rows) if isinstance(rows, pd.DataFrame) else rows
    names = positions if positions is not None else [c.key for c in table.columns]
    values = [tuple(row.get(n) for n in names) for row in rows] if positions is not None else [
        {n: row.get(n) for n in names} for row in rows]
    conn.exec_driver_sql(sql, values)


@functools.lru_cache(maxsize=64)
def _insert_sql(table: sa.Table, dialect: sa.Dialect) -> tuple[str, tuple[str, ...] | None]:
    """The INSERT of every column of `table` in the dialect's paramstyle, and the parameters' order
    when it is positional: compiled once per table and database, not at every agency's record."""
    compiled = table.insert().compile(dialect=dialect)
    return str(compiled), tuple(compiled.positiontup) if compiled.positional else None


_MASKED = (pd.arrays.IntegerArray, pd.arrays.FloatingArray, pd.arrays.BooleanArray)


def records(frame: pd.DataFrame) -> list[dict]:
    """Plain Python rows: NaN/NA → None, numpy scalars → int/float/bool.

    Column by column (`tolist` makes Python scalars in C), then zipped: per-cell checks
    over a few thousand rows per agency were a tenth of a `kinerja run`.
    """
    names = list(frame.columns)
    columns = [_plain_column(column) for _, column in frame.items()]
    return [dict(zip(names, row, strict=True)) for row in zip(*columns, strict=True)] if names else (
        [{} for _ in range(len(frame))])


def _plain_column(column: pd.Series) -> list:
    array = column.array
    if isinstance(array, _MASKED):  # Int64, Float64, boolean: Python scalars and None, made in C
        return array.to_numpy(dtype=object, na_value=None).tolist()
    missing = column.isna().to_numpy()
    if isinstance(column.dtype, np.dtype) and column.dtype.kind in "biuf":  # tolist: Python int/float/bool
        values = column.to_numpy().tolist()
    else:
        values = [v.item() if isinstance(v, np.generic) else v
                  for v in column.to_numpy(dtype=object).tolist()]
    if missing.any():
        for i in np.flatnonzero(missing).tolist():
            values[i] = None
    return values
