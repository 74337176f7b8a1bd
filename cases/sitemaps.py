"""sitemap.xml: every public page in Chinese and English, each pointing to the other; an index
of sections (pages, cases, issues …), each split into pages of SECTION_SIZE addresses so
that no one answer grows with the casebook."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models import Company, Metric, Project, SocialIssue, Source

# Addresses per sitemap page (each language's address counts): search engines take up to
# 50,000, a page of this size is built in a fraction of a second and weighs about 400 KB.
SECTION_SIZE = 1000


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


class SlugSitemap(BilingualSitemap):
    """Records listed by slug alone: the sitemap reads one narrow column per record (each
    section's page count needs them all), never whole rows."""

    route = ""

    def records(self):
        raise NotImplementedError

    def items(self):
        return list(self.records().order_by("slug").values_list("slug", flat=True))

    def location(self, slug):
        return reverse(self.route, args=[slug])


class CaseSitemap(SlugSitemap):
    priority = 0.7
    route = "cases:case"

    def items(self):
        return list(Project.objects.published().order_by("slug").values_list("slug", "updated_at"))

    def location(self, item):
        return reverse(self.route, args=[item[0]])

    def lastmod(self, item):
        return item[1]


class IssueSitemap(SlugSitemap):
    route = "cases:issue"

    def records(self):
        return SocialIssue.objects.all()


class CompanySitemap(SlugSitemap):
    route = "cases:company"

    def records(self):
        return Company.objects.all()


class SourceSitemap(SlugSitemap):
    route = "cases:source"

    def records(self):
        return Source.objects.all()


class FigureSitemap(SlugSitemap):
    priority = 0.4
    route = "cases:figure"

    def records(self):
        return Metric.objects.public()


SITEMAPS = {
    "pages": PageSitemap,
    "cases": CaseSitemap,
    "issues": IssueSitemap,
    "companies": CompanySitemap,
    "sources": SourceSitemap,
    "figures": FigureSitemap,
}
