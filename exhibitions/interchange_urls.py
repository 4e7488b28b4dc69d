"""Staff import/export of exhibition-data/1 files, under /exhibitions/data/."""

from django.urls import path

from . import interchange_views

urlpatterns: list = [
    path("import/", interchange_views.data_import, name="data_import"),
    path("import/confirm/", interchange_views.data_import_confirm, name="data_import_confirm"),
    path("export/", interchange_views.data_export, name="data_export"),
]
