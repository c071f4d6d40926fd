from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from cairn.accounts.access import person

from .models import Administration, CalibrationRun, Diagnostic, ItemCalibration, Window
from .services.calibration import clear_flag


class WindowInline(admin.TabularInline):
    model = Window
    extra = 0


@admin.register(Diagnostic)
class DiagnosticAdmin(admin.ModelAdmin):
    list_display = ("title", "slug", "active", "max_items", "se_target", "max_exposure", "balance_by")
    filter_horizontal = ("competencies",)
    inlines = [WindowInline]


@admin.register(Administration)
class AdministrationAdmin(admin.ModelAdmin):
    list_display = ("student", "diagnostic", "status", "school_year", "season", "answered", "theta", "se")
    list_filter = ("status", "season", "school_year", "diagnostic")
    search_fields = ("student__username", "student__last_name")
    readonly_fields = [f.name for f in Administration._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(CalibrationRun)
class CalibrationRunAdmin(admin.ModelAdmin):
    list_display = ("created_at", "model", "persons", "items", "calibrated", "flagged")


@admin.register(ItemCalibration)
class ItemCalibrationAdmin(admin.ModelAdmin):
    list_display = ("item", "run", "a", "b", "c", "responses", "calibrated", "fit_p", "review", "flag_reason")
    list_filter = ("review", "calibrated")
    search_fields = ("item__identifier",)
    actions = ["keep_in_diagnostics"]

    @admin.action(description="Reviewed: keep the selected flagged items in diagnostics")
    def keep_in_diagnostics(self, request: HttpRequest, queryset: QuerySet[ItemCalibration]) -> None:
        kept = 0
        for calibration in queryset.filter(review=ItemCalibration.Review.FLAGGED):
            clear_flag(calibration, person(request))
            kept += 1
        self.message_user(request, f"{kept} item(s) kept in diagnostics.", messages.SUCCESS)
