"""The read API under /api/v1/: public data only, the pages' filters and messages, JSON and
CSV, pages with links, revalidation, CORS and throttling. On the small test casebook."""

import csv
import io

import pytest
from django.test import Client

from cases.models import Assessment, Metric, Project

pytestmark = pytest.mark.django_db

API = "/api/v1"


@pytest.fixture
def api():
    return Client(HTTP_ACCEPT_LANGUAGE="en")


def results(response):
    assert response.status_code == 200, response.content
    return response.json()["results"]


def slugs(response, key="slug"):
    return [record[key] for record in results(response)]


def test_the_root_names_every_endpoint_the_schema_and_the_docs(api, casebook):
    body = api.get(f"{API}/").json()
    assert set(body["endpoints"]) >= {"cases", "figures", "companies", "scorecards", "sources"}
    for url in [*body["endpoints"].values(), body["schema"], body["docs"]]:
        assert api.get(url).status_code == 200, url
    assert "CC BY 4.0" in body["licence"]


def test_cases_are_the_published_ones_with_both_languages(api, casebook):
    cases = results(api.get(f"{API}/cases/"))
    assert {case["slug"] for case in cases} == set(
        Project.objects.published().values_list("slug", flat=True)
    )
    assert "tencent-village-affairs-platform" not in {case["slug"] for case in cases}
    xunren = next(case for case in cases if case["slug"] == "douyin-xunren")
    assert xunren["name_zh"] == "抖音寻人"
    assert xunren["name_en"]
    assert xunren["company"] == "douyin-group"
    assert xunren["group"] == "bytedance"
    assert xunren["launched"]["precision"] in {"year", "month", "day"}
    assert xunren["url"].endswith("/cases/douyin-xunren/")


def test_a_draft_is_not_found_and_the_message_names_it(api, casebook):
    response = api.get(f"{API}/cases/tencent-village-affairs-platform/")
    assert response.status_code == 404
    assert response.json() == {
        "detail": "There is no published case “tencent-village-affairs-platform”."
    }


def test_a_case_carries_its_milestones_and_partners(api, casebook):
    case = api.get(f"{API}/cases/douyin-xunren/").json()
    assert case["milestones"] and all(m["case"] == "douyin-xunren" for m in case["milestones"])
    assert {"company", "role", "company_zh", "company_en"} <= set(case["partners"][0])


def test_the_case_filters_mean_what_they_mean_on_the_case_list(api, client, casebook):
    for params in [
        {"issue": "social-assistance"},
        {"company": "tencent"},
        {"company": ["alibaba", "meituan"]},
        {"q": "寻人"},
        {"launched_from": "2018", "launched_to": "2022"},
        {"sort": "-launched"},
    ]:
        page = client.get("/cases/", params)
        listed = [case.slug for case in page.context["page"].object_list]
        assert slugs(api.get(f"{API}/cases/", params)) == listed, params


def test_a_group_includes_its_subsidiaries_cases(api, casebook):
    assert "wechat-pay-zili-xiaodian" in slugs(api.get(f"{API}/cases/", {"company": "tencent"}))


@pytest.mark.parametrize(
    ("language", "message"),
    [("en", "There is no issue “nowhere”."), ("zh-hans", "没有议题“nowhere”。")],
)
def test_an_unknown_value_is_a_400_with_the_pages_message_in_the_asked_language(
    casebook, language, message
):
    response = Client(HTTP_ACCEPT_LANGUAGE=language).get(f"{API}/cases/", {"issue": "nowhere"})
    assert response.status_code == 400
    assert response.json() == {"issue": [message]}
    assert response["Content-Language"] == language
    assert "Accept-Language" in response["Vary"]


@pytest.mark.parametrize(
    "params",
    [
        {"launched_from": "1e309"},
        {"launched_from": "99999999999999999999"},
        {"sdg": "0x1"},
        {"company": "x\x00y"},
        {"q": "寻" * 101},
        {"q": "a\x00"},
        {"sort": "<script>"},
        {"launched_from": "2022", "launched_to": "2018"},
    ],
)
def test_hostile_values_get_a_400_never_a_500(api, casebook, params):
    response = api.get(f"{API}/cases/", params)
    assert response.status_code == 400
    assert response.json()


