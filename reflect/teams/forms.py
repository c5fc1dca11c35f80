from datetime import timedelta

from django import forms
from django.conf import settings
from django.utils import timezone

from reflect.teams.models import (
    THRESHOLD_MAX,
    THRESHOLD_MIN,
    ConsentReceipt,
    CountRequirement,
    Team,
)


class TeamForm(forms.Form):
    name = forms.CharField(max_length=80, label="Team name")


class ThresholdForm(forms.Form):
    threshold = forms.IntegerField(
        min_value=THRESHOLD_MIN, max_value=THRESHOLD_MAX, label="Privacy threshold",
        help_text=f"Fewest consenting members behind any figure ({THRESHOLD_MIN} to "
        f"{THRESHOLD_MAX}).",
    )


class InviteForm(forms.Form):
    email = forms.EmailField(
        required=False, label="Email (optional)",
        help_text="Leave empty for a link you pass on yourself. Either way it works once, "
        "for 7 days.",
    )
    counts_with = forms.ChoiceField(
        choices=CountRequirement.choices, required=False,
        label="Counts towards the team’s figures once",
        help_text="Until then the person is a member but adds to no figure you see.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = CountRequirement.choices
        if not settings.SOCIALACCOUNT_PROVIDERS["openid_connect"]["APPS"]:
            choices = [c for c in choices if c[0] != CountRequirement.SSO]  # no SSO here
        field = self.fields["counts_with"]
        field.choices = choices
        default = settings.TEAM_COUNT_REQUIRES
        field.initial = default if default in dict(choices) else CountRequirement.NONE

    def clean_counts_with(self) -> str:
        """Left out (an older page, a script): the deployment's default."""
        return self.cleaned_data["counts_with"] or self.fields["counts_with"].initial


class TeamPromptForm(forms.Form):
    text = forms.CharField(max_length=300, label="A question for your team")


class PairedForm(forms.Form):
    weeks = forms.TypedChoiceField(
        choices=[(n, f"{n} week{'s' if n > 1 else ''}") for n in range(1, 5)], coerce=int,
        initial=2, label="Open for",
    )


class ConsentForm(forms.Form):
    level = forms.ChoiceField(choices=ConsentReceipt.Level.choices, widget=forms.RadioSelect,
                              label="What this team's managers may see")


EXPIRY_CHOICES = [("", "Until I revoke it"), ("1", "1 day"), ("7", "7 days"), ("30", "30 days")]


class ShareForm(forms.Form):
    team = forms.ModelChoiceField(queryset=Team.objects.none(), label="Share with the managers of")
    expires = forms.ChoiceField(choices=EXPIRY_CHOICES, required=False, label="For how long")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        teams = Team.objects.filter(memberships__user=user, memberships__role="member")
        self.fields["team"].queryset = teams
        only = list(teams.values_list("pk", flat=True)[:2])
        if len(only) == 1:
            # One team: nothing to choose, so start from it (the preview still comes first).
            self.fields["team"].initial = only[0]
            self.fields["team"].empty_label = None

    def expires_at(self):
        days = self.cleaned_data.get("expires")
        return timezone.now() + timedelta(days=int(days)) if days else None
