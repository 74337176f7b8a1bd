"""/companies/ and a company's page: group structure, cases, issues and figures."""

from collections import Counter

import pytest
from django.urls import reverse

from cases.models import Company, Metric, Project

pytestmark = pytest.mark.django_db


def test_lists_groups_with_their_subsidiaries_nested(client, casebook):
    response = client.get(reverse("cases:company_list"))
    companies = {company.slug: company for company in response.context["companies"]}
    assert "alibaba" in companies and "amap" not in companies
    assert "amap" in {sub.slug for sub in companies["alibaba"].subsidiaries.all()}
    partners = {company.slug for company in response.context["partners"]}
    assert "mca-social-affairs" in partners and "mca-social-affairs" not in companies


def test_companies_leading_cases_come_first_and_no_line_says_zero_cases(client, casebook):
    for path, zero in [("/companies/", "0 个案例"), ("/en/companies/", "0 cases")]:
        response = client.get(path)
        html = response.content.decode()
        assert zero not in html
        companies = list(response.context["companies"])
        assert companies and all(company.case_count > 0 for company in companies)
        counts = [company.case_count for company in companies]
        assert counts == sorted(counts, reverse=True)
        subsidiaries = [sub for company in companies for sub in company.leading_subsidiaries]
        assert all(sub.case_count > 0 for sub in subsidiaries)
        assert html.index('id="companies-title"') < html.index('id="partners-title"')


def test_partners_are_listed_apart_with_their_cases_and_roles(client, casebook):
    response = client.get("/en/companies/")
    partners = response.context["partners"]
    mca = next(company for company in partners if company.slug == "mca-social-affairs")
    roles = list(mca.partnerships.all())
    assert roles and all(role.project.status == "published" for role in roles)
    partners_html = response.content.decode().split('id="partners-title"')[1]
    for role in roles:
        assert role.project.get_absolute_url() in partners_html
        assert str(role.get_role_display()) in partners_html


def test_a_groups_case_count_includes_its_subsidiaries(client, casebook):
    response = client.get(reverse("cases:company_list"))
    alibaba = next(c for c in response.context["companies"] if c.slug == "alibaba")
    published = Project.objects.published()
    assert alibaba.case_count == published.filter(company__slug="alibaba").count() + (
        published.filter(company__parent__slug="alibaba").count()
    )


def test_group_page_includes_subsidiaries_cases_issues_and_figures(client, casebook):
    response = client.get(reverse("cases:company", args=["alibaba"]))
    cases = response.context["cases"]
    companies = {case.company.slug for case in cases}
    assert "alibaba" in companies and companies - {"alibaba"}
    issues = {issue.slug: issue.addressing for issue in response.context["issues"]}
    addressing = Counter(issue.slug for case in cases for issue in case.issues.all())
    assert issues == addressing
    figures = list(response.context["figures"])
    assert figures
    assert all(
        figure.company.slug == "alibaba" or figure.company.parent.slug == "alibaba"
        for figure in figures
    )
    assert all(figure.project is None or figure.project.status == "published" for figure in figures)


def test_subsidiary_page_names_its_group(client, casebook):
    html = client.get(reverse("cases:company", args=["amap"])).content.decode()
    assert reverse("cases:company", args=["alibaba"]) in html


def test_partner_page_lists_cases_it_partners_in(client, casebook):
    partner = Company.objects.filter(
        partnerships__project__status="published", kind="government"
    ).first()
    response = client.get(partner.get_absolute_url())
    assert response.context["partner_roles"]
    project = response.context["partner_roles"][0].project
    assert project.get_absolute_url() in response.content.decode()


def test_figures_of_draft_cases_stay_hidden(client, casebook):
    hidden = Metric.objects.filter(project__status="draft").select_related("company").first()
    response = client.get(hidden.company.get_absolute_url())
    assert hidden.pk not in {figure.pk for figure in response.context["figures"]}


def test_unknown_company_is_not_found(client, casebook):
    assert client.get("/companies/no-such-company/").status_code == 404


def test_company_page_charts_its_figures_by_category(client, casebook):
    response = client.get(reverse("cases:company", args=["alibaba"]))
    chart = response.context["chart"]
    total = sum(sum(trace["x"]) for trace in chart["data"])
    assert total == response.context["figure_count"] == len(response.context["figures"])
    assert chart["layout"]["barmode"] == "stack"
    assert 'id="figures-by-category-data"' in response.content.decode()


def test_company_without_figures_has_no_chart(client, casebook):
    company = Company.objects.filter(metrics=None, subsidiaries=None, parent=None).first()
    response = client.get(reverse("cases:company", args=[company.slug]))
    assert response.context["chart"] is None
    assert "plotly-basic.min.js" not in response.content.decode()
