"""sitemap.xml: every public page in Chinese and English, each pointing to the other; an index
of sections (pages, cases, issues …), each split into pages of SECTION_SIZE addresses so
that no one answer grows with the casebook."""

from django.contrib.sitemaps import Sitemap
from django.core.paginator import Paginator
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


class RecordsInLanguages:
    """`records` (a queryset in a fixed order) each paired with every one of `languages`, as
    Django's bilingual sitemap pairs them, but counted and sliced by the database: the index
    counts a section's records, and each page of the section reads its own records, never
    every one (100,000 figures' slugs for each page of 500)."""

    def __init__(self, records, languages):
        self.records, self.languages = records, list(languages)

    def count(self):
        return self.records.count() * len(self.languages)

    def __len__(self):
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice) or index.step is not None:
            raise TypeError("a sitemap reads its records a page at a time")
        per_record = len(self.languages)
        start, stop = index.start or 0, index.stop
        first = start // per_record
        last = None if stop is None else -(-stop // per_record)
        pairs = [(item, lang) for item in self.records[first:last] for lang in self.languages]
        return pairs[
            start - first * per_record : None if stop is None else stop - first * per_record
        ]


class SlugSitemap(BilingualSitemap):
    """Records listed by slug alone: the sitemap reads one narrow column per record, and only
    for the records of the page asked for."""

    route = ""

    def records(self):
        raise NotImplementedError

    def items(self):
        return self.records().order_by("slug").values_list("slug", flat=True)

    @property
    def paginator(self):
        languages = self.get_languages_for_item(None)
        return Paginator(RecordsInLanguages(self.items(), languages), self.limit)

    def location(self, slug):
        return reverse(self.route, args=[slug])


class CaseSitemap(SlugSitemap):
    priority = 0.7
    route = "cases:case"

    def items(self):
        return Project.objects.published().order_by("slug").values_list("slug", "updated_at")

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
