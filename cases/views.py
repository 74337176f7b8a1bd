"""Public pages: thin views over documented QuerySet methods. Only published cases are shown."""

from functools import partial

from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from csrsite import throttle
from csrsite.admin_site import verified

from . import citations, scores
from .caching import cached
from .chart_data import (
    RANKING_BARS,
    case_charts,
    company_chart,
    home_charts,
    index_page_charts,
)
from .compare import build
from .compare_choice import (
    ALL_ISSUES,
    MAX_COMPANIES,
    PICKER_OPTIONS,
    Links,
    picker_options,
    read_category,
    read_picker,
    read_selection,
    read_view,
)
from .compare_csv import write_comparison_csv
from .compare_records import MIN_COMPANIES
from .explorer import EXPLORER_PAGE_SIZE, explorer_chart, explorer_options, figures_csv
from .filters import SEARCH_MAX_LENGTH, YEAR_RANGE, CaseFilter
from .metric_filters import MetricFilter
from .models import Company, IssueAlias, Metric, Project, SocialIssue, Source
from .models.figure_lists import nest_parts, outcomes_and_key_facts
from .models.index import scorecard_prefetch
from .page_cache import cached_page, choosing_companies, downloading, searching
from .paging import GroupedPaginator, KeyedPaginator
from .search.suggest import suggestions

PAGE_SIZE = 20
# The case page's summary column shows this many of its figures; the rest are a link away.
GLANCE_FIGURES = 4
# The documents page lists this many per page.
SOURCES_PAGE_SIZE = 50
# A document's page lists the figures citing it this many at a time.
SOURCE_FIGURES_PAGE_SIZE = 50
# A company page lists this many of its figures; the explorer has them all.
COMPANY_FIGURES_SHOWN = 30
# The index page ranks this many cases per page, and names this many of those not ranked.
INDEX_PAGE_SIZE = 50
UNRANKED_SHOWN = 100


def paginate(request, items, per_page=PAGE_SIZE, paginator_class=Paginator):
    """The requested page of `items`, and a message when the page number could not be used."""
    paginator = paginator_class(items, per_page)
    raw = request.GET.get("page", "").strip()
    if not raw:
        return paginator.page(1), ""
    try:
        number = int(raw)
    except ValueError:
        number = None
    if number is None or number < 1:
        message = _("“%(page)s” is not a page number; showing the first page.") % {"page": raw[:20]}
        return paginator.page(1), message
    if number > paginator.num_pages:
        message = _("There is no page %(page)s; showing the last page, %(last)s.") % {
            "page": raw[:20],
            "last": paginator.num_pages,
        }
        return paginator.page(paginator.num_pages), message
    return paginator.page(number), ""


@require_safe
@cached_page
def home(request):
    issues = list(
        SocialIssue.objects.with_case_counts().filter(case_count__gt=0).in_name_order("-case_count")
    )
    context = {
        "counts": Project.objects.headline_counts(),
        "issues": issues,
        "recent_cases": Project.objects.for_list().order_by("-updated_at", "slug")[:6],
        "charts": cached(
            "home-charts", get_language(), compute=lambda: home_charts(issues, get_language())
        ),
    }
    return render(request, "cases/home.html", context)


@require_safe
@cached_page(limit=searching("search"))
def case_list(request):
    by_name = Project.objects.published().ordered_by("name", get_language())
    case_filter = CaseFilter(request.GET, queryset=by_name)
    page, page_message = paginate(request, case_filter.qs.for_list())
    chips = case_filter.chips()
    search = case_filter.search or None
    context = {
        "search": search,
        "suggestions": (
            suggestions(search, get_language()) if search and not page.paginator.count else None
        ),
        "clear_url": case_filter.url_without("q"),
        "filter": case_filter,
        "page": page,
        "page_message": page_message,
        "facets": case_filter.facets(),
        "chips": chips,
        "search_note": case_filter.search_note(),
        "title_chips": [chip.label for chip in chips if chip.valid],
        "launch_years": case_filter.launch_years(),
        "year_range": YEAR_RANGE,
        "search_max_length": SEARCH_MAX_LENGTH,
    }
    return render(request, "cases/case_list.html", context)


