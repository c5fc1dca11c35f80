import allauth.mfa.admin  # noqa: F401  (registers its admin first, so that ours replaces it)
import allauth.usersessions.admin  # noqa: F401
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from reflect.accounts.forms import AdminLoginForm
from reflect.accounts.models import User

admin.site.login_form = AdminLoginForm


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "display_name", "time_zone", "is_staff", "date_joined"]
    search_fields = ["email", "display_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Profile", {"fields": ["display_name", "time_zone"]}),
        (
            "Permissions",
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]


# allauth's own admins for second factors and sessions show their secrets (the TOTP key, the
# recovery codes' seed, the session key) on the change page. Operators see that they exist;
# a secret an operator has seen is no longer only the person's.
admin.site.unregister(Authenticator)
admin.site.unregister(UserSession)


class WithoutSecretsAdmin(admin.ModelAdmin):
    """Listed and viewable, never added or edited here; the secret columns are not shown.
    Deleting stays (with the permission): a person who lost their phone and their recovery
    codes asks an operator to remove the factor."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Authenticator)
class AuthenticatorAdmin(WithoutSecretsAdmin):
    list_display = fields = ["user", "type", "created_at", "last_used_at"]
    list_filter = ["type"]
    readonly_fields = fields


@admin.register(UserSession)
class UserSessionAdmin(WithoutSecretsAdmin):
    list_display = fields = ["user", "created_at", "ip", "user_agent"]
    readonly_fields = fields
