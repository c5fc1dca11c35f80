from django import template
from django.conf import settings

from reflect.retention.policy import RULES

register = template.Library()


@register.inclusion_tag("retention/policy.html")
def retention_policy() -> dict:
    """What this Reflect keeps and for how long, for members (the Sharing page)."""
    return {"rules": RULES}


@register.simple_tag
def trash_days() -> int:
    return settings.TRASH_DAYS
