"""Celery application.

With REDIS_URL unset, settings make every task run in-process (eager), so the demo needs
nothing installed. With it set, tasks go through Redis to `celery worker` processes.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("fairlink")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
