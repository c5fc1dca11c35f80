"""Your data is yours: export, import, and deleting the account."""

from django.http import HttpRequest, HttpResponse


def export_page(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError


def export_download(request: HttpRequest, fmt: str) -> HttpResponse:
    raise NotImplementedError


def import_page(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError


def account_delete(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError
