from django.contrib import admin

from .models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """The audit trail is written by services only: readable here, never editable or deletable."""

    list_display = ("at", "actor", "action", "object_repr")
    list_filter = ("content_type",)
    search_fields = ("action", "object_repr", "actor__email", "actor__full_name")
    date_hierarchy = "at"
    list_select_related = ("actor", "content_type")
    readonly_fields = ("at", "actor", "action", "content_type", "object_id", "object_repr", "details")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
