"""Read-only in the admin: every change to branches, counties and municipalities goes through the services
(and so into the audit log) from the leadership pages under /kommuner/."""

from django.contrib import admin

from .models import County, CountyBranch, Municipality


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CountyBranch)
class CountyBranchAdmin(_ReadOnly):
    list_display = ("name", "email", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name", "email")


@admin.register(County)
class CountyAdmin(_ReadOnly):
    list_display = ("number", "name", "branch")
    list_select_related = ("branch",)


@admin.register(Municipality)
class MunicipalityAdmin(_ReadOnly):
    list_display = ("number", "name", "county", "is_member", "email")
    list_filter = ("is_member", "county")
    search_fields = ("name", "number")
    list_select_related = ("county",)
