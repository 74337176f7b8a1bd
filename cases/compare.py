"""Companies' figures side by side, drawn together only where that is fair.

A comparison has one column per chosen company; a group's column also holds its subsidiaries'
cases and figures. It leads with what every company has (cases, index scores, cases by issue,
kinds of figures), then lists figures by indicator category. Figures of one indicator share a
chart only when they come from cases on the same social issue, are measured in the same unit,
are all running totals or all figures for a period, and date from within about a year of each
other; where they do not, the page says why instead of drawing bars. A reader may ask for the
cross-issue view, whose charts say that they mix issues.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from urllib.parse import urlencode

from django.db.models import Count, Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from . import charts, index_charts, scores
from .caching import cached
from .chart_data import point_for
from .filters import could_be_slug, printable
from .models import Company, Indicator, Metric, Project, SocialIssue
from .models.base import name_order
from .plotting import Series, shortened

MIN_COMPANIES = 2
MAX_COMPANIES = 6
# Figures further apart than this describe different moments and are not drawn together.
MAX_DATE_GAP = timedelta(days=366)
# The `view` parameter's value for charts that mix issues; without it, charts keep to one.
ALL_ISSUES = "all-issues"
# Each company's newest figures of an indicator that the page reads, shows and may chart; the
# explorer lists the rest (a large group reports dozens of one indicator).
CELL_FIGURES = 3
# The most charts one comparison draws; further comparisons are listed, not drawn.
MAX_CHARTS = 10
# The picker offers the companies with the most cases, and every company when asked
# (`companies=all`): a casebook of hundreds would otherwise send hundreds of checkboxes.
PICKER_OPTIONS = 24
EVERY_COMPANY = "all"
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
    # holds at most CELL_FIGURES of each, the newest.
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
        return charts.comparison_bars(
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
class Selection:
    """The companies a reader chose that can be compared, and messages about the rest:
    `left_out` for choices that could not be used, `notes` for those used with a caveat."""

    companies: list
    left_out: list = field(default_factory=list)
    notes: list = field(default_factory=list)

    @property
    def messages(self):
        return self.left_out + self.notes


def by_name(record):
    """Where `record` goes in a list sorted by name as readers of the active language expect
    (pinyin order in Chinese)."""
    return tuple(getattr(record, name) for name in name_order())


def listed(values, shown=5):
    """Up to `shown` values quoted for a message, with how many there are in all beyond."""
    unique = list(dict.fromkeys(values))
    names = ", ".join(f"“{printable(value)}”" for value in unique[:shown])
    if len(unique) > shown:
        names += " … " + _("(%(count)s in all)") % {"count": len(unique)}
    return names


@dataclass
class Links:
    """The compare page's URLs (as query strings) for the chosen companies' `slugs`, `view`
    and `category` of figures, each keeping the rest of the reader's choice."""

    slugs: list
    view: str = ""
    category: str = ""

    def url(self, **changes):
        choice = {"slugs": self.slugs, "view": self.view, "category": self.category, **changes}
        pairs = [("company", slug) for slug in choice["slugs"]]
        pairs += [(name, choice[name]) for name in ("view", "category") if choice[name]]
        return "?" + urlencode(pairs)

    def without(self, slug):
        """The page without the company `slug`."""
        return self.url(slugs=[chosen for chosen in self.slugs if chosen != slug])

    def showing(self, category):
        """The page listing the figures of `category` ("" for its usual choice)."""
        return self.url(category=category)


def read_selection(slugs):
    """The companies named by `slugs`, in the order given, and what could not be used.

    Unknown and surplus slugs are left out with a message each; a repeated one is used once.
    """
    selection = Selection([])
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
        selection.notes.append(
            _("Chosen more than once and shown once: %(names)s.") % {"names": listed(repeated)}
        )
    if unknown:
        selection.left_out.append(
            _("There is no such company, so these were left out: %(names)s.")
            % {"names": listed(unknown)}
        )
    companies = [found[slug] for slug in wanted if slug in found]
    if len(companies) > MAX_COMPANIES:
        left_out = ", ".join(company.name for company in companies[MAX_COMPANIES:])
        selection.left_out.append(
            _("At most %(max)s companies can be compared at once; left out: %(names)s.")
            % {"max": MAX_COMPANIES, "names": left_out}
        )
        companies = companies[:MAX_COMPANIES]
    for company in companies:
        if company.parent in companies:
            selection.notes.append(
                _(
                    "%(company)s belongs to %(group)s, so its figures appear in both columns. "
                    "Do not add the two up."
                )
                % {"company": company.name, "group": company.parent.name}
            )
    selection.companies = companies
    return selection


def read_view(value):
    """(whether charts may mix issues, a message if `value` is not a view the page has)."""
    value = value.strip()
    if value in ("", ALL_ISSUES):
        return value == ALL_ISSUES, ""
    return False, _("“%(view)s” is not a view of this page; charts keep to one issue.") % {
        "view": printable(value)
    }


def read_picker(value):
    """(whether the picker offers every company, a message if `value` is not a choice)."""
    value = value.strip()
    if value in ("", EVERY_COMPANY):
        return value == EVERY_COMPANY, ""
    return False, _(
        "“%(value)s” is not a choice of the company list; it offers the companies with the "
        "most cases."
    ) % {"value": printable(value)}


def read_category(value):
    """(the category of figures the reader asked for or "", a message if `value` is not one)."""
    value = value.strip()
    if not value or value in Indicator.Category.values:
        return value, ""
    return "", _("“%(category)s” is not a category of figures; the page shows its usual one.") % {
        "category": printable(value)
    }


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


def picker_options():
    """Companies a reader can compare: groups and independent companies leading published
    cases, each with its subsidiaries that lead some, most cases first (then by name), each
    with `case_count`. The counts come from one pass over the cases grouped by company."""
    counts = Company.objects.led_case_counts(Project.objects.published())
    leading = [pk for pk, n in counts.items() if n]
    subsidiaries = Prefetch(
        "subsidiaries", queryset=Company.objects.filter(pk__in=leading).in_name_order()
    )
    options = list(
        Company.objects.filter(pk__in=leading, parent__isnull=True)
        .prefetch_related(subsidiaries)
        .in_name_order()
    )
    for company in options:
        for record in [company, *company.subsidiaries.all()]:
            record.case_count = counts[record.pk]
    options.sort(key=lambda company: -company.case_count)
    return [company for company in options if company.is_business]