def can_preview_drafts(user):
    """Staff who may see cases in the admin, signed in with both factors, may also see a
    draft on its public page."""
    return (
        user.is_active and user.is_staff and verified(user) and user.has_perm("cases.view_project")
    )


@require_safe
@cached_page
def case_detail(request, slug):
    preview = can_preview_drafts(request.user)
    case = get_object_or_404(
        Project.objects.for_detail(include_drafts=preview).prefetch_related(scorecard_prefetch()),
        slug=slug,
    )
    outcomes, key_facts = outcomes_and_key_facts(nest_parts(case.metrics.all()))
    context = {
        "case": case,
        "scorecard": scores.scorecard(case, scores.framework(), {}),
        "index_url": reverse("cases:index"),
        "figures": outcomes,
        "glance": outcomes[:GLANCE_FIGURES],
        "key_facts": key_facts,
        "group_figures": nest_parts(case.reported_figures.all()),
        "charts": cached(
            "case-charts",
            case.slug,
            get_language(),
            compute=lambda: case_charts(case, case.metrics.all(), get_language()),
        ),
        "related_cases": Project.objects.related_to(case),
        "citation": citations.for_case(case, request),
    }
    return render(request, "cases/case_detail.html", context)


@require_safe
@cached_page
def issue_list(request):
    issues = list(SocialIssue.objects.for_list())
    context = {
        "issues": [issue for issue in issues if issue.case_count],
        "issues_without_cases": [issue for issue in issues if not issue.case_count],
    }
    return render(request, "cases/issue_list.html", context)


@require_safe
@cached_page
def issue_detail(request, slug):
    issue = SocialIssue.objects.for_detail().filter(slug=slug).first()
    if issue is None:
        # An issue merged into another keeps its slug as one of the other's names.
        alias = get_object_or_404(IssueAlias.objects.select_related("issue"), slug=slug)
        return redirect(alias.issue, permanent=True)
    cases = Project.objects.for_list().filter(issues=issue).ordered_by("-launched", get_language())
    page, page_message = paginate(request, cases, paginator_class=KeyedPaginator)
    leaders = Project.objects.published().filter(issues=issue).select_related("company__parent")
    context = {
        "issue": issue,
        "cases": page.object_list,
        "page": page,
        "page_message": page_message,
        "narrower_issues": issue.children.with_case_counts().in_name_order(),
        "companies": Company.active_in(leaders.without_documents()),
    }
    return render(request, "cases/issue_detail.html", context)


@require_safe
@cached_page
def company_list(request):
    companies, partners, others = Company.objects.directory()
    context = {"companies": companies, "partners": partners, "others": others}
    return render(request, "cases/company_list.html", context)


@require_safe
@cached_page
def company_detail(request, slug):
    """A company: its cases a page at a time with their scorecards, its index summary and
    issues over all its cases, its first figures and a chart of them all by category."""
    company = get_object_or_404(
        Company.objects.select_related("parent").prefetch_related("subsidiaries"), slug=slug
    )
    led = Project.objects.published().led_by([company])
    cases = (
        Project.objects.for_list()
        .led_by([company])
        .prefetch_related(scorecard_prefetch())
        .ordered_by("-launched", get_language())
    )
    page, page_message = paginate(request, cases, paginator_class=KeyedPaginator)
    structure = scores.framework()
    first_figures = KeyedPaginator(
        Metric.objects.for_listing().owned_by([company]), COMPANY_FIGURES_SHOWN
    ).page(1)
    context = {
        "company": company,
        "cases": page.object_list,
        "page": page,
        "page_message": page_message,
        "scorecards": scores.scorecards(page.object_list, structure=structure),
        "summary": scores.summarise_cases(led, structure),
        "index_url": reverse("cases:index"),
        "partner_roles": company.partnerships.in_published_cases(),
        "issues": SocialIssue.objects.addressed_by(led),
        "figures": first_figures.object_list,
        "figure_count": first_figures.paginator.count,
        "chart": cached(
            "company-chart",
            company.slug,
            get_language(),
            compute=lambda: company_chart(
                Metric.objects.public().owned_by([company]), get_language()
            ),
        ),
    }
    return render(request, "cases/company_detail.html", context)


