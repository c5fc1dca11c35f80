from django.apps import apps
from django.contrib import admin

from reflect.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """The audit log, read-only: nobody edits or deletes it here (retention removes old
    events)."""

    list_display = ["at", "kind", "actor_label", "detail"]
    list_filter = ["kind"]
    search_fields = ["actor_label"]
    date_hierarchy = "at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


if apps.is_installed("allauth.usersessions"):
    # allauth's session admin searches `user__username`, a field our accounts do not have (the
    # search answered 500): the same admin, searching by email. The audit app is installed
    # last, so allauth's admin is registered by now.
    from allauth.usersessions.admin import UserSessionAdmin
    from allauth.usersessions.models import UserSession

    admin.site.unregister(UserSession)

    @admin.register(UserSession)
    class SearchableUserSessionAdmin(UserSessionAdmin):
        search_fields = ["user__email", "ip"]
