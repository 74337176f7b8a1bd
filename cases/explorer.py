"""The figures explorer: what its chart draws, what its form offers, what its CSV holds."""

import csv
import io
from collections import Counter
from types import SimpleNamespace

from django.utils import translation
from django.utils.translation import gettext as _

from . import charts, figure_charts
from .chart_data import point_for
from .models import Company, Indicator, SocialIssue
from .models.base import localized
from .plotting import Series
from .spreadsheet import FIGURE_VALUE_COLUMNS, plain_number, spreadsheet_safe

EXPLORER_PAGE_SIZE = 50
# The figures CSV is read from the database this many rows at a time and sent on in pieces
# of this many rows. Each read's records, with a few indicators' ids, are what a download holds
# in memory: at 250, a download of 100,000 figures raised a process's peak by about 8 MB, and
# four at once in one worker's threads by 33 MB (at 500, with every id held: 17 and 68 MB).
CSV_FETCH_ROWS = 250
# The ids a download sorts and holds at once: those of as many indicators as hold this many
# figures (a fraction of a megabyte), so that neither one statement sorts 100,000 nor a
# casebook of a hundred small indicators costs a query each.
CSV_ID_ROWS = 5000
CSV_CHUNK_ROWS = 500
# The chart of a mixed selection counts figures per indicator; past this many bars it
# stops being readable, and the table lists the rest. The chart of one indicator draws at
# most this many owners (one colour each) and points; the table and the CSV hold them all.
MAX_COUNTED_INDICATORS = 20
MAX_CHARTED_OWNERS = 8
MAX_CHARTED_POINTS = 400

CSV_COLUMNS = [
    "figure",
    "indicator",
    "indicator_zh",
    "indicator_en",
    "category",
    "company",
    "company_zh",
    "company_en",
    "case",
    "case_zh",
    "case_en",
    "reported_with",
    "industry_wide",
    *FIGURE_VALUE_COLUMNS,
    "original_wording",
    "wording_context",
    "source",
    "source_title_zh",
    "source_title_en",
    "source_page",
    "locator",
    "locator_en",
    "note_zh",
    "note_en",
]


def owner_name(figure):
    """Whose figure this is, as a reader names it."""
    if figure.company_id:
        return figure.company.name
    return _("Industry-wide")


def explorer_chart(figures, language, counts=None):
    """The chart of a selection (a QuerySet of figures): with a single indicator, its values
    over time per owner; with several, how many figures each has (values of different
    indicators never share an axis). None for an empty selection. Breakdowns are left out of
    the values, and key facts out of both: they are never charted against other companies'
    figures. `counts` is the selection's `per_indicator()` where the page has it already.
    The database does the counting and picks the points, so that a selection of 100,000
    figures costs what one of 100 does (see `_values_chart` for its bounds)."""
    if counts is None:
        counts = figures.per_indicator()
    charted = [row for row in counts if row["category"] != Indicator.Category.KEY_FACTS]
    with_totals = [row for row in charted if row["totals"]]
    if not with_totals:
        return None
    if len(with_totals) == 1:
        return _values_chart(
            figures.filter(indicator=with_totals[0]["indicator"], part_of__isnull=True), language
        )
    most = sorted(charted, key=lambda row: (-row["n"], row["indicator"]))
    rows = [
        (localized(SimpleNamespace(**row), "name", language), row["n"])
        for row in most[:MAX_COUNTED_INDICATORS]
    ]
    return charts.figure_counts(rows, language)


def _values_chart(totals, language):
    """The values of one indicator's figures (`totals`, newest first): the most recent
    MAX_CHARTED_POINTS, of the MAX_CHARTED_OWNERS owners with most figures among them."""
    # Their ids first (a walk down the indicator's index), then those figures whole: sorting
    # thousands of wide rows to keep 400 costs more than the rest of the page.
    ids = list(totals.values_list("pk", flat=True)[:MAX_CHARTED_POINTS])
    # With what a point shows only (its owner, unit and indicator), not a listing's sources
    # and cases: 400 figures, not 3,600 records.
    records = (
        totals.select_related(None).select_related("company", "unit", "indicator__unit")
    ).in_bulk(ids)
    recent = [records[pk] for pk in ids]
    indicator = recent[0].indicator
    with translation.override(language):
        grouped = [
            (
                owner_name(figure) + (" · " + _("cumulative") if figure.cumulative else ""),
                figure,
            )
            for figure in recent
        ]
        largest = {
            group for group, _n in Counter(g for g, _f in grouped).most_common(MAX_CHARTED_OWNERS)
        }
        series = Series(
            indicator.name,
            indicator.display_unit.name,
            [
                point_for(figure, figure.as_of.isoformat(), group=group)
                for group, figure in grouped
                if group in largest
            ],
        )
    return figure_charts.values_over_time(series, language)


