"""/api/: the REST API under v1/ (each app keeps its API in its own api.py; this file mounts
them, with the OpenAPI description and its browsable docs, Swagger UI self-hosted), and the
page where a person manages their personal API tokens."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from companies import api as companies_api
from companies import token_views
from companies.webhooks import api_urls as webhook_api_urls
from exhibitions import api as exhibitions_api

app_name = "api"

v1_patterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves its start script from a URL, so the strict CSP needs no inline script.
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api:schema", template_name="api/swagger_ui.html"),
        name="docs",
    ),
    path("exhibitions/", exhibitions_api.ExhibitionList.as_view(), name="exhibition_list"),
    path("exhibitions/<slug:slug>/", exhibitions_api.ExhibitionDetail.as_view(), name="exhibition_detail"),
    path("exhibitions/<slug:slug>/directory/", exhibitions_api.Directory.as_view(), name="directory"),
    path("exhibitions/<slug:slug>/agenda/", exhibitions_api.Agenda.as_view(), name="agenda"),
    path(
        "exhibitions/<slug:slug>/meetings/<int:pk>/accept/",
        exhibitions_api.MeetingAccept.as_view(),
        name="meeting_accept",
    ),
    path(
        "exhibitions/<slug:slug>/meetings/<int:pk>/decline/",
        exhibitions_api.MeetingDecline.as_view(),
        name="meeting_decline",
    ),
    path(
        "exhibitions/<slug:slug>/meetings/<int:pk>/cancel/",
        exhibitions_api.MeetingCancel.as_view(),
        name="meeting_cancel",
    ),
    path("companies/<str:ref>/", companies_api.CompanyDetail.as_view(), name="company_detail"),
    path("hs-codes/", companies_api.HSCodeSearch.as_view(), name="hs_search"),
]

urlpatterns = [
    path("tokens/", token_views.api_tokens, name="tokens"),
    path("tokens/<int:pk>/revoke/", token_views.api_token_revoke_view, name="token_revoke"),
    path("v1/", include(v1_patterns)),
    path("v1/", include(webhook_api_urls)),
]
