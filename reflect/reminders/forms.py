from django import forms

from reflect.reminders.models import WEEKDAYS


class ReminderForm(forms.Form):
    enabled = forms.BooleanField(required=False, label="Email me a reminder to write")
    weekdays = forms.TypedMultipleChoiceField(
        choices=list(enumerate(WEEKDAYS)), coerce=int, required=False,
        widget=forms.CheckboxSelectMultiple, label="On these days",
    )
    time = forms.TimeField(
        label="At", widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text="Your local time. No reminder on a day you have already written.",
        error_messages={"invalid": "Enter a time such as 07:30."},
    )

    def clean(self):
        data = super().clean()
        if data.get("enabled") and not data.get("weekdays"):
            self.add_error("weekdays", "Choose at least one day, or turn reminders off.")
        return data
