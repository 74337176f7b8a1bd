"""The records a comparison of companies is made of (built by `cases.compare.build`, read by
the compare page's template): a Column per company, a Row per indicator with a Cell per
column, the Comparisons of a row's figures that may share a chart, the Categories rows are
listed under, the Kinds of figures the summaries count, and the IndexRows that set the
companies' scorecards side by side. A Comparison draws its own chart: each series' latest
figures, labelled by column and case.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from . import figure_charts
from .chart_data import point_for
from .models import Company, Indicator
from .plotting import Series, shortened

# The fewest companies a comparison sets side by side: an indicator fewer of them report is
# listed by company, never charted.
MIN_COMPANIES = 2


@dataclass(eq=False)
class Column:
    """One compared company with everything counted for it (its subsidiaries' included)."""

    company: Company
    member_ids: set
    # Its published cases' ids, and how many of them address each issue: {issue: count}.
    case_ids: list = field(default_factory=list)
    issue_counts: dict = field(default_factory=dict)
    figures: list = field(default_factory=list)
    remove_url: str = ""
    summary: object = None
    # How many public figures it reports of each indicator: {indicator pk: count}; `figures`
    # holds at most `cases.compare.CELL_FIGURES` of each, the newest.
    counts: dict = field(default_factory=dict)

    @property
    def name(self):
        return self.company.name

    @property
    def figure_count(self):
        return sum(self.counts.values())

    @property
    def case_count(self):
        return len(self.case_ids)

    @property
    def issue_count(self):
        return len(self.issue_counts)


@dataclass
class Comparison:
    """Figures of one indicator that may share a chart: those from cases on the same issues,
    or, in the cross-issue view (`issues` empty), all of them."""

    indicator: Indicator
    issues: list
    # (column, its figures) for the columns taking part.
    reported: list
    problems: list = field(default_factory=list)
    key: str = ""
    chart: dict | None = None

    @property
    def across_issues(self):
        return not self.issues

    @property
    def chartable(self):
        return len(self.reported) >= MIN_COMPANIES and not self.problems

    @property
    def companies(self):
        return [column for column, _figures in self.reported]

    @property
    def issue_names(self):
        return names(self.issues)

    @property
    def company_names(self):
        return names(self.companies)

    def draw(self, language):
        title = self.indicator.name
        if self.across_issues:
            title = _("%(indicator)s (across issues)") % {"indicator": title}
        return figure_charts.comparison_bars(
            chart_series(self.indicator, self.reported, title),
            [column.name for column in self.companies],
            language,
        )


def names(records):
    """The names of `records` as a list in the active language: 乡村振兴、教育."""
    return pgettext("list separator", ", ").join(record.name for record in records)


@dataclass
class Cell:
    """One column's figures of one indicator, each with the names of the issues its case
    addresses: (figure, issue names)."""

    column: Column
    figures: list
    # How many figures of the indicator the column reports; `figures` holds the newest.
    count: int = 0

    @property
    def more(self):
        """How many of the column's figures of this indicator the page does not show."""
        return self.count - len(self.figures)

    @property
    def latest(self):
        """The figures a chart would draw: each series' latest."""
        drawn = {id(figure) for figure in latest_of_each_series(self.plain_figures)}
        return [entry for entry in self.figures if id(entry[0]) in drawn]

    @property
    def earlier(self):
        """The rest: earlier figures of a series, and breakdowns."""
        drawn = {id(figure) for figure in latest_of_each_series(self.plain_figures)}
        return [entry for entry in self.figures if id(entry[0]) not in drawn]

    @property
    def plain_figures(self):
        return [figure for figure, _issues in self.figures]


@dataclass
class Row:
    """One indicator: each column's figures, and which of them share a chart or why none do."""

    indicator: Indicator
    # A Cell for every column, empty where it reports none.
    cells: list
    # (column, its figures) for the columns that report this indicator.
    reported: list = field(default_factory=list)
    # Why no figure of this row is charted at all (key facts; no issue in common).
    problems: list = field(default_factory=list)
    comparisons: list = field(default_factory=list)

    @property
    def reporting(self):
        return len(self.reported)

    @property
    def reported_cells(self):
        return [cell for cell in self.cells if cell.figures]

    @property
    def charts(self):
        return [comparison for comparison in self.comparisons if comparison.chart]

    @property
    def single_company(self):
        return self.reporting < MIN_COMPANIES

    def draw(self, language):
        """The row's charts by key: one per set of figures that may share one."""
        return {
            comparison.key: comparison.draw(language)
            for comparison in self.comparisons
            if comparison.chartable
        }


@dataclass
class Category:
    """One indicator category: rows several companies report, compared; rows one company
    reports, by company."""

    key: str
    label: str
    rows: list
    note: str = ""

    @property
    def shared_rows(self):
        return [row for row in self.rows if not row.single_company]

    @property
    def single_rows(self):
        return [row for row in self.rows if row.single_company]

    @property
    def single_columns(self):
        """The columns that report some indicator of this category alone."""
        return [column for column, _rows in self.single_by_column]

    @property
    def single_by_column(self):
        """(column, its rows) for the rows only one company reports, in column order."""
        by_column = {}
        for row in self.single_rows:
            ((column, _figures),) = row.reported
            by_column.setdefault(column.company.slug, (column, []))[1].append(row)
        return list(by_column.values())


@dataclass
class Kind:
    """One category of figures as the page's summaries list it, whether or not its rows are
    shown: each column's figures in it, how many of its indicators several columns report,
    and where the page lists them (`url`: an anchor, or the page showing that category)."""

    key: str
    label: str
    counts: list
    compared: int
    url: str
    # The built Category when its rows are on this page.
    shown: Category | None = None

    @property
    def single_columns(self):
        return self.shown.single_columns if self.shown else []


@dataclass
class IndexRow:
    """A dimension (its score per column) or one of its indicators (each column's mean level
    and how many of its cases were assessed on it)."""

    name: str
    cells: list
    is_dimension: bool = False


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


def chart_series(indicator, columns_figures, title):
    """The plotted points of one indicator: the latest figure(s) of each series per column,
    each labelled by its column and case (numbered where two labels would coincide), titled
    `title`."""
    points, seen = [], Counter()
    for column, figures in columns_figures:
        for figure in latest_of_each_series(figures):
            label = column.name
            # A company's own figure is labelled by the company alone (a group's column names
            # the subsidiary), never by the case the document reports it with.
            owner = figure.project or (figure.company if figure.company != column.company else None)
            if owner:
                label += f" · {shortened(owner.name, 12)}"
            seen[label] += 1
            if seen[label] > 1:
                label = f"{label} ({seen[label]})"
            points.append(point_for(figure, label, group=column.name))
    return Series(title, indicator.display_unit.name, points)
