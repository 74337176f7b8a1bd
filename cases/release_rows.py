"""The rows of each table of a data release (`cases.release_tables`), read from the database:
public records only, each a dict of Python values under the table's column names, in a stable
order (by slug or key) so that two releases compare row by row."""

from .models import (
    SDG,
    Assessment,
    Company,
    IndexDimension,
    IndexIndicator,
    Indicator,
    Metric,
    Milestone,
    Partnership,
    Project,
    SocialIssue,
    Source,
    Unit,
)


def slug_of(record):
    return record.slug if record is not None else None


def values(record, names):
    return {name: getattr(record, name) for name in names}


def public_cases():
    return Project.objects.published().select_related("company").order_by("slug")


def source_rows(table):
    names = [c.name for c in table.columns]
    return [values(source, names) for source in Source.objects.order_by("slug")]


def unit_rows(table):
    names = [c.name for c in table.columns]
    return [values(unit, names) for unit in Unit.objects.order_by("symbol")]


def sdg_rows(table):
    return [values(goal, ["number", "name_zh", "name_en"]) for goal in SDG.objects.all()]


def company_rows(table):
    names = [c.name for c in table.columns if c.name != "parent"]
    return [
        {**values(company, names), "parent": slug_of(company.parent)}
        for company in Company.objects.select_related("parent").order_by("slug")
    ]


def issue_rows(table):
    names = [c.name for c in table.columns if c.name != "parent"]
    return [
        {**values(issue, names), "parent": slug_of(issue.parent)}
        for issue in SocialIssue.objects.select_related("parent").order_by("slug")
    ]


def issue_sdg_rows(table):
    links = SocialIssue.sdgs.through.objects.select_related("socialissue", "sdg")
    pairs = sorted((link.socialissue.slug, link.sdg.number) for link in links)
    return [{"issue": issue, "sdg": number} for issue, number in pairs]


def case_rows(table):
    names = [c.name for c in table.columns if c.name != "company"]
    return [{**values(case, names), "company": case.company.slug} for case in public_cases()]


def _case_links(through, other, key):
    links = through.objects.filter(project__status=Project.Status.PUBLISHED).select_related(
        "project", other
    )
    pairs = sorted((link.project.slug, getattr(link, other).slug) for link in links)
    return [{"case": case, key: slug} for case, slug in pairs]


def case_issue_rows(table):
    return _case_links(Project.issues.through, "socialissue", "issue")


def case_source_rows(table):
    return _case_links(Project.sources.through, "source", "source")


def indicator_rows(table):
    names = [c.name for c in table.columns if c.name != "unit"]
    return [
        {**values(indicator, names), "unit": indicator.unit.symbol}
        for indicator in Indicator.objects.select_related("unit").order_by("slug")
    ]


FIGURE_RELATED = ["project", "company", "indicator", "unit", "part_of", "source", "reported_with"]


def figure_rows(table):
    names = [c.name for c in table.columns]
    figures = Metric.objects.public().select_related(*FIGURE_RELATED).order_by("slug")
    rows = []
    for figure in figures:
        row = values(figure, [name for name in names if name not in FIGURE_LINKS])
        reported_with = figure.reported_with
        row.update(
            case=slug_of(figure.project),
            company=slug_of(figure.company),
            indicator=figure.indicator.slug,
            unit=figure.unit.symbol,
            part_of=slug_of(figure.part_of),
            source=figure.source.slug,
            # A draft case is not public: the figure is still the company's, reported alone.
            reported_with=reported_with.slug if reported_with and reported_with.is_public else None,
        )
        rows.append(row)
    return rows


FIGURE_LINKS = {"case", "company", "indicator", "unit", "part_of", "source", "reported_with"}


def milestone_rows(table):
    milestones = (
        Milestone.objects.filter(project__status=Project.Status.PUBLISHED)
        .select_related("project", "source")
        .order_by("project__slug", "happened_on", "text_zh")
    )
    names = ["happened_on", "precision", "text_zh", "text_en", "locator", "locator_en"]
    return [
        {
            **values(milestone, [*names, "note_zh", "note_en"]),
            "case": milestone.project.slug,
            "source": slug_of(milestone.source),
        }
        for milestone in milestones
    ]


def partner_rows(table):
    partnerships = Partnership.objects.in_published_cases().select_related("company")
    rows = [
        {
            "case": partnership.project.slug,
            "partner": partnership.company.slug,
            **values(partnership, ["role", "role_zh", "role_en"]),
        }
        for partnership in partnerships
    ]
    return sorted(rows, key=lambda row: (row["case"], row["partner"]))


def dimension_rows(table):
    names = [c.name for c in table.columns]
    return [values(dimension, names) for dimension in IndexDimension.objects.order_by("position")]


def index_indicator_rows(table):
    names = [c.name for c in table.columns if c.name not in ("dimension", "source")]
    return [
        {
            **values(indicator, names),
            "dimension": indicator.dimension.slug,
            "source": indicator.source.slug,
        }
        for indicator in IndexIndicator.objects.in_order()
    ]


def assessment_rows(table):
    assessments = (
        Assessment.objects.confirmed()
        .select_related("project", "indicator", "source")
        .order_by("project__slug", "indicator__slug")
    )
    names = ["level", "derived", "evidence_zh", "evidence_en", "quotation", "locator", "locator_en"]
    return [
        {
            **values(assessment, names),
            "case": assessment.project.slug,
            "indicator": assessment.indicator.slug,
            "source": slug_of(assessment.source),
        }
        for assessment in assessments
    ]
