"""Companies' figures side by side, drawn together only where that is fair.

A comparison has one column per chosen company; a group's column also holds its subsidiaries'
cases and figures. Figures are grouped by indicator category and indicator. One indicator's
figures go on a shared axis only when they measure it in the same unit, are all running
totals or all figures for a period, and date from within about a year of each other. Where
they do not, the page says why instead of drawing bars.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta

from django.utils.translation import gettext as _

from . import charts, index_charts, scores
from .caching import cached
from .chart_data import point_for
from .filters import could_be_slug, printable
from .models import Company, Indicator, Metric, Project
from .models.index import scorecard_prefetch
from .plotting import Series, shortened

MIN_COMPANIES = 2
MAX_COMPANIES = 6
# Figures further apart than this describe different moments and are not drawn together.
MAX_DATE_GAP = timedelta(days=366)


@dataclass
class Column:
    """One compared company with everything counted for it (its subsidiaries' included)."""

    company: Company
    member_ids: set
    cases: list = field(default_factory=list)
    figures: list = field(default_factory=list)
    remove_url: str = ""
    summary: object = None

    @property
    def name(self):
        return self.company.name


@dataclass
class Row:
    """One indicator: each column's figures, and the chart or the reason there is none."""

    indicator: Indicator
    cells: list
    # (column, its figures) for the columns that report this indicator.
    reported: list = field(default_factory=list)
    problems: list = field(default_factory=list)
    chart: dict | None = None

    @property
    def reporting(self):
        return len(self.reported)

    @property
    def chartable(self):
        return self.reporting >= MIN_COMPANIES and not self.problems

    def draw(self, language):
        return charts.comparison_bars(
            chart_series(self.indicator, self.reported),
            [column.name for column, _cell in self.reported],
            language,
        )


@dataclass
class Category:
    label: str
    rows: list
    note: str = ""


def listed(values, shown=5):
    """Up to `shown` values quoted for a message, with how many there are in all beyond."""
    unique = list(dict.fromkeys(values))
    names = ", ".join(f"“{printable(value)}”" for value in unique[:shown])
    if len(unique) > shown:
        names += " … " + _("(%(count)s in all)") % {"count": len(unique)}
    return names


def read_selection(slugs):
    """The companies named by `slugs`, in the order given, and what could not be used.

    Unknown, repeated or surplus slugs are left out with a message each; the rest is kept.
    """
    messages = []
    wanted, repeated = [], []
    for raw in slugs:
        slug = raw.strip()
        if slug in wanted:
            repeated.append(slug)
        elif slug:
            wanted.append(slug)
    found = {
        company.slug: company
        for company in Company.objects.for_comparison().filter(
            slug__in=[slug for slug in wanted if could_be_slug(slug)]
        )
    }
    unknown = [slug for slug in wanted if slug not in found]
    if repeated:
        messages.append(
            _("Chosen more than once and shown once: %(names)s.") % {"names": listed(repeated)}
        )
    if unknown:
        messages.append(
            _("There is no such company, so these were left out: %(names)s.")
            % {"names": listed(unknown)}
        )
    companies = [found[slug] for slug in wanted if slug in found]
    if len(companies) > MAX_COMPANIES:
        left_out = ", ".join(company.name for company in companies[MAX_COMPANIES:])
        messages.append(
            _("At most %(max)s companies can be compared at once; left out: %(names)s.")
            % {"max": MAX_COMPANIES, "names": left_out}
        )
        companies = companies[:MAX_COMPANIES]
    for company in companies:
        if company.parent in companies:
            messages.append(
                _(
                    "%(company)s belongs to %(group)s, so its figures appear in both columns. "
                    "Do not add the two up."
                )
                % {"company": company.name, "group": company.parent.name}
            )
    return companies, messages


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


def latest_of_each_series(figures):
    """Each series' figures at its latest as-of date. A series is one owner's figures for one
    case and indicator, all running totals or all not; breakdowns are left out."""
    series = {}
    for figure in figures:
        if figure.part_of_id:
            continue
        key = (figure.company_id, figure.project_id, figure.indicator_id, figure.cumulative)
        series.setdefault(key, []).append(figure)
    latest = []
    for members in series.values():
        newest = max(figure.as_of for figure in members)
        latest += [figure for figure in members if figure.as_of == newest]
    return latest


def chart_series(indicator, columns_figures):
    """The plotted points of one indicator: the latest figure(s) of each series per column,
    each labelled by its column and case (numbered where two labels would coincide)."""
    points, seen = [], Counter()
    for column, figures in columns_figures:
        for figure in latest_of_each_series(figures):
            owner = figure.project.name if figure.project else figure.company.name
            label = f"{column.name} · {shortened(owner, 12)}"
            seen[label] += 1
            if seen[label] > 1:
                label = f"{label} ({seen[label]})"
            points.append(point_for(figure, label, group=column.name))
    return Series(indicator.name, indicator.display_unit.name, points)


def category_note(rows):
    """A warning when one category's rows are counted in different units."""
    units = {row.indicator.unit.symbol: row.indicator.display_unit for row in rows}
    if len(units) < 2:
        return ""
    names = ", ".join(f"{unit.symbol} ({unit.name})" for unit in units.values())
    note = _(
        "These rows are counted in different units: %(units)s. They are never added up or "
        "drawn on one axis."
    ) % {"units": names}
    if "人" in units and "人次" in units:
        note += " " + _(
            "人次 counts attendances or visits: one person trained three times is 3人次 but 1人."
        )
    return note


def build(companies, language, url_without):
    """The comparison of `companies`: columns, categories of indicator rows, issue coverage.

    `url_without(slug)` gives the page's URL with one company removed.
    """
    columns = [
        Column(company, company.member_ids(), remove_url=url_without(company.slug))
        for company in companies
    ]
    figures = list(Metric.objects.for_listing().owned_by(companies))
    cases = list(
        Project.objects.for_comparison().led_by(companies).prefetch_related(scorecard_prefetch())
    )
    structure = scores.framework()
    for column in columns:
        column.figures = [figure for figure in figures if figure.company_id in column.member_ids]
        column.cases = [case for case in cases if case.company_id in column.member_ids]
        column.summary = scores.summarise(scores.scorecards(column.cases, structure=structure))
    categories = _categories(columns, figures)
    chartable = [row for category in categories for row in category.rows if row.chartable]
    # Building charts costs more than the page's queries; they change only with the data.
    drawn = cached(
        "compare-charts",
        language,
        *(column.company.slug for column in columns),
        compute=lambda: {row.indicator.slug: row.draw(language) for row in chartable},
    )
    for row in chartable:
        row.chart = drawn[row.indicator.slug]
    shared, charted = tally(categories)
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
        "shared_count": shared,
        "charted_count": charted,
    }


