"""Per-address limits on admin logins across usernames, searches, downloads and comparisons:
a 429 page in the reader's language with Retry-After, IPv6 counted per /64, and nothing
limited while the cache does not answer."""

import pytest
from django.test import Client

from cases import caching

pytestmark = pytest.mark.django_db


@pytest.fixture
def tight_limits(settings):
    settings.CASEBOOK_RATE_LIMITS = {
        "login": "3/h",
        # Hours, not minutes: django-ratelimit counts in fixed windows, and a slow test
        # crossing a minute's boundary would start counting again.
        "search": "3/h",
        "download": "2/h",
        "compare": "2/h",
    }


def visitor(address):
    return Client(REMOTE_ADDR=address)


def test_searches_over_the_limit_get_a_429_page_with_retry_after(casebook, tight_limits):
    reader = visitor("203.0.113.7")
    for word in ["寻人", "养老", "绿色"]:
        assert reader.get("/cases/", {"q": word}).status_code == 200
    refused = reader.get("/cases/", {"q": "无障碍"})
    assert refused.status_code == 429
    assert refused["Retry-After"] == "3600"
    assert "请求过于频繁" in refused.content.decode()
    english = reader.get("/en/cases/", {"q": "ageing"})
    assert english.status_code == 429 and "Too many requests" in english.content.decode()
    assert reader.get("/cases/").status_code == 200, "browsing without a search is not limited"
    assert visitor("203.0.113.8").get("/cases/", {"q": "寻人"}).status_code == 200


def test_downloads_and_comparisons_are_limited(casebook, tight_limits):
    reader = visitor("198.51.100.4")
    statuses = [reader.get("/metrics/figures.csv").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    compare = "/compare/?company=bytedance&company=alibaba"
    assert [reader.get(compare).status_code for _ in range(3)] == [200, 200, 429]


def test_an_ipv6_visitor_counts_per_64_network(casebook, tight_limits):
    for host in range(3):
        assert visitor(f"2001:db8:1:2::{host + 1}").get("/cases/", {"q": "寻人"}).status_code == 200
    assert visitor("2001:db8:1:2::99").get("/cases/", {"q": "寻人"}).status_code == 429
    assert visitor("2001:db8:1:3::1").get("/cases/", {"q": "寻人"}).status_code == 200


def test_login_attempts_across_usernames_are_limited_per_address(tight_limits, editor):
    sprayer = visitor("192.0.2.50")
    for name in ["alice", "bob", "carol"]:
        response = sprayer.post("/admin/login/", {"username": name, "password": "guess"})
        assert response.status_code == 200  # a wrong password, shown as such
    refused = sprayer.post("/admin/login/", {"username": "dave", "password": "guess"})
    assert refused.status_code == 429 and refused["Retry-After"] == "3600"
    assert (
        visitor("192.0.2.51")
        .post("/admin/login/", {"username": "mei", "password": "correct horse battery staple"})
        .status_code
        == 302
    )


def test_nothing_is_limited_while_the_cache_does_not_answer(casebook, tight_limits, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",  # nothing listens on port 9
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    caching.guard.down = False
    reader = visitor("203.0.113.9")
    try:
        assert {reader.get("/cases/", {"q": "寻人"}).status_code for _ in range(6)} == {200}
    finally:
        caching.guard.down = False
