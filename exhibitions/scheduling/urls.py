"""Scheduler URLs, under /exhibitions/<slug>/schedule/ (names: exhibitions:schedule*)."""

from django.urls import path

from . import views

urlpatterns: list = [
    path("", views.schedule, name="schedule"),
    path("start/", views.start, name="schedule_start"),
    path("runs/<int:pk>/progress/", views.run_progress, name="schedule_run_progress"),
    path("unplaced/", views.unplaced, name="schedule_unplaced"),
    path("agenda/", views.agenda, name="schedule_agenda"),
    path("drafts/<int:pk>/lock/", views.draft_lock, name="schedule_draft_lock"),
    path("drafts/<int:pk>/move/", views.draft_move, name="schedule_draft_move"),
    path("drafts/<int:pk>/delete/", views.draft_delete, name="schedule_draft_delete"),
    path("publish/", views.publish, name="schedule_publish"),
]