def test_figures_carry_their_whole_provenance(api, casebook):
    figure = api.get(f"{API}/figures/douyin-xunren-people-reunited-2024-06-13/").json()
    stored = Metric.objects.get(slug="douyin-xunren-people-reunited-2024-06-13")
    assert figure["source"] == stored.source.slug
    assert figure["locator"] == stored.locator
    assert figure["original_wording"] == stored.original_wording
    assert figure["as_of"]["date"] == stored.as_of.isoformat()
    assert figure["as_of"]["precision"] == stored.as_of_precision
    assert figure["as_of_inferred"] is stored.as_of_inferred
    assert figure["display"]["zh"] and figure["display"]["en"]
    assert "." not in figure["value"] or not figure["value"].endswith("0")


def test_a_figures_parts_name_their_total(api, casebook):
    part = api.get(f"{API}/figures/douyin-xunren-minors-reunited-2024-06-13/").json()
    assert part["part_of"] == "douyin-xunren-people-reunited-2024-06-13"


def test_figures_of_drafts_never_appear(api, casebook):
    listed = slugs(api.get(f"{API}/figures/", {"page_size": 500}))
    assert not [slug for slug in listed if slug.startswith("tencent-village-affairs")]
    response = api.get(f"{API}/figures/tencent-village-affairs-platform-villages-2023-06/")
    assert response.status_code == 404


def test_the_figure_filters_are_the_explorers(api, client, casebook):
    params = {"company": "tencent", "category": "people"}
    explored = b"".join(client.get("/metrics/figures.csv", params).streaming_content).decode(
        "utf-8-sig"
    )
    expected = [row["figure"] for row in csv.DictReader(io.StringIO(explored))]
    assert sorted(slugs(api.get(f"{API}/figures/", {**params, "page_size": 500}))) == sorted(
        expected
    )


def test_companies_show_their_group_structure(api, casebook):
    tencent = api.get(f"{API}/companies/tencent/").json()
    assert "wechat-pay" in tencent["subsidiaries"]
    assert api.get(f"{API}/companies/wechat-pay/").json()["parent"] == "tencent"


def test_scorecards_show_only_confirmed_assessments_with_evidence(api, casebook):
    assessments = Assessment.objects.filter(project__slug="douyin-xunren")
    assessments.exclude(status="confirmed").delete()
    assert assessments.exists()
    assessments.update(status="proposed")
    card = api.get(f"{API}/scorecards/douyin-xunren/").json()
    assert card["assessments"] == []
    assert card["coverage"] == 0
    assert api.get(f"{API}/scorecards/tencent-village-affairs-platform/").status_code == 404


def test_the_index_framework_lists_dimensions_with_their_indicators(api, casebook):
    dimensions = results(api.get(f"{API}/index/dimensions/"))
    assert [d["slug"] for d in dimensions] == ["mission", "execution", "finance", "communication"]
    assert sum(len(d["indicators"]) for d in dimensions) == 14


def test_milestones_and_partners_belong_to_published_cases(api, casebook):
    for endpoint in ("milestones", "partners"):
        cases = {record["case"] for record in results(api.get(f"{API}/{endpoint}/"))}
        assert cases and "tencent-village-affairs-platform" not in cases
    only = slugs(api.get(f"{API}/milestones/", {"case": "douyin-xunren"}), "case")
    assert only and set(only) == {"douyin-xunren"}
    assert api.get(f"{API}/milestones/", {"case": "nope"}).status_code == 400


def test_pages_link_to_their_neighbours_in_the_body_and_the_link_header(api, casebook):
    first = api.get(f"{API}/figures/", {"page_size": 5})
    body = first.json()
    assert len(body["results"]) == 5 and body["count"] > 5
    assert body["next"] and body["previous"] is None
    assert f'<{body["next"]}>; rel="next"' == first["Link"]
    second = api.get(body["next"])
    assert 'rel="prev"' in second["Link"]
    assert api.get(f"{API}/figures/", {"page": 999}).status_code == 404


