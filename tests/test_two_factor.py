"""Two-factor sign-in for staff: the password alone reaches nothing but the second step; the
app's code or a recovery code (once each) completes it; an account sets up its app only while
an operator has opened that; `reset_two_factor` starts again after a lost phone."""

import re
from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from cases.models import Project
from csrsite import two_factor
from tests.conftest import PASSWORD, current_code, sign_in, staff_member

pytestmark = pytest.mark.usefixtures("casebook", "db")

LOGIN = "/en/admin/login/"
SECOND_STEP = "/en/admin/two-factor/"


def text(response):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def password_step(client, username="mei", password=PASSWORD, next_url=None):
    data = {"username": username, "password": password}
    if next_url is not None:
        data["next"] = next_url
    return client.post(LOGIN + (f"?next={next_url}" if next_url else ""), data)


def code_step(client, code, next_url=None):
    data = {"code": code}
    if next_url is not None:
        data["next"] = next_url
    return client.post(SECOND_STEP, data)


def code_for(device):
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits).token():06d}"


# Signing in ---------------------------------------------------------------------------


def test_the_password_alone_leads_to_the_second_step_and_nowhere_else(editor):
    client = Client()

    response = password_step(client)

    assert response.status_code == 302
    assert response["Location"].startswith(SECOND_STEP)
    for path in ["/en/admin/", "/en/admin/cases/project/", "/en/admin/cases/metric/import/"]:
        blocked = client.get(path)
        assert blocked.status_code == 302, path
        assert "/login/" in blocked["Location"], path
    # The login page itself sends a half-signed-in editor on to the second step.
    assert client.get(LOGIN)["Location"].startswith(SECOND_STEP)


def test_the_code_completes_the_sign_in_and_goes_where_the_editor_was_going(editor):
    client = Client()
    step = password_step(client, next_url="/en/admin/cases/project/")

    page = client.get(step["Location"])
    assert "Now enter the code your authenticator app shows" in text(page)
    done = code_step(client, current_code(editor), next_url="/en/admin/cases/project/")

    assert done.status_code == 302 and done["Location"] == "/en/admin/cases/project/"
    assert client.get("/en/admin/cases/project/").status_code == 200


@pytest.mark.parametrize(
    "unsafe",
    ["https://evil.example/", "//evil.example/admin/", "/\\evil.example", "javascript:alert(1)"],
)
def test_an_unsafe_next_leads_to_the_admin_index(editor, unsafe):
    client = Client()
    password_step(client, next_url=unsafe)

    done = code_step(client, current_code(editor), next_url=unsafe)

    assert done["Location"] == "/en/admin/"
    assert client.get(done["Location"]).status_code == 200


def test_a_wrong_code_is_refused_with_a_message_in_each_language(editor):
    client = Client()
    password_step(client)

    wrong = code_step(client, "000000" if current_code(editor) != "000000" else "111111")

    assert wrong.status_code == 200
    assert "That code is not right, or was already used." in text(wrong)
    assert client.get("/en/admin/").status_code == 302
    chinese = client.post("/admin/two-factor/", {"code": "12"})
    assert "请输入" in text(chinese)


@pytest.mark.parametrize(
    "junk", ["", "abc", "1234567", "12 34 5", "<script>", "０１２３４５", "x" * 500]
)
def test_malformed_codes_get_a_clear_message_and_never_a_500(editor, junk):
    client = Client()
    password_step(client)

    response = code_step(client, junk)

    assert response.status_code == 200
    assert response.context["form"].errors["code"]


def test_a_code_works_once(editor):
    device = two_factor.TOTPDevice.objects.get(user=editor)
    current_code(editor)  # forget earlier uses
    code = code_for(device)
    first = Client()
    password_step(first)
    assert code_step(first, code).status_code == 302

    second = Client()
    password_step(second)
    replay = code_step(second, code)

    assert replay.status_code == 200
    assert "was already used" in text(replay)


def test_wrong_codes_make_the_next_try_wait(editor):
    client = Client()
    password_step(client)
    code_step(client, "000001")
    code_step(client, "000002")
    code_step(client, "000003")

    waiting = code_step(client, current_code_without_reset(editor))

    assert "Too many wrong codes: wait" in text(waiting)
    assert client.get("/en/admin/").status_code == 302


def current_code_without_reset(user):
    return code_for(TOTPDevice.objects.get(user=user, confirmed=True))


def test_signing_out_from_the_second_step(editor):
    client = Client()
    password_step(client)

    response = client.post(SECOND_STEP, {"sign_out": "1"})

    assert response.status_code == 302 and "/login/" in response["Location"]
    assert "_auth_user_id" not in client.session


def test_the_second_step_needs_the_password_first(editor):
    response = Client().get(SECOND_STEP)

    assert response.status_code == 302 and "/login/" in response["Location"]


