"""/cases/: filters, facet counts, search, chips, sorting, paging and bad input, on the tests'
small casebook."""

import re
from datetime import date
from pathlib import Path

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
def test_hostile_search_text_is_escaped_and_searched_only_as_words(
    client, casebook, cases_url, value
):
    """Markup and SQL are neither run nor interpreted: a search looks for the words in them
    (`OR` in "' OR 1=1 --"), exactly as it would without the punctuation around them."""
    response = client.get(cases_url, {"q": value, "issue": value})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>alert(1)" not in html
    assert "<img src=x" not in html
    words = " ".join(re.findall(r"[A-Za-z0-9]+", value))
    as_words = client.get(cases_url, {"q": words, "issue": value}) if words.strip() else None
    assert slugs(response) == (slugs(as_words) if as_words else [])


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
    assert "没有与“没有这样的案例xyz”匹配的内容。" in response.content.decode()
    response = client.get(cases_url, {"issue": "education", "trigger": "incidental"})
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
    sql_size(client, {"q": "w0"})  # a search finding nothing caches the names it suggests from
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


# The filter panel, long facets and the sort order --------------------------------------


def facet_html(html, name):
    """The HTML of one facet's section."""
    start = html.index(f'<section class="facet" aria-labelledby="facet-{name}">')
    return html[start : html.index("</section>", start)]


@pytest.fixture
def many_issues(casebook):
    """Ten more issues, all addressed by one published case, so the issue facet is long."""
    from cases.models import SocialIssue

    case = Project.objects.published().get(slug="douyin-xunren")
    issues = [
        SocialIssue.objects.create(slug=f"extra-{n}", name_zh=f"附加议题{n}", name_en=f"Extra {n}")
        for n in range(10)
    ]
    case.issues.add(*issues)
    return issues


def test_the_filter_panel_is_closed_in_the_markup_so_a_phone_does_not_shift(
    client, casebook, cases_url
):
    """The panel is never sent open: a wide screen shows its body through CSS instead."""
    html = client.get(cases_url, {"issue": "social-assistance"}).content.decode()
    panel = re.search(r'<details class="filters-panel"[^>]*>', html).group(0)
    assert "open" not in panel
    css = (Path(__file__).resolve().parent.parent / "static/css/site.css").read_text()
    assert ".filters-panel::details-content { content-visibility: visible; }" in css


def test_a_long_facet_shows_its_top_options_and_the_rest_behind_show_all(
    client, many_issues, cases_url
):
    from cases.facets import FACET_TOP

    response = client.get(cases_url)
    issue_facet = next(f for f in response.context["facets"] if f.name == "issue")
    assert len(issue_facet.shown) == FACET_TOP
    assert len(issue_facet.shown) + len(issue_facet.more) == len(issue_facet.options)
    counts = [option.count for option in issue_facet.options]
    assert min(o.count for o in issue_facet.shown) >= max(o.count for o in issue_facet.more)
    section = facet_html(response.content.decode(), "issue")
    shown_part, more_part = section.split('<details class="facet-more">')
    links = re.compile(r'class="facet-option[ "]')
    assert len(links.findall(shown_part)) == FACET_TOP
    assert len(links.findall(more_part)) == len(counts) - FACET_TOP
    assert f"显示全部 {len(counts)} 项" in more_part
    # Every option is a link the reader can reach: nothing is cut off in a scroll box.
    for option in issue_facet.options:
        assert f'data-value="{option.value}"' in section


def test_a_selected_option_stays_in_view_however_few_cases_it_has(client, many_issues, cases_url):
    unselected = next(f for f in client.get(cases_url).context["facets"] if f.name == "issue")
    assert "extra-9" in [option.value for option in unselected.more]
    response = client.get(cases_url, {"issue": "extra-9"})
    issue_facet = next(f for f in response.context["facets"] if f.name == "issue")
    assert "extra-9" in [option.value for option in issue_facet.shown]
    shown_part = facet_html(response.content.decode(), "issue").split("facet-more")[0]
    assert 'data-value="extra-9"' in shown_part


