"""The production stack for real: gunicorn from gunicorn.conf.py, debug off, collected static
files, the curated data, behind a proxy that says the visitor used https. Requests go over
sockets, so what gunicorn itself refuses is tested too."""

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

from tests.conftest import CASEBOOK
from tests.deploy_support import clean_environ, collected_static, free_port
from tests.test_logs import fields

pytestmark = pytest.mark.own_database

ROOT = Path(settings.BASE_DIR)
GUNICORN = Path(sys.executable).with_name("gunicorn")
SECRET = "a-production-like-key-for-these-tests-only-" + "q8Z!" * 4


def production_env(tmp, **extra):
    env = clean_environ(
        DJANGO_SECRET_KEY=SECRET,
        DJANGO_SECURE_PROXY_SSL_HEADER="1",
        DJANGO_STATIC_ROOT=str(tmp / "static"),
        DATABASE_URL=f"sqlite:///{tmp / 'production.sqlite3'}",
        GUNICORN_WORKERS="2",
    )
    env.update(extra)
    return env


def manage(env, *args):
    subprocess.run(
        [sys.executable, "manage.py", *args],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=300,
    )


def start_gunicorn(env, log):
    return subprocess.Popen(
        [str(GUNICORN), "-c", "gunicorn.conf.py"],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def wait_until_up(port, process, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"gunicorn exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.3)
    raise AssertionError("gunicorn did not answer /healthz in time")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """Base URL of gunicorn on a throwaway SQLite database with the fixtures and collected
    static files; its log file is `server.log`."""
    tmp = tmp_path_factory.mktemp("production")
    port = free_port()
    env = production_env(tmp, GUNICORN_BIND=f"127.0.0.1:{port}")
    manage(env, "migrate", "--no-input")
    manage(env, "load_curated", CASEBOOK)
    env["DJANGO_STATIC_ROOT"] = str(collected_static(env))
    log_path = tmp / "gunicorn.log"
    with open(log_path, "wb") as log:
        process = start_gunicorn(env, log)
    try:
        wait_until_up(port, process)
        yield Server(f"http://127.0.0.1:{port}", port, log_path, tmp, env["DJANGO_STATIC_ROOT"])
    finally:
        os.killpg(process.pid, 15)
        process.wait(timeout=30)


class Server:
    def __init__(self, url, port, log, tmp, static_root):
        self.url, self.port, self.log, self.tmp = url, port, log, tmp
        self.static_root = Path(static_root)

    def get(self, path, https=True, headers=None, method="GET", data=None):
        """(status, headers, body) of a request through the stand-in proxy."""
        request = urllib.request.Request(self.url + path, method=method, data=data)
        if https:
            request.add_header("X-Forwarded-Proto", "https")
        for name, value in (headers or {}).items():
            request.add_header(name, value)

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):
                return None

        opener = urllib.request.build_opener(NoRedirect)
        try:
            with opener.open(request, timeout=30) as response:
                return response.status, response.headers, response.read().decode(errors="replace")
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read().decode(errors="replace")

    def raw(self, data):
        """What gunicorn answers a hand-written request with, read until it closes the
        connection (a well-formed request asks it to, with `Connection: close`)."""
        with socket.create_connection(("127.0.0.1", self.port), timeout=30) as connection:
            connection.sendall(data)
            answer = b""
            while b"\r\n\r\n" not in answer:
                chunk = connection.recv(65536)
                if not chunk:
                    break
                answer += chunk
            try:
                while chunk := connection.recv(65536):
                    answer += chunk
            except (TimeoutError, ConnectionResetError):
                pass
        return answer.decode("utf-8", "replace")

    def log_text(self, waiting_for=None):
        """The server's log so far; gunicorn writes a request's line just after answering it,
        so a test may wait (up to 10 s) for a text to appear, and fails if it never does."""
        deadline = time.monotonic() + 10
        while True:
            text = self.log.read_text(encoding="utf-8", errors="replace")
            if waiting_for is None or waiting_for in text:
                return text
            assert time.monotonic() < deadline, f"{waiting_for!r} never reached the log"
            time.sleep(0.1)


@pytest.mark.parametrize(
    "path",
    ["/", "/cases/", "/cases/douyin-xunren/", "/en/cases/douyin-xunren/", "/compare/", "/metrics/"],
)
def test_pages_answer_over_https_with_hsts_and_csp(server, path):
    status, headers, body = server.get(path)
    assert status == 200
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert "sessionid" not in (headers.get("Set-Cookie") or "")


def test_plain_http_is_redirected_to_https(server):
    status, headers, _body = server.get("/cases/?issue=ageing", https=False)
    assert status == 301
    assert headers["Location"] == f"https://127.0.0.1:{server.port}/cases/?issue=ageing"


def test_health_check_answers_plain_http_probes_by_address(server):
    status, _headers, body = server.get("/healthz", https=False, headers={"Host": "10.0.0.5"})
    assert status == 200
    assert '"database": "ok"' in body


def test_collected_static_files_have_hashed_names_and_a_long_cache(server):
    import json

    manifest = json.loads((server.static_root / "staticfiles.json").read_text())
    hashed = manifest["paths"]["css/site.css"]
    assert hashed != "css/site.css"
    status, headers, _body = server.get("/static/" + hashed, headers={"Accept-Encoding": "gzip"})
    assert status == 200
    assert "max-age=315360000" in headers["Cache-Control"]
    assert headers["Content-Encoding"] == "gzip"
    assert headers["Cross-Origin-Resource-Policy"] == "same-origin"
    # Pages link the hashed name.
    assert hashed in server.get("/")[2]


def test_static_files_come_in_brotli_to_browsers_that_take_it(server):
    import json

    manifest = json.loads((server.static_root / "staticfiles.json").read_text())
    plotly = "/static/" + manifest["paths"]["vendor/plotly/plotly-basic.min.js"]
    _status, plain, _body = server.get(plotly)
    status, brotli, _body = server.get(plotly, headers={"Accept-Encoding": "br, gzip"})
    _status, gzipped, _body = server.get(plotly, headers={"Accept-Encoding": "gzip"})
    assert status == 200 and brotli["Content-Encoding"] == "br"
    assert gzipped["Content-Encoding"] == "gzip" and "Content-Encoding" not in plain
    assert "Accept-Encoding" in brotli["Vary"]
    sizes = [int(headers["Content-Length"]) for headers in (brotli, gzipped, plain)]
    assert sizes == sorted(sizes) and len(set(sizes)) == 3


def test_csrf_cookie_is_secure_on_the_admin_login(server):
    status, headers, _body = server.get("/admin/login/")
    assert status == 200
    cookie = headers["Set-Cookie"]
    assert "csrftoken=" in cookie and "Secure" in cookie


@pytest.mark.parametrize("method", [b"BREW", b"PROPFIND", b"PUT", b"DELETE"])
def test_an_unknown_method_is_405(server, method):
    answer = server.raw(
        method + b" /cases/ HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Forwarded-Proto: https\r\n"
        b"Connection: close\r\n\r\n"
    )
    assert answer.startswith("HTTP/1.1 405")
    assert "Allow: GET, HEAD, POST" in answer


def test_a_malformed_host_is_a_friendly_400(server):
    answer = server.raw(
        b"GET /cases/ HTTP/1.1\r\nHost: evil.example.com\r\nX-Forwarded-Proto: https\r\n"
        b"Connection: close\r\n\r\n"
    )
    assert answer.startswith("HTTP/1.1 400")
    assert "请求无效" in answer


@pytest.mark.parametrize(
    "request_bytes",
    [
        b"GET /cases/?q=" + b"a" * 10000 + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
        b"GET /cases/ HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: a\x00b\r\n\r\n",
        b"GET /cases/ HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + b"b" * 10000 + b"\r\n\r\n",
        b"GET /cases/ HTTP/1.1\r\nHost: 127.0.0.1\r\n" + b"X-A: 1\r\n" * 150 + b"\r\n",
        b"POST /admin/login/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: abc\r\n\r\n",
        b"GET /cases/ HTTP/9.9\r\nHost: 127.0.0.1\r\n\r\n",
    ],
    ids=[
        "long-request-line",
        "nul-in-header",
        "huge-header",
        "too-many-headers",
        "bad-content-length",
        "bad-http-version",
    ],
)
def test_requests_gunicorn_cannot_parse_are_refused_with_4xx(server, request_bytes):
    answer = server.raw(request_bytes)
    status = int(answer.split(" ", 2)[1])
    assert 400 <= status < 500, answer[:200]


def test_an_oversized_body_is_a_friendly_413(server):
    import re

    _status, headers, _page = server.get("/admin/login/")
    token = re.search(r"csrftoken=([^;]+)", headers["Set-Cookie"]).group(1)
    body = b"username=" + b"x" * (3 * 1024 * 1024)
    status, _headers, page = server.get(
        "/admin/login/",
        method="POST",
        data=body,
        # As a browser sends it: the CSRF cookie and the page's origin pass the first checks,
        # then the body is read and found too large.
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": f"https://127.0.0.1:{server.port}",
            "Cookie": f"csrftoken={token}",
        },
    )
    assert status == 413
    assert "请求内容过大" in page


