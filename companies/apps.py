from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CompaniesConfig(AppConfig):
    name = "companies"
    verbose_name = _("Companies and people")

    def ready(self):
        from django.db.models.signals import post_migrate

        post_migrate.connect(site_from_settings, sender=self)


def site_from_settings(**kwargs):
    """Name the Site after SITE_NAME and SITE_URL's host, so no email says example.com."""
    from urllib.parse import urlsplit

    from django.conf import settings
    from django.contrib.sites.models import Site

    domain = urlsplit(settings.SITE_URL).netloc or "localhost"
    Site.objects.update_or_create(pk=settings.SITE_ID, defaults={"domain": domain, "name": settings.SITE_NAME})
