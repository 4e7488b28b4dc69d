"""Meeting URLs, under /exhibitions/<slug>/meetings/ (names: exhibitions:meetings_*)."""

from django.urls import path

from . import views

urlpatterns: list = [
    path("", views.agenda, name="meetings_agenda"),
    path("request/", views.request_meeting, name="meetings_request"),
    path("<int:pk>/", views.detail, name="meetings_detail"),
    path("<int:pk>/accept/", views.accept, name="meetings_accept"),
    path("<int:pk>/decline/", views.decline, name="meetings_decline"),
    path("<int:pk>/propose/", views.propose, name="meetings_propose"),
    path("<int:pk>/accept-proposal/", views.accept_proposal, name="meetings_accept_proposal"),
    path("<int:pk>/cancel/", views.cancel, name="meetings_cancel"),
    path("<int:pk>/reschedule/", views.reschedule, name="meetings_reschedule"),
    path("<int:pk>/move/accept/", views.move_accept, name="meetings_move_accept"),
    path("<int:pk>/move/decline/", views.move_decline, name="meetings_move_decline"),
    path("<int:pk>/meeting.ics", views.meeting_ics, name="meetings_ics"),
    path("<int:pk>/outcome/", views.outcome, name="meetings_outcome"),
    path("<int:pk>/no-show/", views.no_show, name="meetings_no_show"),
    path("board/", views.board, name="meetings_board"),
    path("board/book/", views.book, name="meetings_book"),
    path("report/", views.report, name="meetings_report"),
    path("report.csv", views.report_csv, name="meetings_report_csv"),
    path("setup/", views.setup, name="meetings_setup"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="meetings_calendar"),
    path("calendar/reset/", views.calendar_reset, name="meetings_calendar_reset"),
]
