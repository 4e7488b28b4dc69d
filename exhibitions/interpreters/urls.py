"""Interpreter URLs, under /exhibitions/<slug>/ (names: exhibitions:interpreter*)."""

from django.urls import path

from . import views

urlpatterns: list = [
    path("interpreters/", views.pool, name="interpreters"),
    path("interpreters/new/", views.interpreter_new, name="interpreter_new"),
    path("interpreters/import/", views.interpreters_import, name="interpreters_import"),
    path("interpreters/<int:pk>/edit/", views.interpreter_edit, name="interpreter_edit"),
    path("interpreters/<int:pk>/delete/", views.interpreter_delete, name="interpreter_delete"),
    path("interpreters/<int:pk>/reset-link/", views.interpreter_reset_link, name="interpreter_reset_link"),
    path("interpreting/<str:token>/", views.agenda, name="interpreter_agenda"),
    path("interpreting/<str:token>.ics", views.calendar_feed, name="interpreter_calendar"),
    path("meetings/<int:pk>/interpreter/", views.meeting_interpreter, name="meetings_interpreter"),
]
