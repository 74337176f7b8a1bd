"""The pages `bench/run.py` measures, with real slugs from the benchmark's database, and the
number of database queries each takes when computed afresh.

Run by run.py in a subprocess with the benchmark's environment (DATABASE_URL, CACHE_URL …):

    .venv/bin/python bench/pages.py OUTPUT.json

Each page is requested in-process with Django's test client inside CaptureQueriesContext, the
cache emptied first, so the count is that of a page computed from the database (a streamed
answer is read to its end inside the context). OUTPUT.json holds one record per page: name,
path, kind ("page", "api" or "download"), the Accept header sent, status, bytes and queries.
"""

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEARCH_WORD = "养老"

ACCEPT = {
    "page": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "api": "application/json",
    "download": "text/csv,*/*;q=0.8",
}


def setup():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "csrsite.settings")
    import django

    django.setup()


def most(queryset, count):
    """The slug of the record of `queryset` with the largest annotation `count`, ties by slug."""
    record = queryset.order_by(f"-{count}", "slug").first()
    return record.slug if record else None


def samples():
    """Real records to show: the richest of each kind, so that the pages measured are full."""
    from django.db.models import Count, Q

    from cases.compare_choice import picker_options
    from cases.models import Company, Indicator, Metric, Project, SocialIssue, Source

    public = Q(metrics__project__isnull=True) | Q(metrics__project__status="published")
    groups = sorted(picker_options(), key=lambda company: -company.case_count)
    return {
        "case": most(Project.objects.published().annotate(n=Count("metrics")), "n"),
        "company": most(
            Company.objects.annotate(
                n=Count("subsidiaries", distinct=True), cases=Count("projects", distinct=True)
            ).filter(n__gt=0),
            "cases",
        ),
        "issue": most(SocialIssue.objects.with_case_counts(), "case_count"),
        "source": most(Source.objects.for_list(), "figure_count"),
        "figure": Metric.objects.public()
        .order_by("-as_of", "slug")
        .values_list("slug", flat=True)
        .first(),
        "indicator": most(Indicator.objects.annotate(n=Count("metrics", filter=public)), "n"),
        "compare": [company.slug for company in groups[:3]],
    }


def counts():
    """How much data the pages are computed from."""
    from cases.models import Company, Metric, Project, Source

    return {
        "cases": Project.objects.count(),
        "published cases": Project.objects.published().count(),
        "figures": Metric.objects.count(),
        "public figures": Metric.objects.public().count(),
        "companies": Company.objects.count(),
        "sources": Source.objects.count(),
    }


def page_list(chosen):
    """(name, path, kind) of every public page and API list, and the API's endpoints as
    (prefix, viewset, chosen slug or None)."""
    from urllib.parse import quote, urlencode

    from cases.api.urls import router

    def slug_page(name, prefix, key):
        return [(name, f"{prefix}{chosen[key]}/", "page")] if chosen[key] else []

    def query_page(name, path, key, parameter):
        return [(name, f"{path}?{parameter}={chosen[key]}", "page")] if chosen[key] else []

    compared = urlencode([("company", slug) for slug in chosen["compare"]])
    pages = [
        ("home", "/", "page"),
        ("home (en)", "/en/", "page"),
        ("case list", "/cases/", "page"),
        ("case list ?q=", f"/cases/?q={quote(SEARCH_WORD)}", "page"),
        *query_page("case list ?issue=", "/cases/", "issue", "issue"),
        *slug_page("case", "/cases/", "case"),
        ("issues", "/issues/", "page"),
        *slug_page("issue", "/issues/", "issue"),
        ("companies", "/companies/", "page"),
        *slug_page("company", "/companies/", "company"),
        ("compare", f"/compare/?{compared}", "page"),
        ("figures explorer", "/metrics/", "page"),
        *query_page("explorer ?indicator=", "/metrics/", "indicator", "indicator"),
        ("figures CSV", "/metrics/figures.csv", "download"),
        *slug_page("figure", "/figures/", "figure"),
        ("sources", "/sources/", "page"),
        *slug_page("source", "/sources/", "source"),
        ("index", "/index/", "page"),
        ("about", "/about/", "page"),
        ("search", f"/search/?q={quote(SEARCH_WORD)}", "page"),
        ("data", "/data/", "page"),
        ("sitemap", "/sitemap.xml", "page"),
        ("api root", "/api/v1/", "api"),
    ]
    details = {
        "cases": chosen["case"],
        "companies": chosen["company"],
        "issues": chosen["issue"],
        "figures": chosen["figure"],
        "sources": chosen["source"],
        "indicators": chosen["indicator"],
    }
    endpoints = []
    for prefix, viewset, _basename in router.registry:
        endpoints.append((prefix, viewset, details.get(prefix)))
        pages.append((f"api {prefix}", f"/api/v1/{prefix}/", "api"))
    return pages, endpoints


def first_slug(client, path):
    """The slug of the first record an API list answers, for endpoints without a chosen one."""
    response = client.get(path, HTTP_ACCEPT=ACCEPT["api"])
    if response.status_code != 200:
        return None
    results = json.loads(response.content).get("results") or []
    return results[0].get("slug") if results and isinstance(results[0], dict) else None


def sitemap_section(client):
    """The first section of the sitemap when /sitemap.xml is an index of sections."""
    import re
    from urllib.parse import urlsplit

    response = client.get("/sitemap.xml")
    text = response.content.decode() if response.status_code == 200 else ""
    found = re.search(r"<loc>\s*([^<\s]+)\s*</loc>", text) if "<sitemapindex" in text else None
    return urlsplit(found.group(1)).path if found else None


def measure(client, path, kind):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, HTTP_ACCEPT=ACCEPT[kind])
        if response.streaming:
            size = sum(len(chunk) for chunk in response.streaming_content)
        else:
            size = len(response.content)
    return {
        "status": response.status_code,
        "bytes": size,
        "queries": len(queries.captured_queries),
        "location": response.get("Location"),
    }


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    setup()
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    chosen = samples()
    pages, endpoints = page_list(chosen)
    section = sitemap_section(client)
    if section:
        pages.insert(
            pages.index(("sitemap", "/sitemap.xml", "page")) + 1,
            ("sitemap section", section, "page"),
        )
    for prefix, viewset, slug in endpoints:
        if not hasattr(viewset, "retrieve"):
            continue
        slug = slug or first_slug(client, f"/api/v1/{prefix}/")
        if slug:
            pages.append((f"api {prefix} detail", f"/api/v1/{prefix}/{slug}/", "api"))
    records = []
    for name, path, kind in pages:
        found = measure(client, path, kind)
        records.append({"name": name, "path": path, "kind": kind, "accept": ACCEPT[kind], **found})
    Path(sys.argv[1]).write_text(
        json.dumps(
            {"counts": counts(), "samples": chosen, "pages": records}, ensure_ascii=False, indent=2
        )
        + "\n"
    )


if __name__ == "__main__":
    main()
