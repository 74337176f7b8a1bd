"""A new worker compiles its templates and draws a chart of each kind before it answers
(csrsite/warmup.py), without the database or the cache, and a failure there never stops
it from starting."""

import logging
from pathlib import Path

import plotly.validator_cache
from django.conf import settings
from django.core.cache import caches

from csrsite import warmup


def test_the_warm_up_compiles_every_template_and_draws_charts_without_the_database(caplog):
    # No django_db mark: a query here would fail the test.
    plotly.validator_cache.ValidatorCache._json_cache = None
    root = Path(settings.TEMPLATES[0]["DIRS"][0])
    expected = len(list(root.rglob("*.html"))) + len(list(root.rglob("*.xml")))
    with caplog.at_level(logging.INFO, logger="csrsite.warmup"):
        warmup.warm()
    (record,) = [r for r in caplog.records if r.name == "csrsite.warmup"]
    assert record.getMessage() == "worker warmed up"
    assert dict(record.fields)["templates"] == expected > 40
    # plotly's catalogue of attributes is loaded: the first chart of a request is not.
    assert plotly.validator_cache.ValidatorCache._json_cache is not None


def test_the_warm_up_touches_no_cache(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the warm-up used the cache")

    for alias in settings.CACHES:
        for name in ("get", "set", "get_many", "set_many", "add"):
            monkeypatch.setattr(caches[alias], name, refuse)
    warmup.warm()


def test_a_failing_warm_up_is_logged_and_the_worker_starts_anyway(monkeypatch, caplog):
    def broken():
        raise RuntimeError("no charts today")

    monkeypatch.setattr(warmup, "charts", broken)
    with caplog.at_level(logging.INFO, logger="csrsite.warmup"):
        warmup.warm()
    (record,) = [r for r in caplog.records if r.name == "csrsite.warmup"]
    assert record.levelno == logging.ERROR
    assert "starts cold" in record.getMessage()
    assert "no charts today" in record.exc_text
