"""Incremental rescoring: when a company's profile, a buyer's registration, an exhibitor's
approved application (and the products it shows) or a meeting outcome changes, ask for that
company's pairs to be rescored (debounced, after commit).
Connected in MatchingConfig.ready(), so other apps' services need not know about matching."""

from django.conf import settings
from django.db.models import Q

from matching.models import MatchRun


def _enabled():
    """On by default where tasks go to workers. With eager tasks (no broker) a request would
    run a whole run inline at every save, with no debounce: seeding or importing 80 buyers
    would mean 80 runs. There, staff run the matcher (or the nightly run does)."""
    return getattr(settings, "MATCHING_RESCORE_ON_CHANGE", not settings.CELERY_TASK_ALWAYS_EAGER)


def _open_exhibitions_of(company_ids):
    from exhibitions.models import Exhibition

    return list(
        Exhibition.objects.filter(status=Exhibition.Status.OPEN)
        .filter(
            Q(applications__company_id__in=company_ids, applications__status="approved")
            | Q(buyer_registrations__company_id__in=company_ids, buyer_registrations__status="approved")
        )
        .values_list("pk", flat=True)
        .distinct()
    )


def _request(company_id, trigger, exhibition_ids=None):
    from matching.services import rescore_request

    for exhibition_id in exhibition_ids if exhibition_ids is not None else _open_exhibitions_of([company_id]):
        rescore_request(exhibition_id=exhibition_id, company_id=company_id, trigger=trigger)


def company_saved(sender, instance, created, raw=False, **kwargs):
    if raw or created or not _enabled():
        return
    _request(instance.pk, MatchRun.Trigger.PROFILE_CHANGE)


def company_codes_changed(sender, instance, action, reverse=False, raw=False, **kwargs):
    if raw or reverse or action not in ("post_add", "post_remove", "post_clear") or not _enabled():
        return
    _request(instance.pk, MatchRun.Trigger.PROFILE_CHANGE)


def registration_saved(sender, instance, raw=False, **kwargs):
    if raw or not _enabled() or instance.status != "approved":
        return
    _request(instance.company_id, MatchRun.Trigger.PROFILE_CHANGE, [instance.exhibition_id])


def registration_codes_changed(sender, instance, action, reverse=False, **kwargs):
    if reverse or action not in ("post_add", "post_remove", "post_clear") or not _enabled():
        return
    if instance.status == "approved":
        _request(instance.company_id, MatchRun.Trigger.PROFILE_CHANGE, [instance.exhibition_id])


def application_saved(sender, instance, raw=False, **kwargs):
    if raw or not _enabled() or instance.status != "approved":
        return
    _request(instance.company_id, MatchRun.Trigger.PROFILE_CHANGE, [instance.exhibition_id])


def application_products_changed(sender, instance, action, reverse=False, **kwargs):
    if reverse or action not in ("post_add", "post_remove", "post_clear") or not _enabled():
        return
    if instance.status == "approved":
        _request(instance.company_id, MatchRun.Trigger.PROFILE_CHANGE, [instance.exhibition_id])


def outcome_saved(sender, instance, raw=False, **kwargs):
    if raw or not _enabled():
        return
    meeting = instance.meeting
    for company_id in (meeting.buyer_id, meeting.exhibitor_id):
        _request(company_id, MatchRun.Trigger.OUTCOME)


def connect():
    from django.db.models.signals import m2m_changed, post_save

    from companies.models import Company
    from exhibitions.models import BuyerRegistration, ExhibitorApplication, MeetingOutcome

    post_save.connect(company_saved, sender=Company, dispatch_uid="matching.company_saved")
    m2m_changed.connect(company_codes_changed, sender=Company.hs_codes.through, dispatch_uid="matching.company_codes")
    post_save.connect(registration_saved, sender=BuyerRegistration, dispatch_uid="matching.registration_saved")
    m2m_changed.connect(
        registration_codes_changed,
        sender=BuyerRegistration.sourcing.through,
        dispatch_uid="matching.registration_codes",
    )
    # An approved exhibitor and the products it shows (what the matcher scores it on).
    post_save.connect(application_saved, sender=ExhibitorApplication, dispatch_uid="matching.application_saved")
    m2m_changed.connect(
        application_products_changed,
        sender=ExhibitorApplication.products.through,
        dispatch_uid="matching.application_products",
    )
    post_save.connect(outcome_saved, sender=MeetingOutcome, dispatch_uid="matching.outcome_saved")
