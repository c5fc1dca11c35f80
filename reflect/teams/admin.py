"""Teams as operators see them: who belongs where, what each member consented to, what the
threshold was and who saw what. All read-only: consent is the member's alone, and every
other row here is a record. Invitations may be deleted (revoked); nothing shows anyone's
words (a team prompt or a shared entry's text is not here)."""

from django.contrib import admin

from reflect.teams.models import (
    AccessEvent,
    ConsentReceipt,
    Invitation,
    Membership,
    Team,
    ThresholdChange,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Operators may look, never add, change or delete. Deleting a person's account (in the
    admin too) still removes their rows here with everything else of theirs."""

    deleted_with_owner = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Team)
class TeamAdmin(ReadOnlyAdmin):
    list_display = ["name", "threshold", "created_by", "created_at"]
    search_fields = ["name"]
    list_select_related = ["created_by"]


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdmin):
    list_display = ["user", "team", "role", "summary_email", "joined_at"]
    list_filter = ["role"]
    search_fields = ["user__email", "team__name"]
    list_select_related = ["user", "team"]


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdmin):
    list_display = ["team", "email", "created_by", "created_at", "expires_at", "used_by"]
    search_fields = ["email", "team__name"]
    exclude = ["token"]  # the link itself: whoever has it can join
    list_select_related = ["team", "created_by", "used_by"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return True  # revoking a link is safe: it only stops someone joining


@admin.register(ConsentReceipt)
class ConsentReceiptAdmin(ReadOnlyAdmin):
    """Consent can never be changed by an operator: no add, change or delete, whatever the
    operator's permissions (superusers included)."""

    list_display = ["member", "team", "level", "given_at", "note"]
    list_filter = ["level"]
    search_fields = ["member__email", "team__name"]
    list_select_related = ["member", "team"]


@admin.register(ThresholdChange)
class ThresholdChangeAdmin(ReadOnlyAdmin):
    list_display = ["team", "old", "new", "by", "at"]
    list_select_related = ["team", "by"]


@admin.register(AccessEvent)
class AccessEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "viewer_name", "subject", "team", "what"]
    list_filter = ["what"]
    search_fields = ["viewer_name", "subject__email", "team__name"]
    list_select_related = ["subject", "team"]
