"""A reader reports a wrong figure on a phone; an editor corrects the figure in the admin and
accepts the report, naming that edit; the figure's public page then shows the new value and
says it was corrected after a reader's report."""

import re
from pathlib import Path

import pytest

from tests.browser import expect
from tests.conftest import staff_member
from tests.test_admin_journey import log_in

pytestmark = pytest.mark.browser

FIGURE = "/figures/douyin-xunren-people-reunited-2024-06-13/"
SHOTS = Path("/tmp/shots")
PHONE = {"width": 375, "height": 740}


def phone_page(new_context, problems):
    """A page in a fresh phone browser (no cache, no cookies) whose console errors and
    Content-Security-Policy refusals land in `problems`."""
    page = new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    return page


def fits_the_screen(page):
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_a_readers_report_leads_to_a_corrected_figure(
    live_server, site_data, page, new_context, run_axe, console_errors
):
    from cases.models import Correction

    SHOTS.mkdir(parents=True, exist_ok=True)
    problems = []
    reader = phone_page(new_context, problems)
    reader.goto(live_server.url + FIGURE)
    expect(reader.get_by_role("heading", level=1)).to_have_text("累计帮助团圆人数")
    expect(reader.locator(".figure-page-value")).to_contain_text("22,859人")
    assert fits_the_screen(reader)
    assert run_axe(reader) == []
    reader.screenshot(path=SHOTS / "figure-375.png", full_page=True)
    for path in ["/en/figures/alibaba-rural-envoys-county-sales-2023/", "/en" + FIGURE + "report/"]:
        reader.goto(live_server.url + path)
        assert fits_the_screen(reader), path
        assert run_axe(reader) == [], path
    expect(reader.get_by_role("heading", level=1)).to_have_text("Report a problem with this figure")
    reader.screenshot(path=SHOTS / "report-form-en-375.png", full_page=True)
    reader.goto(live_server.url + FIGURE)

    reader.get_by_role("link", name="报告此数据的问题").click()
    expect(reader.get_by_role("heading", level=1)).to_have_text("报告此数据的问题")
    reader.get_by_label("哪里有误？").fill("报告第20页写的是22,860人，不是22,859人。")
    reader.get_by_label("你的电子邮箱（选填）").fill("reader.lin@example.org")
    assert fits_the_screen(reader)
    assert run_axe(reader) == []
    reader.screenshot(path=SHOTS / "report-form-375.png", full_page=True)
    reader.get_by_role("button", name="发送报告").click()
    expect(reader.get_by_role("heading", level=1)).to_have_text("感谢你的报告")
    assert Correction.objects.get(figure__slug=FIGURE.split("/")[2]).status == "new"

    staff_member("mei", "editors")
    log_in(page, live_server, "mei")
    page.goto(live_server.url + "/admin/cases/correction/")
    expect(page.locator("#content h1")).to_contain_text("1条待处理")
    page.locator("#result_list tbody tr a").first.click()
    expect(page.locator(".field-email")).to_contain_text("reader.lin@example.org")

    page.get_by_role("link", name="在后台编辑").click()
    page.locator('input[name="value"]').fill("22860")
    page.locator('input[name="original_wording"]').fill("22,860人")
    page.get_by_role("button", name="保存", exact=True).first.click()
    expect(page.locator(".messagelist .success")).to_be_visible()

    page.goto(live_server.url + "/admin/cases/correction/")
    page.locator("#result_list tbody tr a").first.click()
    page.locator('select[name="status"]').select_option("accepted")
    page.locator('textarea[name="reply_note"]').fill("已按报告第20页更正。")
    fixes = page.locator('select[name="fixed_by"] option')
    expect(fixes).to_have_count(2)  # the empty choice and the one edit since the report
    expect(fixes.nth(1)).to_contain_text("mei")
    page.locator('select[name="fixed_by"]').select_option(index=1)
    page.get_by_role("button", name="保存", exact=True).first.click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/admin/cases/correction/$"))

    # A reader who has not seen the page before, so that nothing comes from a browser cache.
    later = phone_page(new_context, problems)
    later.goto(live_server.url + FIGURE)
    expect(later.locator(".figure-page-value")).to_contain_text("22,860人")
    latest = later.locator(".figure-history > li").first
    expect(latest).to_contain_text("根据读者报告更正")
    expect(latest.locator("ins").first).to_have_text("22,860人")
    expect(later.get_by_text("reader.lin@example.org")).to_have_count(0)
    assert fits_the_screen(later)
    later.screenshot(path=SHOTS / "figure-corrected-375.png", full_page=True)
    assert console_errors == [] and problems == []