@require_safe
@cached_page(limit=choosing_companies)
def compare(request):
    """Two to six companies side by side; the URL's `company` parameters hold the choice,
    `view=all-issues` lets figures from cases on different issues share a chart, and
    `category` chooses the one category of figures listed (large comparisons list one)."""
    selection = read_selection(request.GET.getlist("company"))
    across_issues, view_message = read_view(request.GET.get("view", ""))
    category, category_message = read_category(request.GET.get("category", ""))
    every_company, picker_message = read_picker(request.GET.get("companies", ""))
    chosen = [company.slug for company in selection.companies]
    links = Links(chosen, ALL_ISSUES if across_issues else "", category)
    comparison = build(selection.companies, get_language(), links, across_issues, category)
    options = picker_options()
    option_count = len(options)
    if not every_company:
        options = options[:PICKER_OPTIONS]
    offered = {
        company.slug for option in options for company in [option, *option.subsidiaries.all()]
    }
    messages = [*selection.messages, view_message, category_message, picker_message]
    context = {
        **comparison,
        "messages": [message for message in messages if message],
        "too_few": len(selection.companies) < MIN_COMPANIES,
        "options": options,
        "other_chosen": [company for company in selection.companies if company.slug not in offered],
        "chosen": chosen,
        "every_company": every_company,
        "option_count": option_count,
        "max_companies": MAX_COMPANIES,
        "index_url": reverse("cases:index"),
        "by_issue_url": links.url(view=""),
        "all_issues_url": links.url(view=ALL_ISSUES),
        "every_category_url": links.showing(""),
        "all_issues_view": ALL_ISSUES,
        "csv_url": reverse("cases:compare_csv") + "?" + urlencode([("company", s) for s in chosen]),
        "has_charts": any(
            row.charts for category in comparison["categories"] for row in category.rows
        ),
    }
    return render(request, "cases/compare.html", context)


@require_safe
def compare_csv(request):
    """The compared companies' figures as CSV, one row per company and figure; refused with
    the reasons if a chosen company cannot be used."""
    throttle.check(request, "download")
    selection = read_selection(request.GET.getlist("company"))
    problems = list(selection.left_out)
    if len(selection.companies) < MIN_COMPANIES:
        problems.append(
            _("Choose at least two companies (up to %(max)s).") % {"max": MAX_COMPANIES}
        )
    if problems:
        message = _("The download was not made because the choice of companies could not be used:")
        return HttpResponseBadRequest(
            "\n".join([message, *problems]) + "\n", content_type="text/plain; charset=utf-8"
        )
    names = "-".join(company.slug for company in selection.companies)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="csi-casebook-compare-{names}.csv"'
    write_comparison_csv(response, selection.companies, request.build_absolute_uri)
    return response


@require_safe
@cached_page
def metrics(request):
    """The figures explorer: filter every public figure, see them in a table and a chart."""
    metric_filter = MetricFilter(request.GET, queryset=Metric.objects.for_listing())
    figures = metric_filter.qs
    # Counted once per indicator: the page's count, where its page starts, and the chart.
    counts = list(figures.per_indicator())
    groups = [(row["indicator"], row["n"]) for row in counts]
    page, page_message = paginate(
        request,
        figures,
        EXPLORER_PAGE_SIZE,
        partial(GroupedPaginator, groups=groups, field="indicator"),
    )
    options = explorer_options()
    chosen = request.GET.getlist("company")
    context = {
        "filter": metric_filter,
        "page": page,
        "page_message": page_message,
        "chart": explorer_chart(figures, get_language(), counts),
        "options": options,
        "chosen_companies": [company for company in options["companies"] if company.slug in chosen],
        "year_range": YEAR_RANGE,
        "csv_query": urlencode(
            [(name, value) for name, value in metric_filter.data.lists() if name != "page"],
            doseq=True,
        ),
        "selected": {name: request.GET.getlist(name) for name in metric_filter.filters},
    }
    return render(request, "cases/metrics.html", context)


