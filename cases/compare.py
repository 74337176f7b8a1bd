"""Companies' figures side by side, drawn together only where that is fair.

A comparison has one column per chosen company; a group's column also holds its subsidiaries'
cases and figures. It leads with what every company has (cases, index scores, cases by issue,
kinds of figures), then lists figures by indicator category. Figures of one indicator share a
chart only when they come from cases on the same social issue, are measured in the same unit,
are all running totals or all figures for a period, and date from within about a year of each
other; where they do not, the page says why instead of drawing bars. A reader may ask for the
cross-issue view, whose charts say that they mix issues.

`build` makes the comparison here; the records it is made of are in `cases.compare_records`,
and the reader's choice, read from the query string, in `cases.compare_choice`.
"""

from datetime import timedelta

from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from . import index_charts, scores
from .caching import cached
from .compare_choice import ALL_ISSUES
from .compare_records import (
    MIN_COMPANIES,
    Category,
    Cell,
    Column,
    Comparison,
    IndexRow,
    Kind,
    Row,
    latest_of_each_series,
    names,
)
from .models import Indicator, Metric, Project, SocialIssue
from .models.base import name_order

# Figures further apart than this describe different moments and are not drawn together.
MAX_DATE_GAP = timedelta(days=366)
# Each company's newest figures of an indicator that the page reads, shows and may chart; the
# explorer lists the rest (a large group reports dozens of one indicator).
CELL_FIGURES = 3
# The most charts one comparison draws; further comparisons are listed, not drawn.
MAX_CHARTS = 10
# A comparison that would list more figures than this shows one category of them at a time
# (the `category` parameter; the first by default): large groups report hundreds.
MAX_LISTED_FIGURES = 200


def display_order(figure):
    """Where `figure` goes among figures listed by indicator: its category in the declared
    order, its indicator's English name (then id), newest first (as
    `Metric.objects.for_display`)."""
    return (
        Indicator.Category.values.index(figure.indicator.category),
        figure.indicator.name_en,
        figure.indicator_id,
        -figure.as_of.toordinal(),
        figure.slug,
    )


def by_name(record):
    """Where `record` goes in a list sorted by name as readers of the active language expect
    (pinyin order in Chinese)."""
    return tuple(getattr(record, name) for name in name_order())


def problems(figures):
    """Why `figures` of one indicator cannot share an axis; an empty list when they can.

    Works on anything with `indicator_id`, `unit_id`, `cumulative` and `as_of`.
    """
    reasons = []
    if len({figure.indicator_id for figure in figures}) > 1:
        reasons.append(_("They measure different things."))
    if len({figure.unit_id for figure in figures}) > 1:
        reasons.append(_("They are counted in different units (人 and 人次 are not the same)."))
    if len({figure.cumulative for figure in figures}) > 1:
        reasons.append(_("Some are running totals (累计) and others cover a single period."))
    dates = [figure.as_of for figure in figures]
    if dates and max(dates) - min(dates) > MAX_DATE_GAP:
        years = (max(dates) - min(dates)).days / 365.25
        reasons.append(
            _("Their dates are %(years).1f years apart (%(first)s to %(last)s).")
            % {"years": years, "first": min(dates).year, "last": max(dates).year}
        )
    return reasons


def issues_of(figure, cases):
    """The social issues `figure` addresses (`cases`: {published case id: its issues}): its
    case's, or for a company's own figure that the document reports in a case's chapter,
    that case's. Any other company figure addresses no one issue."""
    return cases.get(figure.project_id) or cases.get(figure.reported_with_id) or []


