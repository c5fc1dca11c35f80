import copy
from datetime import date

from django import forms
from django.conf import settings
from django.utils.formats import date_format

from reflect.journal.models import TITLE_MAX_CHARS, Entry, Mood, Prompt, prompts_for
from reflect.journal.tags import TAGS_PER_ENTRY, parse_field
from reflect.lib.bounded import MAX_ID, MAX_INT
from reflect.lib.owner import owner_key

BAD_PAGE = (
    "This page sent numbers Reflect never wrote (was it changed?). Your text is kept below: "
    "copy it, or open the entry again and save."
)


class EntryForm(forms.Form):
    """One form for new entries, edits and autosaves. Every refusal keeps the person's text."""

    # Bounded like the columns they are compared with (bigint ids, integer versions): an
    # out-of-range number is a clear form error that keeps the text, never an overflow.
    entry = forms.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, widget=forms.HiddenInput,
        error_messages={"min_value": BAD_PAGE, "max_value": BAD_PAGE, "invalid": BAD_PAGE},
    )
    version = forms.IntegerField(
        required=False, min_value=0, max_value=MAX_INT, widget=forms.HiddenInput,
        error_messages={"min_value": BAD_PAGE, "max_value": BAD_PAGE, "invalid": BAD_PAGE},
    )
    prompt = forms.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, widget=forms.HiddenInput,
        error_messages={"min_value": BAD_PAGE, "max_value": BAD_PAGE, "invalid": BAD_PAGE},
    )
    # The editor page's own id (one writing session makes one entry) and the account that
    # opened it (a page never saves into an account that signed in after it opened).
    writing_session = forms.UUIDField(required=False, widget=forms.HiddenInput)
    owner = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)
    written_on = forms.DateField(
        label="The day this is about",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "invalid": "Enter the date like 2026-11-27.",
            "required": "Enter the day this is about.",
        },
    )
    body = forms.CharField(
        label="Your reflection",
        strip=False,
        widget=forms.Textarea(attrs={"rows": 14, "maxlength": settings.ENTRY_MAX_CHARS}),
        error_messages={"required": "Write something first: an empty entry can't be saved."},
        help_text="Markdown works: *emphasis*, **strong**, lists with “- ”.",
    )

    tags = forms.CharField(
        required=False, max_length=2000, label="Tags",
        help_text="Separated by spaces or commas, e.g. one-to-ones, vision. A #tag written in "
        "the text counts too.",
    )
    title = forms.CharField(
        required=False, max_length=TITLE_MAX_CHARS, label="Title",
        widget=forms.TextInput(attrs={"dir": "auto"}),
    )
    mood = forms.TypedChoiceField(
        required=False, label="How did today feel?", coerce=int, empty_value=None,
        choices=[("", "Not said"), *Mood.choices], widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choose how the day felt from 1 to 5, or none."},
    )

    def __init__(self, *args, user, current_entry: Entry | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.current_entry = current_entry
        self.removed_nul = 0
        # A NUL character can't be stored (PostgreSQL refuses it): take it out of the text we
        # show back, and say so, rather than fail or silently change what was written.
        if self.is_bound and "\x00" in self.data.get("body", ""):
            data = self.data.copy()
            self.removed_nul = data["body"].count("\x00")
            data["body"] = data["body"].replace("\x00", "")
            self.data = data
        self.fields["written_on"].widget.attrs["max"] = user.today().isoformat()

    def clean_body(self) -> str:
        body = self.cleaned_data["body"]
        if self.removed_nul:
            raise forms.ValidationError(
                f"Your text contained {self.removed_nul} invisible NUL character(s), which can't "
                "be stored. We took them out; check the text below and save again."
            )
        if not body.strip():
            raise forms.ValidationError("Write something first: an empty entry can't be saved.")
        if len(body) > settings.ENTRY_MAX_CHARS:
            raise forms.ValidationError(
                f"This entry is {len(body):,} characters long; the limit is "
                f"{settings.ENTRY_MAX_CHARS:,}. Split it into two entries: nothing has been lost."
            )
        return body

    def clean_written_on(self) -> date:
        day = self.cleaned_data["written_on"]
        today = self.user.today()
        if day > today:
            raise forms.ValidationError(
                f"The day can't be in the future: where you are, today is {date_format(today)}."
            )
        if day.year < 1900:
            raise forms.ValidationError("Enter a date after 1900.")
        return day

    def clean_tags(self) -> list[str] | None:
        """The tags typed beside the text's own #tags; None when the page sent no tag field
        (then an edit keeps the tags the entry had)."""
        if "tags" not in self.data:
            return None
        tags, refused = parse_field(self.cleaned_data["tags"])
        if refused:
            raise forms.ValidationError(
                f"Not a tag: {', '.join(refused[:3])}. A tag is letters, digits, - and _ "
                "(e.g. one-to-ones); your text is kept."
            )
        if len(tags) > TAGS_PER_ENTRY:
            raise forms.ValidationError(f"At most {TAGS_PER_ENTRY} tags on one entry.")
        return tags

    def belongs_to_another_account(self) -> bool:
        """The page was opened by another account than the one signed in now."""
        sent = self.data.get("owner", "")
        return bool(sent) and sent != owner_key(self.user.pk)

    def clean_prompt(self) -> Prompt | None:
        pk = self.cleaned_data.get("prompt")
        if pk is None:
            return None
        entry = self.current_entry
        if entry is not None and entry.prompt_id == pk:
            # An old answer keeps its prompt, even if hidden now. Not read for that: an edit
            # needs its number only (every autosave of a prompted entry read it); its other
            # fields load when something asks for them, as the entry's own prompt would.
            if Entry.prompt.is_cached(entry):
                return entry.prompt
            return Prompt.from_db(entry._state.db, ["id"], [pk])
        prompt = prompts_for(self.user).filter(pk=pk).first()
        if prompt is None:
            raise forms.ValidationError(
                "That prompt is not available (it was removed or you hid it). "
                "Your text is kept: choose another prompt or save it as a free entry."
            )
        return prompt


class _SharedFields(dict):
    """EntryForm's fields, given to each form as they are but the day's (whose widget says
    this person's today): Django deep-copies every field and widget of a form for each
    instance, a third of an autosave's form handling, and these are never changed by one.
    A field that a form changes must be copied here."""

    COPIED = ("written_on",)

    def __deepcopy__(self, memo):
        fields = dict(self)
        for name in self.COPIED:
            fields[name] = copy.deepcopy(self[name], memo)
        return fields


# Django's own validator would refuse NULs with a vaguer message; EntryForm handles them.
EntryForm.base_fields["body"].validators = []
EntryForm.base_fields = _SharedFields(EntryForm.base_fields)


class DateRangeForm(forms.Form):
    """A form with an optional "from"/"to" range of days (the journal's filters, exports)."""

    DATE_ERRORS = {"invalid": "Enter the date like 2026-11-27."}

    def __init__(self, data=None):
        super().__init__(data)
        for name, label in (("from", "From"), ("to", "To")):  # "from" is a Python keyword
            self.fields[name] = forms.DateField(
                required=False, label=label, error_messages=self.DATE_ERRORS,
                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            )

    def clean(self):
        data = super().clean()
        start, end = data.get("from"), data.get("to")
        if start and end and start > end:
            self.add_error("to", "The end date is before the start date.")  # drops "to"
        return data

