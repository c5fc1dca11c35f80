"""Requests no page can answer sensibly are refused here, early, with a clear 400 page."""

from collections.abc import Callable

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.template import loader

from reflect.lib.bounded import MAX_ID, has_unusable_characters


def _bad_request(reason: str) -> HttpResponse:
    # No context processors: the session and the user are not loaded yet (and may be the
    # very thing that is broken).
    html = loader.get_template("errors/400.html").render({"reason": reason})
    return HttpResponseBadRequest(html)


class RefuseUnusableInputMiddleware:
    """NUL bytes or lone surrogates in the path or query string: 400. A cookie holding them
    is dropped (a browser would keep sending it, so refusing would lock the person out):
    the page then works as if the cookie had never been set. A form sent in another
    character set than UTF-8 (Django refuses to read it, and its own 400 handler then
    fails): 400. An id in the URL past 64 bits: 404."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if has_unusable_characters(request.path_info):
            return _bad_request("This address contains characters no page here can use.")
        for key, values in request.GET.lists():
            if has_unusable_characters(key) or any(map(has_unusable_characters, values)):
                return _bad_request("This address contains characters no page here can use.")
        for name in [n for n, v in request.COOKIES.items() if has_unusable_characters(n + v)]:
            del request.COOKIES[name]
        encoding = request.encoding
        if (
            request.content_type == "application/x-www-form-urlencoded"
            and encoding is not None
            and encoding.lower() != "utf-8"
        ):
            return _bad_request(
                f"This form was sent as {encoding[:20]}; Reflect reads forms sent as UTF-8 "
                "(every browser does this). Nothing was saved: go back and send it again."
            )
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> None:
        """An id in the URL (<int:pk>) that no row can have is simply not found: the int
        converter takes any run of digits, which SQLite can't bind past 64 bits."""
        for value in (*view_args, *view_kwargs.values()):
            if isinstance(value, int) and not 0 <= value <= MAX_ID:
                raise Http404("No such object")
