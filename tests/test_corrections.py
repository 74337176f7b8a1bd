"""Readers' reports of a wrong figure or case: the public form (CSRF, honeypot, per-address
limit, hostile input), the editors' queue in the admin, and the note on the figure's public
history once an accepted report names the edit that fixed it."""

from decimal import Decimal

import pytest
from django.test import Client

from cases.models import Correction, Metric
from tests.admin_pages import open_form, post_form

pytestmark = pytest.mark.django_db

REUNITED = "douyin-xunren-people-reunited-2024-06-13"
FIGURE_FORM = f"/figures/{REUNITED}/report/"
CASE_FORM = "/cases/douyin-xunren/report/"
EMAIL = "reader.lin@example.org"


def reports():
    """Reports about 抖音寻人 and its figures: those the tests send (the casebook holds one
    declined report about another case)."""
    return Correction.objects.filter(case__slug="douyin-xunren")


@pytest.fixture
def reader():
    """An anonymous reader at one address."""
    return Client(REMOTE_ADDR="203.0.113.21")


def report(**fields):
    return {"what_is_wrong": "文件第20页写的是22,860人。", "evidence": "", "email": "", **fields}


def test_a_reader_reports_a_figure_and_is_thanked(casebook, reader):
    form = reader.get(FIGURE_FORM)
    assert form.status_code == 200
    assert "报告此数据的问题" in form.content.decode() and "22,859人" in form.content.decode()
    assert "private" in form["Cache-Control"] or "no-cache" in form["Cache-Control"]
    sent = reader.post(FIGURE_FORM, report(evidence="https://example.org/p20", email=EMAIL))
    assert sent.status_code == 302 and sent["Location"] == f"/figures/{REUNITED}/report/sent/"
    assert "感谢你的报告" in reader.get(sent["Location"]).content.decode()
    stored = reports().get()
    assert stored.figure.slug == REUNITED and stored.case.slug == "douyin-xunren"
    assert (stored.status, stored.email, stored.evidence) == (
        "new",
        EMAIL,
        "https://example.org/p20",
    )


def test_a_reader_reports_a_case_in_english(casebook, reader):
    form = reader.get("/en" + CASE_FORM).content.decode()
    assert "Report a problem with this case" in form and "What is wrong?" in form
    sent = reader.post("/en" + CASE_FORM, report(what_is_wrong="The launch year is 2016."))
    assert sent["Location"] == "/en/cases/douyin-xunren/report/sent/"
    stored = reports().get()
    assert stored.case.slug == "douyin-xunren" and stored.figure is None


def test_case_page_offers_the_report_form(casebook, client):
    assert f'href="{CASE_FORM}"' in client.get("/cases/douyin-xunren/").content.decode()


def test_drafts_and_unknown_records_have_no_report_form(casebook, reader):
    assert reader.get("/cases/tencent-village-affairs-platform/report/").status_code == 404
    assert (
        reader.post("/cases/tencent-village-affairs-platform/report/", report()).status_code == 404
    )
    assert reader.get("/figures/no-such-figure/report/").status_code == 404
    assert not reports().exists()


def test_a_filled_honeypot_is_thanked_and_nothing_is_stored(casebook, reader):
    form = reader.get(FIGURE_FORM).content.decode()
    assert 'class="trap-field" aria-hidden="true"' in form and 'tabindex="-1"' in form
    sent = reader.post(FIGURE_FORM, report(website="http://spam.example"))
    assert sent.status_code == 302 and sent["Location"].endswith("/report/sent/")
    assert not reports().exists()


def test_a_post_without_the_csrf_token_is_refused(casebook):
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(FIGURE_FORM, report()).status_code == 403
    assert not reports().exists()


def test_reports_over_the_address_limit_get_the_429_page(casebook, reader, settings):
    settings.CASEBOOK_RATE_LIMITS = {**settings.CASEBOOK_RATE_LIMITS, "correction": "2/h"}
    assert [reader.post(FIGURE_FORM, report()).status_code for _ in range(2)] == [302, 302]
    refused = reader.post(CASE_FORM, report())
    assert refused.status_code == 429 and refused["Retry-After"] == "3600"
    assert "请求过于频繁" in refused.content.decode()
    assert "Too many requests" in reader.post("/en" + FIGURE_FORM, report()).content.decode()
    assert reader.get(FIGURE_FORM).status_code == 200, "reading the form is not limited"
    other = Client(REMOTE_ADDR="203.0.113.22")
    assert other.post(FIGURE_FORM, report()).status_code == 302
    assert reports().count() == 3


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"what_is_wrong": "错" * 2001}, "请控制在2000个字符以内（现有2001个）"),
        ({"what_is_wrong": "x" * 200_000}, "请控制在2000个字符以内"),
        ({"evidence": "https://example.org/" + "a" * 1000}, "请控制在1000个字符以内"),
        ({"what_is_wrong": "22,860\x00人"}, "空字符（NUL）"),
        ({"evidence": "见\x1b[31m第20页"}, "不可见的控制字符"),
        ({"email": "not-an-address"}, "这不是可以回复的电子邮箱地址"),
        ({"email": "a@b@example.org"}, "这不是可以回复的电子邮箱地址"),
        ({"what_is_wrong": "   "}, "请说明哪里有误"),
    ],
)
def test_hostile_or_huge_input_is_refused_with_a_message_and_nothing_stored(
    casebook, reader, fields, message
):
    refused = reader.post(FIGURE_FORM, report(**fields))
    html = refused.content.decode()
    assert refused.status_code == 200
    assert "报告未发送" in html and message in html
    assert not reports().exists()


