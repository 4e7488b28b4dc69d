"""Celery application.

With REDIS_URL unset, settings make every task run in-process (eager), so the demo needs
nothing installed. With it set, tasks go through Redis to `celery worker` processes.
"""

import os

from celery import Celery
from celery.signals import worker_process_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("fairlink")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_process_init.connect
def preload_matcher_libraries(**_kwargs):
    """The matcher's learnt combination fits with scikit-learn: imported when a worker
    process starts (about 1 s), not inside the first run that process takes."""
    import sklearn.linear_model  # noqa: F401