def test_a_very_long_facet_keeps_its_other_options_a_link_away(
    client, many_issues, cases_url, monkeypatch
):
    """Hundreds of companies would weigh the page down: past FACET_INLINE hidden options,
    "show all" is a link that asks for that facet whole, and "show fewer" undoes it."""
    from cases import facets

    monkeypatch.setattr(facets, "FACET_INLINE", 3)
    collapsed = client.get(cases_url, {"sort": "-launched"})
    section = facet_html(collapsed.content.decode(), "issue")
    issue_facet = next(f for f in collapsed.context["facets"] if f.name == "issue")
    assert "<details" not in section and len(issue_facet.hidden) > 3
    assert len(re.findall(r'class="facet-option[ "]', section)) == facets.FACET_TOP
    link = re.search(r'<p class="facet-more"><a href="([^"]+)">显示全部 (\d+) 项</a>', section)
    assert int(link.group(2)) == len(issue_facet.options)
    expand_url = link.group(1).replace("&amp;", "&")
    assert "sort=-launched" in expand_url and expand_url.endswith("#facet-issue")

    expanded = client.get(cases_url + expand_url.split("#")[0])
    section = facet_html(expanded.content.decode(), "issue")
    assert len(re.findall(r'class="facet-option[ "]', section)) == len(issue_facet.options)
    fewer = re.search(r'<p class="facet-more"><a href="([^"]+)">收起</a>', section)
    assert "all=" not in fewer.group(1) and "sort=-launched" in fewer.group(1)
    company = facet_html(expanded.content.decode(), "company")
    assert "收起</a>" not in company  # only the facet asked for is whole


def test_a_short_facet_shows_every_option_without_show_all(client, casebook, cases_url):
    response = client.get(cases_url)
    trigger = next(f for f in response.context["facets"] if f.name == "trigger")
    assert trigger.more == [] and trigger.shown == trigger.options
    assert "facet-more" not in facet_html(response.content.decode(), "trigger")


def test_facet_split_keeps_a_nearly_short_list_whole():
    """Hiding one or two options behind "show all" saves nothing, so they stay in view."""
    from cases.facets import FACET_SLACK, FACET_TOP, Facet, FacetOption

    def options(n, selected=()):
        return [FacetOption(str(i), f"o{i}", 100 - i, str(i) in selected, "?") for i in range(n)]

    assert Facet("x", "X", options(FACET_TOP + FACET_SLACK)).more == []
    last = str(FACET_TOP + FACET_SLACK)
    long = Facet("x", "X", options(FACET_TOP + FACET_SLACK + 1, selected={last}))
    assert [o.value for o in long.shown] == [*map(str, range(FACET_TOP)), last]
    assert [o.value for o in long.more] == [str(i) for i in range(FACET_TOP, int(last))]


def test_the_sort_applies_on_change_and_keeps_the_other_filters(client, casebook, cases_url):
    response = client.get(
        cases_url, {"issue": "social-assistance", "q": "寻人", "sort": "name", "page": "1"}
    )
    html = response.content.decode()
    form = html[html.index('<form method="get" action="" class="sort-form"') :]
    form = form[: form.index("</form>")]
    assert "data-submit-on-change" in form
    assert '<input type="hidden" name="issue" value="social-assistance">' in form
    assert '<input type="hidden" name="q" value="寻人">' in form
    assert 'name="page"' not in form and 'type="hidden" name="sort"' not in form
    # Without JavaScript the form still has its button.
    assert re.search(r"<noscript><button type=\"submit\"[^>]*>应用</button></noscript>", form)
    # The other forms carry the chosen sort along.
    filter_form = html[html.index('id="filter-form"') :]
    assert (
        '<input type="hidden" name="sort" value="name">'
        in filter_form[: filter_form.index("</form>")]
    )
    script = (Path(__file__).resolve().parent.parent / "static/js/site.js").read_text()
    assert "[data-submit-on-change]" in script and "requestSubmit" in script
