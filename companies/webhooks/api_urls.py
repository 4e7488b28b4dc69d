"""The webhook endpoints of the API, mounted under /api/v1/ by config/api_urls.py."""

from django.urls import path

from . import api

urlpatterns = [
    path("webhooks/", api.EndpointList.as_view(), name="webhook_list"),
    path("webhooks/<int:pk>/", api.EndpointDetail.as_view(), name="webhook_detail"),
    path("webhooks/<int:pk>/deliveries/", api.EndpointDeliveries.as_view(), name="webhook_deliveries"),
    path("webhooks/<int:pk>/test/", api.EndpointTest.as_view(), name="webhook_test"),
]