def test_no_request_above_led_to_a_500_or_a_traceback(server):
    # Runs after the others in this module: their bad requests are in the log by now.
    server.get("/cases/no-such-case/")
    # The access line (method, path, then query) comes after Django's own 404 line.
    log = server.log_text(waiting_for="path=/cases/no-such-case/ query=")
    [line] = [line for line in log.splitlines() if "path=/cases/no-such-case/ query=" in line]
    assert "logger=gunicorn.access" in line and "status=404" in line
    assert "status=500" not in log
    assert "Traceback" not in log
    # Every line, gunicorn's own included, is key=value.
    assert all(line.startswith("time=") for line in log.splitlines() if line), log


def test_access_log_is_one_key_value_line_per_request(server):
    server.get("/issues/?from=access-log-test")
    log = server.log_text(waiting_for="from=access-log-test")
    lines = [line for line in log.splitlines() if "from=access-log-test" in line]
    assert len(lines) == 1
    line = lines[0]
    assert line.startswith("time=") and " level=INFO logger=gunicorn.access " in line
    assert " path=/issues/ " in line and "status=200" in line and "method=GET" in line


def test_a_forged_path_cannot_write_a_log_line_of_its_own(server):
    forged = "time=2026-01-01T00:00:00.000+08:00 level=INFO logger=gunicorn.access status=302"
    server.raw(
        b"GET /forged%0d%0a" + forged.replace(" ", "%20").encode() + b"%00 HTTP/1.1\r\n"
        b"Host: 127.0.0.1\r\nX-Forwarded-Proto: https\r\nConnection: close\r\n\r\n"
    )

    log = server.log_text(waiting_for='method=GET path="/forged')
    assert not any(line.startswith("time=2026-01-01") for line in log.splitlines())
    [line] = [
        line
        for line in log.splitlines()
        if "logger=gunicorn.access remote=" in line and "forged" in line
    ]
    parsed = fields(line)
    assert parsed["path"] == ["/forged\r\n" + forged + "\x00"]
    assert parsed["status"] == ["404"] and parsed["logger"] == ["gunicorn.access"]


