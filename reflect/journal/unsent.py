"""Text an editor page sent while it could not be saved: the session had expired (an
anonymous Save) or the page's CSRF token went stale when its person logged in again.

The text waits in the browser's own session, with the account key of the page that sent it
(reflect.lib.owner), and comes back in the editor once that same account is signed in; any
other account that signs in on that browser never sees it. Nothing is saved in between: an
anonymous request writes nothing into anyone's journal.
"""

from django.http import HttpRequest

from reflect.lib.owner import owner_key

SESSION_KEY = "reflect_unsent_entry"
FIELDS = ("entry", "version", "prompt", "written_on", "body", "writing_session", "owner")


def keep(request: HttpRequest) -> bool:
    """Keep the posted editor fields in this browser's session; False if there is no text or
    no account key to give it back to (a forged or foreign form)."""
    data = {name: request.POST.get(name, "") for name in FIELDS}
    if not data["body"].strip() or not data["owner"]:
        return False
    request.session[SESSION_KEY] = data
    return True


def take(request: HttpRequest) -> tuple[dict | None, bool]:
    """(fields, foreign): the kept fields if they belong to the signed-in account; foreign is
    True when text was waiting for another account (it is dropped, never shown)."""
    data = request.session.pop(SESSION_KEY, None)
    if not data:
        return None, False
    if data.get("owner") != owner_key(request.user.pk):
        return None, True
    return data, False
