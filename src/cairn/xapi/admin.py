from django.contrib import admin
from django.http import HttpRequest

from .models import ActivityMapping, OutboxStatement, Statement, Tool


@admin.register(Tool)
class ToolAdmin(admin.ModelAdmin):
    """Register tools with `cairn manage xapi_tool` (it prints the secret once); here they are read and
    switched off."""

    list_display = ("name", "district", "key", "weight", "active", "created_at")
    list_filter = ("active", "district")
    readonly_fields = ("key", "secret_hash", "district", "created_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(ActivityMapping)
class ActivityMappingAdmin(admin.ModelAdmin):
    list_display = ("activity_id", "competency", "weight", "district")
    list_filter = ("district",)
    search_fields = ("activity_id", "competency__code")
    raw_id_fields = ("competency",)


@admin.register(OutboxStatement)
class OutboxStatementAdmin(admin.ModelAdmin):
    list_display = ("id", "created", "sent_at", "attempts", "rejected", "last_error")
    list_filter = ("rejected",)
    readonly_fields = [f.name for f in OutboxStatement._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(Statement)
class StatementAdmin(admin.ModelAdmin):
    list_display = ("id", "tool", "verb", "activity_id", "stored", "voided", "competency", "evidence")
    list_filter = ("voided", "tool")
    readonly_fields = [f.name for f in Statement._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
