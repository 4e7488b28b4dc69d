from django.contrib import admin

from .models import MatchRun, Suggestion


@admin.register(MatchRun)
class MatchRunAdmin(admin.ModelAdmin):
    list_display = ["id", "exhibition", "status", "trigger", "chunks_done", "chunks_total", "created_at", "finished_at"]
    list_filter = ["status", "exhibition"]


@admin.register(Suggestion)
class SuggestionAdmin(admin.ModelAdmin):
    list_display = ["exhibition", "buyer", "exhibitor", "score", "rank", "status"]
    list_filter = ["exhibition", "status"]
    raw_id_fields = ["buyer", "exhibitor", "run", "reviewed_by", "dismissed_by"]
