"""Conversation jobs: the digest beat job and the email of one digest. Thin, idempotent."""

from celery import shared_task
from django.conf import settings

from companies.tasks import EMAIL_RETRY

from . import digest


@shared_task(name="conversations.send_digests")
def send_digests():
    """Beat job: make the digests that are due, and re-queue those whose email task was lost."""
    made = digest.build_digests()
    for digest_id in digest.unsent_digest_ids():
        send_digest_email.delay(digest_id)
    return made


@shared_task(name="conversations.send_digest_email", **EMAIL_RETRY)
def send_digest_email(digest_id):
    """Email one digest; a digest emailed, skipped or being emailed is left alone."""
    digest.send_digest(digest_id, base_url=getattr(settings, "SITE_URL", ""))