def explorer_options():
    """What the explorer's form offers: indicators by category, companies and issues with
    public figures."""
    labels = dict(Indicator.Category.choices)
    by_category = {}
    for indicator in (
        Indicator.objects.with_public_figures().in_category_order().select_related("unit")
    ):
        by_category.setdefault(indicator.category, []).append(indicator)
    return {
        "categories": Indicator.Category.choices,
        "indicator_groups": [
            (labels[key], sorted(indicators, key=lambda indicator: indicator.name))
            for key, indicators in by_category.items()
        ],
        "companies": Company.objects.with_public_figures().in_name_order(),
        "issues": SocialIssue.objects.with_public_figures().in_name_order(),
    }


def _figure_row(figure, source_page):
    company, case, source = figure.company, figure.project, figure.source
    reported_with = figure.reported_with
    text_cells = {
        "figure": figure.slug,
        "indicator": figure.indicator.slug,
        "indicator_zh": figure.indicator.name_zh,
        "indicator_en": figure.indicator.name_en,
        "category": figure.indicator.category,
        "company": company.slug if company else "",
        "company_zh": company.name_zh if company else "",
        "company_en": company.name_en if company else "",
        "case": case.slug if case else "",
        "case_zh": case.name_zh if case else "",
        "case_en": case.name_en if case else "",
        "label_zh": figure.label_zh,
        "label_en": figure.label_en,
        "unit": figure.unit.symbol,
        "qualifier": figure.qualifier,
        "as_of_precision": figure.as_of_precision,
        "part_of": figure.part_of.slug if figure.part_of_id else "",
        "original_wording": figure.original_wording,
        "wording_context": figure.wording_context,
        "reported_with": reported_with.slug if reported_with and reported_with.is_public else "",
        "source": source.slug,
        "source_title_zh": source.title_zh,
        "source_title_en": source.title_en,
        "source_page": source_page(source),
        "locator": figure.locator,
        "locator_en": figure.locator_en,
        "note_zh": figure.note_zh,
        "note_en": figure.note_en,
    }
    row = {name: spreadsheet_safe(value) for name, value in text_cells.items()}
    row.update(
        {
            "industry_wide": int(figure.industry_wide),
            "value": plain_number(figure.value),
            "value_high": plain_number(figure.value_high),
            "cumulative": int(figure.cumulative),
            "as_of": figure.as_of.isoformat(),
            "as_of_inferred": int(figure.as_of_inferred),
            "period_start": figure.period_start.isoformat() if figure.period_start else "",
            "period_end": figure.period_end.isoformat() if figure.period_end else "",
        }
    )
    return row


def figures_csv(figures, absolute_url):
    """`figures` as UTF-8 CSV with a byte-order mark (so that Excel reads the Chinese), one
    row per figure with its source, locator and original wording, yielded as bytes a few
    hundred rows at a time: a download of every figure starts at once and never holds them
    all in memory. No one statement sorts 100,000 wide rows (which would outlast the
    statement timeout and cut the file short): see `_by_id`."""
    pages = {}

    def source_page(source):
        # A few documents are cited by many figures: each page's address is worked out once.
        if source.pk not in pages:
            pages[source.pk] = absolute_url(source.get_absolute_url())
        return pages[source.pk]

    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    buffer.write("\ufeff")
    writer.writeheader()
    yield _drained(buffer)
    for count, figure in enumerate(_by_id(figures), start=1):
        writer.writerow(_figure_row(figure, source_page))
        if count % CSV_CHUNK_ROWS == 0:
            yield _drained(buffer)
    if buffer.tell():
        yield _drained(buffer)


def _by_id(figures):
    """`figures` in their order (indicator by indicator, as `for_display` lists them): the
    ids of a few indicators at a time, enough of them together to hold CSV_ID_ROWS figures
    (a large one alone), sorted by the database (a narrow sort), then those figures whole,
    CSV_FETCH_ROWS at a time. A download holds a few thousand ids and one read's records;
    a small selection costs three queries."""
    batch, size = [], 0
    for row in list(figures.per_indicator()):
        batch.append(row["indicator"])
        size += row["n"]
        if size >= CSV_ID_ROWS:
            yield from _read(figures.filter(indicator__in=batch))
            batch, size = [], 0
    if batch:
        yield from _read(figures.filter(indicator__in=batch))


def _read(figures):
    ids = list(figures.values_list("pk", flat=True))
    for start in range(0, len(ids), CSV_FETCH_ROWS):
        chunk = ids[start : start + CSV_FETCH_ROWS]
        records = figures.in_bulk(chunk)
        yield from (records[pk] for pk in chunk)


def _drained(buffer):
    """What `buffer` holds, as UTF-8, leaving it empty."""
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text.encode("utf-8")
