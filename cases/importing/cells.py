"""Spreadsheet cells: how each kind of value is written to and read from a file."""

from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from import_export import widgets

from ..models import Metric
from ..spreadsheet import plain_number, spreadsheet_safe, without_formula_guard
from .common import EXCEL_DIGITS, GROUPED_NUMBER, XLSX_ILLEGAL


def cell_text(value):
    """A typed cell as CSV text: numbers plain, dates ISO, yes/no as 1/0."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, (int, float, Decimal)):
        return plain_number(value)
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def csv_cell(value):
    # Only text can be mistaken for a formula; a negative number stays a number.
    return spreadsheet_safe(value) if isinstance(value, str) else cell_text(value)


def xlsx_cell(value):
    if isinstance(value, str):
        return spreadsheet_safe(XLSX_ILLEGAL.sub("\N{REPLACEMENT CHARACTER}", value))
    if isinstance(value, Decimal):
        if len(value.normalize().as_tuple().digits) > EXCEL_DIGITS:
            return plain_number(value)
        return value.normalize() + 0  # drops the exponent normalize() may add
    return value


class Text(widgets.Widget):
    """Text as typed into a spreadsheet: trimmed as the admin form trims it, and without the
    apostrophe our exports put before text that a spreadsheet would run as a formula."""

    def clean(self, value, row=None, **kwargs):
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)  # a number typed into a text column, e.g. a page: 20, not 20.0
        return without_formula_guard(str(value).strip())

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class Number(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
            number = Decimal(value)
        elif isinstance(value, float):
            number = Decimal(repr(value))
        else:
            text = str(value).strip()
            if GROUPED_NUMBER.fullmatch(text):
                text = text.replace(",", "")
            try:
                number = Decimal(text)
            except InvalidOperation:
                number = None
        # An absurd exponent (1e999999999) would take ages to write out in full.
        if number is None or not number.is_finite() or abs(number.adjusted()) > 100:
            raise ValueError(
                _("“%(value)s” is not a number. Write digits only, e.g. 17600 or 1.76.")
                % {"value": Truncator(str(value)).chars(40)}
            )
        return number

    def render(self, value, obj=None, **kwargs):
        if kwargs.get("force_native_type"):
            return value
        return "" if value is None else plain_number(value)


class Day(widgets.Widget):
    FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M:%S")

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, datetime):  # a date cell of a workbook
            return value.date()
        if isinstance(value, date):
            return value
        text = "" if value is None else str(value).strip()
        if not text:
            return None
        for pattern in self.FORMATS:
            try:
                return datetime.strptime(text, pattern).date()
            except ValueError:
                continue
        raise ValueError(
            _("“%(value)s” is not a date. Write it as YYYY-MM-DD, e.g. 2024-06-13.")
            % {"value": Truncator(text).chars(40)}
        )

    def render(self, value, obj=None, **kwargs):
        if kwargs.get("force_native_type"):
            return value
        return cell_text(value)


class Moment(widgets.Widget):
    """A time stamp in local time; exported only."""

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        # Workbooks cannot hold a time zone, so both formats get local time.
        local = timezone.localtime(value).replace(tzinfo=None, microsecond=0)
        return local if kwargs.get("force_native_type") else cell_text(local)


class YesNo(widgets.Widget):
    YES = {"1", "true", "yes", "y", "是"}
    NO = {"0", "false", "no", "n", "否", ""}

    def clean(self, value, row=None, **kwargs):
        if value is None:
            return False
        if isinstance(value, bool):
            return value
        text = str(int(value) if isinstance(value, float) and value.is_integer() else value)
        text = text.strip().lower()
        if text in self.YES:
            return True
        if text in self.NO:
            return False
        raise ValueError(
            _("“%(value)s” is neither yes nor no. Write 1 for yes or 0 for no.")
            % {"value": Truncator(text).chars(40)}
        )

    def render(self, value, obj=None, **kwargs):
        if kwargs.get("force_native_type"):
            return bool(value)
        return cell_text(bool(value))


class BySlug(widgets.Widget):
    """A related record named by its slug (a unit by its symbol).

    Small reference tables are read once per import; figures are looked up each time, since
    a figure may be the total of a part imported further down the same file."""

    def __init__(self, model, field="slug", cached=True, select_related=()):
        super().__init__()
        self.model = model
        self.field = field
        self.cached = cached
        self.select_related = select_related
        self._records = None

    def clean(self, value, row=None, **kwargs):
        key = Text().clean(value)
        if not key:
            return None
        if self.cached:
            if self._records is None:
                records = self.model._default_manager.select_related(*self.select_related)
                self._records = {getattr(record, self.field): record for record in records}
            found = self._records.get(key)
        else:
            found = self.model._default_manager.filter(**{self.field: key}).first()
        if found is None:
            raise ValueError(self.missing_message(Truncator(key).chars(60)))
        return found

    def missing_message(self, key):
        if self.field == "symbol":
            return _("There is no unit with the symbol “%(value)s”.") % {"value": key}
        if self.model is Metric:
            return _(
                "There is no figure with the slug “%(value)s”. If it is in this file, put it "
                "above its parts."
            ) % {"value": key}
        return _("There is no %(record)s with the slug “%(value)s”.") % {
            "record": self.model._meta.verbose_name,
            "value": key,
        }

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else getattr(value, self.field)


class SlugList(widgets.Widget):
    """Related records of a many-to-many field as their slugs, comma-separated; exported only."""

    def render(self, value, obj=None, **kwargs):
        return ", ".join(sorted(record.slug for record in value.all())) if value else ""
