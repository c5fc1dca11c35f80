from django.contrib import admin

from reflect.journal.models import Entry, Prompt


@admin.register(Prompt)
class PromptAdmin(admin.ModelAdmin):
    list_display = ["text", "category", "source", "is_active", "position"]
    list_filter = ["category", "source", "is_active"]
    list_editable = ["is_active", "position"]
    search_fields = ["text", "passage"]


@admin.register(Entry)
class EntryAdmin(admin.ModelAdmin):
    """Operators see that entries exist, never what they say."""

    list_display = ["id", "author", "written_on", "word_count", "is_draft", "deleted_at"]
    fields = ["author", "written_on", "word_count", "is_draft", "deleted_at"]
    readonly_fields = fields
    list_select_related = ["author"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
