"""Browser journeys through the admin: an editor changes a figure and finds the change on
the public page and in the history; a viewer can look but not save."""

import re

import pytest

from tests.browser import expect
from tests.conftest import PASSWORD, current_code, staff_member

pytestmark = pytest.mark.browser


def log_in(page, live_server, username):
    """Sign in as the admin asks: the password, then the code the account's app shows."""
    from django.contrib.auth import get_user_model

    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(re.compile(r"/admin/two-factor/"))
    user = get_user_model().objects.get(username=username)
    page.get_by_label("验证码").fill(current_code(user))
    page.get_by_role("button", name="验证").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))


def open_case(page):
    page.get_by_role("link", name="案例", exact=True).first.click()
    page.get_by_role("searchbox").fill("寻人")
    page.get_by_role("button", name="搜索").click()
    page.get_by_role("link", name="抖音寻人", exact=True).click()
    expect(page.get_by_role("heading", level=2).first).to_contain_text("抖音寻人")


def test_editor_changes_a_figure_and_sees_it_public_and_in_history(
    live_server, site_data, page, console_errors
):
    staff_member("mei", "editors")
    log_in(page, live_server, "mei")
    open_case(page)

    wording = page.locator('input[name$="-original_wording"][value="22,859人"]')
    prefix = wording.get_attribute("name").removesuffix("-original_wording")
    label = page.locator(f'input[name="{prefix}-label_zh"]')
    old_label = label.input_value()
    label.fill("累计帮助走失者与家人团圆人数")
    page.get_by_role("button", name="保存", exact=True).first.click()
    expect(page.locator(".messagelist .success")).to_contain_text("抖音寻人")

    page.goto(live_server.url + "/cases/douyin-xunren/")
    expect(page.locator(".figure", has_text="累计帮助走失者与家人团圆人数").first).to_be_visible()
    expect(page.get_by_text(old_label, exact=True)).to_have_count(0)

    page.goto(live_server.url + "/admin/cases/metric/?q=22%2C859")
    page.locator("#result_list tbody tr a").first.click()
    page.get_by_role("link", name="历史").click()
    history = page.locator("#change-history")
    latest = history.locator("tbody tr").first
    expect(latest).to_contain_text("mei")
    expect(latest).to_contain_text(old_label)
    expect(latest).to_contain_text("累计帮助走失者与家人团圆人数")
    expect(history.locator("tbody tr")).to_have_count(2)
    assert console_errors == []


def test_viewer_reads_a_case_but_has_nothing_to_save(live_server, site_data, page):
    staff_member("wang", "viewers")
    log_in(page, live_server, "wang")
    open_case(page)

    expect(page.get_by_text("22,859人").first).to_be_visible()
    expect(page.locator('input[name$="-label_zh"]')).to_have_count(0)
    expect(page.get_by_role("button", name="保存", exact=True)).to_have_count(0)
    expect(page.locator('input[name="_save"]')).to_have_count(0)

    page.get_by_role("link", name="历史").click()
    page.locator("#change-history tbody tr a").first.click()
    expect(page.locator('input[name="_save"]')).to_have_count(0)


def test_four_eyes_an_editor_proposes_a_reviewer_confirms_and_readers_see_it(
    live_server, site_data, page, context, console_errors
):
    from django.contrib.auth.models import Group

    from cases.models import IndexIndicator, Project

    staff_member("mei", "editors")
    staff_member("zhao", "editors").groups.add(Group.objects.get(name="reviewers"))
    case = Project.objects.get(slug="tencent-tianlai-action")
    statement = IndexIndicator.objects.get(slug="csr-statement")
    evidence = "文件点明老年人听力障碍这一具体问题。"
    public_page = live_server.url + case.get_absolute_url()

    log_in(page, live_server, "mei")
    page.goto(
        f"{live_server.url}/admin/cases/assessment/add/?project={case.pk}&indicator={statement.pk}"
    )
    page.get_by_label("等级").select_option("2")
    page.get_by_label("依据（中文）").fill(evidence)
    page.get_by_label("依据（英文）").fill("The document names hearing loss in older people.")
    page.get_by_role("button", name="保存", exact=True).first.click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    page.goto(public_page)
    expect(page.get_by_text(evidence)).to_have_count(0)

    context.clear_cookies()
    log_in(page, live_server, "zhao")
    page.goto(live_server.url + "/admin/cases/assessment/?status__exact=proposed")
    row = page.locator("#result_list tbody tr", has_text="天籁行动")
    row.locator('input[name="_selected_action"]').check()
    page.locator('select[name="action"]').select_option("confirm")
    page.locator('button[name="index"]').click()
    expect(page.locator(".messagelist .success")).to_contain_text("已确认并公开")

    page.goto(public_page)
    scorecard = page.locator("#scorecard")
    expect(scorecard.get_by_text(evidence)).to_be_hidden()  # the levels and evidence start closed
    scorecard.locator("details.scorecard-details > summary").click()
    expect(scorecard.get_by_text(evidence)).to_be_visible()
    expect(scorecard.locator(".scorecard-row", has_text="明确的社会责任宣示")).to_contain_text(
        "2/2"
    )
    assert console_errors == []


def test_a_new_editor_sets_up_two_factor_sign_in_on_a_phone(
    live_server, site_data, page, console_errors, run_axe, tmp_path
):
    """A new account: the password, then the app set up from the key on the page, the
    recovery codes, and the admin; every step fits a 375 px screen."""
    import base64

    from django_otp.oath import TOTP

    from csrsite import two_factor

    user = staff_member("li", "editors")
    two_factor.open_enrolment(user)  # as createeditor does for a new account
    page.set_viewport_size({"width": 375, "height": 740})

    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("用户名").fill("li")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()

    expect(page.get_by_role("heading", name="设置双重验证登录")).to_be_visible()
    qr = page.get_by_role("img", name="用于在身份验证器应用中添加此账户的二维码")
    expect(qr).to_be_visible()
    assert qr.evaluate("image => image.naturalWidth") > 0  # the data: URL decodes to an image
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert run_axe(page) == []
    page.screenshot(path=tmp_path / "enrol-375.png", full_page=True)
    secret = page.locator(".two-factor-secret").inner_text().replace(" ", "")
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))

    page.get_by_label("验证码").fill("000000" if TOTP(key).token() != 0 else "111111")
    page.get_by_role("button", name="完成设置").click()
    expect(page.locator(".errornote")).to_contain_text("验证码不正确")
    two_factor.TOTPDevice.objects.filter(user=user).update(throttling_failure_count=0)
    page.get_by_label("验证码").fill(f"{TOTP(key).token():06d}")
    page.get_by_role("button", name="完成设置").click()

    expect(page.get_by_role("heading", name="你的恢复码")).to_be_visible()
    assert page.locator(".recovery-codes li").count() == 10
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert run_axe(page) == []
    page.screenshot(path=tmp_path / "recovery-codes-375.png", full_page=True)
    first_code = page.locator(".recovery-codes li").first.inner_text()
    page.get_by_role("link", name="已保存，继续").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))

    # Signed out, the account signs in again with a recovery code in place of the app's.
    page.get_by_role("button", name="注销").click()
    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("用户名").fill("li")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name="双重验证登录")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert run_axe(page) == []
    page.screenshot(path=tmp_path / "verify-375.png", full_page=True)
    page.get_by_label("验证码").fill(first_code)
    page.get_by_role("button", name="验证").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))
    expect(page.locator(".messagelist")).to_contain_text("你使用恢复码登录了，还剩 9 个")
    assert console_errors == []
