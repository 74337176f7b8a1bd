from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps import views as sitemaps
from django.urls import include, path

from cases.page_cache import cached_page
from cases.sitemaps import SITEMAPS
from csrsite import csp_reports, views

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("csp-report/", csp_reports.csp_report, name="csp_report"),
    # An index of the sitemap's sections, each in pages of at most SECTION_SIZE addresses.
    path(
        "sitemap.xml",
        cached_page(sitemaps.index),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap_section"},
        name="sitemap",
    ),
    path(
        "sitemap-<slug:section>.xml",
        cached_page(sitemaps.sitemap),
        {"sitemaps": SITEMAPS},
        name="sitemap_section",
    ),
    # The read API: one address for both languages (Accept-Language picks the messages').
    path("api/v1/", include("cases.api.urls")),
]

# Chinese at the bare paths, English under /en/.
urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("", include("cases.urls")),
    prefix_default_language=False,
)

handler400 = views.bad_request
handler500 = views.server_error

# `make bench` only (settings.BENCH_FLOOR): the framework's floor that pages are weighed against.
if settings.BENCH_FLOOR:
    from csrsite import floor

    urlpatterns.append(path("bench/floor/", floor.floor, name="bench_floor"))
