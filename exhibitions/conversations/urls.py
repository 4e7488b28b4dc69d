"""Conversation URLs, under /exhibitions/<slug>/ (names: exhibitions:*_messages, wish_conversation)."""

from django.urls import path

from . import views

urlpatterns: list = [
    path("meetings/<int:pk>/messages/", views.meeting_messages, name="meetings_messages"),
    path("wishes/conversation/<str:buyer>/<str:exhibitor>/", views.wish_conversation, name="wish_conversation"),
    path(
        "interpreting/<str:token>/meetings/<int:pk>/messages/",
        views.interpreter_messages,
        name="interpreter_messages",
    ),
]
