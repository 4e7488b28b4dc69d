"""URLs scoped by exhibition: /exhibitions/<slug>/... (the slug is the first segment)."""

from django.urls import include, path

from . import mailing_views, views
from .conversations.urls import urlpatterns as conversation_urls
from .interchange_urls import urlpatterns as interchange_urls
from .interpreters.urls import urlpatterns as interpreter_urls
from .meetings.urls import urlpatterns as meeting_urls
from .report import views as report_views
from .report.urls import urlpatterns as report_urls
from .scheduling.urls import urlpatterns as schedule_urls
from .showfloor.urls import urlpatterns as showfloor_urls
from .wishes.urls import urlpatterns as wish_urls

app_name = "exhibitions"
urlpatterns: list = [
    path("data/", include(interchange_urls)),
    path("", views.exhibition_list, name="list"),
    path("new/", views.exhibition_create, name="create"),
    path("reports/years/", report_views.years, name="report_years"),
    path("<slug:slug>/", include(conversation_urls)),
    path("<slug:slug>/meetings/", include(meeting_urls)),
    path("<slug:slug>/", include(wish_urls)),
    path("<slug:slug>/", include(interpreter_urls)),
    path("<slug:slug>/schedule/", include(schedule_urls)),
    path("<slug:slug>/", include(showfloor_urls)),
    path("<slug:slug>/", include(report_urls)),
    path("<slug:slug>/", views.exhibition_detail, name="detail"),
    path("<slug:slug>/edit/", views.exhibition_edit, name="edit"),
    path("<slug:slug>/exhibitors/", views.directory, name="directory"),
    path("<slug:slug>/booths/<str:code>/", views.booth_detail, name="booth"),
    # An exhibitor company's application; a buyer company's registration.
    path("<slug:slug>/apply/", views.application_create, name="apply"),
    path("<slug:slug>/application/", views.application_detail, name="application"),
    path("<slug:slug>/application/edit/", views.application_edit, name="application_edit"),
    path("<slug:slug>/application/withdraw/", views.application_withdraw, name="application_withdraw"),
    path("<slug:slug>/register/", views.registration_create, name="register"),
    path("<slug:slug>/registration/", views.registration_detail, name="registration"),
    # Staff.
    path("<slug:slug>/dashboard/", views.dashboard, name="dashboard"),
    path("<slug:slug>/layout/", views.layout, name="layout"),
    path("<slug:slug>/layout/halls/", views.layout_hall, name="layout_hall"),
    path("<slug:slug>/layout/grid/", views.layout_grid, name="layout_grid"),
    path("<slug:slug>/layout/csv/", views.layout_csv, name="layout_csv"),
    path("<slug:slug>/applications/", views.application_list, name="applications"),
    path("<slug:slug>/applications/<int:pk>/", views.application_review, name="application_review"),
    path("<slug:slug>/applications/<int:pk>/booth/", views.application_assign, name="application_assign"),
    path("<slug:slug>/registrations/", views.registration_list, name="registrations"),
    path("<slug:slug>/registrations/<int:pk>/", views.registration_review, name="registration_review"),
    path("<slug:slug>/export/<str:what>.<str:fmt>", views.export, name="export"),
    path("<slug:slug>/mailings/", mailing_views.mailing_list, name="mailings"),
]
