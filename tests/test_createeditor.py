"""`manage.py createeditor`: staff accounts in exactly one role, never superusers."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.test import Client

from cases.management.commands import createeditor
from tests.conftest import sign_in

GOOD = "tidal-ferry-lantern-47"
STAFF_PASSWORD = "correct horse battery staple"  # the conftest users' password

pytestmark = pytest.mark.django_db
User = get_user_model()


class Terminal(io.StringIO):
    def isatty(self):
        return True


@pytest.fixture
def typed(monkeypatch):
    """`typed("a", "b", ...)`: what the person types at each password prompt, in order."""
    answers = []
    prompts = []

    def fake_getpass(prompt="Password: "):
        prompts.append(prompt)
        if not answers:
            pytest.fail(f"unexpected password prompt {prompt!r}")
        return answers.pop(0)

    monkeypatch.setattr(createeditor.getpass, "getpass", fake_getpass)

    def type_in(*passwords):
        answers.extend(passwords)
        return prompts

    return type_in


def run(*args, interactive=True):
    out, err = io.StringIO(), io.StringIO()
    if interactive:
        call_command("createeditor", *args, stdout=out, stderr=err, stdin=Terminal())
    else:
        call_command("createeditor", *args, "--no-input", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def sets_up(username):
    """What createeditor says of a new account's two-factor sign-in."""
    return (
        f"{username} sets up an authenticator app for two-factor sign-in at the first sign-in, "
        "within 7 days of now.\n"
    )


def roles(user):
    return sorted(user.groups.values_list("name", flat=True))


def test_a_reviewer_is_an_editor_who_may_also_confirm_assessments(typed):
    typed(GOOD, GOOD)
    out, _ = run("zhao", "--reviewer")

    zhao = User.objects.get(username="zhao")
    assert out == "Created editor zhao (staff, in “editors” and “reviewers”).\n" + sets_up("zhao")
    assert roles(zhao) == ["editors", "reviewers"]
    assert zhao.has_perm("cases.review_assessment") and zhao.has_perm("cases.add_assessment")
    plain, _ = run("li", "--no-input")
    assert not User.objects.get(username="li").has_perm("cases.review_assessment")


def test_a_new_editor_can_open_the_cases_but_not_the_users(typed):
    typed(GOOD, GOOD)
    out, _ = run("li", "--email", "li@example.org")

    li = User.objects.get(username="li")
    assert out == "Created editor li (staff, in “editors”).\n" + sets_up("li")
    assert li.is_staff and li.is_active and not li.is_superuser
    assert li.email == "li@example.org"
    assert roles(li) == ["editors"]
    assert li.check_password(GOOD)

    client = Client()
    sign_in(client, li)
    assert client.get("/admin/cases/project/").status_code == 200
    assert client.get("/admin/cases/project/add/").status_code == 200
    assert client.get("/admin/auth/user/").status_code == 403


def test_the_password_works_at_the_admin_login(typed):
    typed(GOOD, GOOD)
    run("li")
    client = Client()
    response = client.post("/admin/login/", {"username": "li", "password": GOOD, "next": "/admin/"})
    assert response.status_code == 302
    # The password is right; the new account sets up its authenticator app next.
    assert response["Location"].startswith("/admin/two-factor/")
    assert "设置双重验证登录" in client.get(response["Location"]).content.decode()


def test_a_new_viewer_reads_but_cannot_add(typed):
    typed(GOOD, GOOD)
    out, _ = run("zhao", "--viewer")

    zhao = User.objects.get(username="zhao")
    assert out == "Created viewer zhao (staff, in “viewers”).\n" + sets_up("zhao")
    assert zhao.is_staff and not zhao.is_superuser
    assert roles(zhao) == ["viewers"]
    client = Client()
    sign_in(client, zhao)
    assert client.get("/admin/cases/project/").status_code == 200
    assert client.get("/admin/cases/project/add/").status_code == 403
    assert client.get("/admin/auth/user/").status_code == 403


