"""URLs scoped by exhibition: /exhibitions/<slug>/... (the slug is the first segment)."""

from django.urls import include, path

from .interchange_urls import urlpatterns as interchange_urls
from .meetings.urls import urlpatterns as meeting_urls

app_name = "exhibitions"
urlpatterns: list = [
    path("data/", include(interchange_urls)),
    path("<slug:slug>/meetings/", include(meeting_urls)),
]
