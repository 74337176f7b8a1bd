"""The two file formats: CSV as Excel writes it (any of its encodings) and XLSX."""

import codecs
import csv
import io
import zipfile

import tablib
from django.utils.translation import gettext_lazy as _
from import_export.formats import base_formats

from .cells import csv_cell, xlsx_cell
from .common import OLD_EXCEL_SIGNATURE, ZIP_SIGNATURE, UnreadableFile, grouped


def decode(data):
    """The text of a CSV file as Excel saves it: UTF-8 with or without a byte-order mark,
    GBK on Chinese Windows (read as GB18030, which contains it), or UTF-16 with a mark."""
    if data.startswith(ZIP_SIGNATURE):
        raise UnreadableFile(
            _(
                "This file is an Excel workbook (.xlsx), not a CSV file. Choose the xlsx "
                "format, or save the sheet as CSV."
            )
        )
    if data.startswith(OLD_EXCEL_SIGNATURE):
        raise UnreadableFile(
            _(
                "This file is an old Excel workbook (.xls). Save it in Excel as .xlsx or as "
                "CSV UTF-8, then upload it again."
            )
        )
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings = ["utf-16"]
    else:
        encodings = ["utf-8-sig", "gb18030"]
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnreadableFile(
        _(
            "This file is not a CSV text file in a known encoding (UTF-8 or GBK). In Excel, "
            "use Save As › CSV UTF-8, or upload the .xlsx workbook with the xlsx format."
        )
    )


def table(rows):
    """A dataset of `rows` (the first non-blank one holding the column headers), leaving out
    blank rows and the empty columns spreadsheets tend to add on the right."""
    rows = iter(rows)
    for first in rows:
        if any(cell not in (None, "") for cell in first):
            break
    else:
        raise UnreadableFile(_("The file is empty."))
    headers = [("" if cell is None else str(cell)).strip().lower() for cell in first]
    body = [list(row) for row in rows if any(cell not in (None, "") for cell in row)]
    width = max([len(headers), *(len(row) for row in body)])
    for row in [headers, *body]:
        row.extend([""] * (width - len(row)))
    keep = [
        index
        for index, header in enumerate(headers)
        if header or any(row[index] not in (None, "") for row in body)
    ]
    dataset = tablib.Dataset(headers=[headers[index] for index in keep])
    for row in body:
        dataset.append([row[index] for index in keep])
    return dataset


class SpreadsheetCSV(base_formats.CSV):
    """CSV read as bytes and decoded here, since Excel writes it in several encodings, and
    written as UTF-8 with a byte-order mark, which is how Excel recognises UTF-8."""

    def is_binary(self):
        return True

    def get_read_mode(self):
        return "rb"

    def create_dataset(self, in_stream, **kwargs):
        text = decode(in_stream) if isinstance(in_stream, bytes) else in_stream
        first_line = text.split("\n", 1)[0]
        # Excel's "Unicode text" is tab-separated UTF-16.
        delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        try:
            return table(list(reader))
        except csv.Error:
            raise UnreadableFile(
                _(
                    "Line %(line)s of the file could not be read as CSV: a cell is longer "
                    "than %(limit)s characters, or a quotation mark is not closed."
                )
                % {"line": reader.line_num, "limit": grouped(csv.field_size_limit())}
            ) from None

    def export_data(self, dataset, **kwargs):
        safe = tablib.Dataset(headers=dataset.headers)
        for row in dataset:
            safe.append([csv_cell(value) for value in row])
        return codecs.BOM_UTF8 + safe.export("csv").encode("utf-8")


class SpreadsheetXLSX(base_formats.XLSX):
    """An Excel workbook: its first sheet is read, with dates and numbers as typed cells."""

    def create_dataset(self, in_stream):
        import openpyxl

        try:
            workbook = openpyxl.load_workbook(io.BytesIO(in_stream), read_only=True, data_only=True)
        except (zipfile.BadZipFile, KeyError, ValueError, OSError):
            raise UnreadableFile(
                _(
                    "This file is not an Excel workbook (.xlsx). Choose the format that "
                    "matches the file, e.g. csv for a .csv file."
                )
            ) from None
        try:
            return table(workbook.worksheets[0].iter_rows(values_only=True))
        finally:
            workbook.close()

    def export_data(self, dataset, **kwargs):
        safe = tablib.Dataset(headers=dataset.headers, title=dataset.title)
        for row in dataset:
            safe.append([xlsx_cell(value) for value in row])
        return super().export_data(safe, **kwargs)


FORMATS = [SpreadsheetCSV, SpreadsheetXLSX]
