"""The operator audit log (README, "Deploying for an organisation", Audit log).

`record(kind, actor, **detail)` is the one way to add to it: the admin calls it for every add,
change and delete (reflect.audit.site), the journal for exports and account deletions, and
single sign-on for configuration changes. `detail` holds ids, names of models and fields,
formats: never anyone's words.
"""

ADMIN_ADD, ADMIN_CHANGE, ADMIN_DELETE = "admin_add", "admin_change", "admin_delete"
EXPORT, ACCOUNT_DELETE, SSO_CONFIG = "export", "account_delete", "sso_config"


def record(kind: str, actor, **detail) -> None:
    """Add one event to the audit log. `kind` is one of AuditEvent.Kind (a ValueError names
    the others); `actor` is the person who acted (None, or an anonymous user, for the
    system)."""
    from reflect.audit.models import AuditEvent

    if kind not in AuditEvent.Kind.values:
        raise ValueError(f"Unknown audit kind {kind!r}; use one of {AuditEvent.Kind.values}")
    known = actor is not None and actor.pk is not None  # not the system, not anonymous
    AuditEvent.objects.create(
        kind=kind,
        actor=actor if known else None,
        actor_label=actor.email if known else "system",
        detail=detail,
    )
