"""Matching URLs, scoped by exhibition: /matching/<slug>/..."""

from django.urls import path

from . import views

app_name = "matching"
urlpatterns = [
    path("<slug:slug>/review/", views.review, name="review"),
    path("<slug:slug>/review/bulk/", views.review_bulk, name="review_bulk"),
    path("<slug:slug>/review/<int:pk>/", views.review_decide, name="review_decide"),
    path("<slug:slug>/runs/", views.runs, name="runs"),
    path("<slug:slug>/runs/start/", views.run_start, name="run_start"),
    path("<slug:slug>/runs/<int:pk>/progress/", views.run_progress, name="run_progress"),
    path("<slug:slug>/for-you/", views.for_me, name="for_me"),
    path("<slug:slug>/for-you/<int:pk>/dismiss/", views.dismiss, name="dismiss"),
]
