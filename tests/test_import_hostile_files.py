"""Damaged, hostile and oversized spreadsheets, and tampered "Confirm import" forms: each is
refused with a message in the editor's language, nothing is written, no path the form names is
opened, and reading a file costs no more than reading one at the import's limits."""

import io
import re
import time
import tracemalloc
import zipfile

import openpyxl
import pytest
from django.utils import translation

from cases.importing.admin import PreviewStorage
from cases.importing.files import SpreadsheetCSV, SpreadsheetXLSX
from cases.models import Metric

from .test_import_export import (
    CSV,
    XLSX,
    confirm,
    csv_file,
    file_errors,
    new_row,
    page_text,
    preview,
    url,
    xlsx_file,
)

pytestmark = pytest.mark.usefixtures("casebook", "db")

DAMAGED = "This workbook is damaged or holds something that cannot be read as a sheet of cells."
NOT_A_WORKBOOK = "This file is not an Excel workbook (.xlsx)."
SHEET = "xl/worksheets/sheet1.xml"
SHARED_STRINGS_TYPE = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"
)


@pytest.fixture
def plain(editor_client):
    from .test_import_export import exported_rows

    rows = exported_rows(editor_client)
    totals = {row["part_of"] for row in rows}
    return next(row for row in rows if not row["part_of"] and row["slug"] not in totals)


def rewritten(workbook, changes, extra=None):
    """`workbook` (bytes of an .xlsx) with members changed by `changes` {name: bytes -> bytes}
    and `extra` {name: bytes} added."""
    source = zipfile.ZipFile(io.BytesIO(workbook))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            data = source.read(member.filename)
            change = changes.get(member.filename)
            target.writestr(member.filename, change(data) if change else data)
        for name, data in (extra or {}).items():
            target.writestr(name, data)
    return out.getvalue()


def with_shared_strings(workbook, strings_xml, cell_xml):
    """`workbook` with a shared strings part and the sheet's second cell of row 2 replaced by
    `cell_xml` (a shared-string cell, say)."""

    def add_relationship(data):
        relation = f'<Relationship Id="rIdShared" Type="{SHARED_STRINGS_TYPE}" '
        relation += 'Target="sharedStrings.xml"/>'
        return data.replace(b"</Relationships>", relation.encode() + b"</Relationships>")

    def add_content_type(data):
        override = (
            '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
        )
        return data.replace(b"</Types>", override.encode() + b"</Types>")

    def replace_cell(data):
        return re.sub(rb'<c r="B2"[^>]*>.*?</c>', cell_xml, data, count=1)

    return rewritten(
        workbook,
        {
            "xl/_rels/workbook.xml.rels": add_relationship,
            "[Content_Types].xml": add_content_type,
            SHEET: replace_cell,
        },
        {"xl/sharedStrings.xml": strings_xml},
    )


def shared_strings(*texts):
    items = "".join(f"<si><t>{text}</t></si>" for text in texts)
    return (
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        f'count="{len(texts)}" uniqueCount="{len(texts)}">{items}</sst>'
    ).encode()


def sheet_change(pattern, replacement):
    return {SHEET: lambda data: re.sub(pattern, replacement, data, count=1)}


