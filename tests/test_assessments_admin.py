"""Index assessments in the admin: an editor proposes, a second account with the review
permission confirms, and only then is a level public. Derived levels are read-only."""

import pytest
from django.urls import reverse

from cases.models import Assessment, IndexIndicator, Project
from tests.admin_pages import csrf_client, form_data, open_form, post_form

pytestmark = pytest.mark.usefixtures("casebook", "db")

ADD = reverse("admin:cases_assessment_add")
CHANGELIST = reverse("admin:cases_assessment_changelist")


def propose(client, case, indicator, level, evidence="文件写明了项目的社会问题。"):
    data = open_form(client, ADD)
    return post_form(
        client,
        ADD,
        data,
        project=str(case.pk),
        indicator=str(indicator.pk),
        level=str(level),
        evidence_zh=evidence,
        evidence_en="The document names the programme's social problem.",
    )


def confirm(client, assessments):
    token = form_data(client.get(CHANGELIST))["csrfmiddlewaretoken"]
    return client.post(
        CHANGELIST,
        {
            "action": "confirm",
            "_selected_action": [assessment.pk for assessment in assessments],
            "csrfmiddlewaretoken": token,
        },
        follow=True,
    )


@pytest.fixture
def tianlai():
    return Project.objects.get(slug="tencent-tianlai-action")


@pytest.fixture
def statement():
    return IndexIndicator.objects.get(slug="csr-statement")


def test_an_editors_assessment_is_a_proposal_and_not_public(client, editor, tianlai, statement):
    response = propose(csrf_client(editor), tianlai, statement, 2)

    assert response.status_code == 302
    proposal = Assessment.objects.get(project=tianlai, indicator=statement)
    assert proposal.status == "proposed" and proposal.proposed_by == editor
    page = client.get(tianlai.get_absolute_url()).content.decode()
    assert "The document names the programme" not in page and "文件写明了项目的社会问题" not in page


def test_a_reviewer_confirms_and_the_level_is_public(client, editor, reviewer, tianlai, statement):
    propose(csrf_client(editor), tianlai, statement, 2)
    proposal = Assessment.objects.get(project=tianlai, indicator=statement)

    response = confirm(csrf_client(reviewer), [proposal])

    assert "1 项评估已确认并公开。" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == "confirmed" and proposal.reviewed_by == reviewer
    assert "文件写明了项目的社会问题" in client.get(tianlai.get_absolute_url()).content.decode()


def test_nobody_confirms_their_own_proposal(reviewer, tianlai, statement):
    client = csrf_client(reviewer)
    propose(client, tianlai, statement, 1)
    proposal = Assessment.objects.get(project=tianlai, indicator=statement)

    response = confirm(client, [proposal])

    assert "是你自己的提议" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == "proposed"


def test_an_editor_without_the_review_permission_cannot_confirm(editor, tianlai, statement):
    other = Assessment.objects.create(
        project=tianlai,
        indicator=statement,
        level=1,
        evidence_zh="理由",
        evidence_en="Why",
        status="proposed",
    )
    actions = csrf_client(editor).get(CHANGELIST).context["action_form"].fields["action"]
    assert "confirm" not in {value for value, _label in actions.choices}
    confirm(csrf_client(editor), [other])
    other.refresh_from_db()
    assert other.status == "proposed"


def test_changing_a_confirmed_level_proposes_a_new_one_and_keeps_the_old_public(
    client, editor, reviewer
):
    confirmed = Assessment.objects.get(
        project__slug="amap-wheelchair-navigation",
        indicator__slug="csr-statement",
        status="confirmed",
    )
    client_editor = csrf_client(editor)
    url = reverse("admin:cases_assessment_change", args=[confirmed.pk])
    response = post_form(
        client_editor, url, open_form(client_editor, url), level="1", evidence_zh="重新评估"
    )

    assert response.status_code == 302
    confirmed.refresh_from_db()
    assert confirmed.level == 2 and confirmed.status == "confirmed"
    proposal = Assessment.objects.get(
        project=confirmed.project, indicator=confirmed.indicator, status="proposed"
    )
    assert proposal.level == 1
    confirm(csrf_client(reviewer), [proposal])
    assert list(
        Assessment.objects.filter(
            project=confirmed.project, indicator=confirmed.indicator
        ).values_list("status", "level")
    ) == [("confirmed", 1)]
    assert confirmed.history.first().history_type == "-"


def test_a_level_needs_its_evidence_and_only_assessed_indicators_are_offered(
    editor, tianlai, statement
):
    client = csrf_client(editor)
    offered = client.get(ADD).context["adminform"].form
    assert set(offered.fields["indicator"].queryset.values_list("method", flat=True)) == {
        "assessed"
    }
    response = post_form(
        client,
        ADD,
        form_data(client.get(ADD)),
        project=str(tianlai.pk),
        indicator=str(statement.pk),
        level="2",
        evidence_zh="",
        evidence_en="",
    )
    assert response.status_code == 200
    assert "每个等级都要有依据" in response.content.decode()
    assert not Assessment.objects.filter(project=tianlai, indicator=statement).exists()


def test_derived_levels_are_read_only_and_a_viewer_proposes_nothing(viewer_client, editor_client):
    derived = Assessment.objects.filter(derived=True).first()
    url = reverse("admin:cases_assessment_change", args=[derived.pk])
    page = editor_client.get(url)
    assert page.status_code == 200 and not page.context["has_change_permission"]
    assert viewer_client.get(ADD).status_code == 403
