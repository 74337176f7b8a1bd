"""nginx from deploy/nginx in front of a real gunicorn, as docs/deploy.md sets them up.

gunicorn runs from gunicorn.conf.py with the environment example, the fixtures and collected
static files; nginx runs both deploy/nginx files, rendered for free local ports and a
self-signed certificate. The tests see what a visitor would: redirects, headers, limits,
cache lifetimes, the load balancer passing over a dead app server, and the visitor's own
address reaching the app through X-Real-IP. Both servers start once for the module.
"""

import gzip
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import tempfile
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import pytest

from tests.deploy_support import (
    BASE_DIR,
    BIN,
    DEPLOY,
    ENV_EXAMPLE,
    FIXTURES,
    clean_environ,
    collected_static,
    free_port,
    manage,
    read_env_file,
    server_env,
)

pytestmark = pytest.mark.own_database

REQUIRE_NGINX = os.environ.get("CSR_REQUIRE_NGINX") == "1"
# The name the rendered nginx configuration answers to, in place of casebook.example.org.
SITE_NAME = "localhost"
ONE_YEAR = 365 * 24 * 3600
# Visitors at addresses of their own: Linux answers all of 127.0.0.0/8 on the loopback, so
# a connection from these reaches nginx on 127.0.0.1, and nginx alone talks to gunicorn.
STRANGER = "127.0.0.2"
EDITOR = "127.0.0.3"
# What a visitor might put in X-Real-IP to pass for someone else.
FORGED = "203.0.113.9"
LOGIN = "/en/admin/login/"


# The servers ------------------------------------------------------------------------------


def wait_for(check, process, log, what, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"{what} stopped at start:\n{log.read_text()[-4000:]}", pytrace=False)
        try:
            if check():
                return
        except OSError:
            pass
        time.sleep(0.2)
    pytest.fail(f"{what} did not answer in {seconds} s:\n{log.read_text()[-4000:]}", pytrace=False)


def stop(process, signal_number=signal.SIGTERM):
    if process.poll() is None:
        process.send_signal(signal_number)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@pytest.fixture(scope="module")
def nginx_binary():
    for candidate in (shutil.which("nginx"), "/usr/sbin/nginx"):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    message = "nginx is not installed (apt-get install nginx); CSR_REQUIRE_NGINX=1 fails instead"
    if REQUIRE_NGINX:
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="module")
def app_server(nginx_binary, tmp_path_factory):
    """gunicorn from gunicorn.conf.py, with the env example, the fixtures and collected files:
    its port, its static root and the file its log (the access log included) goes to."""
    folder = tmp_path_factory.mktemp("site")
    port = free_port()
    values = server_env(
        folder,
        # Nothing here edits casebook records (failed logins write only axes' own rows), so
        # per-process caches cannot disagree; no Redis needed.
        CACHE_URL="locmem://",
        DJANGO_ALLOWED_HOSTS="localhost,127.0.0.1",
        DJANGO_SECURE_PROXY_SSL_HEADER="1",
        DJANGO_SECURE_SSL_REDIRECT="1",
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_WORKERS="2",
        GUNICORN_GRACEFUL_TIMEOUT="5",
    )
    values["DJANGO_STATIC_ROOT"] = str(collected_static(clean_environ(**values)))
    env = clean_environ(**values)
    for step in (["migrate", "--no-input"], ["load_curated", *FIXTURES]):
        result = manage(*step, env=env)
        assert result.returncode == 0, f"{step[0]}: {result.stdout}{result.stderr}"

    log = folder / "gunicorn.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            [str(BIN / "gunicorn"), "-c", "gunicorn.conf.py"],
            cwd=BASE_DIR,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:

        def healthy():
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            try:
                connection.request("GET", "/healthz")
                return connection.getresponse().status == 200
            finally:
                connection.close()

        wait_for(healthy, process, log, "gunicorn")
        yield {"port": port, "static_root": Path(values["DJANGO_STATIC_ROOT"]), "log": log}
    finally:
        stop(process)


def render(text, replacements):
    """The file with its placeholders swapped; a placeholder that is gone fails loudly, so the
    test cannot quietly stop covering part of the file."""
    text = "\n".join(line for line in text.splitlines() if "listen [::]" not in line)
    for old, new in replacements.items():
        assert old in text, f"{old!r} is no longer in the nginx file; update the test"
        text = text.replace(old, new)
    return text


def self_signed_certificate(folder):
    cert, key = folder / "cert.pem", folder / "key.pem"
    made = subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"]
        + ["-nodes", "-days", "2", "-subj", f"/CN={SITE_NAME}"]
        + ["-addext", f"subjectAltName=DNS:{SITE_NAME}", "-keyout", str(key), "-out", str(cert)],
        capture_output=True,
        text=True,
    )
    assert made.returncode == 0, made.stderr
    return cert, key


