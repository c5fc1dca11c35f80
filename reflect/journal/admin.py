from django.contrib import admin

from reflect.journal.models import Entry, Prompt


@admin.register(Prompt)
class PromptAdmin(admin.ModelAdmin):
    """The operator's prompts and the article's. A prompt a manager posed to their team is the
    team's words, not the operator's: it is not listed here."""

    list_display = ["text", "category", "source", "is_active", "position"]
    list_filter = ["category", "source", "is_active"]
    list_editable = ["is_active", "position"]
    search_fields = ["text", "passage"]

    def get_queryset(self, request):
        return super().get_queryset(request).exclude(source=Prompt.Source.TEAM)


@admin.register(Entry)
class EntryAdmin(admin.ModelAdmin):
    """Operators see that entries exist, never what they say: no text field is shown or
    searched, and an entry's name is its id and date (Entry.__str__)."""

    list_display = ["id", "author", "written_on", "word_count", "is_draft", "deleted_at"]
    fields = ["author", "written_on", "word_count", "is_draft", "deleted_at"]
    readonly_fields = fields
    list_select_related = ["author"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
