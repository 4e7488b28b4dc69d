from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExhibitionsConfig(AppConfig):
    name = "exhibitions"
    verbose_name = _("Exhibitions and meetings")

    def ready(self):
        # Celery's autodiscovery looks for <app>.tasks only; meeting tasks live in a sub-package.
        # The calendar module registers the .ics attached to meeting confirmation emails.
        from .conversations import tasks as conversation_tasks  # noqa: F401
        from .meetings import calendar, day_reminders, tasks  # noqa: F401
        from .scheduling import tasks as scheduling_tasks  # noqa: F401
        from .signals import connect

        connect()
