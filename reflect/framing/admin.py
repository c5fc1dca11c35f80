from django.contrib import admin

from reflect.framing.models import HighlightReport


@admin.register(HighlightReport)
class HighlightReportAdmin(admin.ModelAdmin):
    """What readers marked as a wrong highlight, to improve the lexicons: the rule that fired
    and where, never the phrase (it is the reader's words) nor who reported it."""

    list_display = ["id", "dimension", "pole", "rule", "analyzer_version", "created_at"]
    list_filter = ["dimension", "analyzer_version"]
    search_fields = ["rule"]
    fields = ["dimension", "pole", "rule", "analyzer_version", "created_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
