"""Our rules around django-allauth's sign-in: its views and flows, our throttle and policy.

- Failed logins go through reflect/accounts/throttle.py (rows shared by every process, the
  owner's own browser never locked out), checked before any password is hashed.
- Sign-up, verification and reset mail count against the throttle's mail limits, silently.
- Who may create an account follows SIGNUP_MODE (open, invite, sso), and single sign-on
  accepts only the addresses of OIDC_ALLOWED_DOMAINS.
"""

from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest
from django.shortcuts import redirect
from django.urls import Resolver404, resolve
from django.utils.crypto import salted_hmac

from reflect import audit
from reflect.accounts import throttle
from reflect.accounts.forms import refuse_if_throttled

# Mail that anyone can make us send to an address by typing it in a form (reset requests
# are counted by their form, reflect/accounts/allauth_forms.py, known address or not).
_REQUESTED_MAIL = (
    "account/email/account_already_exists",
    "account/email/email_confirmation",
    "account/email/email_confirmation_signup",
)


def usable_invitation(next_url: str | None) -> bool:
    """Whether the page a person is signing up to reach is a usable team invitation: an
    anonymous visitor following one is sent to log in with ?next=/teams/join/<token>/."""
    from reflect.teams.models import Invitation

    try:
        match = resolve(urlsplit(next_url or "").path)
    except Resolver404:
        return False
    if match.url_name != "team_join":
        return False
    return Invitation.objects.usable().filter(token=match.kwargs["token"]).exists()


def invitation_pending(request: HttpRequest) -> bool:
    return usable_invitation(request.POST.get("next") or request.GET.get("next"))


class AccountAdapter(DefaultAccountAdapter):
    def pre_authenticate(self, request: HttpRequest, **credentials) -> None:
        # Instead of allauth's per-process cache limit: ours holds across processes and
        # keeps the owner's known device out of an attack on her address.
        refuse_if_throttled(request, credentials.get("email", ""))

    def authentication_failed(self, request: HttpRequest, **credentials) -> None:
        throttle.record(throttle.login_keys(request, credentials.get("email", "")))

    def post_login(self, request: HttpRequest, user, **kwargs):
        response = super().post_login(request, user, **kwargs)
        # This browser becomes a known device for the account (see throttle.py).
        throttle.remember_device(request, response, user.email)
        return response

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        request = self.request
        if (
            template_prefix in _REQUESTED_MAIL
            and request is not None
            and not throttle.may_send_mail(request, email)
        ):
            return  # the page says the same either way
        super().send_mail(template_prefix, email, context)

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        if settings.SIGNUP_MODE == "open":
            return True
        if settings.SIGNUP_MODE == "invite":
            return invitation_pending(request)
        return False  # sso: accounts come only from the identity provider


def email_domain(email: str) -> str:
    return email.rpartition("@")[2].strip().lower()


def sso_configuration() -> dict:
    """What the operator configured for single sign-on, as the audit log keeps it: never the
    secret, only a keyed digest of it that changes when it does."""
    apps = settings.SOCIALACCOUNT_PROVIDERS["openid_connect"]["APPS"]
    if not apps:
        return {"enabled": False}
    app = apps[0]
    digest = salted_hmac("reflect.accounts.sso", app["secret"], algorithm="sha256")
    return {
        "enabled": True,
        "issuer": app["settings"]["server_url"],
        "client_id": app["client_id"],
        "secret_digest": digest.hexdigest()[:16],
        "name": app["name"],
        "allowed_domains": list(settings.OIDC_ALLOWED_DOMAINS),
        "signup_mode": settings.SIGNUP_MODE,
    }


def record_sso_configuration() -> None:
    """The configuration comes from the environment, so it changes when the app restarts with
    other values: the first sign-on through a changed configuration records it (actor: the
    system) in the operators' audit log."""
    from reflect.audit.models import AuditEvent

    current = sso_configuration()
    latest = AuditEvent.objects.filter(kind=audit.SSO_CONFIG).order_by("-at", "-id").first()
    if latest is None or latest.detail != current:
        audit.record(audit.SSO_CONFIG, None, **current)


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def pre_social_login(self, request: HttpRequest, sociallogin) -> None:
        record_sso_configuration()
        allowed = settings.OIDC_ALLOWED_DOMAINS
        addresses = [address.email for address in sociallogin.email_addresses]
        addresses += [sociallogin.user.email] if sociallogin.user.email else []
        if allowed and not (addresses and all(email_domain(a) in allowed for a in addresses)):
            messages.error(
                request,
                "This sign-in is not for your organisation's addresses: Reflect accepts only "
                + ", ".join("@" + domain for domain in allowed)
                + ". Sign in with your work account.",
            )
            raise ImmediateHttpResponse(redirect("login"))

    def is_open_for_signup(self, request: HttpRequest, sociallogin) -> bool:
        if settings.SIGNUP_MODE == "invite":
            return usable_invitation(sociallogin.state.get("next"))
        return True  # open, and sso: the identity provider decides who is a person here

    def is_email_verified(self, _provider, email) -> bool:
        # The organisation's provider vouches for its own domains' addresses.
        allowed = settings.OIDC_ALLOWED_DOMAINS
        return bool(allowed) and email_domain(email) in allowed
