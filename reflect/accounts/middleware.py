import time

from django.conf import settings
from django.contrib.auth import logout
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, has_vary_header, patch_cache_control


class UserTimezoneMiddleware:
    """Every date the app shows is in the signed-in person's own time zone."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            timezone.activate(user.tz)
        else:
            timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


class NoStoreMiddleware:
    """No cache keeps what a signed-in person was shown (ASVS 14.3.2): after logout the back
    button must not bring a private page back, and no shared proxy may hold one.

    Every response to a person who was signed in before or after the view is `private,
    no-store` (redirects, 404s and htmx partials included), and so is any page that carries a
    CSRF token (login, sign-up, reset: the token is this visitor's own). Static files never
    reach this: WhiteNoise answers them first, with their long cache lifetimes."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        signed_in = request.user.is_authenticated
        response = self.get_response(request)
        # get_token() sets this key whenever a page used the CSRF token (a view decorated
        # with csrf_protect has already reset it to False, but the key stays).
        used_csrf_token = "CSRF_COOKIE_NEEDS_UPDATE" in request.META
        if (
            signed_in
            or request.user.is_authenticated
            or used_csrf_token
            or has_vary_header(response, "Cookie")
        ):
            add_never_cache_headers(response)
            patch_cache_control(response, private=True)
        return response


LOGIN_AT = "reflect_login_at"
SEEN_AT = "reflect_seen_at"
_SEEN_GRANULARITY = 60  # seconds: the idle clock is written at most once a minute


def start_session_clocks(request=None, **kwargs) -> None:
    """On login (user_logged_in): both clocks start with the session, saved with it, so the
    requests that follow write nothing until the idle clock needs moving."""
    if request is not None and hasattr(request, "session"):
        now = int(time.time())
        request.session[LOGIN_AT] = request.session[SEEN_AT] = now


class SessionLifetimeMiddleware:
    """A signed-in session ends after SESSION_IDLE_MINUTES without a request, and
    SESSION_MAX_HOURS after its login whatever happens. An ended session is logged out before
    the view runs, so the view answers as to anyone signed out (a page sends to the login, an
    autosave answers 401 and the editor keeps the text)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        now = int(time.time())
        if request.user.is_authenticated and self.ended(request.session, now):
            logout(request)
        response = self.get_response(request)
        if request.user.is_authenticated:
            session = request.session
            session.setdefault(LOGIN_AT, now)  # a session from before these clocks
            if now - session.get(SEEN_AT, 0) >= _SEEN_GRANULARITY:
                session[SEEN_AT] = now
        return response

    @staticmethod
    def ended(session, now: int) -> bool:
        login_at = session.get(LOGIN_AT, now)
        seen_at = session.get(SEEN_AT, now)
        return (
            now - login_at > settings.SESSION_MAX_HOURS * 3600
            or now - seen_at > settings.SESSION_IDLE_MINUTES * 60
        )
