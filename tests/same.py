"""Comparing a rewritten function with its previous implementation, which the test keeps as the oracle
(issue 17's rewrites: the same frames, dtypes and errors as before)."""

from __future__ import annotations

import numpy as np
import pandas as pd


def same(a: pd.DataFrame, b: pd.DataFrame) -> None:
    """Equal frames: dtypes, index, values, attrs, and None/NaN where each has them."""
    pd.testing.assert_frame_equal(a, b, check_exact=True)
    assert list(a.dtypes) == list(b.dtypes)
    assert a.attrs == b.attrs
    for column in a.columns:
        assert [repr(v) for v in a[column].tolist()] == [repr(v) for v in b[column].tolist()], column


def outcome(function, *args, **kwargs):
    """What `function(*args, **kwargs)` gives, or the type and message of what it raised."""
    try:
        return function(*args, **kwargs)
    except Exception as error:  # noqa: BLE001 - the error is the outcome compared
        return f"{type(error).__name__}: {error}"


def same_outcome(a, b) -> None:
    """Both the same frame, or both the same error (`outcome`)."""
    if isinstance(a, str) or isinstance(b, str):
        assert a == b
    else:
        same(a, b)


def pick(rng: np.random.Generator, choices: list, size: int) -> np.ndarray:
    """`size` values drawn from `choices` (which may hold None and NaN), as an object array."""
    out = np.empty(size, dtype=object)
    out[:] = [choices[i] for i in rng.integers(0, len(choices), size)] if choices else []
    return out
