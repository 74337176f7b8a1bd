"""The admin: every list and form opens for a superuser, and search finds both languages."""

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse

from tests.conftest import sign_in

REGISTERED = sorted(
    (model for model in admin.site._registry if model._meta.app_label == "cases"),
    key=lambda model: model.__name__,
)


@pytest.fixture
def superuser_client(client, casebook, db):
    Group.objects.create(name="proofreaders")
    user = get_user_model().objects.create_superuser("admin", "admin@example.org", "pw")
    sign_in(client, user)
    return client


def url_for(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model.__name__)
def test_changelist_opens(superuser_client, model):
    response = superuser_client.get(url_for(model, "changelist"))
    assert response.status_code == 200


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model.__name__)
def test_add_form_opens(superuser_client, model):
    assert superuser_client.get(url_for(model, "add")).status_code == 200


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model.__name__)
def test_change_form_opens(superuser_client, model):
    record = model.objects.first()
    if record is None:
        pytest.fail(f"the fixtures hold no {model.__name__} to open")
    assert superuser_client.get(url_for(model, "change", record.pk)).status_code == 200


def test_case_change_form_edits_figures_and_milestones_inline(superuser_client):
    from cases.models import Project

    project = Project.objects.get(slug="douyin-xunren")
    response = superuser_client.get(url_for(Project, "change", project.pk))
    content = response.content.decode()
    assert 'id="metrics-group"' in content
    assert 'id="milestones-group"' in content
    assert 'id="partnerships-group"' in content
    assert "22859" in content


@pytest.mark.parametrize("term", ["寻人", "Missing Person", "头条寻人", "抖音集团", "Douyin"])
def test_case_search_finds_chinese_and_english(superuser_client, term):
    from cases.models import Project

    response = superuser_client.get(url_for(Project, "changelist"), {"q": term})
    assert response.context["cl"].result_count == 1


def test_company_autocomplete_answers(superuser_client):
    response = superuser_client.get(
        reverse("admin:autocomplete"),
        {"term": "抖音", "app_label": "cases", "model_name": "project", "field_name": "company"},
    )
    assert response.status_code == 200
    assert [item["text"] for item in response.json()["results"]] == ["抖音集团 / Douyin Group"]


def test_admin_speaks_english_under_en_prefix(superuser_client):
    response = superuser_client.get("/en/admin/cases/project/")
    assert response.status_code == 200
    assert "Select case to change" in response.content.decode()
    chinese = superuser_client.get("/admin/cases/project/").content.decode()
    assert "选择 案例 来修改" in chinese


def test_anonymous_visitor_is_sent_to_login(client, db):
    response = client.get("/admin/cases/project/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_login_page_opens(client, db):
    assert client.get("/admin/login/").status_code == 200
