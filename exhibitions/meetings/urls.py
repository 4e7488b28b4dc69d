"""Meeting URLs, under /exhibitions/<slug>/meetings/ (names: exhibitions:meetings_*)."""

urlpatterns: list = []