@require_safe
@cached_page(limit=downloading)
def metrics_csv(request):
    """The explorer's selection as CSV; refused with the reasons if a filter is not valid."""
    metric_filter = MetricFilter(request.GET, queryset=Metric.objects.for_listing())
    if not metric_filter.is_valid():
        problems = [
            f"{metric_filter.form[name].label or name}: {' '.join(errors)}"
            for name, errors in metric_filter.errors.items()
        ]
        message = _("The download was not made because a filter could not be used:")
        return HttpResponseBadRequest(
            "\n".join([message, *problems]) + "\n", content_type="text/plain; charset=utf-8"
        )
    response = StreamingHttpResponse(
        figures_csv(metric_filter.qs, request.build_absolute_uri),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="csi-casebook-figures.csv"'
    return response


@require_safe
@cached_page
def source_list(request):
    page, page_message = paginate(
        request, Source.objects.for_list(), SOURCES_PAGE_SIZE, KeyedPaginator
    )
    context = {"sources": page.object_list, "page": page, "page_message": page_message}
    return render(request, "cases/source_list.html", context)


@require_safe
@cached_page
def source_detail(request, slug):
    source = get_object_or_404(Source, slug=slug)
    page, page_message = paginate(
        request,
        Metric.objects.for_listing().filter(source=source),
        SOURCE_FIGURES_PAGE_SIZE,
        KeyedPaginator,
    )
    context = {
        "source": source,
        "figures": page.object_list,
        "page": page,
        "page_message": page_message,
        "cases": source.projects.published().select_related("company").in_name_order(),
        "citation": citations.for_source(source, request),
    }
    return render(request, "cases/source_detail.html", context)


@require_safe
@cached_page
def index(request):
    """The social value impact index: its method, and every published case ranked on it with
    the reader's weights, which the URL keeps."""
    structure = scores.framework()
    dimensions = [dimension for dimension, _indicators in structure]
    weights, weight_messages = scores.read_weights(request.GET, dimensions)
    rows = scores.standings(Project.objects.published(), weights, structure)
    ranked = [row for row in rows if row.ranked]
    unranked = [row for row in rows if not row.ranked]
    page, page_message = paginate(request, ranked, per_page=INDEX_PAGE_SIZE)
    # Full scorecards only for the rows the page ranks and charts; the unranked it names
    # need their names, and their standings say how many indicators were assessed.
    shown = {
        card.case.pk: card
        for card in scores.scorecards_of(
            [*page.object_list, *ranked[:RANKING_BARS]], weights, structure
        )
    }
    named = unranked[:UNRANKED_SHOWN]
    unranked_cases = Project.objects.only("slug", "name_zh", "name_en").in_bulk(
        [row.case_id for row in named]
    )
    context = {
        "structure": structure,
        "dimensions": dimensions,
        "weights": weights,
        "weight_fields": [
            (dimension, scores.weight_parameter(dimension), weights[dimension.slug])
            for dimension in dimensions
        ],
        "weight_messages": weight_messages,
        "ranked": [shown[row.case_id] for row in page.object_list],
        "page": page,
        "page_message": page_message,
        "unranked": [(unranked_cases[row.case_id], row.coverage) for row in named],
        "indicator_total": sum(len(indicators) for _dimension, indicators in structure),
        "unranked_count": len(unranked),
        "ranking_coverage": scores.RANKING_COVERAGE,
        "charts": index_page_charts(
            [shown[row.case_id] for row in ranked[:RANKING_BARS]],
            [row.index for row in ranked],
            dimensions,
            weights,
            get_language(),
        ),
        "csv_query": request.GET.urlencode(),
    }
    return render(request, "cases/index.html", context)


@require_safe
def index_csv(request):
    """Every published case's level on every indicator, with its evidence and the case's
    scores at equal weights, one row per case and indicator."""
    throttle.check(request, "download")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="csi-casebook-impact-index.csv"'
    cards = scores.scorecards(scores.cases_with_scorecards())
    scores.write_assessments_csv(response, cards, request.build_absolute_uri)
    return response


@require_safe
@cached_page
def about(request):
    """What the casebook is, whom it is for, the documents it was curated from, how its
    figures are recorded and checked, its licence and how to cite it."""
    context = {
        "sources": Source.objects.curated().for_list(),
        "counts": Project.objects.headline_counts(),
        "citation": citations.for_dataset(request),
    }
    return render(request, "cases/about.html", context)
