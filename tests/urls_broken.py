"""The site's URLs plus a page that always fails, to see the 500 page a visitor gets."""

from django.conf.urls.i18n import i18n_patterns
from django.urls import path

from csrsite.urls import handler500
from csrsite.urls import urlpatterns as site_urlpatterns

__all__ = ["handler500", "urlpatterns"]


def broken(request):
    raise RuntimeError("secret detail")


urlpatterns = [
    *i18n_patterns(path("boom/", broken), prefix_default_language=False),
    *site_urlpatterns,
]