def _categories(columns, figures):
    """Indicator rows grouped by category, in the order of `figures`, each with the reasons its
    figures may not share an axis."""
    indicators = list(dict.fromkeys(figure.indicator for figure in figures))
    by_category = {}
    for indicator in indicators:
        cells = [
            [figure for figure in column.figures if figure.indicator_id == indicator.pk]
            for column in columns
        ]
        reported = [(column, cell) for column, cell in zip(columns, cells, strict=True) if cell]
        row = Row(indicator, cells, reported)
        if indicator.is_key_fact:
            row.problems = [
                _("Key facts say how a programme works; they are shown, never compared.")
            ]
        elif row.reporting >= MIN_COMPANIES:
            latest = [f for _column, cell in reported for f in latest_of_each_series(cell)]
            row.problems = problems(latest)
        by_category.setdefault(indicator.category, []).append(row)
    labels = dict(Indicator.Category.choices)
    for rows in by_category.values():
        # Indicators several companies report come first: they are what can be compared.
        rows.sort(key=lambda row: row.reporting < MIN_COMPANIES)
    return [
        Category(str(labels[key]), rows, category_note(rows)) for key, rows in by_category.items()
    ]


@dataclass
class IndexRow:
    """A dimension (its score per column) or one of its indicators (each column's mean level
    and how many of its cases were assessed on it)."""

    name: str
    cells: list
    is_dimension: bool = False


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


def tally(categories):
    """(indicators several companies report, how many of them are charted)."""
    shared = [row for category in categories for row in category.rows if row.reporting > 1]
    return len(shared), sum(1 for row in shared if row.chart)


def _coverage(columns):
    """Issues addressed by any column's cases: (issue, [cases addressing it per column])."""
    issues = {}
    for index, column in enumerate(columns):
        for case in column.cases:
            for issue in case.issues.all():
                counts = issues.setdefault(issue, [0] * len(columns))
                counts[index] += 1
    return sorted(issues.items(), key=lambda item: (-sum(1 for n in item[1] if n), item[0].name))


def picker_options():
    """Companies a reader can compare: groups and independent companies leading published
    cases, each with its subsidiaries that lead some, most cases first."""
    return [company for company in Company.objects.leading_cases() if company.is_business]