def case_issues(cases):
    """{case id: its issues by name} for `cases` (a queryset), from their issue links (pairs
    of numbers) and the issues these name: a group's thousand cases cost a few thousand
    pairs, not a thousand records with their issues."""
    links = list(
        Project.issues.through.objects.filter(project__in=cases).values_list(
            "project_id", "socialissue_id"
        )
    )
    issues = SocialIssue.objects.in_bulk({issue_id for _case_id, issue_id in links})
    # Each issue's place by name, found once: the issues are few, their links many.
    place = {
        issue.pk: position for position, issue in enumerate(sorted(issues.values(), key=by_name))
    }
    found = {}
    for case_id, issue_id in sorted(links, key=lambda link: place[link[1]]):
        found.setdefault(case_id, []).append(issues[issue_id])
    return found


def by_issue(indicator, reported, cases):
    """The comparisons of one indicator's figures within each issue that two or more columns
    report it for; issues whose figures are the very same form one comparison."""
    groups = {}
    for column, figures in reported:
        for figure in figures:
            for issue in issues_of(figure, cases):
                groups.setdefault(issue, {}).setdefault(column.company.slug, (column, []))
                groups[issue][column.company.slug][1].append(figure)
    merged = {}
    for issue, columns in groups.items():
        if len(columns) < MIN_COMPANIES:
            continue
        members = list(columns.values())
        same = tuple(sorted(figure.pk for _column, figures in members for figure in figures))
        merged.setdefault(same, (members, []))[1].append(issue)
    return [
        Comparison(indicator, sorted(issues, key=by_name), members)
        for members, issues in merged.values()
    ]


def category_note(rows):
    """A warning when one category's rows are counted in different units."""
    units = {row.indicator.unit.symbol: row.indicator.display_unit for row in rows}
    if len(units) < 2:
        return ""
    listed_units = pgettext("list separator", ", ").join(
        unit.symbol
        if unit.name == unit.symbol
        else _("%(symbol)s (%(name)s)") % {"symbol": unit.symbol, "name": unit.name}
        for unit in units.values()
    )
    note = _(
        "These rows are counted in different units: %(units)s. They are never added up or "
        "drawn on one axis."
    ) % {"units": listed_units}
    if "人" in units and "人次" in units:
        note += " " + _(
            "人次 counts attendances or visits: one person trained three times is 3人次 but 1人."
        )
    return note


def build(companies, language, urls, across_issues=False, category=""):
    """The comparison of `companies`: columns, categories of indicator rows, issue coverage,
    kinds of figures. `urls` (Links) gives the page's URLs; `across_issues` lets figures
    from cases on different issues share a chart. The rows of `category` alone are built
    when it is given, and of the first category when all would list too many figures."""
    columns = [
        Column(company, company.member_ids(), remove_url=urls.without(company.slug))
        for company in companies
    ]
    led = Project.objects.published().led_by(companies)
    cases = case_issues(led)
    structure = scores.framework()
    indicator_categories = _fill_columns(columns, led, cases, structure)
    listed = sum(min(n, CELL_FIGURES) for column in columns for n in column.counts.values())
    keys = [key for key in Indicator.Category.values if key in indicator_categories.values()]
    shown = category or (keys[0] if keys and listed > MAX_LISTED_FIGURES else "")
    figures = _read_figures(columns, shown)
    categories = _categories(columns, figures, cases, across_issues)
    _bound_charts(categories)
    chartable = [
        row
        for category in categories
        for row in category.rows
        if any(comparison.chartable for comparison in row.comparisons)
    ]
    # Building charts costs more than the page's queries; they change only with the data.
    drawn = cached(
        "compare-charts",
        language,
        ALL_ISSUES if across_issues else "by-issue",
        shown or "every-category",
        *(column.company.slug for column in columns),
        compute=lambda: {
            key: chart for row in chartable for key, chart in row.draw(language).items()
        },
    )
    for row in chartable:
        for comparison in row.comparisons:
            comparison.chart = drawn.get(comparison.key)
    kinds = _figure_kinds(columns, keys, indicator_categories, categories, urls, shown)
    return {
        "index_rows": _index_rows(columns, structure),
        "index_chart": cached(
            "compare-index-chart",
            language,
            *(column.company.slug for column in columns),
            compute=lambda: index_charts.dimension_scores(
                [(column.name, column.summary.dimensions) for column in columns],
                [(dimension.name, dimension.slug) for dimension, _indicators in structure],
                language,
            ),
        ),
        "columns": columns,
        "categories": categories,
        "coverage": _coverage(columns),
        "figure_kinds": kinds,
        "category_shown": shown,
        "one_category": bool(shown),
        "too_many_to_list": listed > MAX_LISTED_FIGURES,
        "shared_count": sum(kind.compared for kind in kinds),
        "charted_count": charted_count(categories),
        "across_issues": across_issues,
    }


