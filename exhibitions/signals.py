"""Keep Exhibition.directory_changed_at current, so cached directory pages never go stale.

Bulk writes (bulk_create, update) send no signals; the services that use them call
`Exhibition.objects.filter(...).touch_directory()` themselves.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save

from companies.models import Company

from .models import Booth, Exhibition, ExhibitorApplication, Hall


def _touch_exhibition(sender, instance, **kwargs):
    Exhibition.objects.filter(pk=instance.exhibition_id).touch_directory()


def _touch_exhibitions_of_company(sender, instance, **kwargs):
    if instance.kind == Company.Kind.EXHIBITOR:
        Exhibition.objects.filter(applications__company=instance).touch_directory()


def _touch_on_company_m2m(sender, instance, action, reverse, **kwargs):
    if action in ("post_add", "post_remove", "post_clear") and not reverse:
        _touch_exhibitions_of_company(sender, instance)


def connect():
    for model in (ExhibitorApplication, Booth, Hall):
        post_save.connect(_touch_exhibition, sender=model, dispatch_uid=f"directory-{model.__name__}-save")
        post_delete.connect(_touch_exhibition, sender=model, dispatch_uid=f"directory-{model.__name__}-delete")
    post_save.connect(_touch_exhibitions_of_company, sender=Company, dispatch_uid="directory-company-save")
    for through in (Company.hs_codes.through, Company.certifications.through):
        m2m_changed.connect(_touch_on_company_m2m, sender=through, dispatch_uid=f"directory-{through.__name__}")
