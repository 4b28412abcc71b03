"""Django admin for people (programme leadership with staff access). Changes made here are audited too."""

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.utils.translation import gettext_lazy as _

from audit.services import audit_log, changed_fields

from .models import Invitation, RoleAssignment, User
from .services import role_audit_details


class UserCreationAdminForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "full_name")

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(_("Det finnes allerede en person med denne e-postadressen."))
        return email


class UserChangeAdminForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0
    fields = ("role", "branch", "municipality", "created_at")
    readonly_fields = ("created_at",)
    autocomplete_fields = ()
    raw_id_fields = ("municipality",)


AUDITED_USER_FIELDS = ("email", "full_name", "phone", "is_active", "is_staff", "is_superuser")


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserChangeAdminForm
    add_form = UserCreationAdminForm
    inlines = [RoleAssignmentInline]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personalia"), {"fields": ("full_name", "phone")}),
        (_("Tilgang"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("Datoer"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "full_name", "usable_password", "password1", "password2"),
            },
        ),
    )
    list_display = ("email", "full_name", "is_active", "is_staff", "last_login")
    list_filter = ("is_active", "is_staff", "role_assignments__role")
    search_fields = ("email", "full_name")
    ordering = ("full_name", "email")
    readonly_fields = ("last_login", "date_joined")

    def save_model(self, request, obj, form, change):
        changes = {}
        if change:
            before = User.objects.get(pk=obj.pk)
            changes = changed_fields(before, {name: getattr(obj, name) for name in AUDITED_USER_FIELDS})
        super().save_model(request, obj, form, change)
        if not change:
            audit_log(actor=request.user, action="accounts.user.created", obj=obj, details={"via": "admin"})
        elif changes:
            audit_log(
                actor=request.user,
                action="accounts.user.changed",
                obj=obj,
                details={"via": "admin", **changes},
            )

    def save_formset(self, request, form, formset, change):
        if formset.model is not RoleAssignment:
            return super().save_formset(request, form, formset, change)
        instances = formset.save(commit=False)
        for removed in formset.deleted_objects:
            audit_log(
                actor=request.user,
                action="accounts.role.removed",
                obj=form.instance,
                details={
                    "via": "admin",
                    **role_audit_details(removed.role, removed.branch, removed.municipality),
                    "_assignment_id": removed.pk,
                },
            )
            removed.delete()
        for instance in instances:
            is_new = instance.pk is None
            instance.save()
            audit_log(
                actor=request.user,
                action="accounts.role.added" if is_new else "accounts.role.changed",
                obj=form.instance,
                details={
                    "via": "admin",
                    **role_audit_details(instance.role, instance.branch, instance.municipality),
                    "_assignment_id": instance.pk,
                },
            )
        formset.save_m2m()


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "branch", "municipality", "created_at")
    list_filter = ("role", "branch")
    search_fields = ("user__email", "user__full_name", "municipality__name")
    list_select_related = ("user", "branch", "municipality")
    raw_id_fields = ("user", "municipality")

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        audit_log(
            actor=request.user,
            action="accounts.role.changed" if change else "accounts.role.added",
            obj=obj.user,
            details={
                "via": "admin",
                **role_audit_details(obj.role, obj.branch, obj.municipality),
                "_assignment_id": obj.pk,
            },
        )

    def delete_model(self, request, obj):
        details = {
            "via": "admin",
            **role_audit_details(obj.role, obj.branch, obj.municipality),
            "_assignment_id": obj.pk,
        }
        user = obj.user
        super().delete_model(request, obj)
        audit_log(actor=request.user, action="accounts.role.removed", obj=user, details=details)


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """Invitations are made in the app (so the e-mail goes out); here they can only be read."""

    list_display = (
        "email",
        "full_name",
        "role",
        "branch",
        "municipality",
        "created_at",
        "expires_at",
        "accepted_at",
        "cancelled_at",
    )
    list_filter = ("role",)
    search_fields = ("email", "full_name")
    list_select_related = ("branch", "municipality", "invited_by")
    readonly_fields = [f.name for f in Invitation._meta.fields if f.name != "token_hash"]
    exclude = ("token_hash",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
