from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("CSI Casebook administration")
admin.site.site_title = _("CSI Casebook")
admin.site.index_title = _("Cases, companies, issues and figures")

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
]

# Chinese at the bare paths, English under /en/.
urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    prefix_default_language=False,
)
