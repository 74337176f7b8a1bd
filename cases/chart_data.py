"""From records to charts: the data each page's charts draw, read from the database and
handed to the pure functions in `cases.charts`, `cases.figure_charts` and
`cases.index_charts`. Names are taken in the active language."""

from collections import Counter

from django.db.models import Count, Q
from django.utils.text import capfirst
from django.utils.translation import ngettext

from . import charts, figure_charts, index_charts
from .models import Company, Indicator, Metric, Project
from .models.figure_lists import series_over_time
from .plotting import PALETTE, Point, Series

# The home page's coverage grid shows the companies with the most cases.
GRID_COMPANIES = 12
# A case page draws this many of its measures over time, the longest series first.
GROWTH_CHARTS = 6
# The sector chart draws this many measures side by side, at most.
CONTEXT_SERIES = 4
# A company's chart stacks the figures of this many of its cases; the rest share one bar.
# With that bar, one colour each from the palette's seven.
CHARTED_OWNERS = len(PALETTE) - 1


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
    unit, kind of count and wording; the CONTEXT_SERIES first by indicator. None when there
    are none. Only those series' figures are read."""
    fields = ("indicator_id", "unit_id", "cumulative", "label_zh")
    sector = Metric.objects.public().filter(industry_wide=True)
    keys = list(sector.traced_over_time(*fields).order_by("indicator__name_en", *fields))
    if not keys:
        return None
    wanted = Q()
    for key in keys[:CONTEXT_SERIES]:
        wanted |= Q(**key)
    found = series_over_time(
        sector.filter(wanted).select_related("indicator__unit", "unit"),
        key=lambda figure: tuple(getattr(figure, field) for field in fields),
    )
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
    # The longest series first (then in the figures' order): those say most over time.
    longest = sorted(found.values(), key=len, reverse=True)
    lines = [
        (
            f"growth-{members[0].indicator.slug}",
            charts.growth_line(
                series_of(members, members[0].indicator.name, members[0].indicator.display_unit),
                language,
            ),
        )
        for members in longest[:GROWTH_CHARTS]
    ]
    return {"timeline": timeline, "lines": lines, "more_lines": len(longest) - len(lines)}


def company_chart(figures, language):
    """How many of `figures` (a company's public figures, a queryset) are in each category,
    stacked by case: the CHARTED_OWNERS cases (or the company itself, for its own figures)
    with most figures, the rest as one "other cases" bar; None without any. Counted in SQL."""
    counts = (
        figures.order_by()
        .values_list("indicator__category", "project_id", "company_id")
        .annotate(n=Count("pk"))
    )
    if not counts:
        return None
    per_owner = Counter()
    for _category, project_id, company_id, n in counts:
        per_owner[("project", project_id) if project_id else ("company", company_id)] += n
    top = [owner for owner, _n in per_owner.most_common(CHARTED_OWNERS)]
    names = {}
    for kind, model in (("project", Project), ("company", Company)):
        ids = [pk for owner_kind, pk in top if owner_kind == kind]
        if ids:
            names.update(
                {(kind, record.pk): record.name for record in model.objects.filter(pk__in=ids)}
            )
    others = len(per_owner) - len(top)
    other = ngettext("%(count)s other case", "%(count)s other cases", others) % {"count": others}
    labels = dict(Indicator.Category.choices)
    totals = Counter()
    for category, project_id, company_id, n in counts:
        owner = ("project", project_id) if project_id else ("company", company_id)
        totals[(category, names.get(owner, other))] += n
    order = {name: position for position, name in enumerate([*(names[o] for o in top), other])}
    categories = [key for key in Indicator.Category.values if any(c == key for c, _o in totals)]
    rows = [
        (capfirst(str(labels[category])), owner, n)
        for (category, owner), n in sorted(
            totals.items(), key=lambda item: (categories.index(item[0][0]), order[item[0][1]])
        )
    ]
    return figure_charts.figures_by_category(rows, language)


# The ranking chart draws the best this many cases; the table below it ranks them all.
RANKING_BARS = 30


def index_page_charts(best, indexes, dimensions, weights, language):
    """The index page's charts: the `best` scorecards' index split by dimension under
    `weights` (at most RANKING_BARS), and how `indexes`, every ranked case's, are spread."""
    keyed = [(dimension.name, dimension.slug) for dimension in dimensions]
    rows = [
        (card.case.name, {d.dimension.slug: d.score for d in card.dimensions}, card.index)
        for card in best[:RANKING_BARS]
    ]
    return {
        "ranking": index_charts.ranking(rows, keyed, weights, language, len(indexes)),
        "distribution": index_charts.distribution(indexes, language),
    }
