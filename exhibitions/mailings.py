"""Staff mailings to a group of an exhibition's people (issue 13).

Staff write a subject and a message once per language (English required; Korean and
Japanese fall back to English), preview them in each language with the exact number of
recipients, confirm, and `mailing_send` records the mailing and queues one task through the
outbox; that task (`mailing_queue`, in a worker) writes one notice per person with
`notify_many`: one INSERT per 500 notices and one email task per 100, each recipient's copy
in their preferred language. The staff member's request does not wait for thousands of rows. Sent and failed are counted from the notices (`mailing_ref`).
"""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse

from companies import mailing as email_sending
from companies import outbox
from companies.models import Membership, Notification
from companies.notifications import notify_many

from .models import BuyerRegistration, ExhibitorApplication, Mailing, Meeting

TEMPLATE = "staff_mailing"


def _exhibitor_ids(exhibition):
    return ExhibitorApplication.objects.approved().filter(exhibition=exhibition).values("company_id")


def _buyer_ids(exhibition):
    return BuyerRegistration.objects.filter(exhibition=exhibition, status=BuyerRegistration.Status.APPROVED).values(
        "company_id"
    )


def group_companies(exhibition, group):
    """A queryset of company ids (or a list) for the group."""
    G = Mailing.Group
    if group == G.EXHIBITORS:
        return _exhibitor_ids(exhibition)
    if group == G.EXHIBITORS_WITHOUT_MEETINGS:
        with_meetings = Meeting.objects.filter(exhibition=exhibition, status__in=Meeting.BOOKED).values("exhibitor_id")
        return _exhibitor_ids(exhibition).exclude(company_id__in=with_meetings)
    if group == G.BUYERS:
        return _buyer_ids(exhibition)
    if group == G.BUYERS_WITHOUT_DAYS:
        # visit_days is a JSON list: read it rather than rely on JSON equality across databases.
        return [
            company_id
            for company_id, days in _buyer_ids(exhibition).values_list("company_id", "visit_days")
            if not days
        ]
    return list(_exhibitor_ids(exhibition).values_list("company_id", flat=True)) + list(
        _buyer_ids(exhibition).values_list("company_id", flat=True)
    )


def recipients(exhibition, group):
    """The active people of the group's companies, each once, in a stable order."""
    people = Membership.objects.filter(company_id__in=group_companies(exhibition, group)).values("user_id")
    return get_user_model().objects.filter(pk__in=people, is_active=True).order_by("pk")


def recipient_counts(exhibition, group):
    """(total, {language: count}) of the group's recipients, in one query."""
    rows = recipients(exhibition, group).order_by().values("preferred_language").annotate(n=Count("pk"))
    by_language = {row["preferred_language"]: row["n"] for row in rows}
    return sum(by_language.values()), by_language


def previews(texts):
    """[(language, subject, body, fell back to English)] as each reader will see them."""
    draft = Mailing(**_text_fields(texts))
    return [(language, *draft.text(language), not texts.get(language, ("", ""))[1]) for language in ("en", "ko", "ja")]


def _text_fields(texts):
    fields = {}
    for language, (subject, body) in texts.items():
        fields[f"subject_{language}"] = subject
        fields[f"body_{language}"] = body
    return fields


def mailing_send(*, exhibition, group, texts, by):
    """Record a mailing to the group and queue it: `texts` is {language: (subject, body)},
    English required.

    Side effects: a Mailing; an `exhibitions.queue_mailing` task through the outbox."""
    with transaction.atomic():
        mailing = Mailing.objects.create(exhibition=exhibition, group=group, sent_by=by, **_text_fields(texts))
        outbox.enqueue("exhibitions.queue_mailing", args=[mailing.pk])
    return mailing


def mailing_queue(*, mailing):
    """Write the mailing's notices and queue their emails; safe to run twice (keys).

    Side effects: a Notification per recipient (keyed `mailing:<pk>:<person>`, so nobody
    gets one mailing twice) and their email tasks in batches, through the outbox;
    `recipient_count`. Returns how many notices were new."""
    exhibition = mailing.exhibition
    url = reverse("exhibitions:detail", kwargs={"slug": exhibition.slug})
    with transaction.atomic():
        people = list(recipients(exhibition, mailing.group).only("pk", "email", "email_opt_outs"))
        context = {"mailing": mailing, "exhibition": exhibition}
        created = notify_many(
            ((person, f"mailing:{mailing.pk}:{person.pk}", TEMPLATE, context, url) for person in people),
            mailing_ref=mailing.pk,
        )
        Mailing.objects.filter(pk=mailing.pk).update(recipient_count=len(people))
    return created


def mailings_with_progress(exhibition):
    """The exhibition's mailings, newest first, each with `sent` and `failed` (two queries)."""
    mailings = list(Mailing.objects.filter(exhibition=exhibition).select_related("sent_by"))
    counts = (
        Notification.objects.filter(mailing_ref__in=[m.pk for m in mailings])
        .values("mailing_ref")
        .annotate(
            sent=Count("pk", filter=Q(emailed_at__isnull=False)),
            failed=Count("pk", filter=Q(emailed_at__isnull=True, email_attempts__gte=email_sending.MAX_EMAIL_ATTEMPTS)),
        )
    )
    by_mailing = {row["mailing_ref"]: row for row in counts}
    for each in mailings:
        row = by_mailing.get(each.pk, {})
        each.sent, each.failed = row.get("sent", 0), row.get("failed", 0)
    return mailings
