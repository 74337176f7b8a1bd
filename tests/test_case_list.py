"""/cases/: filters, facet counts, search, chips, sorting, paging and bad input, on the tests'
small casebook."""

import re
from datetime import date

import pytest
from django.urls import reverse

from cases.models import Project

pytestmark = pytest.mark.django_db


def slugs(response):
    return [case.slug for case in response.context["page"].object_list]


def facet(response, name):
    return {
        option.value: option
        for option in next(f for f in response.context["facets"] if f.name == name).options
    }


def errors(response):
    return {name: list(messages) for name, messages in response.context["filter"].errors.items()}


@pytest.fixture
def cases_url():
    return reverse("cases:case_list")


def test_lists_only_published_cases(client, casebook, cases_url):
    response = client.get(cases_url)
    assert response.status_code == 200
    assert response.context["page"].paginator.count == Project.objects.published().count()
    draft = Project.objects.filter(status="draft").first()
    assert draft.name_zh not in response.content.decode()


def test_filters_by_issue(client, casebook, cases_url):
    response = client.get(cases_url, {"issue": "social-assistance"})
    assert "douyin-xunren" in slugs(response)
    assert all(
        case.issues.filter(slug="social-assistance").exists()
        for case in response.context["page"].object_list
    )


def test_repeated_parameter_selects_any_of_its_values(client, casebook, cases_url):
    one = set(slugs(client.get(cases_url, {"issue": "social-assistance"})))
    other = set(slugs(client.get(cases_url, {"issue": "green-consumption"})))
    both = set(slugs(client.get(cases_url, {"issue": ["social-assistance", "green-consumption"]})))
    assert one and other
    assert both == one | other


def test_a_group_slug_also_matches_its_subsidiaries_cases(client, casebook, cases_url):
    response = client.get(cases_url, {"company": "alibaba"})
    companies = {case.company.slug for case in response.context["page"].object_list}
    assert "alibaba" in companies
    assert companies - {"alibaba"}, "a subsidiary's case (e.g. 高德) is listed under its group"
    assert all(
        case.company.slug == "alibaba" or case.company.parent.slug == "alibaba"
        for case in response.context["page"].object_list
    )


def test_filters_by_sdg_number(client, casebook, cases_url):
    response = client.get(cases_url, {"sdg": "16"})
    assert slugs(response)
    for case in response.context["page"].object_list:
        assert case.issues.filter(sdgs__number=16).exists()


def test_filters_by_launch_years(client, casebook, cases_url):
    response = client.get(cases_url, {"launched_from": "2019", "launched_to": "2021"})
    years = {case.launched_on.year for case in response.context["page"].object_list}
    assert years and years <= {2019, 2020, 2021}


def test_filters_by_trigger_and_mechanism(client, casebook, cases_url):
    response = client.get(cases_url, {"trigger": "incidental", "mechanism": "product"})
    assert "douyin-xunren" in slugs(response)
    assert all(
        (case.trigger, case.mechanism) == ("incidental", "product")
        for case in response.context["page"].object_list
    )


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("寻人", "douyin-xunren"),  # two characters inside the case name
        ("养老", None),  # two characters inside case texts
        ("Missing Person", "douyin-xunren"),  # the English name, any case
        ("字节跳动", "douyin-xunren"),  # the lead company's group
        ("社会救助", "douyin-xunren"),  # an issue name
    ],
)
def test_search_matches_names_aliases_issues_and_texts(client, casebook, cases_url, term, expected):
    found = slugs(client.get(cases_url, {"q": term}))
    assert found, f"{term} finds nothing"
    if expected:
        assert expected in found


def test_search_needs_every_word(client, casebook, cases_url):
    assert slugs(client.get(cases_url, {"q": "寻人 绿色包装"})) == []


def test_facet_counts_follow_the_other_filters(client, casebook, cases_url):
    response = client.get(cases_url, {"trigger": "incidental"})
    issues = facet(response, "issue")
    incidental = Project.objects.published().filter(trigger="incidental")
    assert (
        issues["social-assistance"].count
        == incidental.filter(issues__slug="social-assistance").count()
    )
    # A facet's own selection does not narrow its counts, so other values stay choosable.
    triggers = facet(response, "trigger")
    assert (
        triggers["planned"].count == Project.objects.published().filter(trigger="planned").count()
    )
    assert triggers["incidental"].selected


