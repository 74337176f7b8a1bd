"""Every API endpoint runs the same number of queries with 3 published cases as with 30, and
with as many issues, sources, indicators and partner organisations as cases."""

import datetime
from decimal import Decimal

import pytest

from cases.models import Company, Indicator, Metric, Partnership, Project, SocialIssue, Source

pytestmark = pytest.mark.django_db

API = "/api/v1"


@pytest.fixture(scope="module")
def spread_cases(cases_for_module, django_db_blocker):
    """`cases_for_module` (n cases), then for each case but 抖音寻人 an issue, a source, an
    indicator with a figure from that source, and a partner organisation of its own, so that
    every list endpoint lists n or so records; made once for the module, and gone with the
    cases after it. Returns n."""
    with django_db_blocker.unblock():
        unit = Indicator.objects.get(slug="people-reunited").unit
        cases = Project.objects.exclude(slug="douyin-xunren").order_by("pk")
        for number, case in enumerate(cases):
            issue = SocialIssue.objects.create(
                slug=f"issue-{number}", name_zh=f"议题{number}", name_en=f"Issue {number}"
            )
            case.issues.add(issue)
            source = Source.objects.create(
                slug=f"source-{number}",
                title_zh=f"来源{number}",
                title_en=f"Source {number}",
                kind="news",
                published_on=datetime.date(2024, 1, 1),
                published_precision="day",
                file_name=f"source-{number}.txt",
            )
            case.sources.add(source)
            indicator = Indicator.objects.create(
                slug=f"indicator-{number}",
                name_zh=f"指标{number}",
                name_en=f"Indicator {number}",
                category="people",
                unit=unit,
            )
            Metric.objects.create(
                slug=f"case-{number}-indicator-{number}",
                project=case,
                company=case.company,
                indicator=indicator,
                label_zh="人数",
                label_en="People",
                value=Decimal(number + 1),
                unit=unit,
                as_of=datetime.date(2023, 12, 31),
                as_of_precision="year",
                source=source,
                locator="p. 2",
                original_wording=f"{number + 1}人",
            )
            partner = Company.objects.create(
                slug=f"partner-{number}",
                name_zh=f"伙伴{number}",
                name_en=f"Partner {number}",
                kind="ngo",
            )
            Partnership.objects.create(project=case, company=partner, role="implementer")
    return cases_for_module


# A list: the count, the page's ids, its records (cases.paging), and one query per
# prefetched relation; a detail: the record and its prefetches. Revalidation reads no
# database at all (the data version is cached).
@pytest.mark.parametrize("cases_for_module", [3, 30], indirect=True)
@pytest.mark.parametrize(
    ("path", "params", "queries"),
    [
        ("cases/", {}, 5),
        (
            "cases/",
            {"issue": "social-assistance", "company": "bytedance", "q": "案例"},
            9,
        ),  # the synonym table once
        ("cases/douyin-xunren/", {}, 5),
        ("companies/", {}, 4),
        ("companies/bytedance/", {}, 2),
        ("issues/", {}, 4),
        ("indicators/", {}, 3),
        # Counted per indicator (the count, and where the page starts), ids, rows.
        ("figures/", {}, 3),
        ("figures/", {"company": "bytedance", "category": "people"}, 4),
        ("sources/", {}, 3),
        ("milestones/", {}, 3),
        ("partners/", {}, 3),
        ("index/dimensions/", {}, 4),
        ("index/indicators/", {}, 3),
        ("scorecards/", {}, 5),
        ("scorecards/douyin-xunren/", {}, 3),
        ("cases/", {"format": "csv"}, 5),
        ("issues/issue-1/", {}, 2),  # and its SDGs
        ("indicators/indicator-1/", {}, 1),
        ("figures/case-1-indicator-1/", {}, 1),
        ("sources/source-1/", {}, 1),
        ("index/dimensions/mission/", {}, 2),  # and its indicators
    ],
)
def test_query_count_does_not_grow_with_cases(
    client, spread_cases, django_assert_num_queries, path, params, queries
):
    assert Project.objects.published().count() == spread_cases
    with django_assert_num_queries(queries):
        response = client.get(f"{API}/{path}", {"page_size": 500, **params})
    assert response.status_code == 200
