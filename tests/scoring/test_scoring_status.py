import pytest

from scoring.status import status_reasons


@pytest.mark.parametrize(
    ("flags", "status", "reasons"),
    [
        ((False, False, False, False), "complete", ()),
        ((True, True, True, True), "incomplete", ("no_indicators", "no_supervisor_rating")),
        ((False, True, True, False), "incomplete", ("no_realisation", "missing_realisation")),
        ((False, False, True, True), "incomplete",
         ("missing_realisation", "no_supervisor_rating")),
    ],
)
def test_status_and_reasons_in_order(flags, status, reasons):
    got_status, got_reasons = status_reasons(*[[f] for f in flags])
    assert (got_status[0], got_reasons[0]) == (status, reasons)
