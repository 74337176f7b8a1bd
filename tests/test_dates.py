"""Dates shown only as far as their precision allows."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from cases.dates import format_partial_date, validate_precision

D = datetime.date


@pytest.mark.parametrize(
    ("value", "precision", "chinese", "english"),
    [
        (D(2023, 12, 31), "year", "2023年底", "end of 2023"),
        (D(2016, 1, 1), "year", "2016年", "2016"),
        (D(2024, 6, 1), "month", "2024年6月", "June 2024"),
        (D(2024, 3, 31), "month", "2024年3月", "March 2024"),
        (D(2024, 6, 13), "day", "2024年6月13日", "13 June 2024"),
    ],
)
def test_formats_date_to_its_precision(value, precision, chinese, english):
    assert format_partial_date(value, precision, "zh-hans") == chinese
    assert format_partial_date(value, precision, "en") == english


def test_missing_date_shows_nothing():
    assert format_partial_date(None, "day", "en") == ""


@pytest.mark.parametrize(
    ("value", "precision"),
    [(D(2023, 6, 30), "year"), (D(2024, 6, 13), "month"), (D(2023, 2, 27), "month")],
)
def test_refuses_a_date_more_exact_than_its_precision(value, precision):
    with pytest.raises(ValidationError) as caught:
        validate_precision(value, precision, "as_of")
    assert caught.value.error_dict["as_of"][0].code == "precision_mismatch"


@pytest.mark.parametrize(
    ("value", "precision"),
    [
        (D(2023, 12, 31), "year"),
        (D(2023, 1, 1), "year"),
        (D(2024, 2, 29), "month"),
        (D(2024, 6, 1), "month"),
        (D(2024, 6, 13), "day"),
    ],
)
def test_accepts_dates_that_fit_their_precision(value, precision):
    validate_precision(value, precision, "as_of")
