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
