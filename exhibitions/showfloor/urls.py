"""At-the-show URLs, under /exhibitions/<slug>/ (names: exhibitions:badge*)."""

from django.urls import path

from . import views

urlpatterns: list = [
    path("badges.pdf", views.badges_all, name="badges"),
    path("badges/<int:pk>.pdf", views.badge_person, name="badge_person"),
    path("check-in/", views.checkin, name="checkin"),
    path("meetings/<int:pk>/we-met/", views.meeting_met, name="meetings_met"),
    path("my-badge.pdf", views.my_badge, name="my_badge"),
]
