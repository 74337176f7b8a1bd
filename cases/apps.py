from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "cases"
    verbose_name = _("Casebook")

    def ready(self):
        from . import caching, impact
        from .search import documents

        caching.connect()
        impact.connect()
        documents.connect()
