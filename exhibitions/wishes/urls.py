"""Wishes and availability URLs, under /exhibitions/<slug>/ (names: exhibitions:wish_*, ...)."""

from django.urls import path

from . import views

urlpatterns: list = [
    path("wishes/", views.wishes, name="wishes"),
    path("wishes/set/", views.wish_set, name="wish_set"),
    path("availability/", views.availability, name="availability"),
    path("applications/<int:pk>/parallel/", views.application_parallel, name="application_parallel"),
]
