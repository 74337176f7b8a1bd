"""sitemap.xml: every public page in Chinese and English, each pointing to the other; an index
of sections (pages, cases, issues …), each split into pages of SECTION_SIZE addresses so
that no one answer grows with the casebook."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models import Company, Metric, Project, SocialIssue, Source

# Addresses per sitemap page (each language's address counts): search engines take up to
# 50,000, but a page this size is built in a few milliseconds and weighs about 1 MB.
SECTION_SIZE = 2000


class BilingualSitemap(Sitemap):
    limit = SECTION_SIZE
    i18n = True
    alternates = True
    x_default = True


class PageSitemap(BilingualSitemap):
    priority = 0.8

    def items(self):
        return [
            "cases:home",
            "cases:case_list",
            "cases:issue_list",
            "cases:company_list",
            "cases:source_list",
            "cases:compare",
            "cases:metrics",
            "cases:index",
            "cases:about",
            "cases:data",
        ]

    def location(self, item):
        return reverse(item)


class CaseSitemap(BilingualSitemap):
    priority = 0.7

    def items(self):
        return Project.objects.published().order_by("slug")

    def lastmod(self, case):
        return case.updated_at


class IssueSitemap(BilingualSitemap):
    def items(self):
        return SocialIssue.objects.order_by("slug")


class CompanySitemap(BilingualSitemap):
    def items(self):
        return Company.objects.order_by("slug")


class SourceSitemap(BilingualSitemap):
    def items(self):
        return Source.objects.order_by("slug")


class FigureSitemap(BilingualSitemap):
    priority = 0.4

    def items(self):
        return Metric.objects.public().order_by("slug")


SITEMAPS = {
    "pages": PageSitemap,
    "cases": CaseSitemap,
    "issues": IssueSitemap,
    "companies": CompanySitemap,
    "sources": SourceSitemap,
    "figures": FigureSitemap,
}
