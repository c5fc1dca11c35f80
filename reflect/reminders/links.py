"""Signed links in reminder emails: pause for a week, or stop. They need no login, so they
carry who and what, signed; the views answer a GET with a button and act only on POST (link
scanners in mail systems follow GETs)."""

from django.core import signing

SALT = "reflect.reminders.link"
ACTIONS = ("pause", "stop")


def link_token(user, action: str) -> str:
    return signing.dumps({"user": user.pk, "action": action}, salt=SALT)


def read_token(token: str) -> tuple[int, str] | None:
    """(user id, action) from a token we signed; None for anything else."""
    try:
        data = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("action") not in ACTIONS:
        return None
    user = data.get("user")
    return (user, data["action"]) if isinstance(user, int) else None
