from django.contrib import admin

from .models import CalendarFeed


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    list_display = ["owner", "kind", "created_at", "revoked_at"]
    list_filter = ["kind"]
    list_select_related = ["owner"]
    # The token is the key to the calendar: the admin never shows it.
    exclude = ["token"]
