"""The compare page's download: each compared company's figures, one row per company and
figure, the value as the document gives it."""

import csv

from django.utils.text import capfirst

from .compare import issues_of
from .models import Indicator, Metric, Project
from .spreadsheet import plain_number, spreadsheet_safe

CSV_COLUMNS = [
    "company",
    "category",
    "indicator",
    "figure",
    "value",
    "number",
    "number_high",
    "unit",
    "cumulative",
    "as_of",
    "as_of_precision",
    "case",
    "reported_with",
    "issues",
    "source",
    "locator",
    "case_url",
    "source_url",
]


def unit_of(figure):
    """The unit `figure` is counted in, as its indicator names it where they agree."""
    if figure.unit_id == figure.indicator.unit_id:
        return figure.indicator.display_unit
    return figure.unit


def write_comparison_csv(stream, companies, absolute_url):
    """Write every public figure of each of `companies` (a group's with its subsidiaries') to
    `stream` as UTF-8 CSV with a byte-order mark, one row per company and figure, names in
    the current language and the value as the document gives it."""
    figures = list(Metric.objects.for_listing().owned_by(companies))
    cases = {case.pk: case for case in Project.objects.for_comparison().led_by(companies)}
    issues = {pk: list(case.issues.all()) for pk, case in cases.items()}
    labels = {key: capfirst(label) for key, label in Indicator.Category.choices}
    stream.write("\ufeff")
    writer = csv.DictWriter(stream, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for company in companies:
        members = company.member_ids()
        for figure in figures:
            if figure.company_id not in members:
                continue
            case = cases.get(figure.project_id)
            reported_with = cases.get(figure.reported_with_id)
            text_cells = {
                "company": company.name,
                "category": labels[figure.indicator.category],
                "indicator": figure.indicator.name,
                "figure": figure.label,
                "value": figure.original_wording,
                "unit": unit_of(figure).name,
                "case": case.name if case else "",
                "reported_with": reported_with.name if reported_with else "",
                "issues": " / ".join(issue.name for issue in issues_of(figure, issues)),
                "source": figure.source.title,
                "locator": figure.locator_display,
            }
            row = {name: spreadsheet_safe(value) for name, value in text_cells.items()}
            row.update(
                {
                    "number": plain_number(figure.value),
                    "number_high": plain_number(figure.value_high),
                    "cumulative": int(figure.cumulative),
                    "as_of": figure.as_of.isoformat(),
                    "as_of_precision": figure.as_of_precision,
                    "case_url": absolute_url(case.get_absolute_url()) if case else "",
                    "source_url": absolute_url(figure.source.get_absolute_url()),
                }
            )
            writer.writerow(row)