def test_csv_has_one_row_per_record_with_dotted_columns_and_a_bom(api, casebook):
    response = api.get(f"{API}/figures/", {"format": "csv", "company": "amap"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert {"slug", "as_of.date", "display.en", "original_wording"} <= set(rows[0])
    assert len(rows) == Metric.objects.public().filter(company__slug="amap").count()
    same = api.get(f"{API}/figures/", {"company": "amap"}, HTTP_ACCEPT="text/csv")
    assert same.content == response.content


def test_csv_text_cannot_run_as_a_formula(api, casebook):
    Project.objects.filter(slug="douyin-xunren").update(name_en="=HYPERLINK(1)")
    response = api.get(f"{API}/cases/", {"format": "csv", "q": "寻人"})
    row = next(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert row["name_en"] == "'=HYPERLINK(1)"


def test_an_unknown_format_is_a_400_and_errors_are_json_even_for_csv(api, casebook):
    response = api.get(f"{API}/cases/", {"format": "xml"})
    assert response.status_code == 400
    assert "format" in response.json()
    error = api.get(f"{API}/cases/", {"format": "csv", "issue": "nowhere"})
    assert error.status_code == 400
    assert error["Content-Type"] == "application/json"


def test_an_unchanged_answer_revalidates_with_a_304_and_a_save_changes_its_etag(api, casebook):
    first = api.get(f"{API}/cases/douyin-xunren/")
    etag, modified = first["ETag"], first["Last-Modified"]
    assert etag and modified
    again = api.get(f"{API}/cases/douyin-xunren/", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    since = api.get(f"{API}/cases/douyin-xunren/", HTTP_IF_MODIFIED_SINCE=modified)
    assert since.status_code == 304
    case = Project.objects.get(slug="douyin-xunren")
    case.summary_en = "Changed."
    case.save()
    changed = api.get(f"{API}/cases/douyin-xunren/", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert changed.json()["summary_en"] == "Changed."


def test_the_etag_differs_between_json_and_csv(api, casebook):
    json_tag = api.get(f"{API}/sources/")["ETag"]
    csv_tag = api.get(f"{API}/sources/", HTTP_ACCEPT="text/csv")["ETag"]
    assert json_tag != csv_tag


def test_any_site_may_read_it_with_cors_but_not_write(api, casebook):
    response = api.get(f"{API}/cases/", HTTP_ORIGIN="https://example.org")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response["Access-Control-Expose-Headers"]
    assert response["Cross-Origin-Resource-Policy"] == "cross-origin"
    preflight = api.options(
        f"{API}/cases/",
        HTTP_ORIGIN="https://example.org",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
    )
    assert preflight.status_code == 200
    assert "POST" not in preflight["Access-Control-Allow-Methods"]
    assert api.post(f"{API}/cases/").status_code in (403, 405)
    page = api.get("/cases/", HTTP_ORIGIN="https://example.org")
    assert "Access-Control-Allow-Origin" not in page
    assert page["Cross-Origin-Resource-Policy"] == "same-origin"


def test_an_address_over_its_limit_gets_a_clear_429_with_retry_after(api, casebook, settings):
    settings.CASEBOOK_RATE_LIMITS = {**settings.CASEBOOK_RATE_LIMITS, "api": "3/m"}
    for _ in range(3):
        assert api.get(f"{API}/sources/").status_code == 200
    refused = api.get(f"{API}/sources/")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert "throttled" in refused.json()["detail"].lower()
    other = Client(HTTP_ACCEPT_LANGUAGE="en", REMOTE_ADDR="192.0.2.9")
    assert other.get(f"{API}/sources/").status_code == 200


def test_unknown_addresses_under_the_api_are_json_404s(api, casebook):
    for path in ("nothing", "cases/NOT A SLUG/", "cases/x/y/z/"):
        response = api.get(f"{API}/{path}")
        assert response.status_code == 404
        assert response["Content-Type"] == "application/json"
    assert api.get(f"{API}/cases").status_code == 301
