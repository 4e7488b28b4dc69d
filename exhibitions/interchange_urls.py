"""Staff import/export of exhibition-data/1 files, under /exhibitions/data/."""

urlpatterns: list = []
