import pytest

from scoring import ScoringError, Settings
from scoring.supervisor import combine, supervisor_ratings_for


def test_given_ratings_latest_wins(mk):
    sr = mk.frame("supervisor_ratings", [
        {"period": "2026-01", "nip": "1", "work_rating": "meets"},
        {"period": "2026-01", "nip": "1", "work_rating": "above"},
        {"period": " 2026-02 ", "nip": "1", "work_rating": None, "behaviour_rating": "below"},
    ])
    out = supervisor_ratings_for(sr, "work_rating", Settings())
    assert out.to_dict("records") == [{"period": "2026-01", "nip": "1", "rating": "above"}]
    out = supervisor_ratings_for(sr, "behaviour_rating", Settings())
    assert out.to_dict("records") == [{"period": "2026-02", "nip": "1", "rating": "below"}]


def test_bad_period_label_raises(mk):
    sr = mk.frame("supervisor_ratings", [{"period": "2026-T1", "nip": "1", "work_rating": "meets"}])
    with pytest.raises(ScoringError, match="not a monthly period label"):
        supervisor_ratings_for(sr, "work_rating", Settings())


def test_bad_rating_code_raises(mk):
    sr = mk.frame("supervisor_ratings", [{"period": "2026-01", "nip": "1", "work_rating": "great"}])
    with pytest.raises(ScoringError, match="'great' is not one of above, meets, below"):
        supervisor_ratings_for(sr, "work_rating", Settings())


def test_combine_prefers_the_supervisor():
    rating, by_supervisor = combine(["meets", "below", None, None], ["above", None, "meets", None])
    assert rating.tolist() == ["above", "below", "meets", None]
    assert by_supervisor.tolist() == [True, False, True, False]
