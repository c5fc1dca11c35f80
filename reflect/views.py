from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.urls import reverse

from reflect.framing.dimensions import REGISTRY
from reflect.journal import unsent


@login_not_required
def landing(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home")
    return render(request, "landing.html", {"dimensions": REGISTRY.values()})


@login_not_required
def page_not_found(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "errors/404.html", status=404)


@login_not_required
def permission_denied(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "errors/403.html", status=403)


@login_not_required
def server_error(request: HttpRequest) -> HttpResponse:
    # No context processors: the database may be the thing that failed.
    return HttpResponse(loader.get_template("errors/500.html").render(), status=500)


@login_not_required
def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    # An editor's Save after its person logged in again carries the token of the old session.
    # Its text goes back into the editor for that same account (never saved on this request,
    # whose origin is unproven); a forged form has no account key and gets the plain page.
    if request.path == reverse("entry_save") and unsent.keep(request):
        if not request.user.is_authenticated:
            return redirect_to_login(reverse("entry_resume"))
        return redirect("entry_resume")
    return render(request, "errors/csrf.html", status=403)