def _fill_columns(columns, led, cases, structure):
    """Give each column its published cases (of `led`), its cases per issue, its index
    summary and how many public figures it reports of each indicator; return the category
    of every indicator any column reports: {indicator id: category}."""
    case_companies = dict(led.order_by().values_list("pk", "company_id"))
    counts = (
        Metric.objects.public()
        .owned_by([column.company for column in columns])
        .order_by()
        .values_list("company_id", "indicator_id", "indicator__category")
        .annotate(n=Count("*"))
    )
    summaries = scores.summarise_cases(
        led, structure, groups=[column.member_ids for column in columns]
    )
    categories = {}
    for column, summary in zip(columns, summaries, strict=True):
        column.case_ids = [
            pk for pk, company_id in case_companies.items() if company_id in column.member_ids
        ]
        for case_id in column.case_ids:
            for issue in cases.get(case_id, []):
                column.issue_counts[issue] = column.issue_counts.get(issue, 0) + 1
        column.summary = summary
        for company_id, indicator_id, category, n in counts:
            categories[indicator_id] = category
            if company_id in column.member_ids:
                column.counts[indicator_id] = column.counts.get(indicator_id, 0) + n
    return categories


def _read_figures(columns, category):
    """Give each column its newest few figures of each indicator (of `category` only, when
    given) and return all of them in display order: their ids by a narrow query per column
    (the database starts from the company's figures), then the figures whole in one."""
    newest = []
    for column in columns:
        figures = Metric.objects.public().owned_by([column.company])
        if category:
            figures = figures.filter(indicator__category=category)
        newest.append(set(figures.newest_per_indicator(CELL_FIGURES).values_list("pk", flat=True)))
    figures = sorted(
        Metric.objects.for_listing().filter(pk__in=set().union(*newest)), key=display_order
    )
    for column, ids in zip(columns, newest, strict=True):
        column.figures = [figure for figure in figures if figure.pk in ids]
    return figures


def _categories(columns, figures, cases, across_issues):
    """Indicator rows grouped by category, in the order of `figures`, each with the figures
    that may share a chart and the reasons the others may not."""
    indicators = list(dict.fromkeys(figure.indicator for figure in figures))
    # Each column's figures by indicator, in the order of `figures`.
    shown = [{} for _column in columns]
    for column, by_indicator in zip(columns, shown, strict=True):
        for figure in column.figures:
            entry = (figure, names(issues_of(figure, cases)))
            by_indicator.setdefault(figure.indicator_id, []).append(entry)
    by_category = {}
    for indicator in indicators:
        cells = [
            Cell(column, by_indicator.get(indicator.pk, []), column.counts.get(indicator.pk, 0))
            for column, by_indicator in zip(columns, shown, strict=True)
        ]
        reported = [(cell.column, cell.plain_figures) for cell in cells if cell.figures]
        row = Row(indicator, cells, reported)
        if indicator.is_key_fact:
            row.problems = [
                _("Key facts say how a programme works; they are shown, never compared.")
            ]
        elif not row.single_company:
            _compare_row(row, cases, across_issues)
        by_category.setdefault(indicator.category, []).append(row)
    labels = dict(Indicator.Category.choices)
    categories = [Category(key, str(labels[key]), rows) for key, rows in by_category.items()]
    for category in categories:
        # The warning matters where rows stand in one table: when some are compared.
        if category.shared_rows:
            category.note = category_note(category.rows)
    return categories


