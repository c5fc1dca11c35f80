from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm

from reflect.accounts import throttle
from reflect.accounts.models import User, valid_time_zones


def time_zone_choices() -> list[tuple[str, str]]:
    return [(tz, tz.replace("_", " ")) for tz in sorted(valid_time_zones())]


class TimeZoneField(forms.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=time_zone_choices, **kwargs)
        # reflect.js preselects the browser's zone on forms that ask for it.
        self.widget.attrs["data-browser-time-zone"] = ""


class SignupForm(forms.Form):
    email = forms.EmailField(widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    display_name = forms.CharField(
        max_length=80, required=False, help_text="How Reflect greets you. Optional."
    )
    password = forms.CharField(
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    time_zone = TimeZoneField(initial="UTC", help_text="Used for every date Reflect shows you.")

    def clean_email(self) -> str:
        # Never a word about whether the address has an account (ASVS 6.3.8): the view
        # answers "check your email" either way and the mail says what comes next.
        return self.cleaned_data["email"].strip().lower()

    def clean(self):
        cleaned = super().clean()
        password = cleaned.get("password")
        if password:
            candidate = User(
                email=cleaned.get("email", ""), display_name=cleaned.get("display_name", "")
            )
            try:
                password_validation.validate_password(password, candidate)
            except forms.ValidationError as error:
                self.add_error("password", error)
        return cleaned


class ThrottledLoginMixin:
    """Failed logins are limited (see throttle.py); a throttled attempt is refused before
    authenticate(), so it costs no password hashing."""

    throttled_message = "Too many attempts: try again in %(wait)s."

    def clean(self):
        email = self.cleaned_data.get("username")
        if not email or not self.cleaned_data.get("password"):
            return super().clean()
        keys = throttle.login_keys(self.request, email)
        remaining = throttle.wait(keys)
        if remaining is not None:
            raise forms.ValidationError(
                self.throttled_message,
                code="throttled",
                params={"wait": throttle.in_minutes(remaining)},
            )
        try:
            return super().clean()
        except forms.ValidationError:
            throttle.record(keys)
            raise


class LoginForm(ThrottledLoginMixin, AuthenticationForm):
    username = forms.EmailField(
        label="Email", widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True})
    )

    def clean_username(self) -> str:
        return self.cleaned_data["username"].strip().lower()


class AdminLoginForm(ThrottledLoginMixin, AdminAuthenticationForm):
    """The admin's login counts against the same limits: it is another door to one account."""


class ResetForm(PasswordResetForm):
    """Django's reset form, with at most a few mails an hour per address and per client.
    Beyond that nothing is sent and the page still says "if an account exists…"."""

    def save(self, **kwargs) -> None:
        request = kwargs.get("request")
        if request is not None and not throttle.may_send_mail(request, self.cleaned_data["email"]):
            return
        super().save(**kwargs)


class ProfileForm(forms.ModelForm):
    time_zone = TimeZoneField()

    class Meta:
        model = User
        fields = ["display_name", "time_zone"]