def test_company_facet_counts_a_group_with_its_subsidiaries(client, casebook, cases_url):
    companies = facet(client.get(cases_url), "company")
    published = Project.objects.published()
    assert companies["alibaba"].count == (
        published.filter(company__slug="alibaba").count()
        + published.filter(company__parent__slug="alibaba").count()
    )
    assert companies["alibaba"].count > companies["amap"].count > 0
    assert companies["amap"].note  # a subsidiary names its group


def test_facet_links_add_and_remove_a_value(client, casebook, cases_url):
    response = client.get(cases_url, {"issue": "social-assistance", "page": "1"})
    option = facet(response, "issue")["social-assistance"]
    assert option.selected
    assert "issue=social-assistance" not in option.url
    assert "page=" not in option.url
    other = next(o for o in facet(response, "trigger").values())
    assert "issue=social-assistance" in other.url


def test_active_filters_show_as_removable_chips(client, casebook, cases_url):
    response = client.get(cases_url, {"issue": "social-assistance", "q": "寻人"})
    chips = {chip.name: chip for chip in response.context["chips"]}
    assert chips["issue"].label == "社会救助"
    assert "q=" in chips["issue"].url and "issue=" not in chips["issue"].url
    assert "issue=social-assistance" in chips["q"].url and "q=" not in chips["q"].url
    html = response.content.decode()
    assert "社会救助" in html and "search" not in html.split("<title>")[0]


def test_the_number_of_results_is_shown(client, casebook, cases_url):
    response = client.get(cases_url, {"issue": "social-assistance"})
    count = response.context["page"].paginator.count
    assert re.search(rf'id="results-title"[^>]*>\s*{count}\s*个案例', response.content.decode())


@pytest.mark.parametrize(
    ("sort", "key"),
    [
        # Cases whose launch date the sources do not give come last.
        ("launched", lambda case: (case.launched_on is None, case.launched_on or date.min)),
        ("-figures", lambda case: -case.figure_count),
    ],
)
def test_sorts_cases(client, casebook, cases_url, sort, key):
    cases = list(client.get(cases_url, {"sort": sort}).context["page"].object_list)
    assert len({key(case) for case in cases}) > 2, "the casebook has cases to put in order"
    assert [key(case) for case in cases] == sorted(key(case) for case in cases)


def test_newest_first_puts_the_latest_launch_on_top_and_unknown_dates_last(
    client, casebook, cases_url
):
    cases = list(client.get(cases_url, {"sort": "-launched"}).context["page"].object_list)
    known = [case.launched_on for case in cases if case.launched_on]
    assert cases[0].launched_on == max(known)
    assert cases[-1].launched_on is None
    assert [case.launched_on for case in cases[: len(known)]] == sorted(known, reverse=True)


def test_a_case_without_a_launch_date_is_listed_and_says_so(client, casebook, cases_url):
    for path, words in [
        (cases_url, "出处文件未载明发起日期"),
        ("/en/cases/", "launch date not given in the sources"),
    ]:
        html = client.get(path).content.decode()
        card = html.split('cases/tencent-tianlai-action/"')[1].split("</article>")[0]
        assert words in card


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"issue": "no-such-issue"}, "issue", "没有议题“no-such-issue”"),
        ({"company": "<b>evil</b>"}, "company", "没有公司"),
        ({"sdg": "abc"}, "sdg", "“abc”不是目标编号"),
        ({"sdg": "99"}, "sdg", "没有目标“99”"),
        ({"launched_from": "twenty"}, "launched_from", "四位数"),
        ({"launched_to": "9" * 40}, "launched_to", "2100"),
        ({"launched_from": "2016.5"}, "launched_from", "四位数"),
        ({"launched_from": "2022", "launched_to": "2018"}, "launched_to", "早于"),
        ({"trigger": "'; DROP TABLE cases_project; --"}, "trigger", "没有触发方式"),
        ({"mechanism": "magic"}, "mechanism", "没有机制"),
        ({"sort": "password"}, "sort", "不能按"),
        ({"q": "寻" * 1000}, "q", "最多搜索100个字符"),
        ({"q": "a\x00b"}, "q", "不允许"),
        ({"company": "tencent\x00"}, "company", "不允许"),
        ({"issue": "\x00"}, "issue", "不允许"),
    ],
)
def test_bad_values_get_a_clear_message_next_to_the_filter(
    client, casebook, cases_url, params, field, message
):
    response = client.get(cases_url, params)
    assert response.status_code == 200
    assert field in errors(response)
    assert message in " ".join(errors(response)[field])
    html = response.content.decode()
    assert 'class="field-error"' in html
    assert "<b>evil</b>" not in html


