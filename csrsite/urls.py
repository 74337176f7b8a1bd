from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from cases.sitemaps import SITEMAPS
from csrsite import csp_reports, views

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("csp-report/", csp_reports.csp_report, name="csp_report"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
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
