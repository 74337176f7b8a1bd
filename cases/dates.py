"""Dates known to a day, a month or a year, and how each is shown in Chinese and English.

A report that says 截至2023年底 knows the year, not the day: such a date is stored as
2023-12-31 with precision "year" and shown as "2023年底" / "end of 2023", never as a day.
"""

import calendar
import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Precision(models.TextChoices):
    DAY = "day", _("day")
    MONTH = "month", _("month")
    YEAR = "year", _("year")


def is_chinese(language=None):
    return (language or get_language() or "zh-hans").lower().startswith("zh")


def _last_day_of_month(value):
    return calendar.monthrange(value.year, value.month)[1]


def format_partial_date(value, precision, language=None):
    """Show `value` only as far as `precision` allows, in the given (or active) language."""
    if value is None:
        return ""
    chinese = is_chinese(language)
    if precision == Precision.YEAR:
        year_end = (value.month, value.day) == (12, 31)
        if chinese:
            return f"{value.year}年底" if year_end else f"{value.year}年"
        return f"end of {value.year}" if year_end else str(value.year)
    if precision == Precision.MONTH:
        if chinese:
            return f"{value.year}年{value.month}月"
        return f"{calendar.month_name[value.month]} {value.year}"
    if chinese:
        return f"{value.year}年{value.month}月{value.day}日"
    return f"{value.day} {calendar.month_name[value.month]} {value.year}"


def validate_precision(value, precision, field):
    """Refuse a date that claims more than its precision: a year is its first or last day,
    a month its first or last day."""
    if value is None or not isinstance(value, datetime.date):
        return
    if precision == Precision.YEAR and (value.month, value.day) not in {(1, 1), (12, 31)}:
        raise ValidationError(
            {
                field: ValidationError(
                    _(
                        "A date known only to the year must be 1 January (start of the year) "
                        "or 31 December (end of the year)."
                    ),
                    code="precision_mismatch",
                )
            }
        )
    if precision == Precision.MONTH and value.day not in {1, _last_day_of_month(value)}:
        raise ValidationError(
            {
                field: ValidationError(
                    _(
                        "A date known only to the month must be the first or the last day "
                        "of that month."
                    ),
                    code="precision_mismatch",
                )
            }
        )