def damaged_workbooks(good):
    """Each way of damaging a valid workbook that once answered 500."""
    entity = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
    )
    return {
        "a truncated sheet": rewritten(good, {SHEET: lambda data: data[: len(data) // 2]}),
        "a bad cell reference": rewritten(good, sheet_change(rb'r="B2"', b'r="B!2"')),
        "a non-number in a number cell": rewritten(
            good, sheet_change(rb'(<c r="[A-Z]+2"[^>]*t="n"[^>]*>)<v>[^<]*</v>', rb"\1<v>many</v>")
        ),
        "a bad date cell": rewritten(
            good, sheet_change(rb'<c r="B2"[^>]*>.*?</c>', b'<c r="B2" t="d"><v>31/02/x</v></c>')
        ),
        "a missing shared string": with_shared_strings(
            good, shared_strings("only"), b'<c r="B2" t="s"><v>7</v></c>'
        ),
        "a DTD with entities": rewritten(
            good,
            {SHEET: lambda data: entity + data.replace(b"<sheetData>", b"<sheetData>&lol2;")},
        ),
        "a sheet that is not XML": rewritten(good, {SHEET: lambda data: b"\x00\xff" * 100}),
        "a workbook without sheets": rewritten(
            good, {"xl/workbook.xml": lambda data: re.sub(rb"<sheets>.*</sheets>", b"", data)}
        ),
    }


@pytest.fixture
def good_workbook(plain):
    return xlsx_file([new_row(plain, "from-a-workbook", value=12)])


def members(workbook):
    with zipfile.ZipFile(io.BytesIO(workbook)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_every_damaged_workbook_is_refused_with_a_message_and_nothing_written(
    editor_client, good_workbook
):
    assert file_errors(preview(editor_client, good_workbook, "f.xlsx", XLSX)) == []
    before = Metric.objects.count()

    for damage, content in damaged_workbooks(good_workbook).items():
        assert members(content) != members(good_workbook), damage
        response = preview(editor_client, content, "figures.xlsx", XLSX)

        assert response.status_code == 200, damage
        assert file_errors(response) == [DAMAGED + " " + DAMAGED_ADVICE], damage
        assert response.context.get("confirm_form") is None, damage
    assert Metric.objects.count() == before


def test_a_damaged_workbook_is_explained_in_chinese_on_the_chinese_admin(
    editor_client, good_workbook
):
    content = damaged_workbooks(good_workbook)["a missing shared string"]
    upload = io.BytesIO(content)
    upload.name = "figures.xlsx"

    with translation.override("zh-hans"):
        response = editor_client.post(
            "/admin/cases/metric/import/", {"import_file": upload, "format": XLSX, "resource": "0"}
        )
        expected = str(translation.gettext(DAMAGED + " " + DAMAGED_ADVICE))

    assert expected != DAMAGED + " " + DAMAGED_ADVICE
    assert expected in page_text(response)


DAMAGED_ADVICE = "Open it in Excel, save it again as .xlsx (or as CSV UTF-8) and upload that."


def test_workbooks_are_read_without_xml_entities():
    """openpyxl parses through defusedxml only when it is installed: it is a dependency."""
    assert openpyxl.DEFUSEDXML is True


# Cost of reading --------------------------------------------------------------------------


def cost_of_reading(file_format, content):
    """(seconds, peak bytes allocated) to read `content`, whether or not it is refused."""
    tracemalloc.start()
    started = time.perf_counter()
    try:
        file_format().create_dataset(content)
    except Exception as problem:  # noqa: BLE001 - refused or not, the cost is what is measured
        outcome = problem
    else:
        outcome = None
    seconds = time.perf_counter() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return seconds, peak, outcome


def limit_sized_csv(plain, rows):
    return csv_file(new_row(plain, f"bulk-{number}") for number in range(rows))


def test_a_csv_of_millions_of_rows_costs_no_more_than_one_at_the_limit(plain, settings):
    settings.CSR_IMPORT_MAX_ROWS = 2_000
    at_the_limit = limit_sized_csv(plain, 2_001)
    # 10 MB of one-letter rows: about five million of them.
    millions = b"slug\r\n" + b"a\r\n" * (10 * 2**20 // 3)

    _seconds, limit_peak, _ = cost_of_reading(SpreadsheetCSV, at_the_limit)
    seconds, peak, outcome = cost_of_reading(SpreadsheetCSV, millions)

    assert outcome is None  # read as far as the limit; the form then refuses it by its rows
    # Decoding the text is proportional to the file (10 MB, twice); the rows are not.
    assert peak < 3 * len(millions) + limit_peak, peak
    assert seconds < 5, seconds


def test_a_workbook_that_unpacks_to_hundreds_of_megabytes_is_refused_before_unpacking(
    good_workbook,
):
    huge = with_shared_strings(
        good_workbook, shared_strings("x" * (200 * 2**20)), b'<c r="B2" t="s"><v>0</v></c>'
    )
    assert len(huge) < 2**20  # a small upload

    seconds, peak, outcome = cost_of_reading(SpreadsheetXLSX, huge)

    assert "unpacks to 201 MB, more than the 20 MB an import may take" in str(outcome.message)
    assert peak < 8 * len(huge), peak
    assert seconds < 2, seconds


def test_a_workbook_just_under_the_unpacked_limit_stays_within_the_memory_bound(
    good_workbook, settings
):
    """The stated bound: reading one import takes at most four times the unpacked limit."""
    settings.CSR_IMPORT_MAX_UNPACKED_BYTES = 8 * 2**20
    big = with_shared_strings(
        good_workbook, shared_strings("x" * (7 * 2**20)), b'<c r="B2" t="s"><v>0</v></c>'
    )

    _seconds, peak, _outcome = cost_of_reading(SpreadsheetXLSX, big)

    assert peak < 4 * settings.CSR_IMPORT_MAX_UNPACKED_BYTES, peak


def test_a_zip_whose_directory_understates_its_sizes_is_refused(good_workbook):
    """Unpacking stops at the size the directory declares and the checksum then fails."""
    honest = with_shared_strings(
        good_workbook, shared_strings("x" * (2 * 2**20)), b'<c r="B2" t="s"><v>0</v></c>'
    )
    name = b"xl/sharedStrings.xml"
    lying = bytearray(honest)
    for header in (b"PK\x01\x02", b"PK\x03\x04"):  # the directory entry and the local header
        start = 0
        while (start := lying.find(header, start + 1)) != -1:
            # Where the name's length, the unpacked size and the name are in each header.
            length_at, size_at, name_at = (28, 24, 46) if header == b"PK\x01\x02" else (26, 22, 30)
            length = int.from_bytes(lying[start + length_at : start + length_at + 2], "little")
            if lying[start + name_at : start + name_at + length] == name:
                lying[start + size_at : start + size_at + 4] = (1000).to_bytes(4, "little")

    _seconds, peak, outcome = cost_of_reading(SpreadsheetXLSX, bytes(lying))

    assert str(outcome.message).startswith((DAMAGED, NOT_A_WORKBOOK))
    assert peak < 2 * 2**20, peak


# Tampered confirm forms -------------------------------------------------------------------


@pytest.fixture
def previewed(editor_client, plain):
    response = preview(editor_client, csv_file([new_row(plain, "tampered")]))
    assert response.context["confirm_form"] is not None
    return response


def confirm_with(client, previewed, **changes):
    return client.post(
        url("metric_process_import"), {**previewed.context["confirm_form"].initial, **changes}
    )


EXPIRED = "This preview was already imported, or has expired."


@pytest.mark.parametrize(
    "changes",
    [
        {"format": "text"},
        {"format": "99"},
        {"format": "-1"},
        {"format": "１"},
        {"format": XLSX},  # the wrong kind for the CSV file that was previewed
        {"import_file_name": "."},
        {"import_file_name": "/"},
        {"import_file_name": "/etc/passwd"},
        {"import_file_name": "../../etc/passwd"},
        {"import_file_name": ""},
        {"import_file_name": "0" * 31 + "\x00"},
    ],
    ids=lambda changes: "-".join(f"{key}={value!r}" for key, value in changes.items()),
)
def test_a_tampered_confirm_form_is_refused_and_writes_nothing(editor_client, previewed, changes):
    response = confirm_with(editor_client, previewed, **changes)

    assert response.status_code == 302
    assert response["Location"] == url("metric_import")
    page = editor_client.get(response["Location"])
    assert EXPIRED in page_text(page)
    assert "/tmp" not in page.content.decode()
    assert not Metric.objects.filter(slug="tampered").exists()
    # The preview itself is still there to be confirmed as it was.
    assert confirm(editor_client, previewed).status_code == 302
    assert Metric.objects.filter(slug="tampered").exists()


def test_a_confirm_form_naming_another_preview_file_opens_nothing_outside_the_folder(
    editor_client, previewed, tmp_path
):
    outside = tmp_path / "secret.csv"
    outside.write_text("slug\nsecret\n")

    response = confirm_with(editor_client, previewed, import_file_name=str(outside))

    assert response.status_code == 302
    assert outside.exists()
    assert not Metric.objects.filter(slug__in=["tampered", "secret"]).exists()


def test_previews_are_kept_in_their_own_folder_under_random_names(editor_client, previewed):
    name = previewed.context["confirm_form"].initial["import_file_name"]

    assert re.fullmatch(r"[0-9a-f]{32}", name)
    assert (PreviewStorage.folder() / name).exists()
    assert PreviewStorage.folder().stat().st_mode & 0o077 == 0
    assert str(PreviewStorage.folder()) not in previewed.content.decode()


def test_previews_never_confirmed_are_deleted_after_an_hour(editor_client, plain, previewed):
    import os

    old = PreviewStorage.folder() / previewed.context["confirm_form"].initial["import_file_name"]
    an_hour_ago = time.time() - PreviewStorage.PREVIEW_LIFETIME - 1
    os.utime(old, (an_hour_ago, an_hour_ago))

    preview(editor_client, csv_file([new_row(plain, "later")]))

    assert not old.exists()
    assert EXPIRED in page_text(editor_client.get(confirm(editor_client, previewed)["Location"]))
    assert not Metric.objects.filter(slug="tampered").exists()


def test_an_expired_preview_is_refused_in_chinese_on_the_chinese_admin(editor_client, previewed):
    response = editor_client.post(
        "/admin/cases/metric/process_import/",
        {**previewed.context["confirm_form"].initial, "import_file_name": "/"},
        follow=True,
    )
    with translation.override("zh-hans"):
        expected = str(
            translation.gettext(EXPIRED + " Upload the file again to see what it would change.")
        )
    assert expected in page_text(response)
    assert "已" in expected


def test_csv_and_xlsx_choices_are_still_what_the_upload_form_offers(editor_client):
    page = editor_client.get(url("metric_import")).content.decode()
    assert re.search(rf'<option value="{CSV}"[^>]*>csv</option>', page)
    assert re.search(rf'<option value="{XLSX}"[^>]*>xlsx</option>', page)
