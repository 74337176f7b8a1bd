"""Security headers on every response: pages in both languages, the admin, static files and
the error pages, with a Content-Security-Policy that allows no inline script and no eval."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Resource-Policy": "same-origin",
}

PAGES = [
    "/",
    "/en/",
    "/cases/douyin-xunren/",
    "/compare/?company=tencent&company=alibaba",
    "/metrics/",
    "/metrics/figures.csv",
    "/sitemap.xml",
    "/robots.txt",
    "/admin/login/",
    "/en/admin/login/",
    "/healthz",
]


def directives(response):
    """The CSP header as {directive: [sources]}."""
    policy = response["Content-Security-Policy"]
    parsed = {}
    for part in policy.split(";"):
        name, *sources = part.split()
        parsed[name] = sources
    return parsed


def assert_secured(response):
    for header, value in HEADERS.items():
        assert response[header] == value, header
    policy = directives(response)
    # Nothing is allowed that is not named; what is named comes from this site.
    assert policy["default-src"] == ["'none'"]
    assert "object-src" not in policy and "frame-src" not in policy
    assert policy["script-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert policy["report-uri"] == ["/csp-report/"]
    everything = response["Content-Security-Policy"]
    assert "unsafe-inline" not in everything and "unsafe-eval" not in everything
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


@pytest.mark.parametrize("path", PAGES)
def test_every_page_sends_the_security_headers(client, casebook, path):
    response = client.get(path)
    assert response.status_code == 200
    assert_secured(response)


def test_styles_come_only_from_the_site_even_on_chart_pages(client, casebook):
    """plotly.js's styles are a static file (csrsite/vendor.py), so no page relaxes style-src."""
    for path in ["/", "/cases/douyin-xunren/", "/metrics/", "/companies/alibaba/"]:
        response = client.get(path)
        assert directives(response)["style-src"] == ["'self'"], path
    html = client.get("/").content.decode()
    assert 'id="plotly.js-style-global" class="no-inline-styles"' in html


def test_pages_carry_no_inline_script_or_event_handler(client, casebook):
    import re

    for path in ["/", "/cases/douyin-xunren/", "/compare/?company=tencent&company=alibaba"]:
        html = client.get(path).content.decode()
        for tag in re.findall(r"<script\b[^>]*>", html):
            assert "src=" in tag or 'type="application/json"' in tag, tag
        assert not re.search(r"\son[a-z]+=", html), path


def test_not_found_page_sends_the_security_headers(client, casebook):
    response = client.get("/cases/no-such-case/")
    assert response.status_code == 404
    assert_secured(response)


def test_bad_request_page_sends_the_security_headers(client, casebook):
    response = client.get("/cases/", HTTP_HOST="evil.example.com")
    assert response.status_code == 400
    assert_secured(response)


def test_server_error_page_sends_the_security_headers(settings):
    settings.ROOT_URLCONF = "tests.urls_broken"
    response = Client(raise_request_exception=False).get("/boom/")
    assert response.status_code == 500
    assert_secured(response)


def test_refused_method_sends_the_security_headers(client, casebook):
    response = client.put("/cases/")
    assert response.status_code == 405
    assert_secured(response)
