"""Spreadsheet export of cases and figures, and import of figures, through the admin.

Pages are requested in English (/en/admin/…) so that messages can be compared as written."""

import codecs
import csv
import io
import re
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from cases.importing import FIGURE_COLUMNS, STATED_BY_CLEAN
from cases.models import Metric, Project, Source
from tests.conftest import sign_in

# A new figure in a preview: its insert, its history row, and the savepoint around the row.
QUERIES_PER_NEW_ROW = 4

pytestmark = pytest.mark.usefixtures("casebook", "db")

CSV, XLSX = "0", "1"
BOM = codecs.BOM_UTF8


def url(name, query=""):
    with translation.override("en"):
        return reverse(f"admin:cases_{name}") + query


def read_csv(content):
    assert content.startswith(BOM)
    return list(csv.DictReader(io.StringIO(content[len(BOM) :].decode("utf-8"), newline="")))


def export_figures(client, format=CSV, query=""):
    response = client.post(url("metric_export", query), {"format": format, "resource": "0"})
    assert response.status_code == 200, response.content[:500]
    return response


def exported_rows(client):
    return read_csv(export_figures(client).content)


def csv_file(rows, columns=FIGURE_COLUMNS, encoding="utf-8-sig", delimiter=","):
    text = io.StringIO(newline="")
    writer = csv.DictWriter(text, fieldnames=columns, extrasaction="ignore", delimiter=delimiter)
    writer.writeheader()
    writer.writerows(rows)
    return text.getvalue().encode(encoding)


def xlsx_file(rows, columns=FIGURE_COLUMNS):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(columns)
    for row in rows:
        sheet.append([row.get(column) for column in columns])
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def preview(client, content, name="figures.csv", format=CSV):
    upload = io.BytesIO(content)
    upload.name = name
    return client.post(
        url("metric_import"), {"import_file": upload, "format": format, "resource": "0"}
    )


def confirm(client, previewed):
    form = previewed.context["confirm_form"]
    assert form is not None, page_text(previewed)
    return client.post(url("metric_process_import"), form.initial)


def page_text(response):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def file_errors(response):
    return [str(error) for error in response.context["form"].errors.get("import_file", [])]


def row_errors(response):
    """{row number: {column: [messages]}} of the rows the preview refused."""
    result = response.context["result"]
    return {row.number: row.error_dict for row in result.invalid_rows}


def stored_figures():
    return {figure["slug"]: figure for figure in Metric.objects.values()}


def new_row(template, slug, **changes):
    return {**template, "slug": slug, "part_of": "", **changes}


@pytest.fixture
def rows(editor_client):
    """The figures as exported, one dict per row."""
    return exported_rows(editor_client)


@pytest.fixture
def plain(rows):
    """An exported figure that is nobody's part and has no parts, to vary in tests."""
    totals = {row["part_of"] for row in rows}
    return next(row for row in rows if not row["part_of"] and row["slug"] not in totals)


# Export ---------------------------------------------------------------------------------


def test_figure_export_csv_opens_in_excel_with_chinese_intact(viewer_client):
    response = export_figures(viewer_client)

    assert response["Content-Type"].startswith("text/csv")
    assert re.search(
        r'filename="casebook-figures-\d{4}-\d{2}-\d{2}\.csv"', response["Content-Disposition"]
    )
    rows = read_csv(response.content)
    assert list(rows[0]) == FIGURE_COLUMNS
    assert len(rows) == Metric.objects.count()
    figure = (
        Metric.objects.select_related("project", "source", "unit", "indicator")
        .filter(project__isnull=False)
        .first()
    )
    row = next(row for row in rows if row["slug"] == figure.slug)
    assert row["case"] == figure.project.slug
    assert row["source"] == figure.source.slug
    assert row["unit"] == figure.unit.symbol
    assert row["indicator"] == figure.indicator.slug
    assert row["label_zh"] == figure.label_zh
    assert row["as_of"] == figure.as_of.isoformat()
    assert Decimal(row["value"]) == figure.value
    assert row["value"] == format(figure.value.normalize(), "f")


def test_figure_export_xlsx_has_numbers_and_dates(viewer_client):
    response = export_figures(viewer_client, XLSX)

    assert re.search(r'filename="casebook-figures-[\d-]+\.xlsx"', response["Content-Disposition"])
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    header, *body = list(sheet.values)
    assert list(header) == FIGURE_COLUMNS
    assert len(body) == Metric.objects.count()
    row = dict(zip(header, body[0], strict=True))
    figure = Metric.objects.get(slug=row["slug"])
    assert Decimal(str(row["value"])) == figure.value
    assert row["as_of"].date() == figure.as_of


