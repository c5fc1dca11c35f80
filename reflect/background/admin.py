from django.contrib import admin

from reflect.background.models import DonePeriod


@admin.register(DonePeriod)
class DonePeriodAdmin(admin.ModelAdmin):
    """Which periodic work was done, for whom and for which period (read-only)."""

    list_display = ("job", "subject", "period", "done_at")
    list_filter = ("job",)

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
