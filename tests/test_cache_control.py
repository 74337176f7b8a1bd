"""Cache-Control on what the site answers: anonymous readers' pages may be kept a short while by
browsers and shared caches; a signed-in editor's page (a draft's preview, say) never is, nor is
a refusal or an error."""

import pytest
from django.core.cache import cache
from django.test import Client

from cases.models import Project

pytestmark = pytest.mark.usefixtures("casebook", "db")


def directives(response):
    return {part.strip() for part in response["Cache-Control"].split(",")}


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/en/",
        "/cases/",
        "/cases/douyin-xunren/",
        "/en/companies/alibaba/",
        "/compare/?company=tencent&company=alibaba",
        "/metrics/figures.csv",
        "/index/",
    ],
)
def test_anonymous_readers_pages_may_be_shared_for_five_minutes(client, path):
    response = client.get(path)

    assert response.status_code == 200
    assert directives(response) == {"public", "max-age=300"}


def test_the_time_is_a_setting(client, settings):
    settings.PUBLIC_CACHE_SECONDS = 60

    assert directives(client.get("/cases/")) == {"public", "max-age=60"}


def test_a_signed_in_editors_pages_are_private_and_never_stored(editor_client):
    for path in ["/", "/cases/douyin-xunren/", "/metrics/figures.csv"]:
        assert directives(editor_client.get(path)) == {"private", "no-store"}, path


def test_a_drafts_preview_is_never_stored_anywhere(editor_client):
    Project.objects.filter(slug="douyin-xunren").update(status=Project.Status.DRAFT)

    preview = editor_client.get("/cases/douyin-xunren/")

    assert preview.status_code == 200 and "draft-notice" in preview.content.decode()
    assert directives(preview) == {"private", "no-store"}
    assert Client().get("/cases/douyin-xunren/").status_code == 404


def test_admin_pages_are_never_cached(editor_client):
    for path in ["/admin/", "/en/admin/cases/project/", "/admin/login/"]:
        response = editor_client.get(path)
        assert {"private", "no-store", "no-cache"} <= directives(response), path


def test_refusals_and_errors_are_never_stored(client, settings):
    settings.CASEBOOK_RATE_LIMITS = {**settings.CASEBOOK_RATE_LIMITS, "search": "1/m"}
    cache.clear()
    client.get("/cases/?q=抖音")
    limited = client.get("/cases/?q=抖音")
    assert limited.status_code == 429
    assert "no-store" in directives(limited)

    settings.ROOT_URLCONF = "tests.urls_broken"
    broken = Client(raise_request_exception=False).get("/boom/")
    assert broken.status_code == 500
    assert "no-store" in directives(broken)


def test_a_missing_page_may_be_shared_like_a_page(client):
    response = client.get("/cases/no-such-case/")

    assert response.status_code == 404
    assert directives(response) == {"public", "max-age=300"}


def test_the_health_check_is_never_stored(client):
    assert "no-store" in directives(client.get("/healthz"))


def test_a_response_that_sets_a_cookie_is_private(client):
    response = client.get("/admin/login/")

    assert "csrftoken" in response.cookies
    assert "public" not in directives(response)
