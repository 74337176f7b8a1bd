"""/csp-report/: what browsers report the policy blocked reaches the log as one line; junk,
floods and oversized bodies are refused without a 500."""

import json
import logging

import pytest

from csrsite.csp_reports import MAX_BYTES, MAX_REPORTS, MAX_VALUE

URL = "/csp-report/"

REPORT_URI_BODY = {
    "csp-report": {
        "document-uri": "https://casebook.example/cases/",
        "referrer": "",
        "violated-directive": "script-src-elem",
        "effective-directive": "script-src-elem",
        "original-policy": "default-src 'none'; script-src 'self'",
        "disposition": "enforce",
        "blocked-uri": "inline",
        "line-number": 12,
        "source-file": "https://casebook.example/cases/",
        "status-code": 200,
    }
}

REPORTING_API_BODY = [
    {
        "type": "csp-violation",
        "age": 10,
        "url": "https://casebook.example/",
        "user_agent": "Chromium",
        "body": {
            "documentURL": "https://casebook.example/",
            "effectiveDirective": "img-src",
            "blockedURL": "https://tracker.example/pixel.gif",
            "disposition": "enforce",
            "lineNumber": 3,
        },
    },
    {"type": "deprecation", "body": {"id": "x"}},
]


def post(client, body, content_type="application/csp-report", **extra):
    data = body if isinstance(body, bytes) else json.dumps(body)
    return client.post(URL, data, content_type=content_type, **extra)


def violations_logged(caplog):
    return [record for record in caplog.records if record.name == "csrsite.csp"]


def test_a_browser_report_is_logged_as_one_warning_with_its_fields(client, caplog):
    response = post(client, REPORT_URI_BODY)

    assert response.status_code == 204
    [record] = violations_logged(caplog)
    assert record.levelno == logging.WARNING
    assert dict(record.fields) == {
        "page": "https://casebook.example/cases/",
        "directive": "script-src-elem",
        "blocked": "inline",
        "source": "https://casebook.example/cases/",
        "line": "12",
        "disposition": "enforce",
    }


def test_a_reporting_api_batch_is_read_and_other_report_types_ignored(client, caplog):
    response = post(client, REPORTING_API_BODY, content_type="application/reports+json")

    assert response.status_code == 204
    [record] = violations_logged(caplog)
    assert dict(record.fields)["blocked"] == "https://tracker.example/pixel.gif"
    assert dict(record.fields)["directive"] == "img-src"


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"junk",
        b"\xff\xfe\x00",
        b"[]",
        b"null",
        b'"csp-report"',
        b'{"csp-report": "not an object"}',
        b'[{"type": "csp-violation", "body": 5}]',
        b"[" * 5000 + b"]" * 5000,
        b'{"csp-report": {"document-uri": ' + b"1" * 5000 + b"}}",
    ],
    ids=lambda body: repr(body[:20]),
)
def test_junk_is_a_400_and_logs_no_violation(client, caplog, body):
    response = post(client, body)

    assert response.status_code in (204, 400)
    if response.status_code == 204:  # a huge number is still a number: logged, and cut short
        [record] = violations_logged(caplog)
        assert all(len(value) <= MAX_VALUE for _key, value in record.fields)
    else:
        assert violations_logged(caplog) == []


def test_a_report_over_the_size_limit_is_refused_unread(client, caplog):
    body = {"csp-report": {**REPORT_URI_BODY["csp-report"], "blocked-uri": "x" * MAX_BYTES}}

    assert post(client, body).status_code == 413
    assert violations_logged(caplog) == []


def test_long_values_and_many_reports_are_cut_short(client, caplog):
    body = {
        "type": "csp-violation",
        "body": {"documentURL": "https://casebook.example/" + "a" * 600, "blockedURL": "x"},
    }

    assert post(client, [body] * 20).status_code == 204

    records = violations_logged(caplog)
    assert len(records) == MAX_REPORTS
    assert all(len(dict(record.fields)["page"]) == MAX_VALUE for record in records)


def test_only_post_is_accepted(client):
    assert client.get(URL).status_code == 405


def test_reports_need_no_csrf_token(caplog):
    from django.test import Client

    response = post(Client(enforce_csrf_checks=True), REPORT_URI_BODY)

    assert response.status_code == 204


def test_one_address_cannot_flood_the_log(client, caplog, settings):
    settings.CASEBOOK_RATE_LIMITS = {**settings.CASEBOOK_RATE_LIMITS, "report": "3/m"}
    from django.core.cache import cache

    cache.clear()
    statuses = [post(client, REPORT_URI_BODY).status_code for _ in range(5)]

    assert statuses == [204, 204, 204, 429, 429]
    assert len(violations_logged(caplog)) == 3
