"""Requests the site cannot use get a short friendly answer in the visitor's language: a
Host it does not serve, an unknown method, an oversized body, cookies that are not ours.
Never a 500, never a traceback, nothing saved."""

import pytest
from django.test import Client

from tests.conftest import sign_in

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "host",
    ["evil.example.com", "127.0.0.1:notaport", "bad host", "[::1", "a" * 300, "localhost\x00x"],
)
def test_a_host_we_do_not_serve_is_a_friendly_400(client, casebook, host):
    response = client.get("/cases/", HTTP_HOST=host)
    assert response.status_code == 400
    html = response.content.decode()
    assert "请求无效" in html
    assert "Traceback" not in html and "DisallowedHost" not in html
    # No link on the page points at the host the request named.
    assert "evil.example.com" not in html


def test_the_400_page_is_in_english_under_en(client, casebook):
    response = client.get("/en/cases/", HTTP_HOST="evil.example.com")
    assert response.status_code == 400
    assert "Bad request" in response.content.decode()


@pytest.mark.parametrize("method", ["PATCH", "OPTIONS", "PROPFIND", "BREW"])
def test_an_unknown_or_unsupported_method_is_405(client, casebook, method):
    response = client.generic(method, "/cases/douyin-xunren/")
    assert response.status_code == 405
    assert "GET" in response["Allow"]


def test_an_oversized_form_body_is_a_friendly_413_and_saves_nothing(settings, editor):
    from cases.models import Company

    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    client = Client()
    sign_in(client, editor)
    before = Company.objects.count()
    response = client.post(
        "/admin/cases/company/add/",
        {"slug": "huge", "name_zh": "大", "name_en": "Huge", "note_en": "x" * 5000},
    )
    assert response.status_code == 413
    assert "请求内容过大" in response.content.decode()
    assert Company.objects.count() == before


def test_the_413_page_is_in_english_under_en(settings, editor):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    client = Client()
    sign_in(client, editor)
    response = client.post("/en/admin/cases/company/add/", {"name_en": "x" * 5000})
    assert response.status_code == 413
    assert "Request too large" in response.content.decode()


@pytest.mark.parametrize(
    "cookie",
    [
        "sessionid=not-a-session",
        "sessionid=" + "x" * 4000,
        "csrftoken=<script>; sessionid=%00%ff",
        "django_language=klingon",
        'sessionid="unterminated',
    ],
)
def test_cookies_that_are_not_ours_are_ignored(client, casebook, cookie):
    response = client.get("/cases/", HTTP_COOKIE=cookie)
    assert response.status_code == 200
    assert "抖音寻人" in response.content.decode()


def test_a_post_with_a_forged_csrf_cookie_is_refused_not_an_error(casebook):
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        "/admin/login/",
        {"username": "mei", "password": "x", "csrfmiddlewaretoken": "a" * 64},
        HTTP_COOKIE="csrftoken=" + "b" * 32,
    )
    assert response.status_code == 403


def test_a_file_part_over_the_limit_is_refused_before_it_is_written(client, settings, tmp_path):
    """Django writes a file part to disk whatever its size; the declared length stops it."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 0  # any file part would go to the folder
    upload = SimpleUploadedFile("big.bin", b"x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 2**20))
    response = client.post("/admin/login/", {"username": "x", "file": upload})
    assert response.status_code == 413
    assert "请求内容过大" in response.content.decode()
    assert list(tmp_path.iterdir()) == []


def test_the_import_page_still_takes_a_file_up_to_the_import_limit(editor_client, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.CSR_IMPORT_MAX_BYTES = 4 * 2**20
    upload = SimpleUploadedFile("figures.csv", b"slug\n" + b"x" * (3 * 2**20))
    response = editor_client.post("/admin/cases/metric/import/", {"import_file": upload})
    assert response.status_code != 413


def test_an_import_far_over_the_limit_is_refused_before_it_is_written(
    editor_client, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 0
    settings.CSR_IMPORT_MAX_BYTES = 2**20
    upload = SimpleUploadedFile("figures.csv", b"slug\n" + b"x" * (3 * 2**20))
    response = editor_client.post("/en/admin/cases/metric/import/", {"import_file": upload})
    assert response.status_code == 413
    assert "Request too large" in response.content.decode()
    assert list(tmp_path.iterdir()) == []
