"""Exhibition tasks found by Celery's autodiscovery (meetings and scheduling keep theirs in
their sub-packages, imported by ExhibitionsConfig.ready)."""

from celery import shared_task

from . import mailings
from .models import Mailing


@shared_task(name="exhibitions.queue_mailing")
def queue_mailing(mailing_id):
    """Write a staff mailing's notices and queue their emails; quiet if it is gone; idempotent."""
    mailing = Mailing.objects.select_related("exhibition").filter(pk=mailing_id).first()
    if mailing is None:
        return 0
    return mailings.mailing_queue(mailing=mailing)