def test_a_viewer_needs_the_second_factor_too(viewer):
    client = Client()
    password_step(client, username="wang")
    assert client.get("/en/admin/cases/project/").status_code == 302

    code_step(client, current_code(viewer))

    assert client.get("/en/admin/cases/project/").status_code == 200


def test_a_superuser_needs_the_second_factor_too():
    boss = get_user_model().objects.create_superuser("boss", "boss@example.org", PASSWORD)
    client = Client()

    password_step(client, username="boss")

    assert client.get("/en/admin/").status_code == 302
    # No app and enrolment not opened: told to ask an operator.
    page = client.get(SECOND_STEP)
    assert page.status_code == 403
    assert "reset_two_factor boss" in text(page)
    call_command("reset_two_factor", "boss", stdout=StringIO())
    assert client.get(SECOND_STEP).status_code == 302  # the reset ended the session
    password_step(client, username="boss")
    assert "Set up two-factor sign-in" in text(client.get(SECOND_STEP))
    assert boss.is_superuser


def test_drafts_are_previewed_only_with_both_factors(editor):
    Project.objects.filter(slug="douyin-xunren").update(status=Project.Status.DRAFT)
    client = Client()
    password_step(client)

    assert client.get("/cases/douyin-xunren/").status_code == 404
    code_step(client, current_code(editor))
    assert client.get("/cases/douyin-xunren/").status_code == 200


# Recovery codes -----------------------------------------------------------------------


@pytest.fixture
def codes(editor):
    return two_factor.new_recovery_codes(editor)


def test_a_recovery_code_signs_in_once_and_says_how_many_are_left(editor, codes):
    client = Client()
    password_step(client)

    done = code_step(client, codes[0].upper()[:4] + " " + codes[0][4:])

    assert done.status_code == 302
    page = client.get(done["Location"], follow=True)
    assert "You signed in with a recovery code; 9 are left." in text(page)
    again = Client()
    password_step(again)
    assert "was already used" in text(code_step(again, codes[0]))


def test_new_recovery_codes_replace_the_old_ones(editor_client, editor, codes):
    page = editor_client.get("/en/admin/two-factor/recovery-codes/")
    assert "You have 10 unused recovery codes." in text(page)

    made = editor_client.post("/en/admin/two-factor/recovery-codes/")

    new = [code.replace(" ", "") for code in made.context["codes"]]
    assert len(new) == 10 and not set(new) & set(codes)
    assert set(
        StaticToken.objects.filter(device__user=editor).values_list("token", flat=True)
    ) == set(new)


def test_the_admin_links_to_the_recovery_codes(editor_client):
    assert (
        "/en/admin/two-factor/recovery-codes/" in editor_client.get("/en/admin/").content.decode()
    )


# Setting up the app -------------------------------------------------------------------


@pytest.fixture
def newcomer():
    """Li, made with createeditor: no app yet, enrolment opened."""
    call_command("createeditor", "li", "--no-input", stdout=StringIO())
    user = get_user_model().objects.get(username="li")
    user.set_password(PASSWORD)
    user.save()
    return user


def test_a_new_account_sets_up_its_app_then_gets_recovery_codes(newcomer):
    client = Client()
    password_step(client, username="li")

    page = client.get(SECOND_STEP)
    assert page.status_code == 200
    assert "Set up two-factor sign-in" in text(page)
    device = TOTPDevice.objects.get(user=newcomer, confirmed=False)
    assert 'src="data:image/svg+xml;base64,' in page.content.decode()
    assert (
        page.context["secret"].replace(" ", "")
        in two_factor.base64.b32encode(device.bin_key).decode()
    )
    assert "It appears in the app as CSI Casebook (li)." in text(page)

    assert "That code is not right" in text(
        code_step(client, "000000" if code_for(device) != "000000" else "111111")
    )
    device.refresh_from_db()
    device.throttling_failure_count = 0
    device.save()
    done = code_step(client, code_for(device))

    assert done.status_code == 200
    assert len(done.context["codes"]) == 10
    assert "They are shown only now" in text(done)
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/en/admin/cases/project/").status_code == 200


def test_setting_up_takes_no_recovery_code(newcomer):
    client = Client()
    password_step(client, username="li")

    response = code_step(client, "abcdefgh")

    assert "Enter the 6 digits your app shows." in text(response)


def test_enrolment_closes_after_its_days(newcomer, settings):
    settings.TWO_FACTOR_ENROLMENT_DAYS = 7
    TOTPDevice.objects.filter(user=newcomer).update(created_at=timezone.now() - timedelta(days=8))
    client = Client()
    password_step(client, username="li")

    page = client.get(SECOND_STEP)

    assert page.status_code == 403
    assert "setting one up is not open for it" in text(page)


