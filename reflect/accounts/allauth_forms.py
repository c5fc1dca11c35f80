"""Our versions of forms allauth shows (ACCOUNT_FORMS). In their own module: allauth's forms
module imports ACCOUNT_SIGNUP_FORM_CLASS from reflect.accounts.forms when it loads."""

from allauth.account import forms as allauth_forms
from allauth.core import context
from allauth.mfa.base import forms as mfa_forms
from django import forms
from django.contrib.auth.hashers import make_password

from reflect.accounts import throttle
from reflect.accounts.forms import refuse_if_throttled


class LoginForm(allauth_forms.LoginForm):
    """allauth's login form, labelled as before. A form posted with the field's old name
    (`username`, from a page opened before the upgrade or a password manager) still logs in."""

    def __init__(self, *args, **kwargs):
        data = kwargs.get("data")
        if data is not None and "login" not in data and "username" in data:
            data = data.copy()
            data["login"] = data["username"]
            kwargs["data"] = data
        super().__init__(*args, **kwargs)
        self.fields["login"].label = "Email"
        self.fields["login"].widget.attrs.update(autocomplete="email", autofocus=True)

    def clean_login(self) -> str:
        return super().clean_login().lower()


class ResetPasswordForm(allauth_forms.ResetPasswordForm):
    """At most a few reset requests an hour per address and per client, counted whether or not
    the address has an account; beyond that nothing is sent and the page says the same."""

    def save(self, request, **kwargs):
        email = self.cleaned_data["email"]
        if not throttle.may_send_mail(request, email):
            return email
        return super().save(request, **kwargs)


class SignupForm(allauth_forms.SignupForm):
    """allauth's sign-up (with the fields of reflect.accounts.forms.SignupForm). For an address
    that has an account it only mails its owner; it hashes the password all the same, as the
    new-address path does to store it, so that the answer takes as long either way."""

    def try_save(self, request):
        if self.account_already_exists:
            make_password(self.cleaned_data["password1"])
        return super().try_save(request)


class MfaAuthenticateForm(mfa_forms.AuthenticateForm):
    """The login's second step (an authenticator or recovery code) counts against the same
    limits as the password, in the same rows: a wrong code is a failed login for the account,
    and the owner's known browser is limited only per device (see throttle.py). allauth's own
    limit on codes is off (settings): it counted per account in each process's cache, so an
    attacker holding the password locked the owner out of her second step."""

    def clean_code(self) -> str:
        request = context.request
        refuse_if_throttled(request, self.user.email)
        try:
            return super().clean_code()
        except forms.ValidationError:
            throttle.record(throttle.login_keys(request, self.user.email))
            raise
