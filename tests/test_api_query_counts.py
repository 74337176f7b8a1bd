"""Every API endpoint runs the same number of queries with 3 published cases as with 30."""

import pytest

pytestmark = pytest.mark.django_db

API = "/api/v1"


# A list: the count, the page's ids, its records (cases.paging), and one query per
# prefetched relation; a detail: the record and its prefetches. Revalidation reads no
# database at all (the data version is cached).
@pytest.mark.parametrize("count", [3, 30])
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
    ],
)
def test_query_count_does_not_grow_with_cases(
    client, many_cases, django_assert_num_queries, count, path, params, queries
):
    assert many_cases(count) == count
    with django_assert_num_queries(queries):
        response = client.get(f"{API}/{path}", {"page_size": 500, **params})
    assert response.status_code == 200
