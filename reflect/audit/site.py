"""The admin site operators use: every model admin registered on it, ours and third-party
ones, gets OperatorAdminMixin, so every add, change and delete lands in the audit log and no
delete confirmation lists what related objects say.

Installed as Django's default site (`AuditedAdminConfig` replaces "django.contrib.admin" in
INSTALLED_APPS, the documented way to override the default admin site).
"""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.contrib.admin.utils import NestedObjects, quote
from django.db import router
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.text import capfirst

from reflect import audit


class AuditedAdminConfig(AdminConfig):
    default_site = "reflect.audit.site.OperatorAdminSite"


def _changed_fields(message) -> list[str]:
    """Field names from an admin change message (never the values or object names in it)."""
    if not isinstance(message, list):
        return []
    return sorted(
        {field for part in message for field in part.get("changed", {}).get("fields", [])}
    )


def _label(obj) -> str:
    """How an object is named on operators' delete confirmations: its kind and id, never its
    __str__, which for some models (an entry, a team prompt, a tag) is someone's words."""
    return f"{capfirst(obj._meta.verbose_name)} #{obj.pk}"


class OperatorAdminMixin:
    def log_addition(self, request, obj, message):
        entry = super().log_addition(request, obj, message)
        audit.record(
            audit.ADMIN_ADD, request.user, model=obj._meta.label_lower, object_id=str(obj.pk)
        )
        return entry

    def log_change(self, request, obj, message):
        entry = super().log_change(request, obj, message)
        audit.record(
            audit.ADMIN_CHANGE, request.user, model=obj._meta.label_lower,
            object_id=str(obj.pk), fields=_changed_fields(message),
        )
        return entry

    def log_deletions(self, request, queryset):
        entries = super().log_deletions(request, queryset)
        ids = [str(obj.pk) for obj in queryset]
        audit.record(
            audit.ADMIN_DELETE, request.user, model=self.model._meta.label_lower, object_ids=ids
        )
        return entries

    def get_deleted_objects(self, objs, request):
        """Django's own (django.contrib.admin.utils.get_deleted_objects) with each object
        named by `_label` instead of its __str__."""
        try:
            first = objs[0]
        except IndexError:
            return [], {}, set(), []
        collector = NestedObjects(using=router.db_for_write(first._meta.model), origin=objs)
        collector.collect(objs)
        perms_needed = set()
        site = self.admin_site

        def format_callback(obj):
            opts = obj._meta
            if not site.is_registered(obj.__class__):
                return _label(obj)
            model_admin = site.get_model_admin(obj.__class__)
            # Records that are never deleted alone (consent receipts, access events) go with
            # the account they belong to; anything else needs its own delete permission.
            if not getattr(model_admin, "deleted_with_owner", False) and (
                not model_admin.has_delete_permission(request, obj)
            ):
                perms_needed.add(opts.verbose_name)
            try:
                url = reverse(
                    f"{site.name}:{opts.app_label}_{opts.model_name}_change",
                    args=[quote(obj.pk)],
                )
            except NoReverseMatch:
                return _label(obj)
            return format_html('<a href="{}">{}</a>', url, _label(obj))

        to_delete = collector.nested(format_callback)
        protected = [format_callback(obj) for obj in collector.protected]
        model_count = {
            model._meta.verbose_name_plural: len(found)
            for model, found in collector.model_objs.items()
        }
        return to_delete, model_count, perms_needed, protected


class OperatorAdminSite(admin.AdminSite):
    site_header = "Reflect operators"
    site_title = "Reflect operators"

    def register(self, model_or_iterable, admin_class=None, **options):
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, OperatorAdminMixin):
            admin_class = type(admin_class.__name__, (OperatorAdminMixin, admin_class), {})
        super().register(model_or_iterable, admin_class, **options)
