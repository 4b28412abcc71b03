from django.contrib import admin

from .models import Application, JuryMember, Review, SelectionCriterion

# Every change list names what it shows through list_select_related (one query for the page, not one per
# row); foreign keys with thousands of rows are raw ids on the change form instead of a select of them all.


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ("municipality", "regional_program", "status", "submitted_at")
    list_filter = ("status", "regional_program")
    list_select_related = ("municipality", "regional_program")
    search_fields = ("municipality__name",)
    readonly_fields = ("created_by", "submitted_by", "recommended_by")
    raw_id_fields = ("municipal_group", "text_updated_by")


@admin.register(SelectionCriterion)
class SelectionCriterionAdmin(admin.ModelAdmin):
    list_display = ("name", "regional_program", "weight", "position")
    list_filter = ("regional_program",)
    list_select_related = ("regional_program",)


@admin.register(JuryMember)
class JuryMemberAdmin(admin.ModelAdmin):
    list_display = ("__str__", "email", "regional_program")
    list_filter = ("regional_program",)
    list_select_related = ("user", "regional_program")
    search_fields = ("email", "full_name", "user__full_name")
    raw_id_fields = ("user", "added_by")


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = ("application", "jury_member", "has_conflict", "submitted_at")
    list_filter = ("has_conflict", "application__regional_program")
    list_select_related = (
        "application__municipality",
        "application__regional_program",
        "jury_member__user",
    )
    search_fields = ("application__municipality__name", "jury_member__email")
    raw_id_fields = ("application", "jury_member")
