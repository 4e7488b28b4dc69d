"""Report URLs, under /exhibitions/<slug>/ (names: exhibitions:report*)."""

from django.urls import path

from . import views

urlpatterns: list = [
    path("report/", views.report, name="report"),
    path("report/rates/", views.rates, name="report_rates"),
    path("report.xlsx", views.report_xlsx, name="report_xlsx"),
    path("report.pdf", views.report_pdf, name="report_pdf"),
    path("report/company/<str:ref>/", views.company_report, name="report_company"),
    path("report/company/<str:ref>.pdf", views.company_report_pdf, name="report_company_pdf"),
]
