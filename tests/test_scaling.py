"""The query patterns that made pages slow at 10,000 cases must not come back: with the curated
data grown to a few thousand records by the benchmark's generator (bench/synthetic.py), on
PostgreSQL, every query a public page or API endpoint runs is explained with its actual
execution, and none may

- scan a large table once per row of another (a correlated subquery or nested loop over a
  sequential scan: the old "company = x OR company.parent = x" counts, DISTINCT over joins);
- sort on disk (wide rows sorted whole: the old explorer selection);
- hand Python more rows than a page shows (the old explorer loaded every figure; the old
  index page every assessment with its evidence), except where the page's purpose is the
  whole set and it reads narrow rows (named below).

Times are not asserted (speed is measured by `make bench`); plans and row counts are."""

import importlib.util
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from .conftest import CURATED_FIXTURES, restore_roles

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

SIZE = {"cases": 1500, "figures": 8000, "companies": 150}
# Tables that grow with the casebook; scanning one of them once per row of another is the
# pattern that does not scale.
LARGE_TABLES = {
    "cases_project",
    "cases_metric",
    "cases_company",
    "cases_assessment",
    "cases_partnership",
    "cases_project_issues",
    "cases_project_sources",
    "cases_milestone",
}
# Rows one query may hand to Python: a page of a list, with room for its prefetches.
ROWS_PER_QUERY = 1000
# Pages whose purpose is the whole set, read as narrow rows: the sitemap's slugs (it must
# count them to split them into pages), and the impact index, which ranks every case by the
# levels of its assessments.
WHOLE_SET = {"/sitemap.xml", "/sitemap-figures.xml", "/index/", "/companies/"}


def synthetic():
    path = Path(__file__).resolve().parent.parent / "bench" / "synthetic.py"
    spec = importlib.util.spec_from_file_location("bench_synthetic", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def grown(django_db_setup, django_db_blocker):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: plans are read with EXPLAIN (ANALYZE, FORMAT JSON)")
    with django_db_blocker.unblock():
        call_command("load_curated", *CURATED_FIXTURES, verbosity=0)
        synthetic().build(**SIZE, say=lambda *_args: None)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    yield
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)
        restore_roles()


def sample(model, **filters):
    return model.objects.filter(slug__startswith="bench-", **filters).order_by("pk").first().slug


def pages():
    """The public pages and API answers, with synthetic records' slugs (read lazily, once the
    data is there)."""
    from cases.models import Company, Metric, Project, Source

    case = sample(Project, status="published")
    group = sample(Company, subsidiaries__isnull=False)
    companies = "&".join(
        f"company={slug}"
        for slug in Company.objects.filter(slug__startswith="bench-", parent__isnull=True)
        .order_by("pk")
        .values_list("slug", flat=True)[:3]
    )
    figure = Metric.objects.public().filter(slug__startswith="bench-").order_by("pk").first()
    return [
        "/",
        "/cases/",
        "/cases/?q=养老",
        "/cases/?sort=-figures",
        "/cases/?issue=rural-revitalisation",
        f"/cases/{case}/",
        "/issues/",
        "/issues/rural-revitalisation/",
        "/companies/",
        f"/companies/{group}/",
        f"/compare/?{companies}",
        "/metrics/",
        f"/metrics/?indicator={figure.indicator.slug}",
        f"/metrics/?company={group}",
        "/metrics/?issue=rural-revitalisation",
        f"/figures/{figure.slug}/",
        "/sources/",
        f"/sources/{sample(Source)}/",
        "/index/",
        "/search/?q=养老",
        "/sitemap.xml",
        "/sitemap-figures.xml",
        "/api/v1/cases/",
        "/api/v1/figures/",
        "/api/v1/companies/",
        "/api/v1/sources/",
        f"/api/v1/cases/{case}/",
    ]


def nodes(plan):
    yield plan
    for child in plan.get("Plans", []):
        yield from nodes(child)


def explained(sql):
    """The plan PostgreSQL followed for `sql`, with what each step actually did."""
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql)
        (document,) = cursor.fetchone()
    document = json.loads(document) if isinstance(document, str) else document
    return document[0]["Plan"]


def problems(path, sql):
    plan = explained(sql)
    found = []
    for node in nodes(plan):
        relation = node.get("Relation Name", "")
        # A parallel scan's loops are its workers, each reading a share of the table once.
        loops = 1 if node.get("Parallel Aware") else node.get("Actual Loops", 1)
        if node["Node Type"] == "Seq Scan" and relation in LARGE_TABLES and loops > 1:
            found.append(f"scans {relation} {loops} times")
        if "external" in node.get("Sort Method", ""):
            found.append(f"sorts on disk ({node.get('Sort Space Used')} kB)")
    if path not in WHOLE_SET and plan.get("Actual Rows", 0) > ROWS_PER_QUERY:
        found.append(f"hands Python {plan['Actual Rows']} rows")
    return found


def test_the_database_is_grown_to_a_few_thousand_records(grown):
    from cases.models import Metric, Project

    assert Project.objects.published().count() > SIZE["cases"] * 0.9
    assert Metric.objects.count() > SIZE["figures"]


def test_no_page_scans_per_row_sorts_on_disk_or_reads_every_row(client, grown, settings):
    settings.CASEBOOK_RATE_LIMITS = dict.fromkeys(settings.CASEBOOK_RATE_LIMITS, "10000/m")
    failures = []
    for path in pages():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
            if response.streaming:
                b"".join(response.streaming_content)
        assert response.status_code == 200, path
        for query in queries.captured_queries:
            sql = query["sql"]
            if sql.lstrip().upper().startswith("SELECT"):
                failures += [
                    f"{path}: {problem}\n    {sql[:300]}" for problem in problems(path, sql)
                ]
    assert not failures, "\n".join(failures)


def test_a_comparison_of_large_groups_lists_one_category_of_their_figures(
    client, grown, settings, monkeypatch
):
    """Three of the largest groups: past MAX_LISTED_FIGURES (lowered here to this size) the
    page builds, reads and draws one category's rows, however many figures the groups have,
    in as many queries as a small comparison."""
    from cases import compare
    from cases.models import Company, Indicator, Metric

    settings.CASEBOOK_RATE_LIMITS = dict.fromkeys(settings.CASEBOOK_RATE_LIMITS, "10000/m")
    monkeypatch.setattr(compare, "MAX_LISTED_FIGURES", 60)
    groups = sorted(
        Company.objects.filter(slug__startswith="bench-", subsidiaries__isnull=False).distinct(),
        key=lambda group: -Metric.objects.public().owned_by([group]).count(),
    )
    groups = [group.slug for group in groups[:3]]
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/en/compare/", {"company": groups})
    assert response.status_code == 200
    context = response.context
    assert context["too_many_to_list"] and context["one_category"]
    (category,) = context["categories"]
    indicators = Indicator.objects.filter(category=category.key).count()
    listed = response.content.decode().count('class="cell-figure"')
    assert 0 < listed <= compare.CELL_FIGURES * indicators * len(groups)
    assert sum(len(column.figures) for column in context["columns"]) == listed
    small = client.get("/en/compare/", {"company": ["tencent", "alibaba"]})
    assert small.status_code == 200
    with CaptureQueriesContext(connection) as small_queries:
        client.get("/en/compare/", {"company": ["tencent", "meituan"]})
    assert len(queries.captured_queries) == len(small_queries.captured_queries)
