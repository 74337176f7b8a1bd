"""Every public page runs the same number of queries with 3 cases as with 30 (made once for
the module at each size: see `cases_for_module`)."""

import pytest
from django.urls import reverse

from cases.models import Project

pytestmark = pytest.mark.django_db

FILTERED = {
    "issue": "social-assistance",
    "company": "bytedance",
    "sdg": "1",
    "trigger": "planned",
    "q": "案例",
    "sort": "-figures",
}

EXPLORED = {
    "category": "people",
    "indicator": "people-reunited",
    "company": "bytedance",
    "issue": "social-assistance",
    "as_of_from": "2020",
    "as_of_to": "2025",
}


@pytest.mark.parametrize("cases_for_module", [3, 30], indirect=True)
@pytest.mark.parametrize(
    ("url", "params", "queries"),
    [
        (reverse("cases:home"), {}, 9),
        # The company facet: one grouped count over the matching cases, then the companies.
        (reverse("cases:case_list"), {}, 12),
        # A search reads the synonym table once (then cached with the data version).
        (reverse("cases:case_list"), FILTERED, 17),
        (reverse("cases:case", args=["douyin-xunren"]), {}, 11),
        (reverse("cases:issue_list"), {}, 3),
        # A page of cases: count, ids, rows; and the companies leading all of them.
        (reverse("cases:issue", args=["social-assistance"]), {}, 9),
        (reverse("cases:company_list"), {}, 4),
        # A page of cases (count, ids, rows, issues, scorecards), the index framework, the
        # summary of all its cases (two GROUP BYs), its issues, partnerships, its first
        # figures (count, ids, rows) and the chart's counts with its cases' names.
        (reverse("cases:company", args=["bytedance"]), {}, 17),
        (reverse("cases:source_list"), {}, 3),
        # The document, its cases, and a page of the figures citing it (count, ids, rows).
        (reverse("cases:source", args=["csi-report-2024"]), {}, 5),
        # The choice and the picker (case counts in one pass, companies, subsidiaries), the
        # cases' companies, their issue links and those issues, figure counts, the index
        # (framework, standings, levels), each column's newest figures' ids (one query per
        # column), then those figures.
        (reverse("cases:compare"), {"company": ["bytedance", "douyin-group", "mca"]}, 16),
        (reverse("cases:compare"), {}, 4),
        # The explorer counts its selection per indicator once (the page's count, where the
        # page starts, the chart's bars), reads one page of it (ids among the indicators the
        # page spans, then rows: see cases.paging), for one indicator its most recent points
        # (ids, then rows), and the form's options; it never loads the whole selection.
        (reverse("cases:metrics"), {}, 8),
        (reverse("cases:metrics"), EXPLORED, 12),
        (reverse("cases:metrics"), {"q": "案例"}, 9),
        (reverse("cases:search"), {"q": "案例"}, 9),
        (reverse("cases:search"), {"q": "案例", "kind": "companies"}, 7),
        (reverse("cases:search"), {"q": "没有这样的xyz"}, 11),
        # The CSV: its figures counted per indicator, then for each indicator its ids in
        # order and one query per CSV_FETCH_ROWS figures (cases.explorer).
        (reverse("cases:metrics_csv"), EXPLORED, 7),
        (reverse("cases:figure", args=["douyin-xunren-people-reunited"]), {}, 4),
        (reverse("cases:figure_report", args=["douyin-xunren-people-reunited"]), {}, 1),
        (reverse("cases:case_report", args=["douyin-xunren"]), {}, 1),
        # The framework, the standings of every case, full scorecards of the page's ranked
        # cases (cases, then their levels), and the names of the unranked it lists (抖音寻人,
        # too few indicators assessed); every other case here is ranked.
        (reverse("cases:index"), {}, 5),
        (reverse("cases:index"), {"w-mission": "2", "w-finance": "0"}, 5),
        (reverse("cases:index_csv"), {}, 3),
        (reverse("cases:about"), {}, 3),
        (reverse("cases:data"), {}, 0),
        (reverse("cases:cite", args=["case", "douyin-xunren", "bib"]), {}, 1),
        (reverse("cases:cite", args=["figure", "douyin-xunren-people-reunited", "ris"]), {}, 1),
        (reverse("cases:cite", args=["source", "csi-report-2024", "bib"]), {}, 1),
        (reverse("cases:cite_dataset", args=["ris"]), {}, 0),
    ],
)
def test_query_count_does_not_grow_with_cases(
    client, cases_for_module, django_assert_num_queries, url, params, queries
):
    assert Project.objects.published().count() == cases_for_module
    with django_assert_num_queries(queries):
        response = client.get(url, params)
        if response.streaming:  # a download's rows are read as they are sent
            b"".join(response.streaming_content)
    assert response.status_code == 200


@pytest.mark.parametrize("cases_for_module", [3, 30], indirect=True)
@pytest.mark.parametrize(
    ("url", "params", "queries"),
    # Each counts the session, the user, and the device of the editor's second factor.
    [
        ("/admin/cases/project/", {}, 12),
        ("/admin/cases/project/", {"has_figures": "yes", "launched": "2010", "q": "案例"}, 12),
        ("/admin/cases/metric/", {}, 9),
        ("/admin/cases/project/export/", {}, 8),
    ],
)
def test_admin_list_query_count_does_not_grow_with_cases(
    editor_client, cases_for_module, django_assert_num_queries, url, params, queries
):
    """The editor's lists, the busiest admin pages, pinned like the public ones."""
    assert Project.objects.published().count() == cases_for_module
    with django_assert_num_queries(queries):
        response = editor_client.get(url, params)
    assert response.status_code == 200


@pytest.mark.parametrize("cases_for_module", [3, 30], indirect=True)
@pytest.mark.parametrize(("model", "queries"), [("project", 12), ("metric", 7)])
def test_spreadsheet_export_query_count_does_not_grow_with_cases(
    editor_client, cases_for_module, django_assert_num_queries, model, queries
):
    with django_assert_num_queries(queries):
        response = editor_client.post(f"/admin/cases/{model}/export/", {"format": "0"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")


@pytest.mark.parametrize("cases_for_module", [3, 30], indirect=True)
def test_the_cases_pinned_above_are_ranked_on_the_index(client, cases_for_module):
    """So that the pinned count of /index/ includes its ranking and its scorecards."""
    response = client.get(reverse("cases:index"))
    assert response.context["page"].paginator.count == cases_for_module - 1
    assert response.context["ranked"]
    assert response.context["unranked_count"] == 1