def test_export_defuses_formula_cells_but_keeps_negative_numbers(editor_client, plain):
    Metric.objects.filter(slug=plain["slug"]).update(
        value=Decimal("-5"), note_en="=cmd|' /C calc'!A0", label_en="@SUM(A1)", locator="+1"
    )

    row = next(row for row in exported_rows(editor_client) if row["slug"] == plain["slug"])
    assert row["note_en"] == "'=cmd|' /C calc'!A0"
    assert row["label_en"] == "'@SUM(A1)"
    assert row["locator"] == "'+1"
    assert row["value"] == "-5"

    sheet = openpyxl.load_workbook(io.BytesIO(export_figures(editor_client, XLSX).content)).active
    header, *body = list(sheet.iter_rows())
    cells = next(
        dict(zip([c.value for c in header], r, strict=True))
        for r in body
        if r[0].value == plain["slug"]
    )
    assert cells["note_en"].data_type == "s"
    assert cells["note_en"].value == "'=cmd|' /C calc'!A0"
    assert cells["value"].data_type == "n"
    assert cells["value"].value == -5


@pytest.mark.parametrize(
    "query", ["?q=tencent", "?status__exact=draft", "?q=alibaba&has_figures=yes"]
)
def test_case_export_contains_exactly_the_filtered_cases(viewer_client, query):
    listed = viewer_client.get(url("project_changelist", query)).context["cl"].queryset
    shown = set(listed.values_list("slug", flat=True))

    response = viewer_client.post(url("project_export", query), {"format": CSV, "resource": "0"})

    exported = [row["slug"] for row in read_csv(response.content)]
    assert sorted(exported) == sorted(shown)
    assert 0 < len(shown) < Project.objects.count()


def test_figure_export_follows_the_figure_list_filters(viewer_client):
    query = "?industry_wide__exact=1"

    rows = read_csv(export_figures(viewer_client, query=query).content)

    assert {row["slug"] for row in rows} == set(
        Metric.objects.filter(industry_wide=True).values_list("slug", flat=True)
    )
    assert 0 < len(rows) < Metric.objects.count()
    assert {row["industry_wide"] for row in rows} == {"1"}


def test_case_export_names_company_issues_and_sources_by_slug(viewer_client):
    case = Project.objects.filter(issues__isnull=False, sources__isnull=False).first()

    response = viewer_client.post(url("project_export"), {"format": XLSX, "resource": "0"})

    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    header, *body = list(sheet.values)
    assert list(header[:5]) == ["slug", "name_zh", "name_en", "company", "status"]
    row = next(dict(zip(header, values, strict=True)) for values in body if values[0] == case.slug)
    assert row["company"] == case.company.slug
    assert row["issues"] == ", ".join(sorted(case.issues.values_list("slug", flat=True)))
    assert row["sources"] == ", ".join(sorted(case.sources.values_list("slug", flat=True)))
    assert row["name_zh"] == case.name_zh
    assert row["last_edited"] is not None


# Permissions ----------------------------------------------------------------------------


def test_viewer_may_export_but_not_import(viewer_client):
    assert viewer_client.get(url("metric_export")).status_code == 200
    assert viewer_client.get(url("project_export")).status_code == 200
    assert viewer_client.get(url("metric_import")).status_code == 403
    assert preview(viewer_client, csv_file([])).status_code == 403
    assert viewer_client.post(url("metric_process_import"), {}).status_code == 403

    changelist = viewer_client.get(url("metric_changelist")).content.decode()
    assert url("metric_export") in changelist
    assert url("metric_import") not in changelist


def test_editor_sees_import_and_export(editor_client):
    changelist = editor_client.get(url("metric_changelist")).content.decode()

    assert url("metric_import") in changelist
    assert url("metric_export") in changelist
    assert editor_client.get(url("metric_import")).status_code == 200


def test_anonymous_visitor_is_sent_to_login(client):
    for name in ["metric_import", "metric_export", "project_export"]:
        response = client.get(url(name))
        assert response.status_code == 302
        assert "/login/" in response["Location"]


# Import ---------------------------------------------------------------------------------


