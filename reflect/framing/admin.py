from django.contrib import admin

from reflect.framing.models import HighlightReport


@admin.register(HighlightReport)
class HighlightReportAdmin(admin.ModelAdmin):
    """What readers marked as a wrong highlight, to improve the lexicons: the phrase and the
    rule that fired, not who reported it or the rest of their entry."""

    list_display = ["phrase", "dimension", "pole", "rule", "analyzer_version", "created_at"]
    list_filter = ["dimension", "analyzer_version"]
    search_fields = ["phrase", "rule"]
    fields = ["phrase", "dimension", "pole", "rule", "analyzer_version", "created_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False
