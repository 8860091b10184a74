import pytest

from scoring.predikat import predikat


@pytest.mark.parametrize(
    ("work", "behaviour", "expected"),
    [
        # domain.md §1.3: rows Rating Hasil Kerja, columns Rating Perilaku Kerja
        ("above", "below", "poor"),
        ("above", "meets", "good"),
        ("above", "above", "very_good"),
        ("meets", "below", "poor"),
        ("meets", "meets", "good"),
        ("meets", "above", "good"),
        ("below", "below", "very_poor"),
        ("below", "meets", "needs_improvement"),
        ("below", "above", "needs_improvement"),
        (None, "above", None),
        ("above", None, None),
    ],
)
def test_matrix(work, behaviour, expected):
    assert predikat([work], [behaviour]).tolist() == [expected]


def test_vectorised():
    assert predikat(["above", "below"], ["above", "below"]).tolist() == ["very_good", "very_poor"]
