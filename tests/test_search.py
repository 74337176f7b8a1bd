"""Search as readers type it: Chinese words of any length, pinyin with or without tones,
spaces and as initials, English word forms, curated synonyms, traditional characters and
full-width input; ranked results with the matched words marked; the site-wide search page
and what it offers when nothing matches. The suite runs on SQLite and on PostgreSQL, so each
of these holds on both; the last tests check PostgreSQL's index itself."""

import re

import pytest
from django.db import connection
from django.urls import reverse

from cases.models import Company, IssueAlias, Project, SocialIssue, SynonymGroup
from cases.search.query import MAX_TOKENS_PER_FORM, parse
from cases.search.text import fold, name_tokens, text_tokens

pytestmark = pytest.mark.django_db


def found(client, q, **params):
    response = client.get(reverse("cases:case_list"), {"q": q, **params})
    assert response.status_code == 200
    return [case.slug for case in response.context["page"].object_list]


# What text becomes ----------------------------------------------------------------------


def test_folding_makes_full_width_traditional_and_tone_marked_text_plain():
    assert fold("ＷＨＥＥＬ１２３") == "wheel123"
    assert fold("輪椅導航") == "轮椅导航"
    assert fold("Qīngshān lǜsè") == "qingshan lvse"


def test_a_name_is_found_by_its_pinyin_from_any_character_and_by_its_initials():
    tokens = name_tokens("美团青山计划")
    assert {"meituanqingshanjihua", "qingshanjihua", "shanjihua", "jihua"} <= tokens
    assert {"mtqsjh", "qsjh"} <= tokens
    assert {"青山", "山计", "青"} <= tokens


def test_english_word_forms_share_one_stem():
    assert text_tokens("wheelchairs") == text_tokens("wheelchair")
    assert text_tokens("volunteering") == text_tokens("volunteers")


def test_a_long_chinese_phrase_costs_a_bounded_number_of_tokens():
    sixty_characters = "".join(chr(0x4E00 + n) for n in range(60))
    [term] = parse(sixty_characters)
    assert len(term.forms[0].tokens) == MAX_TOKENS_PER_FORM


def test_a_synonym_phrase_becomes_one_term_with_each_synonym_as_a_form():
    [term] = parse("Missing Persons", [["寻人", "missing persons"]])
    assert term.words == "missing persons"
    assert [token.text for form in term.forms for token in form.tokens] == [
        "miss",
        "person",
        "寻人",
    ]


# What readers type ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("寻人", "douyin-xunren"),  # two characters inside a name
        ("养老", "tencent-silver-guardian"),  # two characters inside a case's texts
        ("轮椅导航", "amap-wheelchair-navigation"),
        ("qingshan", "meituan-qingshan"),  # pinyin without spaces
        ("qing shan jihua", "meituan-qingshan"),  # pinyin with spaces
        ("dou yin xun ren", "douyin-xunren"),
        ("qsjh", "meituan-qingshan"),  # initials
        ("QingShan", "meituan-qingshan"),
        ("qīngshān", "meituan-qingshan"),  # tone marks
        ("qing1 shan1", "meituan-qingshan"),  # tone numbers
        ("wheelchairs", "amap-wheelchair-navigation"),  # an English word form
        ("Wheelchair users", "amap-wheelchair-navigation"),
        ("envoy", "alibaba-rural-envoys"),  # the texts say "envoys"
        ("輪椅導航", "amap-wheelchair-navigation"),  # traditional characters
        ("ｗｈｅｅｌｃｈａｉｒ", "amap-wheelchair-navigation"),  # full-width letters
        ("字节跳动", "douyin-xunren"),  # the lead company's group
        ("zijie", "douyin-xunren"),  # …in pinyin
        ("社会救助", "douyin-xunren"),  # an issue
        ("老年社会", "tencent-silver-guardian"),  # another name of an issue
    ],
)
def test_what_readers_type_finds_the_case(client, casebook, q, expected):
    assert expected in found(client, q)


def test_every_word_must_match(client, casebook):
    assert found(client, "寻人 绿色包装") == []
    assert found(client, "qingshan wheelchair") == []


def test_a_synonym_finds_what_its_equivalents_find_and_editing_it_takes_effect(client, casebook):
    """The elder-safety programme's texts say "older people", never "seniors"."""
    assert "tencent-silver-guardian" not in found(client, "seniors")
    group = SynonymGroup.objects.create(
        slug="seniors", terms_zh="老年人\n老龄", terms_en="seniors\nolder people"
    )
    assert "tencent-silver-guardian" in found(client, "seniors")
    assert "tencent-silver-guardian" in found(client, "Senior")

    assert "douyin-xunren" not in found(client, "觅亲")
    group.terms_zh += "\n觅亲"
    group.terms_en += "\nmissing persons"
    group.slug = "reunions"
    group.save()
    assert "douyin-xunren" in found(client, "觅亲")