def test_dry_run_changes_nothing_and_confirm_applies(editor_client, rows, plain):
    before = stored_figures()
    changed = {**plain, "label_en": "Relabelled in a spreadsheet"}
    added = new_row(plain, "imported-new-figure", label_zh="新导入的数字")

    previewed = preview(editor_client, csv_file([changed, added]))

    assert previewed.status_code == 200
    result = previewed.context["result"]
    assert not result.has_validation_errors() and not result.has_errors()
    assert [row.import_type for row in result.rows] == ["update", "new"]
    assert stored_figures() == before

    done = confirm(editor_client, previewed)

    assert done.status_code == 302
    assert Metric.objects.get(slug=plain["slug"]).label_en == "Relabelled in a spreadsheet"
    assert Metric.objects.get(slug="imported-new-figure").label_zh == "新导入的数字"
    assert Metric.objects.count() == len(before) + 1


def test_exported_figures_import_unchanged(editor_client):
    content = export_figures(editor_client).content
    before = stored_figures()

    previewed = preview(editor_client, content)

    result = previewed.context["result"]
    assert not result.has_validation_errors() and not result.has_errors()
    assert {row.import_type for row in result.rows} == {"skip"}
    assert len(result.rows) == len(before)
    assert previewed.context["confirm_form"] is not None
    confirm(editor_client, previewed)
    assert stored_figures() == before


def test_exported_xlsx_imports_unchanged_and_takes_edits(editor_client, plain):
    workbook = openpyxl.load_workbook(io.BytesIO(export_figures(editor_client, XLSX).content))
    sheet = workbook.active
    header = [cell.value for cell in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == plain["slug"])
    row[header.index("note_zh")].value = "表格里改的备注"
    stream = io.BytesIO()
    workbook.save(stream)

    previewed = preview(editor_client, stream.getvalue(), "figures.xlsx", XLSX)

    result = previewed.context["result"]
    assert not result.has_validation_errors() and not result.has_errors()
    assert [row.import_type for row in result.rows if row.import_type != "skip"] == ["update"]
    confirm(editor_client, previewed)
    assert Metric.objects.get(slug=plain["slug"]).note_zh == "表格里改的备注"


@pytest.mark.parametrize("encoding", ["gbk", "utf-8-sig", "utf-8", "utf-16"])
def test_imports_csv_as_excel_saves_it(editor_client, plain, encoding):
    added = new_row(plain, "from-excel", label_zh="帮助团圆人数（表格）", note_zh="备注：截至目前")

    previewed = preview(editor_client, csv_file([added], encoding=encoding))
    confirm(editor_client, previewed)

    figure = Metric.objects.get(slug="from-excel")
    assert figure.label_zh == "帮助团圆人数（表格）"
    assert figure.note_zh == "备注：截至目前"


def test_imports_gbk_csv(editor_client, plain):
    content = csv_file([{**plain, "label_zh": "广东省（GBK）"}], encoding="gbk")
    assert content.decode("gbk") and not content.startswith(BOM)

    confirm(editor_client, preview(editor_client, content))

    assert Metric.objects.get(slug=plain["slug"]).label_zh == "广东省（GBK）"


def test_imports_unicode_text_as_excel_saves_it(editor_client, plain):
    content = csv_file([{**plain, "label_zh": "制表符分隔"}], encoding="utf-16", delimiter="\t")

    confirm(editor_client, preview(editor_client, content))

    assert Metric.objects.get(slug=plain["slug"]).label_zh == "制表符分隔"


def test_reads_numbers_and_dates_as_chinese_excel_writes_them(editor_client, plain):
    year, month, day = plain["as_of"].split("-")
    grouped = f"{int(Decimal(plain['value'])):,}"
    assert "," in grouped
    row = {**plain, "value": grouped, "as_of": f"{year}/{int(month)}/{int(day)}"}

    result = preview(editor_client, csv_file([row])).context["result"]

    assert [row.import_type for row in result.rows] == ["skip"]


def test_imported_update_is_in_history_under_the_editor(editor_client, editor, plain):
    figure = Metric.objects.get(slug=plain["slug"])
    saved_before = figure.history.count()

    confirm(editor_client, preview(editor_client, csv_file([{**plain, "label_en": "Changed"}])))

    updated = Metric.objects.get(pk=figure.pk)
    assert updated.version == figure.version + 1
    assert updated.history.count() == saved_before + 1
    latest = updated.history.first()
    assert (latest.label_en, latest.history_type) == ("Changed", "~")
    assert latest.history_user == editor
    assert latest.history_change_reason == "Imported from figures.csv"