def test_a_bad_value_is_left_out_and_the_good_ones_still_apply(client, casebook, cases_url):
    response = client.get(cases_url, {"issue": "social-assistance", "sdg": "abc"})
    assert slugs(response) == slugs(client.get(cases_url, {"issue": "social-assistance"}))
    invalid = [chip for chip in response.context["chips"] if not chip.valid]
    assert [chip.label for chip in invalid] == ["abc"]


@pytest.mark.parametrize(
    "value",
    ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "' OR 1=1 --", "%_%"],
)
def test_hostile_search_text_is_escaped_and_matches_literally(client, casebook, cases_url, value):
    response = client.get(cases_url, {"q": value, "issue": value})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>alert(1)" not in html
    assert "<img src=x" not in html
    assert slugs(response) == []


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("abc", "不是页码"),
        ("0", "不是页码"),
        ("-3", "不是页码"),
        ("999999", "没有第999999页"),
        ("9" * 5000, "不是页码"),
    ],
)
def test_unusable_page_numbers_show_a_page_and_say_why(
    client, casebook, cases_url, number, message
):
    response = client.get(cases_url, {"page": number})
    assert response.status_code == 200
    assert message in response.context["page_message"]
    assert response.context["page"].object_list


def test_an_empty_result_says_so(client, casebook, cases_url):
    response = client.get(cases_url, {"q": "没有这样的案例xyz"})
    assert response.context["page"].paginator.count == 0
    assert "没有符合这些条件的已发布案例" in response.content.decode()


def test_a_search_of_many_words_still_answers(client, casebook, cases_url):
    """Fifty one-character words fit in the 100-character limit; each must still match."""
    response = client.get(cases_url, {"q": "寻 " * 50, "sort": "-figures", "company": "bytedance"})
    assert response.status_code == 200
    assert "douyin-xunren" in slugs(response)


def sql_size(client, params):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get("/cases/", params).status_code == 200
    return sum(len(query["sql"]) for query in queries.captured_queries)


def test_the_work_a_search_can_cause_is_bounded(client, casebook, cases_url):
    """Repeats, one-letter words and words past the fifth add nothing to the queries."""
    one_word = sql_size(client, {"q": "寻人"})
    fifty_letters = sql_size(client, {"q": " ".join(["a"] * 50)})
    many_words = sql_size(client, {"q": " ".join(f"w{n}" for n in range(20))})
    five_words = sql_size(client, {"q": " ".join(f"w{n}" for n in range(5))})
    assert fifty_letters <= sql_size(client, {})
    assert many_words == five_words < 6 * one_word


def test_a_search_says_which_words_it_left_out(client, casebook, cases_url):
    response = client.get(cases_url, {"q": "寻人 a 寻人 b"})
    assert "douyin-xunren" in slugs(response)
    assert (
        "Words too short to search for were left out: a b."
        in client.get("/en/cases/", {"q": "寻人 a 寻人 b"}).content.decode()
    )
    html = client.get(cases_url, {"q": "一 二 三 四 五 六 七"}).content.decode()
    assert "只搜索了前5个词，未搜索：六 七。" in html
    assert slugs(client.get(cases_url, {"q": "a"})) == []
