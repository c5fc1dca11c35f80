from django.http import HttpRequest

from reflect.lib.owner import owner_key


def owner(request: HttpRequest) -> dict:
    """`owner_key` of the signed-in person, for the page's local copies (see reflect.lib.owner)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"owner_key": owner_key(user.pk)}