def test_rules_left_to_the_figures_own_checks_are_real_constraints():
    """The import skips Django's query for these constraints because Metric.clean() states
    them; a renamed or removed constraint must not leave the list stale."""
    assert STATED_BY_CLEAN.issubset(constraint.name for constraint in Metric._meta.constraints)


def test_any_bad_row_changes_nothing_and_the_preview_names_the_error(editor_client, plain):
    before = stored_figures()
    good = {**plain, "label_en": "Would change"}
    high_below_low = new_row(plain, "bad-range", value_high="1", value=plain["value"])
    wrong_wording = new_row(plain, "bad-wording", value=str(Decimal(plain["value"]) + 7))

    previewed = preview(editor_client, csv_file([good, high_below_low, wrong_wording]))

    assert previewed.context.get("confirm_form") is None
    errors = row_errors(previewed)
    assert set(errors) == {2, 3}
    assert errors[2]["value_high"] == ["The high value cannot be below the value."]
    assert "reads as" in " ".join(errors[3]["value"])
    text = page_text(previewed)
    assert "The high value cannot be below the value." in text
    assert stored_figures() == before


def test_row_errors_say_what_is_wrong_in_which_column(editor_client, plain):
    bad = [
        new_row(plain, "no-such-indicator", indicator="no-such-indicator"),
        new_row(plain, "no-such-case", case="no-such-case", company=""),
        new_row(plain, "bad-date", as_of="13/06/2024"),
        new_row(plain, "bad-number", value="lots"),
        new_row(plain, "future", as_of="2999-01-01"),
        new_row(plain, "bad-precision", as_of_precision="week"),
        new_row(plain, "no-source", source=""),
        new_row(plain, "Not A Slug"),
        new_row(plain, "bad-flag", cumulative="maybe"),
    ]

    errors = row_errors(preview(editor_client, csv_file(bad)))

    assert errors[1] == {"indicator": ["There is no indicator with the slug “no-such-indicator”."]}
    assert errors[2] == {"case": ["There is no case with the slug “no-such-case”."]}
    assert errors[3] == {
        "as_of": ["“13/06/2024” is not a date. Write it as YYYY-MM-DD, e.g. 2024-06-13."]
    }
    assert errors[4] == {
        "value": ["“lots” is not a number. Write digits only, e.g. 17600 or 1.76."]
    }
    assert errors[5] == {"as_of": ["The as-of date cannot be in the future."]}
    assert errors[6] == {
        "as_of_precision": ["“week” is not allowed here. Use one of: day, month, year."]
    }
    assert errors[7] == {"source": ["Choose the document this figure comes from."]}
    assert list(errors[8]) == ["slug"]
    assert errors[9] == {
        "cumulative": ["“maybe” is neither yes nor no. Write 1 for yes or 0 for no."]
    }


def test_unit_must_be_the_indicators_unit(editor_client, rows, plain):
    other_unit = next(row["unit"] for row in rows if row["unit"] != plain["unit"])

    errors = row_errors(
        preview(editor_client, csv_file([new_row(plain, "odd-unit", unit=other_unit)]))
    )

    assert "is counted in" in " ".join(errors[1]["unit"])


def test_a_total_and_its_part_can_come_in_one_file(editor_client, plain):
    total = new_row(plain, "new-total")
    part = new_row(plain, "new-part", part_of="new-total", label_zh="其中一部分")

    previewed = preview(editor_client, csv_file([total, part]))
    confirm(editor_client, previewed)

    assert Metric.objects.get(slug="new-part").part_of.slug == "new-total"


def test_the_same_slug_twice_in_a_file_is_refused(editor_client, plain):
    previewed = preview(
        editor_client, csv_file([{**plain, "label_en": "a"}, {**plain, "label_en": "b"}])
    )

    assert row_errors(previewed)[2] == {
        "slug": ["This slug is also on row 1; a file can hold each figure only once."]
    }


def test_confirmed_import_rolls_back_when_a_row_fails_at_the_last_moment(editor_client, plain):
    doomed = Source.objects.create(
        slug="doomed-source",
        title_zh="将被删除",
        kind="report",
        published_on="2024-01-01",
        published_precision="year",
    )
    before = stored_figures()
    previewed = preview(
        editor_client,
        csv_file(
            [
                {**plain, "label_en": "Would change"},
                new_row(plain, "cites-doomed", source="doomed-source"),
            ]
        ),
    )
    assert previewed.context["confirm_form"] is not None
    doomed.delete()

    response = confirm(editor_client, previewed)

    assert response.status_code == 200
    assert "Nothing was imported" in page_text(response)
    assert "There is no source document with the slug “doomed-source”." in page_text(response)
    assert stored_figures() == before


