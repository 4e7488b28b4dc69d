from django.contrib import admin

from .models import (
    Booth,
    BuyerRegistration,
    Conversation,
    Exhibition,
    ExhibitorApplication,
    Hall,
    Meeting,
    MeetingEvent,
    MeetingOutcome,
    MeetingTable,
    MessageDigest,
    Representative,
    Slot,
)


@admin.register(Exhibition)
class ExhibitionAdmin(admin.ModelAdmin):
    list_display = ["slug", "title_en", "city", "starts_on", "ends_on", "status"]
    list_filter = ["status", "country"]
    search_fields = ["slug", "title_en", "title_ko", "title_ja"]
    prepopulated_fields = {"slug": ["title_en"]}


@admin.register(Booth)
class BoothAdmin(admin.ModelAdmin):
    list_display = ["code", "exhibition", "hall", "kind", "width_m", "depth_m", "price"]
    list_filter = ["exhibition", "kind"]
    search_fields = ["code"]


class RepresentativeInline(admin.TabularInline):
    model = Representative
    extra = 0
    raw_id_fields = ["user"]


@admin.register(ExhibitorApplication)
class ExhibitorApplicationAdmin(admin.ModelAdmin):
    list_display = ["company", "exhibition", "status", "booth", "created_at"]
    list_filter = ["exhibition", "status"]
    raw_id_fields = ["company", "booth", "submitted_by", "preferred_booths", "products"]
    inlines = [RepresentativeInline]


@admin.register(BuyerRegistration)
class BuyerRegistrationAdmin(admin.ModelAdmin):
    list_display = ["company", "exhibition", "status", "visitors", "created_at"]
    list_filter = ["exhibition", "status"]
    raw_id_fields = ["company", "submitted_by", "sourcing"]


class MeetingEventInline(admin.TabularInline):
    model = MeetingEvent
    extra = 0
    readonly_fields = ["created_at", "actor", "action", "from_status", "to_status", "details"]


class MeetingOutcomeInline(admin.TabularInline):
    model = MeetingOutcome
    extra = 0
    raw_id_fields = ["recorded_by"]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["exhibition", "buyer", "exhibitor", "status", "starts_at", "outcome"]
    list_filter = ["exhibition", "status", "outcome"]
    raw_id_fields = ["buyer", "exhibitor", "buyer_person", "representative", "slot", "booth", "table", "requested_by"]
    inlines = [MeetingOutcomeInline, MeetingEventInline]


admin.site.register(Hall)
admin.site.register(Slot)
admin.site.register(MeetingTable)


@admin.register(Conversation)
class ConversationAdmin(admin.ModelAdmin):
    list_display = ["exhibition", "buyer", "exhibitor", "meeting", "last_message_at"]
    list_filter = ["exhibition"]
    raw_id_fields = ["exhibition", "buyer", "exhibitor", "meeting"]


@admin.register(MessageDigest)
class MessageDigestAdmin(admin.ModelAdmin):
    """Digest emails: who, when sent or skipped, and the last error (like notices)."""

    list_display = ["user", "created_at", "emailed_at", "skipped_at", "email_attempts", "email_error"]
    raw_id_fields = ["user"]