def test_refusals_are_explained_in_english_on_english_pages(casebook, reader):
    html = reader.post("/en" + FIGURE_FORM, report(email="nope", what_is_wrong="")).content.decode()
    assert "The report was not sent" in html
    assert "Please say what is wrong." in html and "not an e-mail address" in html
    assert 'aria-invalid="true"' in html


def test_the_email_is_never_shown_on_public_pages(casebook, reader):
    reader.post(FIGURE_FORM, report(email=EMAIL))
    reader.post(CASE_FORM, report(email=EMAIL))
    assert reports().filter(email=EMAIL).count() == 2
    for url in [
        f"/figures/{REUNITED}/",
        f"/en/figures/{REUNITED}/",
        "/cases/douyin-xunren/",
        f"/figures/{REUNITED}/report/sent/",
        "/cases/douyin-xunren/report/sent/",
        FIGURE_FORM,
    ]:
        assert EMAIL not in reader.get(url).content.decode(), url


def new_report(figure_slug=REUNITED, **fields):
    figure = Metric.objects.get(slug=figure_slug)
    return Correction.objects.create(
        figure=figure, case=figure.project, what_is_wrong="应为22,860人", email=EMAIL, **fields
    )


def fix_value(figure_slug=REUNITED):
    figure = Metric.objects.get(slug=figure_slug)
    figure.value, figure.original_wording = Decimal("22860"), "22,860人"
    figure.save()
    return figure.history.latest()


def change_url(correction):
    return f"/admin/cases/correction/{correction.pk}/change/"


def decide(client, correction, **changes):
    """Open the report in the admin and save it with `changes`, as an editor's browser would."""
    fields = open_form(client, change_url(correction))
    return post_form(client, change_url(correction), fields, **changes)


def test_editors_see_the_queue_newest_first_with_the_count_of_new_ones(
    casebook, editor_client, viewer_client
):
    older = new_report()
    newer = new_report("douyin-xunren-alerts-sent-2024-06-13")
    new_report(status=Correction.Status.DECLINED)
    listing = editor_client.get("/admin/cases/correction/")
    html = listing.content.decode()
    assert listing.status_code == 200
    assert "读者报告（2条待处理）" in html
    assert html.index(change_url(newer)) < html.index(change_url(older))
    assert "status__exact=new" in html, "the status filter"
    assert editor_client.get(change_url(older)).status_code == 200
    assert EMAIL in editor_client.get(change_url(older)).content.decode()
    assert editor_client.get("/admin/cases/correction/add/").status_code == 403
    assert viewer_client.get("/admin/cases/correction/").status_code == 200, "viewers read"
    viewer_form = viewer_client.get(change_url(older)).content.decode()
    assert 'name="_save"' not in viewer_form and 'name="status"' not in viewer_form


def test_accepting_a_report_with_its_fix_shows_the_note_in_the_public_history(
    casebook, editor_client, client
):
    correction = new_report()
    fix = fix_value()
    response = decide(
        editor_client,
        correction,
        status="accepted",
        reply_note="已按报告第20页更正。",
        fixed_by=str(fix.history_id),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    correction.refresh_from_db()
    assert correction.status == "accepted" and correction.fixed_by_id == fix.history_id
    assert correction.decided_at is not None
    assert correction.history.count() == 2, "the editor's decision is in the report's history"
    html = client.get(f"/figures/{REUNITED}/").content.decode()
    history = html[html.index('id="history"') :]
    assert "根据读者报告更正" in history and "<ins>22,860人</ins>" in history
    assert "已按报告第20页更正" not in html


def test_the_fix_is_chosen_among_edits_of_the_reported_figure_since_the_report(
    casebook, editor_client
):
    fix_value()  # an edit before the report is not its fix
    correction = new_report()
    other_edit = fix_value("douyin-xunren-alerts-sent-2024-06-13")
    fix = fix_value()
    form = editor_client.get(change_url(correction)).content.decode()
    offered = form[
        form.index('name="fixed_by"') : form.index("</select>", form.index('name="fixed_by"'))
    ]
    assert offered.count("<option") == 2, "the empty choice and the one edit since the report"
    assert f'value="{fix.history_id}"' in offered
    refused = decide(
        editor_client, correction, status="accepted", fixed_by=str(other_edit.history_id)
    )
    assert refused.status_code == 200
    correction.refresh_from_db()
    assert correction.status == "new" and correction.fixed_by is None


def test_a_declined_report_cannot_name_a_fix(casebook, editor_client):
    correction = new_report()
    fix = fix_value()
    refused = decide(editor_client, correction, status="declined", fixed_by=str(fix.history_id))
    assert refused.status_code == 200 and "先采纳报告" in refused.content.decode()
    declined = decide(
        editor_client, correction, status="declined", reply_note="文件写的是22,859人。"
    )
    assert declined.status_code == 302
    correction.refresh_from_db()
    assert correction.status == "declined" and correction.decided_at is not None


@pytest.mark.parametrize("count", [3, 30])
def test_the_queue_runs_the_same_queries_for_3_reports_as_for_30(
    casebook, editor_client, django_assert_num_queries, count
):
    for number in range(count):
        new_report(status=["new", "accepted", "declined"][number % 3])
    # With the editor's session, account and second factor, as the other admin lists count.
    with django_assert_num_queries(10):
        assert editor_client.get("/admin/cases/correction/").status_code == 200
