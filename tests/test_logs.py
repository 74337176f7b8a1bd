"""The log as configured: one key=value line per event, that nothing a visitor sends can split
or forge, tracebacks only for our own faults, and visitors' mistakes at WARNING."""

import io
import logging
import re

import pytest
from django.test import Client

from csrsite.logs import ACCESS_FIELDS, AccessFormatter, Atoms, LineFormatter, quoted

# One logfmt field: a bare value, or a quoted one with backslash escapes.
FIELD = re.compile(r'([a-z_]+)=("(?:\\.|[^"\\])*"|[^ "]*)(?: |$)')


def fields(line):
    """{key: [values]} of a logfmt line; the whole line must be fields, nothing left over."""
    parsed = {}
    position = 0
    for match in FIELD.finditer(line):
        assert match.start() == position, f"not a field at {position}: {line[position:]!r}"
        position = match.end()
        value = match.group(2)
        if value.startswith('"'):
            value = ESCAPE.sub(unescaped, value[1:-1])
        parsed.setdefault(match.group(1), []).append(value)
    assert position == len(line), line
    return parsed


ESCAPE = re.compile(r"\\(x[0-9a-f]{2}|u[0-9a-f]{4}|.)")
NAMED = {"n": "\n", "r": "\r", "t": "\t"}


def unescaped(match):
    code = match.group(1)
    if len(code) > 1:
        return chr(int(code[1:], 16))
    return NAMED.get(code, code)


@pytest.fixture
def log_lines():
    """The lines the site's configured console handler writes while a test runs."""
    [handler] = [
        handler
        for handler in logging.getLogger().handlers
        if isinstance(handler.formatter, LineFormatter)
    ]
    stream = io.StringIO()
    previous = handler.setStream(stream)
    try:
        yield lambda: stream.getvalue().splitlines()
    finally:
        handler.setStream(previous)


FORGED = "time=2026-01-01T00:00:00.000+08:00 level=INFO logger=gunicorn.access status=302"


@pytest.mark.parametrize("separator", ["\n", "\r", "\r\n", "\x00", "\x1b[2K\r", "\u2028", "\x85"])
def test_no_character_can_start_a_line_or_hide_one(separator):
    value = f"/x{separator}{FORGED}"

    written = quoted(value)

    assert not re.search("[\x00-\x1f\x7f-\x9f\u2028\u2029]", written)
    assert fields(f"path={written} status=200") == {"path": [value], "status": ["200"]}


def test_quoted_values_read_back_as_written():
    for value in ['/a"b', "back\\slash", 'end\\"', "tab\there", "plain", "", "\\x41"]:
        assert fields(f"k={quoted(value)} n=1") == {"k": [value], "n": ["1"]}


def test_a_forged_path_stays_inside_its_own_request_line(client, casebook, log_lines):
    client.get("/x%0d%0a" + FORGED.replace(" ", "%20") + "%00%1b")

    lines = log_lines()
    [line] = [line for line in lines if "/x" in line]
    assert not any(line.startswith("time=2026-01-01") for line in lines)
    parsed = fields(line)
    assert parsed["status"] == ["404"] and parsed["level"] == ["WARNING"]
    assert parsed["path"] == ["/x\r\n" + FORGED + "\x00\x1b"]


def test_a_403_is_one_warning_line_without_a_traceback(viewer_client, log_lines):
    response = viewer_client.get("/en/admin/cases/metric/import/")

    assert response.status_code == 403
    [line] = [line for line in log_lines() if "status=403" in line]
    assert " level=WARNING " in line and "Traceback" not in line and "error=" not in line


def test_a_refused_host_is_one_warning_line(client, casebook, log_lines):
    response = client.get("/cases/", HTTP_HOST="evil.example.com")

    assert response.status_code == 400
    [line] = [line for line in log_lines() if "evil.example.com" in line]
    assert " level=WARNING logger=django.security.DisallowedHost " in line
    assert "Traceback" not in line


def test_our_own_fault_keeps_its_traceback_on_one_line(settings, log_lines):
    settings.ROOT_URLCONF = "tests.urls_broken"

    Client(raise_request_exception=False).get("/boom/")

    [line] = [line for line in log_lines() if "status=500" in line]
    assert " level=ERROR " in line
    assert "Traceback" in fields(line)["error"][0]
    assert "RuntimeError: secret detail" in line


def gunicorn_atoms(**values):
    """gunicorn's values for one request, as its logger hands them to the formatter."""
    atoms = {"h": "127.0.0.1", "m": "GET", "U": "/", "q": "", "s": "200", "B": "10"}
    atoms.update({"M": "3", "a": "curl/8", "{x-real-ip}i": "203.0.113.9"}, **values)
    return Atoms(atoms)


def access_line(atoms):
    record = logging.LogRecord("gunicorn.access", logging.INFO, "", 0, "%(U)s", (atoms,), None)
    return AccessFormatter().format(record)


def test_access_lines_hold_each_field_once_whatever_the_path():
    for path in [
        "/x\r\n" + FORGED,
        '/y\\" status=302 x="',
        '/z" status=302',
        "/\x00\x1b[31m\u2028",
    ]:
        line = access_line(gunicorn_atoms(U=path))

        assert "\n" not in line and "\r" not in line
        parsed = fields(line)
        assert parsed["path"] == [path], path
        assert parsed["status"] == ["200"], path
        assert [key for key, _atom in ACCESS_FIELDS] == list(parsed)[3:]


def test_access_lines_name_a_missing_header_with_a_dash():
    atoms = gunicorn_atoms()
    del atoms["{x-real-ip}i"]

    assert fields(access_line(atoms))["client"] == ["-"]
