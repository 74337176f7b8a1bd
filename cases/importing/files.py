"""The two file formats: CSV as Excel writes it (any of its encodings) and XLSX."""

import codecs
import csv
import io
import re
import zipfile

import tablib
from django.utils.translation import gettext_lazy as _
from import_export.formats import base_formats

from .cells import csv_cell, xlsx_cell
from .common import (
    OLD_EXCEL_SIGNATURE,
    ZIP_SIGNATURE,
    UnreadableFile,
    grouped,
    max_rows,
    max_unpacked_bytes,
)


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


LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")


def lines(text):
    """The lines of `text` one at a time, their ends kept, as a file opened with newline=""
    gives them; io.StringIO would first copy the whole text at four bytes a character."""
    return (match.group() for match in LINE.finditer(text))


def table(rows):
    """A dataset of `rows` (the first non-blank one holding the column headers), leaving out
    blank rows and the empty columns spreadsheets tend to add on the right. Reading stops one
    row past the import's limit: the upload form refuses the file then, and a file of
    millions of rows costs no more than one just over the limit."""
    rows = iter(rows)
    for first in rows:
        if any(cell not in (None, "") for cell in first):
            break
    else:
        raise UnreadableFile(_("The file is empty."))
    headers = [("" if cell is None else str(cell)).strip().lower() for cell in first]
    body = []
    for row in rows:
        if any(cell not in (None, "") for cell in row):
            body.append(list(row))
            if len(body) > max_rows():
                break
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
        first_line = next(lines(text), "")
        # Excel's "Unicode text" is tab-separated UTF-16.
        delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
        reader = csv.reader(lines(text), delimiter=delimiter)
        try:
            return table(reader)
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


NOT_A_WORKBOOK = _(
    "This file is not an Excel workbook (.xlsx). Choose the format that matches the file, "
    "e.g. csv for a .csv file."
)

DAMAGED_WORKBOOK = _(
    "This workbook is damaged or holds something that cannot be read as a sheet of cells. "
    "Open it in Excel, save it again as .xlsx (or as CSV UTF-8) and upload that."
)


def refuse_a_workbook_too_large_unpacked(data):
    """A small .xlsx can unpack to hundreds of megabytes (one huge shared string, say):
    refuse it by the sizes its zip directory declares, before anything is unpacked."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError):
        raise UnreadableFile(NOT_A_WORKBOOK) from None
    if unpacked > max_unpacked_bytes():
        raise UnreadableFile(
            _(
                "This workbook unpacks to %(size)s MB, more than the %(limit)s MB an import may "
                "take. Save only the sheet of figures, or save it as CSV UTF-8."
            )
            % {
                "size": grouped(-(-unpacked // 2**20)),
                "limit": grouped(max_unpacked_bytes() // 2**20),
            }
        )


class SpreadsheetXLSX(base_formats.XLSX):
    """An Excel workbook: its first sheet is read, with dates and numbers as typed cells."""

    def create_dataset(self, in_stream):
        import openpyxl

        if isinstance(in_stream, str):
            raise UnreadableFile(NOT_A_WORKBOOK)
        refuse_a_workbook_too_large_unpacked(in_stream)
        try:
            workbook = openpyxl.load_workbook(io.BytesIO(in_stream), read_only=True, data_only=True)
        except Exception:  # zip, XML and openpyxl's own errors alike: the file is not usable
            raise UnreadableFile(DAMAGED_WORKBOOK) from None
        try:
            return table(workbook.worksheets[0].iter_rows(values_only=True))
        except UnreadableFile:
            raise
        except Exception:  # a cut-off sheet, a bad cell reference, a forbidden XML entity …
            raise UnreadableFile(DAMAGED_WORKBOOK) from None
        finally:
            workbook.close()

    def export_data(self, dataset, **kwargs):
        safe = tablib.Dataset(headers=dataset.headers, title=dataset.title)
        for row in dataset:
            safe.append([xlsx_cell(value) for value in row])
        return super().export_data(safe, **kwargs)


FORMATS = [SpreadsheetCSV, SpreadsheetXLSX]
