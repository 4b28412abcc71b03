from django.contrib import admin

from .models import DevelopmentPlan, DevelopmentPlanRevision, GuidanceAgreement, GuidanceSession


@admin.register(GuidanceAgreement)
class GuidanceAgreementAdmin(admin.ModelAdmin):
    list_display = ["municipality", "regional_program", "agreed_hours", "starts_on", "ends_on", "declined_on"]
    list_filter = ["regional_program"]
    list_select_related = ["municipality", "regional_program"]
    search_fields = ["municipality__name"]
    filter_horizontal = ["advisors"]


@admin.register(GuidanceSession)
class GuidanceSessionAdmin(admin.ModelAdmin):
    list_display = ["agreement", "held_on", "duration_minutes", "form", "advisor"]
    list_select_related = ["agreement__municipality", "agreement__regional_program", "advisor"]
    # The admin's search never looks into the internal note.
    search_fields = ["agreement__municipality__name"]


class RevisionInline(admin.TabularInline):
    model = DevelopmentPlanRevision
    extra = 0
    fields = ["number", "created_by", "created_at", "change_note"]
    readonly_fields = fields


@admin.register(DevelopmentPlan)
class DevelopmentPlanAdmin(admin.ModelAdmin):
    list_display = ["municipality", "regional_program"]
    list_select_related = ["municipality", "regional_program"]
    inlines = [RevisionInline]
