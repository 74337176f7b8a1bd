"""Failed admin logins lock a username and address for a while (django-axes), through the real
login view with CSRF checks on, as a browser would meet it."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.core.management import call_command
from django.db.models import F
from django.test import Client

PASSWORD = "correct horse battery staple"
ZH_LOGIN = "/admin/login/"
EN_LOGIN = "/en/admin/login/"
HOME = "203.0.113.7"
ELSEWHERE = "198.51.100.20"

pytestmark = pytest.mark.django_db


def attempt(client, username, password, address=HOME, path=ZH_LOGIN):
    """Open the login page, then post the form with its CSRF token, from ``address``."""
    client.get(path, REMOTE_ADDR=address)
    data = {"csrfmiddlewaretoken": client.cookies["csrftoken"].value, "next": "/admin/"}
    if username is not None:
        data["username"] = username
    if password is not None:
        data["password"] = password
    return client.post(path, data, REMOTE_ADDR=address)


def fail(times, username="mei", address=HOME, path=ZH_LOGIN):
    client = Client(enforce_csrf_checks=True)
    return [attempt(client, username, "wrong", address, path) for _ in range(times)]


def log_in(username="mei", password=PASSWORD, address=HOME, path=ZH_LOGIN):
    return attempt(Client(enforce_csrf_checks=True), username, password, address, path)


def page(response):
    return response.content.decode().replace("\xa0", " ")


def logged_in(response):
    return response.status_code == 302 and "_auth_user_id" in response.client.session


def test_four_failures_then_the_right_password_logs_in_and_clears_the_count(editor):
    assert [response.status_code for response in fail(4)] == [200] * 4
    assert AccessAttempt.objects.get(username="mei").failures_since_start == 4

    assert logged_in(log_in())
    assert not AccessAttempt.objects.exists()
    # Counting starts again from nothing: four more failures still do not lock.
    assert [response.status_code for response in fail(4)] == [200] * 4
    assert logged_in(log_in())


def test_fifth_failure_locks_with_a_chinese_page(editor):
    *before, locked = fail(5)
    assert [response.status_code for response in before] == [200] * 4
    assert locked.status_code == 429
    assert locked["Retry-After"] == "900"
    html = page(locked)
    assert 'lang="zh-hans"' in html
    assert 'id="site-name"' in html  # the admin's header: the page looks like the admin
    assert 'id="login-form"' not in html
    assert "账户暂时锁定" in html
    assert "登录失败次数过多" in html
    assert "15 分钟" in html
    assert "管理员" in html


def test_fifth_failure_locks_with_an_english_page_under_en(editor):
    locked = fail(5, path=EN_LOGIN)[-1]
    assert locked.status_code == 429
    html = page(locked)
    assert 'lang="en"' in html
    assert "Account temporarily locked" in html
    assert "temporarily locked after too many failed login attempts" in html
    assert "try again in 15 minutes" in html
    assert "ask an administrator" in html


def test_the_page_states_the_configured_cool_off(editor, settings):
    settings.AXES_COOLOFF_TIME = datetime.timedelta(minutes=90)
    locked = fail(5, path=EN_LOGIN)[-1]
    assert locked.status_code == 429
    assert "try again in 1 hour, 30 minutes" in page(locked)
    assert locked["Retry-After"] == "5400"


def test_the_page_promises_no_restart_when_attempts_do_not_restart_the_wait(editor, settings):
    settings.AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
    html = page(fail(5, path=EN_LOGIN)[-1])
    assert "try again in 15 minutes." in html
    assert "starts the wait again" not in html


def test_the_right_password_is_refused_during_the_lock(editor):
    fail(5)
    response = log_in()
    assert response.status_code == 429
    assert "_auth_user_id" not in response.client.session
    assert response.client.get("/admin/", REMOTE_ADDR=HOME).status_code == 302  # to the login


def test_the_lock_holds_only_that_username_from_that_address(editor, viewer):
    fail(5)
    assert log_in().status_code == 429
    assert logged_in(log_in("wang"))  # another user, same address
    assert logged_in(log_in(address=ELSEWHERE))  # same user, another address
    assert fail(1, "wang")[0].status_code == 200  # the address itself is not blocked


def test_the_lock_ends_after_the_cool_off(editor):
    fail(5)
    cool_off = settings.AXES_COOLOFF_TIME

    def age_attempts_by(delta):
        AccessAttempt.objects.update(attempt_time=F("attempt_time") - delta)

    age_attempts_by(cool_off - datetime.timedelta(minutes=1))
    assert log_in().status_code == 429  # a minute early (and that attempt restarts the wait)
    age_attempts_by(cool_off + datetime.timedelta(seconds=1))
    assert logged_in(log_in())


def test_an_administrator_can_lift_the_lock(editor):
    fail(5)
    call_command("axes_reset_username", "mei")
    assert logged_in(log_in())


def test_the_cool_off_is_never_permanent():
    assert settings.AXES_COOLOFF_TIME.total_seconds() > 0  # None would lock for good


# NUL in a username or password is refused by the login form before authentication; in the
# User-Agent or Accept header it would still fail axes's insert on PostgreSQL, but gunicorn
# rejects control characters in headers before Django sees the request.
@pytest.mark.parametrize(
    ("username", "password"),
    [
        ("m" * 10_000, "wrong"),
        ("mei\x00", "wrong"),
        ("\x00", PASSWORD),
        ("mei", "wrong\x00"),
        (None, "wrong"),
        ("mei", None),
        (None, None),
        ("", ""),
    ],
    ids=[
        "long-username",
        "nul-in-username",
        "nul-username",
        "nul-in-password",
        "no-username",
        "no-password",
        "nothing",
        "empty",
    ],
)
def test_hostile_input_is_never_a_server_error(editor, username, password):
    client = Client(enforce_csrf_checks=True)
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        assert attempt(client, username, password).status_code in {200, 429}
    assert logged_in(log_in())  # and none of it locked the real user


def test_an_overlong_username_is_counted_and_locked_like_any_other(editor):
    statuses = [response.status_code for response in fail(5, "m" * 10_000)]
    assert statuses == [200] * 4 + [429]
    assert len(AccessAttempt.objects.get().username) == 255


def test_axes_reads_usernames_through_the_length_and_nul_safe_callable():
    """Without it a username over 255 characters is a server error on PostgreSQL."""
    assert settings.AXES_USERNAME_CALLABLE == "csrsite.lockout.username"


def test_behind_a_proxy_each_visitor_is_counted_at_their_own_address(editor, settings):
    """nginx connects from 127.0.0.1 for everyone and names the visitor in X-Real-IP."""
    settings.CLIENT_IP_HEADER = "X-Real-IP"
    client = Client(enforce_csrf_checks=True, HTTP_X_REAL_IP=ELSEWHERE)
    for _ in range(5):
        attempt(client, "mei", "wrong", address="127.0.0.1")
    assert AccessAttempt.objects.get().ip_address == ELSEWHERE
    # Mei, behind the same proxy at her own address, is not locked out by the stranger.
    mei = Client(enforce_csrf_checks=True, HTTP_X_REAL_IP=HOME)
    assert logged_in(attempt(mei, "mei", PASSWORD, address="127.0.0.1"))


def test_without_a_proxy_the_header_is_not_believed(editor, settings):
    settings.CLIENT_IP_HEADER = ""
    client = Client(enforce_csrf_checks=True, HTTP_X_REAL_IP=ELSEWHERE)
    for _ in range(5):
        attempt(client, "mei", "wrong", address=HOME)
    assert AccessAttempt.objects.get().ip_address == HOME
    # A new claimed address does not escape the lock.
    other = Client(enforce_csrf_checks=True, HTTP_X_REAL_IP="192.0.2.99")
    assert attempt(other, "mei", PASSWORD, address=HOME).status_code == 429


def test_a_header_that_is_not_an_address_falls_back_to_the_connection(editor, settings):
    settings.CLIENT_IP_HEADER = "X-Real-IP"
    client = Client(enforce_csrf_checks=True, HTTP_X_REAL_IP="'; DROP TABLE users; --")
    attempt(client, "mei", "wrong", address=HOME)
    assert AccessAttempt.objects.get().ip_address == HOME
