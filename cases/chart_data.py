"""From records to charts: the data each page's charts draw, read from the database and
handed to the pure functions in `cases.charts`. Names are taken in the active language."""

from collections import Counter

from django.utils.text import capfirst

from . import charts, index_charts
from .models import Company, Indicator, Metric, Project
from .models.metrics import series_over_time
from .plotting import Point, Series

# The home page's coverage grid shows the companies with the most cases.
GRID_COMPANIES = 12


def point_for(figure, x, group=""):
    """A chart point for `figure`: its value (and range), how it reads and when it held."""
    return Point(
        x=x,
        value=figure.value,
        high=figure.value_high,
        text=figure.figure_display,
        as_of=figure.as_of_display,
        group=group,
        measure=(figure.indicator_id, figure.unit_id),
    )


def series_of(figures, title, unit):
    """A chart series of `figures` of one measure, placed by as-of date."""
    return Series(
        title, unit.name, [point_for(figure, figure.as_of.isoformat()) for figure in figures]
    )


def home_charts(issues, language):
    """Cases per issue, the company × issue grid, launches per year, the sector's context.
    `issues` are the home page's issues with `case_count`."""
    pairs = Project.objects.coverage_pairs()
    per_company = Counter()
    for company_id, _issue_id, n in pairs:
        per_company[company_id] += n
    top_ids = [company_id for company_id, _n in per_company.most_common(GRID_COMPANIES)]
    names = {company.pk: company.name for company in Company.objects.filter(pk__in=top_ids)}
    issue_names = {issue.pk: issue.name for issue in issues}
    counts = {
        (names[company_id], issue_names[issue_id]): n
        for company_id, issue_id, n in pairs
        if company_id in names and issue_id in issue_names
    }
    grid_issues = [
        issue.name
        for issue in issues
        if any((names[company_id], issue.name) in counts for company_id in top_ids)
    ]
    return {
        "cases_per_issue": charts.cases_per_issue(
            [(issue.name, issue.case_count) for issue in issues], language
        ),
        "coverage": charts.coverage_grid(
            [names[company_id] for company_id in top_ids], grid_issues, counts, language
        ),
        "launches": charts.launches_per_year(Project.objects.launch_year_counts(), language),
        "context": industry_context_chart(language),
    }


def industry_context_chart(language):
    """Sector-wide figures that were measured the same way at several dates: same indicator,
    unit, kind of count and wording. None when there are none."""
    figures = (
        Metric.objects.public().filter(industry_wide=True).select_related("indicator__unit", "unit")
    )
    found = series_over_time(
        figures,
        key=lambda figure: (
            figure.indicator_id,
            figure.unit_id,
            figure.cumulative,
            figure.label_zh,
        ),
    )
    if not found:
        return None
    series = [
        series_of(members, members[-1].label, members[-1].indicator.display_unit)
        for members in sorted(found.values(), key=lambda members: members[-1].indicator.name_en)
    ]
    return charts.industry_context(series, language)


def case_charts(case, figures, language):
    """The case page's milestone timeline and one line per measure with several as-of dates
    (the same indicator, unit, owner and kind of count)."""
    milestones = [
        (milestone.happened_on.isoformat(), milestone.date_display, milestone.text)
        for milestone in case.milestones.all()
    ]
    timeline = charts.milestone_timeline(milestones, language) if len(milestones) >= 2 else None
    found = series_over_time(
        figures,
        key=lambda figure: (
            figure.indicator_id,
            figure.unit_id,
            figure.company_id,
            figure.cumulative,
        ),
    )
    lines = [
        (
            f"growth-{members[0].indicator.slug}",
            charts.growth_line(
                series_of(members, members[0].indicator.name, members[0].indicator.display_unit),
                language,
            ),
        )
        for members in found.values()
    ]
    return {"timeline": timeline, "lines": lines}


def company_chart(figures, language):
    """How many figures the company reports in each category, by case; None without any.
    `figures` come in category order (`Metric.objects.for_display`); within a category the
    case with most figures comes first."""
    labels = dict(Indicator.Category.choices)
    categories = list(dict.fromkeys(figure.indicator.category for figure in figures))
    counts = Counter(
        (
            figure.indicator.category,
            figure.project.name if figure.project else figure.company.name,
        )
        for figure in figures
    )
    if not counts:
        return None
    rows = [
        (capfirst(str(labels[category])), owner, n)
        for (category, owner), n in sorted(
            counts.items(),
            key=lambda item: (categories.index(item[0][0]), -item[1], item[0][1]),
        )
    ]
    return charts.figures_by_category(rows, language)


# The ranking chart draws the best this many cases; the table below it ranks them all.
RANKING_BARS = 30


def index_page_charts(ranked, dimensions, weights, language):
    """The index page's charts: the best RANKING_BARS scorecards' index split by dimension
    under `weights`, and how the index is spread across all the ranked cases."""
    keyed = [(dimension.name, dimension.slug) for dimension in dimensions]
    rows = [
        (card.case.name, {d.dimension.slug: d.score for d in card.dimensions}, card.index)
        for card in ranked[:RANKING_BARS]
    ]
    return {
        "ranking": index_charts.ranking(rows, keyed, weights, language, len(ranked)),
        "distribution": index_charts.distribution([card.index for card in ranked], language),
    }
