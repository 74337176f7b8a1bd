"""Charts come from the cache until the data changes: the home page's, a case's, a
company's and a comparison's."""

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


def test_a_second_visit_reuses_the_charts(client, casebook):
    first, _html = home_queries(client)
    second, _html = home_queries(client)
    assert second < first


def chart_labels(html):
    """Every category label of the page's first chart (cases per issue)."""
    data = re.findall(r'<script id="[^"]+" type="application/json">(.*?)</script>', html, re.S)
    figure = json.loads(data[0])
    return {label for trace in figure["data"] for label in trace.get("y", []) + trace.get("x", [])}


def test_each_language_has_its_own_charts(client, casebook):
    _count, chinese = home_queries(client)
    _count, english = home_queries(client, "/en/")
    assert "社会救助" in chart_labels(chinese)
    assert "Social assistance" in chart_labels(english)
    assert "社会救助" not in chart_labels(english)


def test_a_change_to_the_data_shows_at_once(client, casebook):
    home_queries(client)
    case = Project.objects.published().get(slug="douyin-xunren")
    case.status = Project.Status.DRAFT
    case.save()
    after_count, _html = home_queries(client)
    # The charts were computed again, not served from before the change.
    fresh_count, _html = home_queries(client)
    assert after_count > fresh_count


def test_redis_shares_the_charts_and_their_invalidation(client, casebook, settings, redis_url):
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


def chart_data(html, key):
    found = re.search(
        rf'<script id="{key}-data" type="application/json">(.*?)</script>', html, re.S
    )
    return json.loads(found.group(1))


def test_case_company_and_compare_charts_are_built_once_per_data_version(
    client, casebook, monkeypatch
):
    from cases import compare_records, views

    built = []

    def counting(name, function):
        def wrapper(*args, **kwargs):
            built.append(name)
            return function(*args, **kwargs)

        return wrapper

    monkeypatch.setattr(views, "case_charts", counting("case", views.case_charts))
    monkeypatch.setattr(views, "company_chart", counting("company", views.company_chart))
    monkeypatch.setattr(compare_records.Row, "draw", counting("compare", compare_records.Row.draw))
    pages = [
        "/cases/amap-wheelchair-navigation/",
        "/companies/alibaba/",
        "/compare/?company=alibaba&company=tencent&company=meituan&view=all-issues",
    ]
    for path in pages * 2:
        assert client.get(path).status_code == 200
    assert built.count("case") == 1 and built.count("company") == 1
    drawn_once = built.count("compare")
    assert drawn_once >= 1

    figure = casebook_figure("amap-wheelchair-navigation-cities-2024-03")
    figure.note_en = "Checked again."
    figure.save()
    for path in pages:
        client.get(path)
    assert built.count("case") == 2 and built.count("company") == 2
    assert built.count("compare") == 2 * drawn_once


def casebook_figure(slug):
    from cases.models import Metric

    return Metric.objects.get(slug=slug)


def test_an_edited_figure_shows_in_the_case_chart_at_once(client, casebook):
    path = "/cases/amap-wheelchair-navigation/"
    before = chart_data(client.get(path).content.decode(), "growth-cities-covered")
    assert before["data"][0]["y"][-1] == 50
    figure = casebook_figure("amap-wheelchair-navigation-cities-2024-03")
    figure.value, figure.original_wording = 60, "60城"
    figure.save()
    after = chart_data(client.get(path).content.decode(), "growth-cities-covered")
    assert after["data"][0]["y"][-1] == 60
