from django.contrib import admin

from .models import Delivery


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    """The outbox, to look into: sending, resending and cancelling go through the reminders page (audited)."""

    list_display = ("occasion", "recipient_email", "state", "planned_at", "sent_at", "program")
    list_filter = ("state", "occasion")
    list_select_related = ("program",)
    search_fields = ("recipient_email", "recipient_name", "key")
    date_hierarchy = "planned_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
