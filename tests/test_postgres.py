"""Checks that only mean something on the production database."""

import pytest
from django.db import connection

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def test_figures_are_stored_as_exact_numerics():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT column_name, data_type, numeric_precision, numeric_scale"
            " FROM information_schema.columns"
            " WHERE table_name = 'cases_metric' AND column_name IN ('value', 'value_high')"
            " ORDER BY column_name"
        )
        assert cursor.fetchall() == [
            ("value", "numeric", 24, 4),
            ("value_high", "numeric", 24, 4),
        ]


def test_check_constraints_exist_in_the_database():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conname FROM pg_constraint WHERE conrelid = 'cases_metric'::regclass"
            " AND contype = 'c' ORDER BY conname"
        )
        names = [row[0] for row in cursor.fetchall()]
    assert {
        "metric_high_not_below_low",
        "metric_owner_or_industry_wide",
        "metric_period_in_order",
    } <= set(names)
