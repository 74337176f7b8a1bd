from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig


class SiteConfig(AppConfig):
    """The project around the casebook: its templates and its database safeguards."""

    name = "csrsite"
    verbose_name = "CSI Casebook site"

    def ready(self):
        from . import database

        database.install()


class CasebookAdminConfig(AdminConfig):
    """Django's admin with the casebook's site (two-factor sign-in) as admin.site."""

    default_site = "csrsite.admin_site.CasebookAdminSite"