def write_nginx_config(folder, app_port, ports):
    """Both deploy/nginx files, rendered for this machine, included from a minimal nginx.conf
    that keeps every path nginx writes inside `folder`."""
    cert, key = self_signed_certificate(folder)
    shared = {
        "/etc/ssl/casebook/fullchain.pem": str(cert),
        "/etc/ssl/casebook/privkey.pem": str(key),
        "casebook.example.org": SITE_NAME,
        "/var/www/acme": str(folder / "acme"),
    }
    site = {
        "listen 80": f"listen 127.0.0.1:{ports['http']}",
        "listen 443": f"listen 127.0.0.1:{ports['https']}",
        "server 127.0.0.1:8000;": f"server 127.0.0.1:{app_port};",
    }
    balancer = {
        "listen 80": f"listen 127.0.0.1:{ports['lb_http']}",
        "listen 443": f"listen 127.0.0.1:{ports['lb_https']}",
        # The first app server is down: nothing listens on that port.
        "server 10.0.0.11:8000": f"server 127.0.0.1:{ports['down']}",
        "server 10.0.0.12:8000": f"server 127.0.0.1:{app_port}",
    }
    includes = []
    for name, replacements in (("casebook.conf", site), ("load-balancer.conf", balancer)):
        text = render((DEPLOY / "nginx" / name).read_text(), {**replacements, **shared})
        (folder / name).write_text(text)
        includes.append(f"include {folder / name};")
    temp_paths = [
        f"{kind}_temp_path {folder / kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    ]
    if os.path.exists("/etc/nginx/mime.types"):
        includes.insert(0, "include /etc/nginx/mime.types;")
    http_block = "\n    ".join([f"access_log {folder / 'access.log'};", *temp_paths, *includes])
    (folder / "nginx.conf").write_text(
        f"worker_processes 1;\npid {folder / 'nginx.pid'};\n"
        f"error_log {folder / 'error.log'} warn;\n"
        f"events {{ worker_connections 256; }}\nhttp {{\n    {http_block}\n}}\n"
    )
    return cert


@pytest.fixture(scope="module")
def nginx(nginx_binary, app_server):
    """nginx from the deploy/nginx files on free ports, with a self-signed certificate."""
    ports = {name: free_port() for name in ("http", "https", "lb_http", "lb_https", "down")}
    # nginx's workers run as nobody when the tests run as root; they must reach their
    # temporary files here, which pytest's private tmp folders would not allow.
    folder = Path(tempfile.mkdtemp(prefix="casebook-nginx-"))
    folder.chmod(0o755)
    process = None
    try:
        cert = write_nginx_config(folder, app_server["port"], ports)
        command = [nginx_binary, "-p", str(folder), "-e", str(folder / "error.log")]
        command += ["-c", str(folder / "nginx.conf")]
        tested = subprocess.run([*command, "-t"], capture_output=True, text=True)
        assert tested.returncode == 0, tested.stderr
        process = subprocess.Popen(
            [*command, "-g", "daemon off;"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )

        def listening():
            with socket.create_connection(("127.0.0.1", ports["lb_https"]), timeout=1):
                return True

        wait_for(listening, process, folder / "error.log", "nginx", seconds=20)
        yield {**ports, "cert": cert, "app": app_server}
    finally:
        if process is not None:
            # QUIT lets nginx finish what it is sending; the tests have read everything.
            stop(process, signal.SIGQUIT)
        shutil.rmtree(folder, ignore_errors=True)


def client_tls(cert):
    context = ssl.create_default_context(cafile=str(cert))
    # The test certificate is its own issuer, which strict chain checks would refuse.
    context.verify_flags &= ~ssl.VERIFY_X509_STRICT
    return context


def fetch(nginx, path="/", *, port="https", method="GET", headers=None, body=None, source=None):
    """One request to nginx, from the loopback address `source` when given."""
    source_address = (source, 0) if source else None
    if port.endswith("https"):
        connection = http.client.HTTPSConnection(
            SITE_NAME,
            nginx[port],
            context=client_tls(nginx["cert"]),
            timeout=30,
            source_address=source_address,
        )
    else:
        connection = http.client.HTTPConnection(
            "127.0.0.1", nginx[port], timeout=30, source_address=source_address
        )
    try:
        connection.request(method, path, body=body, headers={"Host": SITE_NAME, **(headers or {})})
        response = connection.getresponse()
        return response, response.read()
    finally:
        connection.close()


# What a visitor sees ----------------------------------------------------------------------


SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Strict-Transport-Security": "max-age=31536000; includeSubDomains; preload",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Permissions-Policy": "camera=()",
    "Cross-Origin-Opener-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


def test_nginx_redirects_plain_http_to_https(nginx):
    response, _ = fetch(nginx, "/cases/?issue=elderly-care&q=%E5%AF%BB%E4%BA%BA", port="http")
    assert response.status == 301
    assert response.getheader("Location") == (
        f"https://{SITE_NAME}/cases/?issue=elderly-care&q=%E5%AF%BB%E4%BA%BA"
    )


def test_nginx_serves_pages_over_https_with_each_security_header_once(nginx):
    response, body = fetch(nginx, "/")
    assert response.status == 200
    assert b"<html" in body
    for name, expected in SECURITY_HEADERS.items():
        values = response.headers.get_all(name) or []
        assert len(values) == 1, f"{name}: {values}"
        assert expected in values[0], f"{name}: {values[0]}"


def test_nginx_does_not_name_its_version(nginx):
    response, _ = fetch(nginx, "/")
    assert response.getheader("Server") == "nginx"


def test_nginx_overwrites_a_forwarded_proto_sent_by_the_visitor(nginx):
    """Were the visitor's value passed on, Django would take this https request for http
    and redirect it."""
    response, _ = fetch(nginx, "/", headers={"X-Forwarded-Proto": "http"})
    assert response.status == 200


def access_log_line(nginx, marker):
    """gunicorn's access line for the request whose query holds `marker`. gunicorn writes it
    after answering, so it may trail the response a little."""
    log = nginx["app"]["log"]
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        for line in log.read_text().splitlines():
            if "logger=gunicorn.access" in line and marker in line:
                return line
        time.sleep(0.1)
    pytest.fail(f"no access log line for {marker}:\n{log.read_text()[-4000:]}", pytrace=False)


@pytest.mark.parametrize("port", ["https", "lb_https"])
def test_nginx_tells_the_app_the_visitors_address_whatever_the_visitor_claims(nginx, port):
    """gunicorn sees every request come from nginx; X-Real-IP carries the visitor's address,
    and nginx replaces one the visitor sent, so the log's client= cannot be forged."""
    marker = secrets.token_hex(8)
    response, _ = fetch(
        nginx, f"/healthz?probe={marker}", port=port, source=STRANGER, headers={"X-Real-IP": FORGED}
    )
    assert response.status == 200
    line = access_log_line(nginx, marker)
    assert f" client={STRANGER} " in line, line
    assert "remote=127.0.0.1 " in line, line


def login_page(nginx, *, source=None):
    """The admin login form's CSRF token, and the headers a browser posts the form with."""
    page, body = fetch(nginx, LOGIN, source=source)
    cookies = SimpleCookie()
    for header in page.headers.get_all("Set-Cookie") or []:
        cookies.load(header)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()
    headers = {
        "Cookie": f"csrftoken={cookies['csrftoken'].value}",
        "Origin": f"https://{SITE_NAME}",
        "Content-Type": "application/x-www-form-urlencoded",
    }
    return token, headers


def failed_login(nginx, username, *, source, headers=None):
    """The status nginx answers an admin login with a wrong password from `source` with."""
    token, form_headers = login_page(nginx, source=source)
    form = {"csrfmiddlewaretoken": token, "username": username, "password": "not-the-password"}
    headers = {**form_headers, **(headers or {})}
    response, _ = fetch(
        nginx, LOGIN, method="POST", body=urlencode(form), source=source, headers=headers
    )
    return response.status


def test_nginx_lets_failed_logins_lock_out_only_the_visitor_who_made_them(nginx):
    """Without DJANGO_CLIENT_IP_HEADER every login would count against 127.0.0.1, and a
    stranger guessing passwords would lock the editor out too."""
    example = read_env_file(ENV_EXAMPLE)
    assert example.get("DJANGO_CLIENT_IP_HEADER") == "X-Real-IP", "the header nginx sets"
    limit = int(example.get("AXES_FAILURE_LIMIT", 5))
    username = f"mei-{secrets.token_hex(4)}"

    statuses = [failed_login(nginx, username, source=STRANGER) for _ in range(limit)]

    assert statuses == [200] * (limit - 1) + [429]
    forged = {"X-Real-IP": FORGED}
    assert failed_login(nginx, username, source=STRANGER, headers=forged) == 429
    assert failed_login(nginx, username, source=EDITOR) == 200


def test_nginx_drops_requests_for_other_names(nginx):
    with pytest.raises(http.client.RemoteDisconnected):
        fetch(nginx, "/", port="http", headers={"Host": "casebook.attacker.example"})


def test_nginx_refuses_tls_without_the_site_name(nginx):
    """A handshake by bare address never sees the site's certificate."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    with (
        socket.create_connection(("127.0.0.1", nginx["https"]), timeout=10) as raw,
        pytest.raises(ssl.SSLError),
    ):
        context.wrap_socket(raw)


def test_nginx_refuses_bodies_over_the_upload_limit_with_413(nginx):
    connection = http.client.HTTPSConnection(
        SITE_NAME, nginx["https"], context=client_tls(nginx["cert"]), timeout=30
    )
    try:
        # nginx judges by the announced length and answers before any body is sent.
        connection.putrequest("POST", "/admin/login/")
        connection.putheader("Content-Type", "application/octet-stream")
        connection.putheader("Content-Length", str(13 * 1024 * 1024))
        connection.endheaders()
        response = connection.getresponse()
        assert response.status == 413
    finally:
        connection.close()


def test_nginx_lets_an_import_sized_body_through_to_the_app(nginx):
    """10 MB is the import limit: a form with a file that size reaches the app's import page
    (which, without a signed-in editor, sends the visitor to sign in) where nginx would refuse it
    with a 413; the app itself refuses a file that size anywhere else, with its own page."""
    # A form the app reads to the end, as it reads an import (the CSRF check reads the form).
    # A body it never reads (a POST to /healthz, say) makes gunicorn close the connection
    # while nginx is still sending it, and nginx then answers 502 now and then instead of
    # passing on the app's answer.
    token, headers = login_page(nginx)
    boundary = secrets.token_hex(16)
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n'
        f"{token}\r\n--{boundary}\r\n"
        'Content-Disposition: form-data; name="import_file"; filename="cases.csv"\r\n'
        "Content-Type: text/csv\r\n\r\n"
    )
    body = head.encode() + b"x" * (10 * 1024 * 1024) + f"\r\n--{boundary}--\r\n".encode()
    form = {**headers, "Content-Type": f"multipart/form-data; boundary={boundary}"}

    response, _page = fetch(
        nginx, "/en/admin/cases/metric/import/", method="POST", body=body, headers=form
    )
    assert response.status == 302
    assert "/en/admin/login/" in response.getheader("Location")

    response, page = fetch(nginx, LOGIN, method="POST", body=body, headers=form)
    assert response.status == 413
    assert b"Request too large" in page


def test_nginx_passes_on_the_apps_413_for_an_oversized_form(nginx):
    """A form body over Django's 2.5 MB limit for fields (here 10 MB, which nginx lets through)
    gets the app's own 413 page through nginx, every time, never nginx's own answer."""
    token, headers = login_page(nginx)
    body = f"csrfmiddlewaretoken={token}&username=".encode() + b"x" * (10 * 1024 * 1024)
    statuses = []
    for _ in range(20):
        response, page = fetch(
            nginx,
            LOGIN,
            method="POST",
            body=body,
            headers={**headers, "Content-Type": "application/x-www-form-urlencoded"},
        )
        statuses.append(response.status)
    assert statuses == [413] * 20
    assert "Request too large" in page.decode()


def test_nginx_passes_the_health_check(nginx):
    response, body = fetch(nginx, "/healthz")
    assert response.status == 200
    assert json.loads(body) == {"status": "ok", "database": "ok", "cache": "ok"}


def test_nginx_serves_hashed_static_files_with_a_long_cache(nginx):
    manifest = json.loads((nginx["app"]["static_root"] / "staticfiles.json").read_text())
    hashed = manifest["paths"]["css/site.css"]
    assert hashed != "css/site.css"
    response, body = fetch(nginx, f"/static/{hashed}")
    assert response.status == 200
    assert body
    cache = response.getheader("Cache-Control", "")
    max_age = int(re.search(r"max-age=(\d+)", cache).group(1))
    assert max_age >= ONE_YEAR and "immutable" in cache, cache
    assert response.getheader("X-Content-Type-Options") == "nosniff"


def test_nginx_compresses_pages(nginx):
    response, body = fetch(nginx, "/", headers={"Accept-Encoding": "gzip"})
    assert response.status == 200
    assert response.getheader("Content-Encoding") == "gzip"
    assert "Accept-Encoding" in response.getheader("Vary", "")
    assert b"<html" in gzip.decompress(body)


def test_load_balancer_passes_over_an_app_server_that_is_down(nginx):
    for _ in range(4):
        response, _ = fetch(nginx, "/", port="lb_https")
        assert response.status == 200
        assert response.getheader("Strict-Transport-Security")


def test_load_balancer_keeps_admin_sessions_on_a_working_server(nginx):
    for cookie in ({}, {"Cookie": "sessionid=one"}, {"Cookie": "sessionid=two"}):
        response, _ = fetch(nginx, LOGIN, port="lb_https", headers=cookie)
        assert response.status == 200, cookie


def test_load_balancer_redirects_plain_http_to_https(nginx):
    response, _ = fetch(nginx, "/sources/", port="lb_http")
    assert response.status == 301
    assert response.getheader("Location") == f"https://{SITE_NAME}/sources/"