# Files that cannot be imported ------------------------------------------------------------


def test_refuses_a_file_that_is_not_text(editor_client):
    response = preview(editor_client, bytes(range(256)) * 20)

    assert file_errors(response) == [
        "This file is not a CSV text file in a known encoding (UTF-8 or GBK). In Excel, use "
        "Save As › CSV UTF-8, or upload the .xlsx workbook with the xlsx format."
    ]
    assert "UnicodeDecodeError" not in response.content.decode()


def test_refuses_a_workbook_uploaded_as_csv(editor_client, rows):
    response = preview(editor_client, xlsx_file(rows[:1]), name="figures.xlsx", format=CSV)

    assert "This file is an Excel workbook (.xlsx), not a CSV file." in file_errors(response)[0]


def test_refuses_a_csv_uploaded_as_xlsx(editor_client, rows):
    response = preview(editor_client, csv_file(rows[:1]), format=XLSX)

    assert "This file is not an Excel workbook (.xlsx)." in file_errors(response)[0]


def test_refuses_missing_and_unknown_columns(editor_client, rows):
    columns = [
        column
        for column in FIGURE_COLUMNS
        if column not in ("unit", "case", "company", "industry_wide")
    ]
    content = csv_file([{**row, "colour": "red"} for row in rows[:3]], columns=[*columns, "colour"])
    before = stored_figures()

    response = preview(editor_client, content)

    [message] = file_errors(response)
    assert message.startswith(
        "Missing columns: unit, case / company / industry_wide. Unknown columns: colour."
    )
    assert ", ".join(FIGURE_COLUMNS) in message
    assert response.context.get("confirm_form") is None
    assert stored_figures() == before


def test_refuses_10000_rows(editor_client, plain):
    content = csv_file(new_row(plain, f"bulk-{number}") for number in range(10_000))

    response = preview(editor_client, content)

    assert file_errors(response) == [
        "The file has more than 2,000 rows; at most 2,000 can be imported at once. Split it "
        "into smaller files."
    ]
    assert not Metric.objects.filter(slug__startswith="bulk-").exists()


def test_row_limit_is_a_setting(editor_client, plain, settings):
    settings.CSR_IMPORT_MAX_ROWS = 2

    response = preview(editor_client, csv_file(new_row(plain, f"bulk-{n}") for n in range(3)))

    assert (
        "The file has more than 2 rows; at most 2 can be imported at once."
        in file_errors(response)[0]
    )


def test_refuses_a_file_too_large(editor_client, rows, settings):
    settings.CSR_IMPORT_MAX_BYTES = 2 * 1024 * 1024
    content = csv_file(rows * 10, encoding="utf-8-sig")
    content += b" " * (3 * 1024 * 1024 - len(content))

    assert file_errors(preview(editor_client, content)) == [
        "The file is 3 MB; at most 2 MB can be imported at once."
    ]


def test_refuses_a_csv_whose_quotes_run_on(editor_client, plain):
    content = csv_file([plain]) + b'"' + b"x" * 200_000

    [message] = file_errors(preview(editor_client, content))

    assert message.startswith("Line 3 of the file could not be read as CSV: a cell is longer")


def test_refuses_an_empty_file(editor_client):
    assert file_errors(preview(editor_client, BOM + b",,\r\n\r\n")) == ["The file is empty."]


def test_file_problems_are_told_in_chinese_on_the_chinese_admin(editor_client):
    with translation.override("zh-hans"):
        chinese = str(translation.gettext("The file is empty."))
        upload = io.BytesIO(BOM + b"\r\n")
        upload.name = "figures.csv"
        response = editor_client.post(
            reverse("admin:cases_metric_import"), {"import_file": upload, "format": CSV}
        )

    assert chinese != "The file is empty."
    assert file_errors(response) == [chinese]


# Hostile input ----------------------------------------------------------------------------


def test_markup_and_formulas_are_stored_as_text_and_shown_escaped(editor_client, plain):
    script = "<script>alert(1)</script>"
    formula = "=cmd|' /C calc'!A0"
    row = {**plain, "label_en": script, "note_en": formula, "note_zh": "长" * 5000}

    previewed = preview(editor_client, csv_file([row]))

    assert script not in previewed.content.decode()
    assert "&lt;script&gt;" in previewed.content.decode()
    confirm(editor_client, previewed)
    figure = Metric.objects.get(slug=plain["slug"])
    assert (figure.label_en, figure.note_en, len(figure.note_zh)) == (script, formula, 5000)
    exported = next(r for r in exported_rows(editor_client) if r["slug"] == plain["slug"])
    assert exported["note_en"] == "'" + formula


