"""Who may do what in the admin: editors edit and publish, viewers only read, anonymous
visitors are sent to the login page. Posts go through CSRF checks, as on the live site."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from cases.models import Metric, Milestone, Project, Source
from tests.admin_pages import csrf_client, form_data, open_form, post_form
from tests.conftest import sign_in

pytestmark = pytest.mark.usefixtures("casebook", "db")


def admin_url(model, view, *args):
    return reverse(f"admin:cases_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def case(db):
    return Project.objects.get(slug="douyin-xunren")


@pytest.fixture
def cited_source(case):
    return Source.objects.filter(metrics__isnull=False).distinct().first()


@pytest.fixture
def uncited_source(db):
    return Source.objects.create(
        slug="unused-note",
        title_zh="未引用的文件",
        title_en="An unused note",
        kind="report",
        published_on=datetime.date(2024, 1, 1),
        published_precision="year",
    )


def test_roles_exist_with_their_permissions_after_migrating():
    editors = set(Group.objects.get(name="editors").permissions.values_list("codename", flat=True))
    viewers = set(Group.objects.get(name="viewers").permissions.values_list("codename", flat=True))

    assert {"change_project", "publish_project", "add_metric", "delete_metric"} <= editors
    assert not {"delete_project", "delete_company", "change_user", "add_user"} & editors
    assert viewers == {codename for codename in editors if codename.startswith("view_")}


@pytest.mark.parametrize(
    "path",
    ["/admin/", "/admin/cases/project/", "/admin/cases/metric/add/", "/admin/cases/source/1/"],
)
def test_anonymous_visitor_is_sent_to_login(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_anonymous_post_changes_nothing(client, case):
    response = client.post(admin_url(Project, "change", case.pk), {"summary_en": "Vandalised"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.summary_en != "Vandalised"


def test_viewer_reads_cases_and_figures(viewer_client, case):
    assert viewer_client.get(admin_url(Project, "changelist")).status_code == 200
    page = viewer_client.get(admin_url(Project, "change", case.pk))
    assert page.status_code == 200
    content = page.content.decode()
    assert "抖音寻人" in content
    assert 'name="_save"' not in content
    assert 'name="opened_version"' not in content


def test_viewer_cannot_save_a_case(viewer, case):
    client = csrf_client(viewer)
    url = admin_url(Project, "change", case.pk)
    data = form_data(client.get(url))

    response = client.post(url, {**data, "summary_en": "Viewer's edit"})

    assert response.status_code == 403
    case.refresh_from_db()
    assert case.summary_en != "Viewer's edit"


@pytest.mark.parametrize("model", [Project, Metric, Milestone, Source])
def test_viewer_cannot_add(viewer_client, model):
    assert viewer_client.get(admin_url(model, "add")).status_code == 403


def test_viewer_cannot_delete_or_revert(viewer, case):
    client = csrf_client(viewer)
    figure = case.metrics.first()
    client.get(admin_url(Metric, "changelist"))
    assert client.post(admin_url(Metric, "delete", figure.pk), {"post": "yes"}).status_code == 403
    record = figure.history.first()
    revert = admin_url(Metric, "simple_history", figure.pk, record.history_id)
    page = client.get(revert)
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert client.post(revert, form_data(page)).status_code == 403
    assert Metric.objects.filter(pk=figure.pk).exists()


def test_viewer_cannot_publish(viewer, case):
    client = csrf_client(viewer)
    changelist = admin_url(Project, "changelist")
    token = form_data(client.get(changelist))["csrfmiddlewaretoken"]
    client.post(
        changelist,
        {"action": "unpublish", "_selected_action": [case.pk], "csrfmiddlewaretoken": token},
    )
    case.refresh_from_db()
    assert case.status == Project.Status.PUBLISHED


def test_viewer_cannot_reach_user_accounts(viewer_client):
    assert viewer_client.get("/admin/auth/user/").status_code == 403


def test_editor_changes_a_case(editor, case):
    client = csrf_client(editor)
    url = admin_url(Project, "change", case.pk)

    response = post_form(client, url, open_form(client, url), summary_en="Edited summary")

    assert response.status_code == 302
    case.refresh_from_db()
    assert case.summary_en == "Edited summary"


def test_editor_cannot_delete_a_case(editor, case):
    client = csrf_client(editor)
    client.get(admin_url(Project, "changelist"))
    response = client.post(admin_url(Project, "delete", case.pk), {"post": "yes"})
    assert response.status_code == 403
    assert Project.objects.filter(pk=case.pk).exists()


def test_editor_cannot_manage_users(editor_client):
    assert editor_client.get("/admin/auth/user/").status_code == 403
    assert editor_client.get("/admin/auth/group/").status_code == 403


def test_editor_cannot_delete_a_cited_source(editor, cited_source):
    client = csrf_client(editor)
    url = admin_url(Source, "delete", cited_source.pk)
    page = client.get(url)
    assert page.status_code == 200
    assert "受保护" in page.content.decode()  # the admin at /admin/ speaks Chinese

    client.post(
        url, {"post": "yes", "csrfmiddlewaretoken": form_data(page).get("csrfmiddlewaretoken", "")}
    )

    assert Source.objects.filter(pk=cited_source.pk).exists()


def test_source_cited_only_by_a_case_is_protected_too(editor, case, uncited_source):
    case.sources.add(uncited_source)
    client = csrf_client(editor)
    url = admin_url(Source, "delete", uncited_source.pk)

    page = client.get(url)
    client.post(
        url, {"post": "yes", "csrfmiddlewaretoken": form_data(page).get("csrfmiddlewaretoken", "")}
    )

    assert "抖音寻人" in page.content.decode()
    assert Source.objects.filter(pk=uncited_source.pk).exists()


def test_editor_deletes_a_source_nothing_cites(editor, uncited_source):
    client = csrf_client(editor)
    url = admin_url(Source, "delete", uncited_source.pk)
    token = form_data(client.get(url))["csrfmiddlewaretoken"]

    response = client.post(url, {"post": "yes", "csrfmiddlewaretoken": token})

    assert response.status_code == 302
    assert not Source.objects.filter(pk=uncited_source.pk).exists()


def test_post_without_csrf_token_is_refused(editor, case):
    client = csrf_client(editor)
    url = admin_url(Project, "change", case.pk)
    data = open_form(client, url)
    del data["csrfmiddlewaretoken"]

    response = client.post(url, {**data, "summary_en": "Forged"})

    assert response.status_code == 403
    case.refresh_from_db()
    assert case.summary_en != "Forged"


def test_staff_without_a_role_sees_no_cases(client, db):
    from django.contrib.auth import get_user_model

    nobody = get_user_model().objects.create_user("zhao", is_staff=True)
    sign_in(client, nobody)
    assert client.get(admin_url(Project, "changelist")).status_code == 403