# What comes back ----------------------------------------------------------------------------


def test_a_match_in_the_name_ranks_above_the_company_and_the_texts(client, casebook):
    results = found(client, "腾讯")
    # 腾讯银发安全守护 is one of the silver-guardian plan's names; the others are Tencent's
    # cases (or its subsidiary's), latest launch first, the one without a date last.
    assert results[0] == "tencent-silver-guardian"
    launched = [Project.objects.get(slug=slug).launched_on for slug in results[1:]]
    dated = [day for day in launched if day]
    assert dated == sorted(dated, reverse=True)
    assert launched[-1] is None


def test_a_match_in_the_issue_ranks_above_one_in_the_texts(client, casebook):
    results = found(client, "无障碍")
    by_issue = {
        case.slug for case in Project.objects.published().filter(issues__name_zh__contains="无障碍")
    }
    ranks = [slug in by_issue for slug in results]
    assert ranks == sorted(ranks, reverse=True)
    assert any(ranks)


def test_the_other_sorts_still_order_a_search(client, casebook):
    by_name = found(client, "腾讯", sort="name")
    assert by_name[0] != "tencent-silver-guardian"
    assert sorted(by_name) == sorted(found(client, "腾讯"))
    newest = found(client, "腾讯", sort="-launched")
    assert newest[0] == "tencent-silver-guardian"


def test_matched_words_are_marked_in_names_and_around_the_match_in_texts(client, casebook):
    html = client.get(reverse("cases:case_list"), {"q": "qsjh"}).content.decode()
    assert "<mark>青山计划</mark>" in html
    html = client.get(reverse("cases:case_list"), {"q": "輪椅"}).content.decode()
    assert "<mark>轮椅</mark>" in html
    html = client.get("/en/cases/", {"q": "wheelchairs"}).content.decode()
    assert re.search(r"<mark>Wheelchair</mark>", html)
    assert "<mark>wheelchair</mark>" in html


def test_a_match_deep_in_a_text_shows_the_text_around_it(client, casebook):
    case = Project.objects.get(slug="douyin-xunren")
    case.summary_zh = "前言。" * 60 + "这里说到了独一无二的蜂鸟计划。"
    case.save()
    html = client.get(reverse("cases:case_list"), {"q": "蜂鸟"}).content.decode()
    summary = re.search(r'<p class="case-card-summary">(.*?)</p>', html, re.S).group(1)
    assert summary.startswith("…")
    assert "<mark>蜂鸟</mark>" in summary


def test_hostile_search_text_is_escaped_when_marked(client, casebook):
    html = client.get(reverse("cases:search"), {"q": "<b>寻人</b>"}).content.decode()
    assert "<b>寻人" not in html
    assert "&lt;b&gt;寻人&lt;/b&gt;" in html


# Documents kept current -------------------------------------------------------------------


def test_a_renamed_company_issue_or_issue_name_finds_its_cases(client, casebook):
    meituan = Company.objects.get(slug="meituan")
    meituan.aliases = "袋鼠外卖"
    meituan.save()
    assert "meituan-qingshan" in found(client, "袋鼠")
    assert "meituan-qingshan" in found(client, "daishu")

    issue = SocialIssue.objects.get(slug="green-consumption")
    IssueAlias.objects.create(
        issue=issue,
        slug="lvse-shenghuo-x",
        name_zh="蓝天生活",
        name_en="Blue sky",
        vocabulary="table",
    )
    assert "meituan-qingshan" in found(client, "蓝天生活")

    case = Project.objects.get(slug="douyin-xunren")
    case.issues.add(SocialIssue.objects.get(slug="education"))
    assert "douyin-xunren" in found(client, "教育")
    case.issues.remove(SocialIssue.objects.get(slug="education"))
    assert "douyin-xunren" not in found(client, "教育")


def test_refreshing_documents_leaves_history_and_save_counters_alone(casebook):
    case = Project.objects.get(slug="meituan-qingshan")
    history, version = case.history.count(), case.version
    meituan = Company.objects.get(slug="meituan")
    meituan.name_en = "Meituan Inc."
    meituan.save()
    case.refresh_from_db()
    assert "meituan" in case.search_related_tokens
    assert (case.history.count(), case.version) == (history, version)