def test_switching_roles_leaves_one_role_and_keeps_the_password(editor):
    out, _ = run("mei", "--viewer", interactive=False)
    assert out == "Updated viewer mei (staff, in “viewers”, removed from “editors”).\n"
    editor.refresh_from_db()
    assert roles(editor) == ["viewers"]
    assert editor.check_password(STAFF_PASSWORD)

    run("mei", interactive=False)
    assert roles(editor) == ["editors"]


def test_an_existing_user_is_updated_not_duplicated(editor):
    other = Group.objects.create(name="newsletter")
    editor.groups.add(other)
    editor.is_staff = False
    editor.is_active = False
    editor.save()

    out, _ = run("mei", "--email", "mei@new.example.org", interactive=False)

    assert out == "Updated editor mei (staff, in “editors”).\n"
    assert User.objects.filter(username="mei").count() == 1
    editor.refresh_from_db()
    assert editor.email == "mei@new.example.org"
    assert editor.is_staff and editor.is_active and not editor.is_superuser
    assert roles(editor) == ["editors", "newsletter"]  # groups outside the roles stay
    assert editor.check_password(STAFF_PASSWORD)


def test_an_existing_user_may_keep_or_change_the_password(editor, typed):
    prompts = typed("")
    run("mei")
    assert prompts == ["Password (empty keeps the current one): "]
    editor.refresh_from_db()
    assert editor.check_password(STAFF_PASSWORD)

    typed(GOOD, GOOD)
    run("mei")
    editor.refresh_from_db()
    assert editor.check_password(GOOD)


def test_mismatched_passwords_ask_again(typed):
    prompts = typed(GOOD, "tidal-ferry-lantern-48", GOOD, GOOD)
    _, err = run("li")
    assert prompts == ["Password: ", "Password (again): "] * 2
    assert "The two passwords do not match; try again." in err
    assert User.objects.get(username="li").check_password(GOOD)


def test_a_weak_password_is_explained_and_asked_again(typed):
    typed("12345", "12345", "li", "li", GOOD, GOOD)
    _, err = run("li")
    assert "This password is too short. It must contain at least 8 characters." in err
    assert "This password is entirely numeric." in err
    assert "The password is too similar to the username." in err
    assert User.objects.get(username="li").check_password(GOOD)


def test_three_failed_tries_change_nothing(typed):
    typed("a", "b", "c", "d", "e", "f")
    with pytest.raises(CommandError, match="No acceptable password after 3 tries"):
        run("li")
    assert not User.objects.filter(username="li").exists()


def test_no_input_leaves_no_usable_password_and_says_how_to_set_one():
    out, _ = run("li", interactive=False)
    li = User.objects.get(username="li")
    assert not li.has_usable_password()
    assert roles(li) == ["editors"]
    assert "python manage.py changepassword li" in out
    assert out.count("\n") == 3


def test_prompting_needs_a_terminal(db):
    with pytest.raises(CommandError, match="Not running in a terminal.*--no-input"):
        call_command("createeditor", "li", stdin=io.StringIO())
    assert not User.objects.filter(username="li").exists()


@pytest.mark.parametrize("username", ["", "   "])
def test_an_empty_username_is_refused(username):
    with pytest.raises(CommandError, match="The username cannot be empty"):
        run(username, interactive=False)


@pytest.mark.parametrize("username", ["mei li", "mei!", "m" * 151])
def test_an_invalid_username_is_refused(username):
    with pytest.raises(CommandError, match="is not a valid username"):
        run(username, interactive=False)
    assert not User.objects.exists()


def test_an_invalid_email_is_refused():
    with pytest.raises(CommandError, match="not a valid email address"):
        run("li", "--email", "li-at-example", interactive=False)


def test_missing_groups_say_to_migrate():
    Group.objects.filter(name="viewers").delete()
    with pytest.raises(CommandError, match="run `python manage.py migrate` first"):
        run("li", interactive=False)
    assert not User.objects.exists()


@pytest.mark.parametrize("flags", [[], ["--viewer"]])
def test_a_superuser_is_not_demoted(flags):
    root = User.objects.create_superuser("root", "root@example.org", STAFF_PASSWORD)
    with pytest.raises(CommandError, match="root is a superuser.*does not demote superusers"):
        run("root", *flags, interactive=False)
    root.refresh_from_db()
    assert root.is_superuser
    assert roles(root) == []
