from django.urls import path

from . import views

app_name = "companies"
urlpatterns = [
    path("", views.company_list, name="list"),
    path("start/", views.onboarding, name="onboarding"),
    path("profile/", views.profile, name="profile"),
    path("new/", views.company_create, name="create"),
    path("hs/", views.hs_search, name="hs_search"),
    path("review/", views.review, name="review"),
    path("notifications/", views.notification_list, name="notifications"),
    path("notifications/read/", views.notifications_mark_read, name="notifications_read"),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("<str:ref>/", views.company_detail, name="detail"),
    path("<str:ref>/edit/", views.company_edit, name="edit"),
    path("<str:ref>/team/", views.team, name="team"),
    path("<str:ref>/team/invite/", views.invite, name="invite"),
    path("<str:ref>/team/invitations/<int:pk>/cancel/", views.invitation_cancel, name="invitation_cancel"),
    path("<str:ref>/team/<int:pk>/remove/", views.member_remove, name="member_remove"),
    path("<str:ref>/team/<int:pk>/role/", views.member_role, name="member_role"),
    path("<str:ref>/review/", views.review_decide, name="review_decide"),
]
