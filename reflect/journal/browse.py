"""Finding and revisiting: the journal list, search, calendar, on this day, then and now."""

from django.http import HttpRequest, HttpResponse


def journal(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError


def search(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError


def calendar(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError


def on_this_day(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError


def then_and_now(request: HttpRequest, pk: int) -> HttpResponse:
    raise NotImplementedError