def test_an_account_with_an_app_cannot_set_up_another_with_the_password_alone(editor):
    client = Client()
    password_step(client)

    page = client.get(SECOND_STEP)

    assert "data:image/svg+xml" not in page.content.decode()
    assert TOTPDevice.objects.filter(user=editor).count() == 1


# reset_two_factor ---------------------------------------------------------------------


def test_reset_forgets_the_app_and_codes_ends_sessions_and_opens_enrolment(editor, codes):
    signed_in = sign_in(Client(), editor)
    assert signed_in.get("/en/admin/").status_code == 200
    old_device = TOTPDevice.objects.get(user=editor)
    out = StringIO()

    call_command("reset_two_factor", "mei", stdout=out)

    assert (
        "Forgot its authenticator app and recovery codes; mei sets up an authenticator app"
        in out.getvalue()
    )
    assert "Signed-in sessions ended: 1." in out.getvalue()
    assert signed_in.get("/en/admin/").status_code == 302
    assert not TOTPDevice.objects.filter(pk=old_device.pk).exists()
    assert not StaticToken.objects.filter(device__user=editor).exists()
    assert TOTPDevice.objects.get(user=editor).confirmed is False
    client = Client()
    password_step(client)
    assert "Set up two-factor sign-in" in text(client.get(SECOND_STEP))


def test_reset_refuses_unknown_and_non_staff_accounts():
    get_user_model().objects.create_user("reader", password=PASSWORD)

    with pytest.raises(CommandError, match="There is no account “ghost”"):
        call_command("reset_two_factor", "ghost")
    with pytest.raises(CommandError, match="not a staff account"):
        call_command("reset_two_factor", "reader")


def test_createeditor_says_a_new_account_sets_up_its_app(db):
    out = StringIO()

    call_command("createeditor", "li", "--no-input", stdout=out)

    assert (
        "li sets up an authenticator app for two-factor sign-in at the first sign-in, "
        "within 7 days of now." in out.getvalue()
    )
    assert two_factor.waiting_device(get_user_model().objects.get(username="li")) is not None


def test_createeditor_leaves_an_existing_app_alone(editor):
    device = TOTPDevice.objects.get(user=editor)

    call_command("createeditor", "mei", "--no-input", stdout=StringIO())

    assert list(TOTPDevice.objects.filter(user=editor)) == [device]


def test_the_migration_opened_enrolment_for_existing_staff(db):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("cases.migrations.0009_open_two_factor_enrolment")
    old = get_user_model().objects.create_user("old", is_staff=True)
    reader = get_user_model().objects.create_user("reader")
    with_app = staff_member("has-app", "editors")

    migration.open_enrolment_for_existing_staff(apps, None)

    assert two_factor.waiting_device(old) is not None
    assert not TOTPDevice.objects.filter(user=reader).exists()
    assert TOTPDevice.objects.filter(user=with_app).count() == 1


# Idle sessions ------------------------------------------------------------------------


def test_a_staff_session_ends_after_the_idle_time_and_activity_extends_it(editor_client, settings):
    from django.contrib.sessions.models import Session

    from csrsite import idle

    assert settings.SESSION_COOKIE_AGE == 60 * 60

    def last_seen_a_minute_ago():
        session = editor_client.session
        session[idle.SEEN] -= idle.RENEW_EVERY
        session.save()
        Session.objects.filter(pk=key).update(expire_date=timezone.now() + timedelta(minutes=5))

    key = editor_client.session.session_key
    last_seen_a_minute_ago()

    editor_client.get("/en/admin/")  # activity: the hour starts again

    renewed = Session.objects.get(pk=key).expire_date
    assert renewed > timezone.now() + timedelta(minutes=59)
    # Within the minute, activity does not write the session again.
    Session.objects.filter(pk=key).update(expire_date=timezone.now() + timedelta(minutes=5))
    editor_client.get("/en/admin/")
    assert Session.objects.get(pk=key).expire_date < timezone.now() + timedelta(minutes=6)
    last_seen_a_minute_ago()
    Session.objects.filter(pk=key).update(expire_date=timezone.now() - timedelta(seconds=1))

    assert editor_client.get("/en/admin/").status_code == 302


def test_anonymous_readers_get_no_session(client):
    response = client.get("/cases/")

    assert "sessionid" not in response.cookies


def test_signing_out_from_new_recovery_codes_makes_no_more_codes(editor_client, editor, codes):
    made = editor_client.post("/en/admin/two-factor/recovery-codes/")
    shown = {code.replace(" ", "") for code in made.context["codes"]}
    form = re.search(
        r'<form method="post" action="([^"]+)" class="sign-out">', made.content.decode()
    )

    editor_client.post(form.group(1), {"sign_out": "1"})

    assert (
        set(StaticToken.objects.filter(device__user=editor).values_list("token", flat=True))
        == shown
    )
    assert editor_client.get("/en/admin/").status_code == 302
