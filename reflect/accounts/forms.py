from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm

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
    """What allauth's sign-up form asks besides email and password (ACCOUNT_SIGNUP_FORM_CLASS).
    Its answer is the same for a new and a known address (ACCOUNT_PREVENT_ENUMERATION)."""

    display_name = forms.CharField(
        max_length=80, required=False, help_text="How Reflect greets you. Optional."
    )
    time_zone = TimeZoneField(initial="UTC", help_text="Used for every date Reflect shows you.")

    def signup(self, request, user) -> None:
        user.display_name = self.cleaned_data["display_name"]
        user.time_zone = self.cleaned_data["time_zone"]
        user.save(update_fields=["display_name", "time_zone"])


THROTTLED = "Too many attempts: try again in %(wait)s."


def refuse_if_throttled(request, email: str) -> None:
    """Refuse a login attempt, before any password is hashed, while a limit is full."""
    remaining = throttle.wait(throttle.login_keys(request, email))
    if remaining is not None:
        raise forms.ValidationError(
            THROTTLED, code="throttled", params={"wait": throttle.in_minutes(remaining)}
        )


class AdminLoginForm(AdminAuthenticationForm):
    """The admin's login counts against the same limits: it is another door to one account."""

    def clean(self):
        email = self.cleaned_data.get("username")
        if not email or not self.cleaned_data.get("password"):
            return super().clean()
        refuse_if_throttled(self.request, email)
        try:
            return super().clean()
        except forms.ValidationError:
            throttle.record(throttle.login_keys(self.request, email))
            raise


class ProfileForm(forms.ModelForm):
    time_zone = TimeZoneField()

    class Meta:
        model = User
        fields = ["display_name", "time_zone"]
