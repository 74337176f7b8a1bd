"""Whole pages for anonymous readers come from the cache until the data changes; signed-in
staff never see a cached page, and every kept page can be revalidated."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases import caching
from cases.models import Project
from cases.page_cache import STATUS_HEADER

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _pages_kept(settings):
    settings.PAGE_CACHE_SECONDS = 600


PUBLIC_PAGES = [
    "/",
    "/en/",
    "/cases/",
    "/cases/?issue=social-assistance&sort=-launched",
    "/cases/?q=寻人",
    "/cases/douyin-xunren/",
    "/issues/",
    "/issues/social-assistance/",
    "/companies/",
    "/companies/bytedance/",
    "/compare/?company=tencent&company=alibaba",
    "/metrics/",
    "/metrics/?company=meituan",
    "/sources/",
    "/sources/csi-observation-report-2024/",
    "/index/",
    "/about/",
    "/search/?q=养老",
    "/sitemap.xml",
    "/sitemap-cases.xml",
]


def fetch(client, path, **headers):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, headers=headers)
    return response, len(queries)


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_a_second_anonymous_visit_is_served_whole_from_the_cache(client, casebook, path):
    first, first_queries = fetch(client, path)
    second, second_queries = fetch(client, path)
    assert first.status_code == second.status_code == 200
    assert (first[STATUS_HEADER], second[STATUS_HEADER]) == ("miss", "hit")
    assert first_queries > 0 and second_queries == 0
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    assert second["ETag"] == first["ETag"]


def test_a_saved_change_is_on_the_next_page_served(client, casebook):
    case = Project.objects.get(slug="douyin-xunren")
    fetch(client, "/cases/")
    case.name_zh = "抖音寻人（更名）"
    case.save()
    response, queries = fetch(client, "/cases/")
    assert response[STATUS_HEADER] == "miss" and queries > 0
    assert "抖音寻人（更名）" in response.content.decode()


def test_each_language_and_each_query_string_is_its_own_page(client, casebook):
    chinese, _queries = fetch(client, "/cases/")
    english, _queries = fetch(client, "/en/cases/")
    second_page, _queries = fetch(client, "/cases/?page=2")
    assert {chinese[STATUS_HEADER], english[STATUS_HEADER], second_page[STATUS_HEADER]} == {"miss"}
    assert "案例" in chinese.content.decode() and "Cases" in english.content.decode()
    assert second_page.content != chinese.content


def test_a_browser_revalidates_a_kept_page_with_a_304(client, casebook):
    first, _queries = fetch(client, "/issues/")
    assert first["Last-Modified"]
    again, queries = fetch(client, "/issues/", if_none_match=first["ETag"])
    assert again.status_code == 304 and queries == 0 and not again.content
    Project.objects.get(slug="douyin-xunren").save()
    changed, _queries = fetch(client, "/issues/", if_none_match=first["ETag"])
    assert changed.status_code == 200 and changed["ETag"] != first["ETag"]


def test_signed_in_staff_neither_read_nor_fill_the_cache(client, casebook, django_user_model):
    editor = django_user_model.objects.create_user("page-cache-editor", is_staff=True)
    client.force_login(editor)
    for _visit in range(2):
        response, queries = fetch(client, "/cases/")
        assert response.status_code == 200 and queries > 0
        assert not response.has_header(STATUS_HEADER) and not response.has_header("ETag")
    client.logout()
    anonymous, _queries = fetch(client, "/cases/")
    assert anonymous[STATUS_HEADER] == "miss"


def test_refusals_are_not_kept(client, casebook):
    for _visit in range(2):
        missing, _queries = fetch(client, "/cases/no-such-case/")
        refused, _queries = fetch(client, "/metrics/figures.csv?company=nobody")
        assert missing.status_code == 404 and not missing.has_header(STATUS_HEADER)
        assert refused.status_code == 400 and not refused.has_header(STATUS_HEADER)


def test_a_small_streamed_download_is_kept_once_sent_whole(client, casebook):
    interrupted = iter(client.get("/metrics/figures.csv").streaming_content)
    next(interrupted)
    del interrupted  # the reader went away after the header: nothing is kept
    first = client.get("/metrics/figures.csv")
    assert first.streaming and first[STATUS_HEADER] == "miss"
    sent = b"".join(first.streaming_content)
    second, queries = fetch(client, "/metrics/figures.csv")
    assert second[STATUS_HEADER] == "hit" and queries == 0
    assert second.content == sent
    assert second["Content-Disposition"] == first["Content-Disposition"]


def test_a_large_streamed_download_is_never_kept(client, casebook, settings):
    settings.PAGE_CACHE_MAX_BYTES = 10_000
    for _visit in range(2):
        response = client.get("/metrics/figures.csv")
        assert len(b"".join(response.streaming_content)) > 10_000
        assert response.streaming and response[STATUS_HEADER] == "miss"


def test_a_search_counts_against_the_limit_even_when_cached(client, casebook, settings):
    settings.CASEBOOK_RATE_LIMITS = {**settings.CASEBOOK_RATE_LIMITS, "search": "2/m"}
    statuses = [client.get("/cases/", {"q": "寻人"}).status_code for _visit in range(3)]
    assert statuses == [200, 200, 429]


def test_pages_are_computed_when_the_cache_does_not_answer(client, casebook, settings, monkeypatch):
    monkeypatch.setattr(caching.guard, "down", False)  # and back to answering afterwards
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            # Nothing listens on port 9 (discard): the cache refuses every connection.
            "LOCATION": "redis://127.0.0.1:9/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    for _visit in range(2):
        response, queries = fetch(client, "/cases/")
        assert response.status_code == 200 and queries > 0
        assert not response.has_header(STATUS_HEADER)


API_ANSWERS = [
    "/api/v1/cases/?issue=social-assistance",
    "/api/v1/cases/douyin-xunren/",
    "/api/v1/figures/?format=csv",
    "/api/v1/companies/",
]


@pytest.mark.parametrize("path", API_ANSWERS)
def test_the_api_keeps_its_anonymous_answers_too(client, casebook, path):
    first, first_queries = fetch(client, path)
    second, second_queries = fetch(client, path)
    assert first.status_code == second.status_code == 200
    assert (first[STATUS_HEADER], second[STATUS_HEADER]) == ("miss", "hit")
    assert first_queries > 0 and second_queries == 0
    assert second.content == first.content and second["ETag"] == first["ETag"]
    assert second["Content-Type"] == first["Content-Type"]
    assert second["Content-Language"] == first["Content-Language"]


def test_the_api_keeps_each_format_and_language_apart(client, casebook):
    json_answer, _queries = fetch(client, "/api/v1/issues/", accept_language="en")
    csv_answer, _queries = fetch(client, "/api/v1/issues/", accept="text/csv")
    chinese, _queries = fetch(client, "/api/v1/issues/?page=99", accept_language="zh-hans")
    english, _queries = fetch(client, "/api/v1/issues/?page=99", accept_language="en")
    assert json_answer["Content-Type"].startswith("application/json")
    assert csv_answer["Content-Type"].startswith("text/csv")
    assert chinese.status_code == english.status_code == 404
    assert chinese.json()["detail"] != english.json()["detail"]


def test_a_kept_api_answer_still_counts_against_the_limit(client, casebook, settings):
    settings.CASEBOOK_RATE_LIMITS = {**settings.CASEBOOK_RATE_LIMITS, "api": "2/m"}
    statuses = [client.get("/api/v1/sources/").status_code for _visit in range(3)]
    assert statuses == [200, 200, 429]