def _compare_row(row, cases, across_issues):
    """Fill in `row`'s comparisons (each with why it cannot be charted, if it cannot) and
    their chart keys, or say why none of its figures may share a chart."""
    if across_issues:
        row.comparisons = [Comparison(row.indicator, [], row.reported)]
    else:
        row.comparisons = by_issue(row.indicator, row.reported, cases)
        if not row.comparisons:
            row.problems = [
                _(
                    "The companies report it for cases on different issues (or for no single "
                    "case), so their figures are not set side by side."
                )
            ]
    for comparison in row.comparisons:
        latest = [
            figure
            for _column, cell in comparison.reported
            for figure in latest_of_each_series(cell)
        ]
        comparison.problems = problems(latest)
    # A row with one chart keeps the short anchor (#chart-people-reunited) that links use.
    chartable = [comparison for comparison in row.comparisons if comparison.chartable]
    for comparison in row.comparisons:
        comparison.key = f"chart-{row.indicator.slug}"
        if len(chartable) > 1:
            comparison.key += "-" + "-".join(issue.slug for issue in comparison.issues)


def _bound_charts(categories):
    """Leave the comparisons past the first MAX_CHARTS uncharted, saying why: a page of a
    few large groups could otherwise draw dozens of charts."""
    comparisons = [
        comparison
        for category in categories
        for row in category.rows
        for comparison in row.comparisons
        if comparison.chartable
    ]
    for comparison in comparisons[MAX_CHARTS:]:
        comparison.problems = [
            _(
                "This page draws at most %(max)s charts; these figures are listed, not drawn. "
                "Compare fewer companies to chart them."
            )
            % {"max": MAX_CHARTS}
        ]


def _index_rows(columns, structure):
    """The companies' scorecards side by side: each dimension, then its indicators."""
    rows = []
    for dimension, indicators in structure:
        rows.append(
            IndexRow(
                dimension.name,
                [column.summary.dimensions.get(dimension.slug) for column in columns],
                is_dimension=True,
            )
        )
        for indicator in indicators:
            rows.append(
                IndexRow(
                    indicator.name,
                    [column.summary.indicators.get(indicator.pk) for column in columns],
                )
            )
    return rows


def charted_count(categories):
    """How many of the rows several companies report have a chart."""
    return sum(1 for category in categories for row in category.shared_rows if row.charts)


def _coverage(columns):
    """Issues addressed by any column's cases, those more columns address first:
    (issue, [(column, how many of its cases address it)])."""
    issues = {issue for column in columns for issue in column.issue_counts}
    counts = {issue: [column.issue_counts.get(issue, 0) for column in columns] for issue in issues}
    ordered = sorted(
        counts.items(), key=lambda item: (-sum(1 for n in item[1] if n), by_name(item[0]))
    )
    return [(issue, list(zip(columns, counts, strict=True))) for issue, counts in ordered]


def _figure_kinds(columns, keys, indicator_categories, categories, urls, shown):
    """Which kinds of figures the columns disclose, as Kinds in the declared order of
    categories (`keys`), counted from every figure whether or not the page lists it."""
    built = {category.key: category for category in categories}
    labels = dict(Indicator.Category.choices)
    kinds = []
    for key in keys:
        indicators = [pk for pk, category in indicator_categories.items() if category == key]
        anchor = f"#category-{key}"
        kinds.append(
            Kind(
                key,
                str(labels[key]),
                [
                    (column, sum(column.counts.get(pk, 0) for pk in indicators))
                    for column in columns
                ],
                sum(
                    1
                    for pk in indicators
                    if sum(1 for column in columns if column.counts.get(pk)) >= MIN_COMPANIES
                ),
                anchor if not shown or key == shown else urls.showing(key) + anchor,
                built.get(key),
            )
        )
    return kinds
