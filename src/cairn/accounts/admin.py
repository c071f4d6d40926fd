from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from cairn.accounts.models import (
    ApiToken,
    District,
    Enrolment,
    GuardianLink,
    RoleAssignment,
    RosterProvider,
    School,
    Section,
    SecuritySettings,
    User,
)


class RoleInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0


@admin.register(User)
class CairnUserAdmin(UserAdmin):
    inlines = [RoleInline]
    list_display = ("username", "first_name", "last_name", "grade", "is_active")
    fieldsets = (*UserAdmin.fieldsets, ("Cairn", {"fields": ("preferred_name", "grade")}))  # type: ignore[misc]


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ("name", "slug")


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "district")


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "school", "grade", "term_start", "term_end")
    list_filter = ("school",)


@admin.register(Enrolment)
class EnrolmentAdmin(admin.ModelAdmin):
    list_display = ("user", "section", "kind", "start_date", "end_date")
    list_filter = ("kind", "section")
    raw_id_fields = ("user",)


@admin.register(GuardianLink)
class GuardianLinkAdmin(admin.ModelAdmin):
    list_display = ("guardian", "student", "relationship")
    raw_id_fields = ("guardian", "student")


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "created_at", "expires_at", "last_used_at", "revoked_at")
    readonly_fields = ("digest",)


@admin.register(SecuritySettings)
class SecuritySettingsAdmin(admin.ModelAdmin):
    list_display = ("district", "require_staff_two_factor", "student_idle_minutes")


class RosterProviderForm(forms.ModelForm):  # type: ignore[type-arg]
    """The client secret is typed, never shown back; left empty, the stored one stays."""

    client_secret = forms.CharField(widget=forms.PasswordInput, required=False, max_length=255)
    base_url = forms.URLField(assume_scheme="https", max_length=500)
    token_url = forms.URLField(assume_scheme="https", max_length=500, required=False)

    class Meta:
        model = RosterProvider
        exclude: list[str] = []

    def clean_client_secret(self) -> str:
        typed: str = self.cleaned_data.get("client_secret") or ""
        if not typed and not self.instance.client_secret:
            raise forms.ValidationError("The provider's client secret is needed.")
        return typed or self.instance.client_secret


@admin.register(RosterProvider)
class RosterProviderAdmin(admin.ModelAdmin):
    form = RosterProviderForm
    list_display = ("district", "base_url", "version", "active", "last_success_at", "last_attempt_at")
    readonly_fields = ("last_success_at", "last_attempt_at", "last_error")
