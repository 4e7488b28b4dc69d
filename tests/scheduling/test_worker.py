"""A scheduler run through Redis to a real `celery worker` process: the worker claims the run,
writes its heartbeat while solving, and saves the drafts. PostgreSQL and Redis only."""

import pytest
from django.db import transaction

from exhibitions.models import DraftMeeting, ScheduleRun
from exhibitions.scheduling import services
from tests.worker import wait_for

from .conftest import make_show, wish

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_worker_runs_the_scheduler(celery_worker_process, staff):
    show = make_show(exhibitors=3, buyers=4)
    for buyer in show.buyers:
        for exhibitor in show.exhibitors:
            wish(show, buyer, exhibitor, "want")
    with transaction.atomic():  # the task is queued when this commits
        run = services.schedule_run_start(exhibition=show.exhibition, by=staff, seconds=2)
    done = wait_for(lambda: ScheduleRun.objects.filter(pk=run.pk, status__in=["done", "failed"]).first(), timeout=90)
    assert done, "the worker did not finish the run:\n" + "\n".join(celery_worker_process.output[-30:])
    assert done.status == "done", done.error
    assert done.attempts == 1 and done.heartbeat_at is not None and done.started_at is not None
    assert DraftMeeting.objects.filter(run=done).count() == done.placed == 12
