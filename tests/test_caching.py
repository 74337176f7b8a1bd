"""The home page's charts come from the cache until the data changes."""

import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.models import Project

pytestmark = pytest.mark.django_db


def home_queries(client, path="/"):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_a_second_visit_reuses_the_charts(client, dataset):
    first, _html = home_queries(client)
    second, _html = home_queries(client)
    assert second < first


def chart_labels(html):
    """Every category label of the page's first chart (cases per issue)."""
    data = re.findall(r'<script id="[^"]+" type="application/json">(.*?)</script>', html, re.S)
    figure = json.loads(data[0])
    return {label for trace in figure["data"] for label in trace.get("y", []) + trace.get("x", [])}


def test_each_language_has_its_own_charts(client, dataset):
    _count, chinese = home_queries(client)
    _count, english = home_queries(client, "/en/")
    assert "社会救助" in chart_labels(chinese)
    assert "Social assistance" in chart_labels(english)
    assert "社会救助" not in chart_labels(english)


def test_a_change_to_the_data_shows_at_once(client, dataset):
    home_queries(client)
    case = Project.objects.published().get(slug="douyin-xunren")
    case.status = Project.Status.DRAFT
    case.save()
    after_count, _html = home_queries(client)
    # The charts were computed again, not served from before the change.
    fresh_count, _html = home_queries(client)
    assert after_count > fresh_count


def test_redis_shares_the_charts_and_their_invalidation(client, dataset, settings, redis_url):
    """With Redis, what one app server cached is what the others read, and a change made
    through one is seen by all: here, two test clients stand for two servers."""
    from django.test import Client

    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": "casebook-test",
        }
    }
    first, _html = home_queries(client)
    other_server, _html = home_queries(Client())
    assert other_server < first
    case = Project.objects.published().get(slug="douyin-xunren")
    case.status = Project.Status.DRAFT
    case.save()
    recomputed, _html = home_queries(Client())
    assert recomputed == first
