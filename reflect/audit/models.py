from django.conf import settings
from django.db import models
from django.utils import timezone

from reflect import audit


class AuditEvent(models.Model):
    """Something an operator, or a person about their whole account, did that the
    organisation may need to account for. Kept for AUDIT_RETENTION_DAYS (reflect.retention)."""

    class Kind(models.TextChoices):
        ADMIN_ADD = audit.ADMIN_ADD, "Added in the admin"
        ADMIN_CHANGE = audit.ADMIN_CHANGE, "Changed in the admin"
        ADMIN_DELETE = audit.ADMIN_DELETE, "Deleted in the admin"
        EXPORT = audit.EXPORT, "Exported their journal"
        ACCOUNT_DELETE = audit.ACCOUNT_DELETE, "Deleted their account"
        SSO_CONFIG = audit.SSO_CONFIG, "Changed single sign-on"

    kind = models.CharField(max_length=24, choices=Kind)
    # SET_NULL: the event outlives the account (an account deletion is recorded by its owner).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_label = models.CharField(max_length=254, help_text="The actor's email at the time.")
    detail = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = "audit event"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} by {self.actor_label} at {self.at:%Y-%m-%d %H:%M}"
