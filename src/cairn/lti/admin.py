from django.contrib import admin

from cairn.lti.models import ContextSection, LtiIdentity, Platform


@admin.register(Platform)
class PlatformAdmin(admin.ModelAdmin):
    list_display = ("registration", "district", "created_at")
    list_select_related = ("registration", "district")


@admin.register(LtiIdentity)
class LtiIdentityAdmin(admin.ModelAdmin):
    list_display = ("user", "issuer", "subject", "last_launch_at")
    search_fields = ("user__username", "subject")
    raw_id_fields = ("user",)


@admin.register(ContextSection)
class ContextSectionAdmin(admin.ModelAdmin):
    list_display = ("context", "section", "created_at")
    raw_id_fields = ("context", "section")
