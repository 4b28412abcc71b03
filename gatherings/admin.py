from django.contrib import admin

from .models import Gathering, HandIn, Registration, Semester


@admin.register(Semester)
class SemesterAdmin(admin.ModelAdmin):
    list_display = ["name", "regional_program", "starts_on", "ends_on"]
    list_filter = ["regional_program"]
    list_select_related = ["regional_program"]


@admin.register(Gathering)
class GatheringAdmin(admin.ModelAdmin):
    list_display = ["__str__", "regional_program", "kind", "starts_at", "venue", "capacity", "status"]
    list_filter = ["regional_program", "kind", "status"]
    list_select_related = ["regional_program"]
    search_fields = ["title", "venue"]
    readonly_fields = ["uid", "sequence", "created_by", "created_at", "updated_at"]


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    # The gathering filter is a URL parameter (gathering__id__exact), not a side list: there are thousands.
    list_display = ["name", "municipality", "gathering", "sector", "status", "attended"]
    list_filter = ["status", "attended"]
    list_select_related = ["municipality", "gathering"]
    search_fields = ["name", "email", "municipality__name"]
    raw_id_fields = ["gathering", "municipality", "group", "member", "registered_by"]


@admin.register(HandIn)
class HandInAdmin(admin.ModelAdmin):
    list_display = ["__str__", "submitted_at", "is_late", "shared_with_region"]
    list_select_related = ["gathering", "group__municipality"]
    raw_id_fields = ["gathering", "group", "updated_by"]
