from django.contrib import admin

from .models import Application, JuryMember, Review, SelectionCriterion


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ("municipality", "regional_program", "status", "submitted_at")
    list_filter = ("status", "regional_program")
    list_select_related = ("municipality", "regional_program")
    search_fields = ("municipality__name",)
    readonly_fields = ("created_by", "submitted_by", "recommended_by")


admin.site.register(SelectionCriterion)
admin.site.register(JuryMember)
admin.site.register(Review)
