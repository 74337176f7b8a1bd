from django.apps import AppConfig


class SiteConfig(AppConfig):
    """The project around the casebook: its templates and its database safeguards."""

    name = "csrsite"
    verbose_name = "CSI Casebook site"

    def ready(self):
        from . import database

        database.install()
