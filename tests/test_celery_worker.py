"""A real task through Redis to a real `celery worker` process, asserted in the database.

Runs on PostgreSQL with Redis (as CI does); skipped on SQLite or without REDIS_URL.
"""

import pytest
from celery.result import allow_join_result
from django.core import mail
from django.db import transaction

from companies.models import Notification
from companies.notifications import notify
from companies.tasks import send_notification_email
from tests.worker import wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def _emailed(pk):
    return Notification.objects.filter(pk=pk, emailed_at__isnull=False).first()


def test_worker_emails_a_notification_once(celery_worker_process, staff):
    with transaction.atomic():  # notify() queues its email when this commits
        notice = notify(
            user=staff,
            key="worker-test:company-submitted",
            template="company_submitted",
            context={"company_name": "Daesung Mold", "ref": "KR-0001", "kind": "exhibitor"},
            url="/companies/review/",
        )
        assert not Notification.objects.filter(pk=notice.pk, emailed_at__isnull=False).exists()

    sent = wait_for(lambda: _emailed(notice.pk), timeout=30)
    assert sent, "the worker did not email the notice:\n" + "\n".join(celery_worker_process.output[-30:])
    assert sent.email_attempts == 1
    assert mail.outbox == [], "the task ran in the test process, not in the worker"

    # The same task again (a retry, or the beat sweep racing it): nothing is emailed twice.
    with allow_join_result():  # an earlier eager task in this process may have set Celery's guard
        send_notification_email.delay(notice.pk).get(timeout=30)
    again = Notification.objects.get(pk=notice.pk)
    assert again.email_attempts == 1
    assert again.emailed_at == sent.emailed_at


def test_worker_ignores_a_notification_that_is_gone(celery_worker_process, staff):
    notice = Notification.objects.create(user=staff, key="worker-test:gone", template="company_submitted")
    notice_pk = notice.pk
    notice.delete()
    with allow_join_result():
        assert send_notification_email.delay(notice_pk).get(timeout=30) is None
    assert "Traceback" not in "\n".join(celery_worker_process.output)


def test_tasks_run_in_process_again_after_the_worker_tests():
    """The worker fixture puts the Celery app back as the test settings have it."""
    from config.celery import app

    assert app.conf.task_always_eager is True
    assert app.conf.broker_url.startswith("memory://")
    assert app.conf.task_default_queue == "celery"
