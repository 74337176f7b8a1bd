"""The API's documentation page: Swagger UI from our own static files (drf-spectacular-
sidecar), working under the site's Content-Security-Policy with no request leaving the site."""

from urllib.parse import urlsplit

import pytest

from tests.browser import expect

pytestmark = pytest.mark.django_db


def test_the_docs_page_loads_swagger_ui_from_our_static_files(client):
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "//cdn" not in html and "unpkg" not in html and "jsdelivr" not in html


def test_the_docs_page_asks_no_outside_validator(client):
    """Swagger UI draws a badge from validator.swagger.io unless told not to; the localhost
    browser test below would not see it, since Swagger UI skips the badge on localhost."""
    script = client.get("/api/v1/docs/", {"script": ""})
    assert script.status_code == 200
    assert '"validatorUrl": null' in script.content.decode()


def test_the_docs_page_lists_every_operation_and_tries_one_without_leaving_the_site(
    page, live_server, site_data
):
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"{live_server.url}/api/v1/docs/")
    expect(page.locator(".opblock-summary-path").first).to_be_visible(timeout=15000)
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert any("/api/v1/cases/" in path for path in paths)
    assert len(paths) >= 20
    # Try the list of sources out in the page: the answer comes from this site.
    page.locator(".opblock-summary-path", has_text="/api/v1/sources/").first.click()
    page.get_by_role("button", name="Try it out").first.click()
    page.get_by_role("button", name="Execute").first.click()
    expect(page.locator(".responses-wrapper .live-responses-table").first).to_contain_text(
        "200", timeout=15000
    )
    own = urlsplit(live_server.url).netloc
    elsewhere = [url for url in requested if urlsplit(url).netloc not in ("", own)]
    assert requested and elsewhere == []
