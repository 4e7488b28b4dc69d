from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import (
    Certification,
    Company,
    Cooperative,
    HSCode,
    Invitation,
    Membership,
    Notification,
    OutboxMessage,
    User,
)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "cooperative", "is_superuser", "is_active", "date_joined"]
    list_filter = ["is_superuser", "is_active", "cooperative"]
    search_fields = ["email", "full_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Person"), {"fields": ("full_name", "job_title", "phone", "preferred_language", "cooperative")}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Company)
class CompanyAdmin(admin.ModelAdmin):
    list_display = ["ref", "name_en", "name_ko", "name_ja", "kind", "country", "city", "status"]
    list_filter = ["kind", "status", "country"]
    search_fields = ["ref", "name_en", "name_ko", "name_ja", "keywords"]
    raw_id_fields = ["hs_codes", "reviewed_by"]
    filter_horizontal = ["certifications"]
    inlines = [MembershipInline]


@admin.register(HSCode)
class HSCodeAdmin(admin.ModelAdmin):
    list_display = ["code", "level", "description", "name_ko", "name_ja"]
    list_filter = ["level", "section"]
    search_fields = ["code", "description", "name_ko", "name_ja"]
    raw_id_fields = ["parent"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = [
        "email",
        "company",
        "role",
        "created_at",
        "emailed_at",
        "email_attempts",
        "email_error",
        "accepted_at",
    ]
    raw_id_fields = ["company", "invited_by"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["key", "user", "template", "created_at", "emailed_at", "email_attempts", "email_error", "read_at"]
    list_filter = [("emailed_at", admin.EmptyFieldListFilter)]
    search_fields = ["key", "user__email"]
    raw_id_fields = ["user"]


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    """Tasks waiting for the broker (published_at empty) and recently published ones."""

    list_display = ["task", "args", "created_at", "due_at", "published_at", "publish_attempts", "last_error"]
    list_filter = [("published_at", admin.EmptyFieldListFilter), "task"]


admin.site.register(Cooperative)
admin.site.register(Certification)
