from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ceiling.models import Note


def page(request: HttpRequest) -> HttpResponse:
    """Session + user (the middleware) + one query, rendered in a small template."""
    notes = Note.objects.filter(author=request.user).order_by("-written_on")[:5]
    return render(request, "page.html", {"notes": notes})