def test_nul_characters_and_overlong_text_are_row_errors(editor_client, plain):
    rows = [
        {**plain, "locator": "page\x0020"},
        new_row(plain, "nul\x00slug"),
        new_row(plain, "too-long", label_zh="长" * 5000),
        new_row(plain, "x" * 5000),
    ]

    previewed = preview(editor_client, csv_file(rows))

    assert previewed.status_code == 200
    errors = row_errors(previewed)
    nul = (
        "This cell holds an invisible NUL character, which cannot be stored. Delete the "
        "cell's text and type it again."
    )
    assert errors[1] == {"locator": [nul]}
    assert errors[2] == {"slug": [nul]}
    assert errors[3] == {
        "label_zh": ["Ensure this value has at most 200 characters (it has 5000)."]
    }
    assert "slug" in errors[4]
    assert previewed.context.get("confirm_form") is None


HOSTILE = ["<script>alert(1)</script>", "=cmd|' /C calc'!A0", "a\x00b", "长" * 5000, "1e999999999"]


@pytest.mark.parametrize("hostile", HOSTILE, ids=["markup", "formula", "nul", "long", "huge"])
def test_hostile_text_in_any_column_is_a_row_error_or_stored(editor_client, plain, hostile):
    rows = [
        {**new_row(plain, f"hostile-{n}"), column: hostile}
        for n, column in enumerate(FIGURE_COLUMNS)
    ]

    previewed = preview(editor_client, csv_file(rows))

    assert previewed.status_code == 200
    result = previewed.context["result"]
    assert not result.has_errors()
    assert len(result.invalid_rows) + len(result.valid_rows()) == len(FIGURE_COLUMNS)
    if previewed.context.get("confirm_form"):
        assert confirm(editor_client, previewed).status_code == 302


def test_confirming_twice_imports_once(editor_client, plain):
    previewed = preview(editor_client, csv_file([new_row(plain, "only-once")]))
    confirm(editor_client, previewed)

    again = confirm(editor_client, previewed)

    assert again.status_code == 302
    assert again["Location"] == url("metric_import")
    assert Metric.objects.filter(slug="only-once").count() == 1


# Browser-like use -------------------------------------------------------------------------


def test_import_works_with_csrf_checks_as_in_a_browser(editor, plain):
    browser = Client(enforce_csrf_checks=True)
    sign_in(browser, editor)
    page = browser.get(url("metric_import")).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    upload = io.BytesIO(csv_file([{**plain, "label_en": "Via the browser"}]))
    upload.name = "figures.csv"

    refused = browser.post(url("metric_import"), {"import_file": upload, "format": CSV})
    assert refused.status_code == 403
    upload.seek(0)
    previewed = browser.post(
        url("metric_import"),
        {"import_file": upload, "format": CSV, "resource": "0", "csrfmiddlewaretoken": token},
    )
    done = browser.post(
        url("metric_process_import"),
        {**previewed.context["confirm_form"].initial, "csrfmiddlewaretoken": token},
    )

    assert done.status_code == 302
    assert Metric.objects.get(slug=plain["slug"]).label_en == "Via the browser"


def queries_to_preview(client, plain, rows):
    content = csv_file(new_row(plain, f"bulk-{number}") for number in range(rows))
    with CaptureQueriesContext(connection) as queries:
        result = preview(client, content).context["result"]
    assert result.totals["new"] == rows and not result.has_validation_errors()
    return len(queries)


def test_preview_cost_grows_by_a_fixed_number_of_queries_per_row(editor_client, plain):
    """Timing is for benchmarks; here the preview's queries are pinned, so a change that adds
    a query per row (the thing that makes a 2,000-row preview slow) fails."""
    ten = queries_to_preview(editor_client, plain, 10)
    twenty = queries_to_preview(editor_client, plain, 20)
    print(f"preview queries: 10 rows {ten}, 20 rows {twenty}")
    assert twenty - ten == 10 * QUERIES_PER_NEW_ROW


def test_preview_of_1000_rows_finds_no_errors(editor_client, plain):
    content = csv_file(new_row(plain, f"bulk-{number}") for number in range(1000))
    result = preview(editor_client, content).context["result"]
    assert result.totals["new"] == 1000 and not result.has_validation_errors()
