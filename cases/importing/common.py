"""Limits on what is imported, and the error for a file that cannot be read."""

import re

from django.conf import settings
from django.utils.formats import number_format

# Measured on a 2-core machine: previewing 2,000 figures takes 4-8 s on SQLite and 7-11 s on
# PostgreSQL (new figures fastest, updates from XLSX slowest, each saved and recorded in the
# history inside the rolled-back dry run), and confirming takes about as long again.
DEFAULT_MAX_ROWS = 2000
# Far above what the row limit allows (2,000 figures are about 1.2 MB as CSV, 0.6 MB as
# XLSX); refusing bigger files before reading them keeps a wrong upload from tying up the
# server.
DEFAULT_MAX_BYTES = 10 * 1024 * 1024

ZIP_SIGNATURE = b"PK\x03\x04"
OLD_EXCEL_SIGNATURE = b"\xd0\xcf\x11\xe0"
# Spreadsheets write 22,859 for 22859 when the cell shows thousands separators.
GROUPED_NUMBER = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?")
# Characters XLSX cannot hold (control characters other than tab and line breaks).
XLSX_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# Excel keeps 15 significant digits; longer numbers are written as text so none is lost.
EXCEL_DIGITS = 15


# A workbook of 2,000 figures unpacks to about 4 MB; what unpacks to more than this is not a
# sheet of figures, and parsing it would take memory out of proportion to the file.
DEFAULT_MAX_UNPACKED_BYTES = 20 * 1024 * 1024


def max_unpacked_bytes():
    return getattr(settings, "CSR_IMPORT_MAX_UNPACKED_BYTES", DEFAULT_MAX_UNPACKED_BYTES)


def max_rows():
    return getattr(settings, "CSR_IMPORT_MAX_ROWS", DEFAULT_MAX_ROWS)


def max_bytes():
    return getattr(settings, "CSR_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES)


def grouped(count):
    return number_format(count, force_grouping=True)


class UnreadableFile(Exception):
    """A file that cannot be read as the chosen format, with a message for the editor."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message
