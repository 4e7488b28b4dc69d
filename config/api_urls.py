"""/api/: the REST API under v1/ (each app keeps its API in its own api.py; this file mounts
them, with the OpenAPI description and its browsable docs, Swagger UI self-hosted), and the
page where a person manages their personal API tokens."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from companies import api as companies_api
from companies import token_views
from companies.webhooks import api_urls as webhook_api_urls
from exhibitions import api as exhibitions_api
from exhibitions import api_meetings, api_staff, api_wishes
from matching import api as matching_api

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
    # A person's meetings, wishes and suggestions.
    path("meetings/", api_meetings.MeetingList.as_view(), name="meetings"),
    path("exhibitions/<slug:slug>/meetings/", api_meetings.MeetingRequest.as_view(), name="meeting_request"),
    path("exhibitions/<slug:slug>/meetings/<int:pk>/", api_meetings.MeetingDetail.as_view(), name="meeting_detail"),
    path(
        "exhibitions/<slug:slug>/meetings/<int:pk>/reschedule/",
        api_meetings.MeetingReschedule.as_view(),
        name="meeting_reschedule",
    ),
    path(
        "exhibitions/<slug:slug>/meetings/<int:pk>/outcome/",
        api_meetings.MeetingOutcomeRecord.as_view(),
        name="meeting_outcome",
    ),
    path("exhibitions/<slug:slug>/wishes/", api_wishes.Wishes.as_view(), name="wishes"),
    path("exhibitions/<slug:slug>/suggestions/", matching_api.SuggestionsForMe.as_view(), name="suggestions"),
    # Staff of the exhibition's cooperative.
    path("exhibitions/<slug:slug>/applications/", api_staff.ApplicationList.as_view(), name="staff_applications"),
    path(
        "exhibitions/<slug:slug>/applications/<int:pk>/decision/",
        api_staff.ApplicationDecide.as_view(),
        name="staff_application_decide",
    ),
    path(
        "exhibitions/<slug:slug>/applications/<int:pk>/booth/",
        api_staff.BoothAssign.as_view(),
        name="staff_booth_assign",
    ),
    path("exhibitions/<slug:slug>/registrations/", api_staff.RegistrationList.as_view(), name="staff_registrations"),
    path(
        "exhibitions/<slug:slug>/registrations/<int:pk>/decision/",
        api_staff.RegistrationDecide.as_view(),
        name="staff_registration_decide",
    ),
    path("exhibitions/<slug:slug>/booths/", api_staff.BoothList.as_view(), name="staff_booths"),
    path("exhibitions/<slug:slug>/data/", api_staff.ExhibitionData.as_view(), name="staff_data"),
    path("exhibitions/<slug:slug>/matcher-runs/", matching_api.MatchRuns.as_view(), name="staff_match_runs"),
    path(
        "exhibitions/<slug:slug>/matcher-runs/<int:pk>/",
        matching_api.MatchRunProgress.as_view(),
        name="staff_match_run",
    ),
    path(
        "exhibitions/<slug:slug>/matcher-runs/<int:pk>/results/",
        matching_api.MatchRunResults.as_view(),
        name="staff_match_run_results",
    ),
    path("exhibitions/<slug:slug>/scheduler-runs/", api_staff.ScheduleRuns.as_view(), name="staff_schedule_runs"),
    path(
        "exhibitions/<slug:slug>/scheduler-runs/<int:pk>/",
        api_staff.ScheduleRunProgress.as_view(),
        name="staff_schedule_run",
    ),
    path(
        "exhibitions/<slug:slug>/scheduler-runs/<int:pk>/results/",
        api_staff.ScheduleRunResults.as_view(),
        name="staff_schedule_run_results",
    ),
    path("exhibitions/<slug:slug>/report/", api_staff.Report.as_view(), name="staff_report"),
    path("companies/<str:ref>/", companies_api.CompanyDetail.as_view(), name="company_detail"),
    path("hs-codes/", companies_api.HSCodeSearch.as_view(), name="hs_search"),
]

urlpatterns = [
    path("tokens/", token_views.api_tokens, name="tokens"),
    path("tokens/<int:pk>/revoke/", token_views.api_token_revoke_view, name="token_revoke"),
    path("v1/", include(v1_patterns)),
    path("v1/", include(webhook_api_urls)),
]
