from django.contrib import admin

from .models import (
    AnnualMeetingDecision,
    DialogueMeeting,
    InterestDeadlineExtension,
    InterestRegistration,
    MunicipalGroup,
    MunicipalGroupMember,
    Program,
    RegionalProgram,
)


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = ["name", "interest_deadline", "start_semester", "is_published"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(RegionalProgram)
class RegionalProgramAdmin(admin.ModelAdmin):
    list_display = ["name", "program", "applications_open_at", "application_deadline"]
    list_filter = ["program"]
    list_select_related = ["program"]
    filter_horizontal = ["branches"]


@admin.register(InterestRegistration)
class InterestRegistrationAdmin(admin.ModelAdmin):
    list_display = ["branch", "program", "level", "updated_at", "updated_by", "version"]
    list_filter = ["program", "level"]
    list_select_related = ["branch", "program", "updated_by"]
    filter_horizontal = ["municipalities"]
    readonly_fields = ["created_at", "updated_at", "updated_by", "version"]


@admin.register(InterestDeadlineExtension)
class InterestDeadlineExtensionAdmin(admin.ModelAdmin):
    list_display = ["branch", "program", "deadline", "granted_by"]
    list_select_related = ["branch", "program", "granted_by"]


@admin.register(DialogueMeeting)
class DialogueMeetingAdmin(admin.ModelAdmin):
    list_display = ["__str__", "program", "status", "starts_at"]
    list_filter = ["program", "status"]
    list_select_related = ["branch", "program"]


@admin.register(AnnualMeetingDecision)
class AnnualMeetingDecisionAdmin(admin.ModelAdmin):
    list_display = ["branch", "program", "meeting_date", "participates"]
    list_select_related = ["branch", "program"]


class MunicipalGroupMemberInline(admin.TabularInline):
    model = MunicipalGroupMember
    extra = 0


@admin.register(MunicipalGroup)
class MunicipalGroupAdmin(admin.ModelAdmin):
    list_display = ["municipality", "regional_program", "coordinator_name"]
    list_select_related = ["municipality", "regional_program"]
    search_fields = ["municipality__name", "coordinator_name"]
    inlines = [MunicipalGroupMemberInline]