def parent_of(pid):
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"^PPid:\s+(\d+)", status, re.M).group(1))


def test_each_instance_has_its_own_control_socket(tmp_path):
    """Two servers of one user (a second port, a test server) used to share gunicornc's
    socket, the second taking it over from the first."""
    instances = []
    try:
        for name in ("first", "second"):
            port = free_port()
            folder = tmp_path / name
            folder.mkdir()
            env = production_env(
                folder, GUNICORN_BIND=f"127.0.0.1:{port}", XDG_RUNTIME_DIR=str(tmp_path)
            )
            # No migrate: /healthz answers from an empty database, and that is all asked here.
            log = open(folder / "gunicorn.log", "wb")  # noqa: SIM115 - closed below
            instances.append((port, start_gunicorn(env, log), log))
            wait_until_up(port, instances[-1][1])

        expected = sorted(f"casebook-127.0.0.1-{port}.ctl" for port, *_ in instances)
        # Each master opens its socket from a thread of its own, and closes and reopens it
        # around every fork of a worker: on a busy machine it can come a moment after the
        # first answer over HTTP.
        deadline = time.monotonic() + 30
        while True:
            sockets = sorted(path.name for path in tmp_path.glob("*.ctl"))
            if sockets == expected or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        assert sockets == expected
        for port, process, _log in instances:
            socket_path = tmp_path / f"casebook-127.0.0.1-{port}.ctl"
            command = [str(GUNICORN.with_name("gunicornc")), "-s", str(socket_path)]
            for _attempt in range(10):
                answer = subprocess.run(
                    [*command, "-c", "show workers", "-j"],
                    capture_output=True,
                    text=True,
                    timeout=30,
                )
                if answer.returncode == 0:
                    workers = json.loads(answer.stdout)["workers"]
                    if len(workers) == 2:
                        break
                time.sleep(0.5)
            assert answer.returncode == 0, answer.stderr
            # The socket answers for this instance: its workers are this master's children.
            assert [parent_of(worker["pid"]) for worker in workers] == [process.pid] * 2
    finally:
        for _port, process, log in instances:
            os.killpg(process.pid, 15)
            process.wait(timeout=30)
            log.close()


def test_refuses_to_start_without_a_secret_key(tmp_path):
    env = production_env(tmp_path, GUNICORN_BIND=f"127.0.0.1:{free_port()}")
    del env["DJANGO_SECRET_KEY"]
    result = subprocess.run(
        [str(GUNICORN), "-c", "gunicorn.conf.py"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stdout + result.stderr


def test_health_check_answers_503_when_the_database_is_down(tmp_path):
    port = free_port()
    env = production_env(
        tmp_path,
        GUNICORN_BIND=f"127.0.0.1:{port}",
        DATABASE_URL="postgres://postgres@127.0.0.1:9/nowhere",
    )
    log_path = tmp_path / "gunicorn.log"
    with open(log_path, "wb") as log:
        process = start_gunicorn(env, log)
    try:
        deadline = time.monotonic() + 60
        status = None
        while time.monotonic() < deadline and status is None:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5)
                status = 200
            except urllib.error.HTTPError as error:
                status, body = error.code, error.read().decode()
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.3)
        assert status == 503
        assert "unreachable" in body and "Traceback" not in body
    finally:
        os.killpg(process.pid, 15)
        process.wait(timeout=30)
