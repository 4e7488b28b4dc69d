"""At-the-show URLs, under /exhibitions/<slug>/ (badges, check-in, leads, "we met", printed agendas)."""

from django.urls import path

from . import views

urlpatterns: list = [
    path("badges.pdf", views.badges_all, name="badges"),
    path("badges/<int:pk>.pdf", views.badge_person, name="badge_person"),
    path("check-in/", views.checkin, name="checkin"),
    path("check-in/arrivals/", views.arrivals, name="arrivals"),
    path("meetings/<int:pk>/we-met/", views.meeting_met, name="meetings_met"),
    path("my-badge.pdf", views.my_badge, name="my_badge"),
    path("leads/", views.leads, name="leads"),
    path("leads/capture/", views.lead_capture, name="lead_capture"),
    path("leads/<int:pk>/", views.lead_edit, name="lead_edit"),
    path("leads/<int:pk>/delete/", views.lead_delete, name="lead_delete"),
    path("leads.csv", views.leads_export, {"fmt": "csv"}, name="leads_csv"),
    path("leads.xlsx", views.leads_export, {"fmt": "xlsx"}, name="leads_xlsx"),
    path("meetings/we-met/scan/", views.met_scan, name="meetings_met_scan"),
    path("agenda.pdf", views.agenda_pdf, name="agenda_pdf"),
    path("booth-agenda.pdf", views.booth_agenda_pdf, name="booth_agenda_pdf"),
    path("agendas.pdf", views.agendas_all_pdf, name="agendas_pdf"),
]