# The site-wide search page ----------------------------------------------------------------


def test_the_search_page_groups_every_kind_of_record(client, casebook):
    response = client.get(reverse("cases:search"), {"q": "轮椅"})
    assert response.status_code == 200
    groups = {group.name: group for group in response.context["groups"]}
    assert {"cases", "figures"} <= set(groups)
    assert groups["cases"].items[0].slug == "amap-wheelchair-navigation"
    assert groups["cases"].url == "/cases/?q=%E8%BD%AE%E6%A4%85"
    assert groups["figures"].url.startswith("/metrics/?q=")
    html = response.content.decode()
    assert 'href="/cases/?q=%E8%BD%AE%E6%A4%85"' in html

    companies = client.get(reverse("cases:search"), {"q": "腾讯"}).context["groups"]
    company_group = next(group for group in companies if group.name == "companies")
    assert company_group.items[0].slug == "tencent"
    assert "kind=companies" in company_group.url


def test_a_found_case_without_a_launch_date_says_so(client, casebook):
    Project.objects.filter(slug="amap-wheelchair-navigation").update(
        launched_on=None, launched_precision=""
    )
    html = client.get("/en" + reverse("cases:search"), {"q": "轮椅"}).content.decode()
    card = html[html.index("/cases/amap-wheelchair-navigation/") :][:600]
    assert "launch date not given in the sources" in card


def test_one_kind_of_result_on_its_own(client, casebook):
    response = client.get(reverse("cases:search"), {"q": "腾讯", "kind": "companies"})
    [group] = response.context["groups"]
    assert group.name == "companies"
    assert {company.slug for company in group.items} >= {"tencent", "wechat-pay", "wesure"}
    response = client.get("/en/search/", {"q": "腾讯", "kind": "everything"})
    assert response.status_code == 200
    assert "There is no list “everything” here; showing every kind of result." in (
        response.content.decode()
    )
    assert len(response.context["groups"]) > 1


def test_the_figures_explorer_takes_the_same_search(client, casebook):
    response = client.get(reverse("cases:metrics"), {"q": "轮椅"})
    assert response.status_code == 200
    figures = list(response.context["page"].paginator.object_list)
    assert figures
    assert all(figure.project.slug == "amap-wheelchair-navigation" for figure in figures)


@pytest.mark.parametrize(
    ("q", "message"),
    [
        ("寻" * 101, "最多搜索100个字符（当前为101个）。"),
        ("寻人\x00", "搜索内容含有不允许的字符。"),
    ],
)
def test_an_unusable_search_says_why(client, casebook, q, message):
    response = client.get(reverse("cases:search"), {"q": q})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert response.context["groups"] == []


def test_no_results_offer_close_names_what_the_words_name_and_a_way_out(client, casebook):
    response = client.get(reverse("cases:search"), {"q": "douyn xunrn"})
    html = response.content.decode()
    assert "没有与“douyn xunrn”匹配的内容。" in html
    assert ("抖音寻人", "/cases/douyin-xunren/") in response.context["suggestions"].names
    assert 'href="/search/"' in html

    response = client.get("/en/cases/", {"q": "无障碍 xyzzy"})
    suggestions = response.context["suggestions"]
    assert ("Accessible society", "/en/cases/?issue=accessible-society") in suggestions.issues
    html = response.content.decode()
    assert "Nothing matches “无障碍 xyzzy”." in html
    assert "cases on Accessible society" in html
    assert 'href="?"' in html  # the list without the search

    response = client.get("/en/cases/", {"q": "腾讯 xyzzy"})
    assert ("Tencent", "/en/cases/?company=tencent") in response.context["suggestions"].companies


def test_every_page_has_the_search_box(client, casebook):
    for path in ["/", "/en/issues/", reverse("cases:case", args=["douyin-xunren"])]:
        html = client.get(path).content.decode()
        assert re.search(r'<form class="header-search" method="get" action="(/en)?/search/"', html)


# PostgreSQL's index -------------------------------------------------------------------------


@pytest.mark.postgres
def test_postgresql_serves_the_search_from_its_gin_index(casebook):
    queryset = Project.objects.search("寻人")
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "cases_project_search_gin" in plan


@pytest.mark.postgres
def test_postgresql_and_the_stored_documents_agree_on_prefixes_and_pairs(casebook):
    assert set(Project.objects.search("qing").values_list("slug", flat=True)) >= {
        "meituan-qingshan"
    }
    assert list(Project.objects.search("ingshan").values_list("slug", flat=True)) == []
