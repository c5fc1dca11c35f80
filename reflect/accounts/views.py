from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core import signing
from django.core.mail import send_mail
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse

from reflect.accounts import throttle
from reflect.accounts.forms import LoginForm, ProfileForm, SignupForm
from reflect.accounts.models import (
    SIGNUP_LINK_DAYS,
    SignupRequest,
    confirm_signup,
    request_signup,
)

_SIGNUP_SALT = "reflect.accounts.signup"


def _signup_link(pending: SignupRequest) -> str:
    token = signing.TimestampSigner(salt=_SIGNUP_SALT).sign(str(pending.pk))
    return settings.SITE_URL + reverse("signup_confirm", args=[token])


def _get_pending_signup(token: str) -> SignupRequest | None:
    """The sign-up a mailed link stands for; None if forged, expired or already used."""
    try:
        pk = signing.TimestampSigner(salt=_SIGNUP_SALT).unsign(
            token, max_age=SIGNUP_LINK_DAYS * 24 * 60 * 60
        )
    except signing.BadSignature:
        return None
    return SignupRequest.objects.filter(pk=int(pk)).first()


@login_not_required
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        # Both paths answer with the same redirect and the same page; only the mail differs,
        # and only the owner of the address reads it.
        if throttle.may_send_mail(request, data["email"]):
            pending = request_signup(
                data["email"], data["password"], data["display_name"], data["time_zone"]
            )
            if pending is None:
                subject, template, ctx = (
                    "Someone tried to sign up to Reflect with your address",
                    "accounts/signup_exists_email.txt",
                    {
                        "login_url": settings.SITE_URL + reverse("login"),
                        "reset_url": settings.SITE_URL + reverse("password_reset"),
                    },
                )
            else:
                subject, template, ctx = (
                    "Confirm your address to start your Reflect journal",
                    "accounts/signup_email.txt",
                    {"link": _signup_link(pending), "days": SIGNUP_LINK_DAYS},
                )
            send_mail(subject, render_to_string(template, ctx), None, [data["email"]])
        return redirect("signup_sent")
    return render(request, "accounts/signup.html", {"form": form})


@login_not_required
def signup_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/signup_sent.html")


@login_not_required
def signup_confirm(request: HttpRequest, token: str) -> HttpResponse:
    # Opening the link shows a button; only the POST creates the account, so a mail scanner
    # that follows links does not use it up.
    pending = _get_pending_signup(token)
    if request.method == "POST" and pending is not None:
        user = confirm_signup(pending)
        if user is None:
            messages.info(request, "This address already has a Reflect journal: log in.")
            return redirect("login")
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        response = redirect("home")
        throttle.remember_device(request, response, user.email)
        messages.success(request, "Welcome to Reflect. Here is a question for today.")
        return response
    return render(request, "accounts/signup_confirm.html", {"pending": pending})


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form: LoginForm) -> HttpResponse:
        response = super().form_valid(form)
        # This browser becomes a known device for the account: an attack on the account
        # from elsewhere no longer stops its owner here (see throttle.py).
        throttle.remember_device(self.request, response, form.get_user().email)
        return response


def profile(request: HttpRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your settings are saved.")
        return redirect("profile")
    return render(request, "accounts/profile.html", {"form": form})
