"""Your data is yours: export, import, and deleting the account.

Exports are built in memory, then sent with a Content-Length, rather than streamed: one
person's journal is small (a decade of daily entries is a few megabytes; an entry is at most
ENTRY_MAX_CHARS), a zip file needs a seekable buffer anyway, and a complete response can
never leave a half-written file on the person's disk if a query fails midway. Every export
reads the entries with three queries (entries with their prompts, all revisions, all tags),
and can be limited to a date range and a tag (ExportScope).

The JSON export is the lossless one: importing it gives back every entry, revision, trash
state, draft and hidden prompt. Each entry carries a stable uuid, so importing the same file
twice creates nothing the second time.
"""

import csv
import io
import json
import logging
import uuid
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Count, Min, Prefetch, ProtectedError, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.tasks import task_backends
from django.tasks.backends.immediate import ImmediateBackend
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.views.decorators.http import require_http_methods

from reflect import audit
from reflect.background.models import ImportJob
from reflect.framing.models import Cue, Framing, store_analyses
from reflect.journal.forms import DateRangeForm
from reflect.journal.importers import EXPORT_FORMAT, EXPORT_VERSION, ImportFileError, convert
from reflect.journal.models import (
    TITLE_MAX_CHARS,
    Entry,
    EntryImage,
    EntryTag,
    HiddenPrompt,
    Mood,
    PendingImport,
    Prompt,
    Revision,
    count_words,
    visible_prompts,
)
from reflect.journal.pdf import TrendChart, build_pdf, chart_span, trend_charts
from reflect.journal.tags import TAGS_PER_ENTRY, hashtags, normalise
from reflect.lib.bounded import (
    FIRST_DAY,
    MAX_ID,
    MAX_INT,
    has_unusable_characters,
    parse_day,
    parse_int,
)
from reflect.lib.searchtext import search_text
from reflect.trends import series as trends

logger = logging.getLogger(__name__)

# One import is one request, and must finish well inside the worker timeout (30 s): ten
# years of daily entries (3,650, about 4 MB) take a few seconds (bench/import.py). Larger
# journals are imported in several files; importing is idempotent, so any split works.
IMPORT_MAX_BYTES = 16 * 1024 * 1024
IMPORT_MAX_ENTRIES = 4_000
IMPORT_MAX_REVISIONS = 20_000
# Prompts a file names that this server does not have become inactive prompts: a handful
# for a real journal from another server, never thousands from one file.
IMPORT_MAX_NEW_PROMPTS = 200
# With a task worker (TASKS_IN_PROCESS=false), a larger file is kept in an ImportJob row and
# imported in the background in parts of IMPORT_MAX_ENTRIES, with progress on its own page.
BACKGROUND_IMPORT_MAX_BYTES = 48 * 1024 * 1024  # under nginx's client_max_body_size (51m)
BACKGROUND_IMPORT_MAX_ENTRIES = 50_000
# One PDF is laid out within one request: at most this many entries (a year is about 365).
PDF_MAX_ENTRIES = 1_000
# A previewed file not confirmed within this time is deleted (at the next upload, anyone's).
PENDING_IMPORT_KEPT = timedelta(days=1)
# A timestamp may be a little ahead of this server's clock (another server's export).
CLOCK_SLACK = timedelta(days=1)
# Cells a spreadsheet would run as a formula (CSV injection): they get a leading apostrophe.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


# Export ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExportScope:
    """Which entries an export holds: all of them, or those of a date range and/or a tag."""

    start: date | None = None
    end: date | None = None
    tag: str = ""
    highlights: bool = False  # the PDF's framing highlights
    charts: bool = False  # the PDF's page of trend charts

    def describe(self) -> str:
        """In words, for the PDF's first page."""
        text = "All entries"
        if self.start and self.end:
            text = f"Entries from {date_format(self.start)} to {date_format(self.end)}"
        elif self.start or self.end:
            since = f"since {date_format(self.start)}" if self.start else ""
            text = f"Entries {since or 'until ' + date_format(self.end)}"
        return text + (f" tagged #{self.tag}" if self.tag else "")

    def apply(self, entries):
        if self.start:
            entries = entries.filter(written_on__gte=self.start)
        if self.end:
            entries = entries.filter(written_on__lte=self.end)
        return entries.filter(tags__name=self.tag) if self.tag else entries

    def suffix(self) -> str:
        """For the file name: what the export is limited to."""
        parts = []
        if self.start or self.end:
            parts.append(f"{self.start or 'start'}-to-{self.end or 'today'}")
        if self.tag:
            parts.append(slugify(self.tag, allow_unicode=True) or "tag")
        return "".join("-" + part for part in parts)


ALL = ExportScope()


def _entries_for_export(user, scope: ExportScope = ALL):
    revisions = Revision.objects.select_related("prompt").order_by("created_at", "id")
    return (
        scope.apply(Entry.objects.for_user(user))
        .select_related("prompt")
        .prefetch_related(
            Prefetch("revisions", queryset=revisions),
            Prefetch("tags", queryset=EntryTag.objects.order_by("name")),
            "images",
        )
        .order_by("written_on", "created_at", "id")
    )


def _tag_list(entry: Entry) -> list[str]:
    return [tag.name for tag in entry.tags.all()]


def _image_name(entry: Entry, n: int, image: EntryImage) -> str:
    """Where an image is in the Markdown zip (and how the JSON export names it)."""
    return f"images/{entry.uuid}-{n}.{image.file.name.rsplit('.', 1)[-1]}"


def _image_list(entry: Entry) -> list[dict]:
    return [
        {"file": _image_name(entry, n, image), "alt": image.alt,
         "content_type": image.content_type, "width": image.width, "height": image.height}
        for n, image in enumerate(entry.images.all(), start=1)
    ]


def _when(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat() if value else None


def _status(entry: Entry) -> str:
    if entry.deleted_at:
        return "trash"
    return "draft" if entry.is_draft else "live"


def export_data(user, scope: ExportScope = ALL) -> dict:
    """Everything a person wrote (or the part `scope` names), in a documented, versioned,
    re-importable shape."""
    entries = []
    for entry in _entries_for_export(user, scope):
        entries.append({
            "uuid": str(entry.uuid),
            "written_on": entry.written_on.isoformat(),
            "prompt_id": entry.prompt_id,
            "prompt_text": entry.prompt.text if entry.prompt_id else None,
            "body": entry.body,
            "word_count": entry.word_count,
            "version": entry.version,
            "created_at": _when(entry.created_at),
            "updated_at": _when(entry.updated_at),
            "autosaved_at": _when(entry.autosaved_at),
            "is_draft": entry.is_draft,
            "deleted_at": _when(entry.deleted_at),
            "tags": _tag_list(entry),
            "mood": entry.mood,
            "title": entry.title,
            # The image files themselves are in the Markdown zip, under these names.
            "images": _image_list(entry),
            "revisions": [
                {
                    "body": revision.body,
                    "written_on": revision.written_on.isoformat(),
                    "prompt_id": revision.prompt_id,
                    "prompt_text": revision.prompt.text if revision.prompt_id else None,
                    "version": revision.version,
                    "reason": revision.reason,
                    "created_at": _when(revision.created_at),
                }
                for revision in entry.revisions.all()
            ],
        })
    hidden = HiddenPrompt.objects.filter(user=user).select_related("prompt").order_by("id")
    return {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "exported_at": _when(timezone.now()),
        "account": {
            "email": user.email, "display_name": user.display_name, "time_zone": user.time_zone,
        },
        "hidden_prompts": [
            {
                "prompt_id": h.prompt_id, "prompt_text": h.prompt.text,
                "hidden_at": _when(h.created_at),
            }
            for h in hidden
        ],
        "entries": entries,
    }


def export_json(user, scope: ExportScope = ALL) -> bytes:
    return json.dumps(export_data(user, scope), ensure_ascii=False, indent=2).encode()


def _yaml_string(value: str | None) -> str:
    # A JSON string is a valid YAML double-quoted scalar: every character escaped safely.
    return "null" if value is None else json.dumps(value, ensure_ascii=False)


def _markdown_file(entry: Entry) -> str:
    front = [
        "---",
        f"uuid: {_yaml_string(str(entry.uuid))}",
        f"written_on: {entry.written_on.isoformat()}",
        f"prompt: {_yaml_string(entry.prompt.text if entry.prompt_id else None)}",
        f"prompt_id: {entry.prompt_id if entry.prompt_id else 'null'}",
        f"status: {_status(entry)}",
        f"version: {entry.version}",
        f"word_count: {entry.word_count}",
        f"created_at: {_yaml_string(_when(entry.created_at))}",
        f"updated_at: {_yaml_string(_when(entry.updated_at))}",
        f"deleted_at: {_yaml_string(_when(entry.deleted_at))}",
        f"tags: {json.dumps(_tag_list(entry), ensure_ascii=False)}",
        f"mood: {entry.mood or 'null'}",
        f"title: {_yaml_string(entry.title or None)}",
        f"images: {json.dumps([i['file'] for i in _image_list(entry)])}",
        "---",
        "",
    ]
    return "\n".join(front) + entry.body.rstrip("\n") + "\n"


MARKDOWN_README = """# Your Reflect journal

One Markdown file per entry, with YAML front matter (date, prompt, status, timestamps, tags,
mood, and the images attached to it, which are in images/).
Entries in the trash are in trash/, unfinished drafts in drafts/.
The JSON export is the complete one: it keeps every earlier version and can be imported back.
"""


def export_markdown_zip(user, scope: ExportScope = ALL) -> bytes:
    folders = {"live": "entries", "draft": "drafts", "trash": "trash"}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("reflect/README.md", MARKDOWN_README)
        for entry in _entries_for_export(user, scope):
            topic = slugify(entry.prompt.text if entry.prompt_id else "free entry")[:40].strip("-")
            name = f"{entry.written_on.isoformat()}-{topic or 'entry'}-{str(entry.uuid)[:8]}.md"
            archive.writestr(f"reflect/{folders[_status(entry)]}/{name}", _markdown_file(entry))
            for n, image in enumerate(entry.images.all(), start=1):
                with default_storage.open(image.file.name) as stored:
                    archive.writestr(f"reflect/{_image_name(entry, n, image)}", stored.read())
    return buffer.getvalue()


def spreadsheet_safe(value):
    """Neutralise a cell a spreadsheet would evaluate (=, +, -, @, tab, CR at the start)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


CSV_COLUMNS = [
    "uuid", "written_on", "status", "prompt", "body", "word_count", "version",
    "created_at", "updated_at", "deleted_at", "tags", "mood", "title",
]


def export_csv(user, scope: ExportScope = ALL) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for entry in _entries_for_export(user, scope).prefetch_related(None).prefetch_related(
        Prefetch("tags", queryset=EntryTag.objects.order_by("name"))
    ):
        row = [
            str(entry.uuid), entry.written_on.isoformat(), _status(entry),
            entry.prompt.text if entry.prompt_id else "", entry.body, entry.word_count,
            entry.version, _when(entry.created_at), _when(entry.updated_at),
            _when(entry.deleted_at) or "", " ".join(_tag_list(entry)), entry.mood or "",
            entry.title,
        ]
        writer.writerow([spreadsheet_safe(cell) for cell in row])
    # A byte order mark, so that spreadsheet programs read the file as UTF-8.
    return ("\ufeff" + buffer.getvalue()).encode()


class ExportTooLarge(ValueError):
    """The export asked for can't be made within one request; the message says what to do."""


def export_pdf(user, scope: ExportScope = ALL) -> bytes:
    """Live entries only (no drafts, nothing in the trash), oldest first; at most
    PDF_MAX_ENTRIES (laying out pages takes about 10 ms an entry, on a loaded machine)."""
    count = scope.apply(Entry.objects.for_user(user).live()).count()
    if count > PDF_MAX_ENTRIES:
        raise ExportTooLarge(
            f"These dates hold {count:,} entries; one PDF holds at most {PDF_MAX_ENTRIES:,}. "
            "Choose a shorter range (for example one year) and download each part."
        )
    entries = (
        scope.apply(Entry.objects.for_user(user).live())
        .select_related("prompt")
        .prefetch_related(Prefetch("tags", queryset=EntryTag.objects.order_by("name")))
        .order_by("written_on", "created_at", "id")
    )
    if scope.highlights:
        entries = entries.prefetch_related(
            Prefetch("cues", queryset=Cue.objects.order_by("dimension", "-weight", "id"))
        )
    charts = export_trend_charts(user, scope) if scope.charts else None
    return build_pdf(user, entries, scope_text=scope.describe(), highlights=scope.highlights,
                     charts=charts)


def export_trend_charts(user, scope: ExportScope) -> tuple[str, list[TrendChart]]:
    """The PDF's trend charts: the person's own analyses (with the tag, only its entries'),
    pooled per whole week or month in SQL as the trends page pools them, in one query (two
    when the range has no start: its first day is the person's first analysed day)."""
    analyses = Framing.objects.for_user(user).live()
    if scope.tag:
        tagged = EntryTag.objects.filter(author=user, name=scope.tag).values("entry_id")
        analyses = analyses.filter(entry_id__in=tagged)
    today = user.today()
    last = scope.end or today
    start = scope.start or analyses.aggregate(first=Min("written_on"))["first"] or last
    unit, first, last = chart_span(min(start, last), last)
    rows = analyses.filter(written_on__range=(first, last)).pooled_by(unit)
    pooled = {trends.as_date(row["period"]): row for row in rows}
    return trend_charts(pooled, unit, first, last)


EXPORTS = {
    "json": (export_json, "application/json", "json"),
    "markdown": (export_markdown_zip, "application/zip", "zip"),
    "csv": (export_csv, "text/csv; charset=utf-8", "csv"),
    "pdf": (export_pdf, "application/pdf", "pdf"),
}


class ExportScopeForm(DateRangeForm):
    """Limit an export to a date range and a tag (all optional)."""

    tag = forms.ChoiceField(required=False, label="Only entries tagged")
    highlights = forms.BooleanField(
        required=False, label="In the PDF, the framing highlights under each entry"
    )
    charts = forms.BooleanField(
        required=False, label="Include my trend charts for this range"
    )

    def __init__(self, data, *, user):
        super().__init__(data)
        tags = EntryTag.objects.filter(author=user).values_list("name", flat=True)
        self.fields["tag"].choices = [
            ("", "Any tag"), *((t, f"#{t}") for t in tags.distinct().order_by("name"))
        ]
        self.fields["tag"].error_messages["invalid_choice"] = "None of your entries has that tag."

    def scope(self) -> ExportScope:
        data = self.cleaned_data
        return ExportScope(start=data.get("from"), end=data.get("to"), tag=data.get("tag") or "",
                           highlights=bool(data.get("highlights")),
                           charts=bool(data.get("charts")))


def _export_page(request: HttpRequest, form: ExportScopeForm, status: int = 200) -> HttpResponse:
    counts = Entry.objects.for_user(request.user).aggregate(
        total=Count("id"),
        drafts=Count("id", filter=Q(is_draft=True, deleted_at__isnull=True)),
        trash=Count("id", filter=Q(deleted_at__isnull=False)),
    )
    ctx = {"counts": counts, "form": form, "nav": "account"}
    return render(request, "journal/export.html", ctx, status=status)


def export_page(request: HttpRequest) -> HttpResponse:
    return _export_page(request, ExportScopeForm(None, user=request.user))


def export_download(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in EXPORTS:
        raise Http404("No such export format")
    form = ExportScopeForm(request.GET, user=request.user)
    if not form.is_valid():
        return _export_page(request, form, status=400)
    scope = form.scope()
    build, content_type, extension = EXPORTS[fmt]
    filename = f"reflect-journal-{request.user.today().isoformat()}{scope.suffix()}.{extension}"
    try:
        content = build(request.user, scope)
    except ExportTooLarge as error:
        form.add_error(None, str(error))
        return _export_page(request, form, status=400)
    audit.record(audit.EXPORT, request.user, format=fmt)  # an export made, not one refused
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "private, no-store"
    return response


# Import ---------------------------------------------------------------------------------


@dataclass
class ImportResult:
    created: int = 0
    already_there: int = 0
    prompts_kept: list[str] = field(default_factory=list)


def _text(raw: dict, key: str, where: str, *, required: bool = True) -> str | None:
    value = raw.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str):
        raise ImportFileError(f"{where} has no {key.replace('_', ' ')}.")
    if has_unusable_characters(value):
        raise ImportFileError(
            f"{where}: its {key.replace('_', ' ')} contains a NUL character or a broken "
            "character (a lone surrogate), which can't be stored."
        )
    return value


def _day(raw: dict, key: str, where: str, last: date) -> date:
    name = key.replace("_", " ")
    try:
        day = date.fromisoformat(raw[key])
    except (KeyError, TypeError, ValueError):
        raise ImportFileError(f"{where}: {name} is not a date like 2026-11-27.") from None
    if not FIRST_DAY <= day <= last:
        raise ImportFileError(
            f"{where}: {name} {day.isoformat()} is not between {FIRST_DAY.isoformat()} and "
            f"today ({last.isoformat()})."
        )
    return day


_FIRST_MOMENT = datetime(FIRST_DAY.year, 1, 1, tzinfo=UTC)


def _moment(
    raw: dict, key: str, where: str, now: datetime, *, required: bool = True
) -> datetime | None:
    """An aware timestamp between 1900 and now (in UTC: a far one with an offset, such as
    9999-12-31T23:59:59-14:00, would overflow every page that shows it)."""
    value = raw.get(key)
    if value is None and not required:
        return None
    name = key.replace("_", " ")
    try:
        moment = datetime.fromisoformat(value)
        moment = moment if timezone.is_aware(moment) else moment.replace(tzinfo=UTC)
        moment = moment.astimezone(UTC)
    except (TypeError, ValueError, OverflowError):
        raise ImportFileError(f"{where}: {name} is not a date and time.") from None
    if not _FIRST_MOMENT <= moment <= now + CLOCK_SLACK:
        raise ImportFileError(f"{where}: {name} {value} is not between 1900 and now.")
    return moment


def _whole(raw: dict, key: str, where: str, *, minimum: int = 0) -> int:
    value = raw.get(key)
    if not isinstance(value, int) or isinstance(value, bool) or not minimum <= value <= MAX_INT:
        raise ImportFileError(
            f"{where}: {key} is not a whole number between {minimum} and {MAX_INT:,}."
        )
    return value


def _prompt_ref(raw: dict, where: str) -> tuple[int | None, str | None]:
    prompt_id = raw.get("prompt_id")
    if prompt_id is not None and (
        not isinstance(prompt_id, int) or isinstance(prompt_id, bool)
        or not 1 <= prompt_id <= MAX_ID
    ):
        raise ImportFileError(f"{where}: prompt id is not a number Reflect uses.")
    text = _text(raw, "prompt_text", where, required=False)
    if prompt_id is not None and not text:
        raise ImportFileError(f"{where}: a prompt id without its text.")
    return prompt_id, text


def _body(raw: dict, where: str) -> str:
    body = _text(raw, "body", where)
    if len(body) > settings.ENTRY_MAX_CHARS:
        raise ImportFileError(
            f"{where} is {len(body):,} characters long; the limit is {settings.ENTRY_MAX_CHARS:,}."
        )
    return body


def _tags(raw: dict, where: str) -> list[str]:
    value = raw.get("tags") or []
    if not isinstance(value, list) or len(value) > TAGS_PER_ENTRY:
        raise ImportFileError(f"{where}: tags are not a list of at most {TAGS_PER_ENTRY} tags.")
    tags = []
    for item in value:
        name = normalise(item) if isinstance(item, str) else None
        if name is None:
            raise ImportFileError(f"{where}: {str(item)[:40]!r} is not a tag.")
        tags.append(name)
    return list(dict.fromkeys(tags))


def _mood(raw: dict, where: str) -> int | None:
    value = raw.get("mood")
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or value not in Mood.values:
        raise ImportFileError(f"{where}: mood is not a number from 1 to 5.")
    return value


def _title(raw: dict, where: str) -> str:
    value = raw.get("title") or ""
    if not isinstance(value, str) or len(value) > TITLE_MAX_CHARS:
        raise ImportFileError(
            f"{where}: title is not text of at most {TITLE_MAX_CHARS} characters."
        )
    return value


def _too_many_message(what: str, count: int, limit: int, per_file: int | None = None) -> str:
    return (
        f"This file has {count:,} {what}; one import takes at most {limit:,}. Split the "
        f"\"entries\" list into files of at most {per_file or IMPORT_MAX_ENTRIES:,} entries "
        "(for example "
        "one file per year) and import them one after another: importing is idempotent, so "
        "nothing is ever imported twice."
    )


def parse_export(
    data, *, today: date | None = None, now: datetime | None = None, first: int = 1
) -> dict:
    """Check a decoded JSON export thoroughly before anything is written. `today` is the
    importing person's date (no entry is about a later day); `now` bounds the timestamps.
    `first` numbers the entries in messages when `data` is one part of a larger file."""
    now = now or timezone.now()
    # A day after UTC's date: the latest any time zone can be (UTC+14).
    last = today or (now + timedelta(days=1)).date()
    if not isinstance(data, dict) or data.get("format") != EXPORT_FORMAT:
        raise ImportFileError("This is not a Reflect journal export (JSON).")
    if data.get("version") != EXPORT_VERSION:
        raise ImportFileError(
            f"This export has format version {data.get('version')!r}; this Reflect reads "
            f"version {EXPORT_VERSION}."
        )
    raw_entries = data.get("entries")
    raw_hidden = data.get("hidden_prompts", [])
    if not isinstance(raw_entries, list) or not isinstance(raw_hidden, list):
        raise ImportFileError("The export has no list of entries.")
    if len(raw_entries) > IMPORT_MAX_ENTRIES:
        raise ImportFileError(_too_many_message("entries", len(raw_entries), IMPORT_MAX_ENTRIES))
    revision_count = sum(
        len(raw.get("revisions") or ()) for raw in raw_entries
        if isinstance(raw, dict) and isinstance(raw.get("revisions"), list)
    )
    if revision_count > IMPORT_MAX_REVISIONS:
        raise ImportFileError(
            _too_many_message("earlier versions", revision_count, IMPORT_MAX_REVISIONS)
        )
    entries = []
    for n, raw in enumerate(raw_entries, start=first):
        where = f"Entry {n}"
        if not isinstance(raw, dict):
            raise ImportFileError(f"{where} is not an entry.")
        try:
            entry_uuid = uuid.UUID(str(raw.get("uuid")))
        except ValueError:
            raise ImportFileError(f"{where} has no valid uuid.") from None
        revisions = raw.get("revisions", [])
        if not isinstance(revisions, list):
            raise ImportFileError(f"{where}: its earlier versions are not a list.")
        parsed_revisions = []
        for m, rev in enumerate(revisions, start=1):
            rwhere = f"{where}, earlier version {m}"
            if not isinstance(rev, dict):
                raise ImportFileError(f"{rwhere} is not a version.")
            reason = rev.get("reason", Revision.Reason.EDIT)
            if reason not in Revision.Reason.values:
                raise ImportFileError(f"{rwhere} has an unknown reason {reason!r}.")
            parsed_revisions.append({
                "body": _body(rev, rwhere),
                "written_on": _day(rev, "written_on", rwhere, last),
                "prompt": _prompt_ref(rev, rwhere),
                "version": _whole(rev, "version", rwhere),
                "reason": reason,
                "created_at": _moment(rev, "created_at", rwhere, now),
            })
        if not isinstance(raw.get("is_draft", False), bool):
            raise ImportFileError(f"{where}: is_draft is not true or false.")
        entries.append({
            "uuid": entry_uuid,
            "written_on": _day(raw, "written_on", where, last),
            "prompt": _prompt_ref(raw, where),
            "body": _body(raw, where),
            "version": _whole(raw, "version", where, minimum=1),
            "created_at": _moment(raw, "created_at", where, now),
            "updated_at": _moment(raw, "updated_at", where, now),
            "autosaved_at": _moment(raw, "autosaved_at", where, now, required=False),
            "is_draft": raw.get("is_draft", False),
            "deleted_at": _moment(raw, "deleted_at", where, now, required=False),
            "tags": _tags(raw, where),
            "mood": _mood(raw, where),
            "title": _title(raw, where),
            "revisions": parsed_revisions,
        })
    hidden = []
    for n, raw in enumerate(raw_hidden, start=1):
        where = f"Hidden prompt {n}"
        if not isinstance(raw, dict):
            raise ImportFileError(f"{where} is not a prompt.")
        prompt_id, text = _prompt_ref(raw, where)
        if not text:
            raise ImportFileError(f"{where} has no prompt text.")
        hidden.append(
            {"prompt": (prompt_id, text), "hidden_at": _moment(raw, "hidden_at", where, now)}
        )
    return {"entries": entries, "hidden": hidden}


class _PromptResolver:
    """Finds the prompt an exported entry answered: the same id with the same text, or else
    the same text. A prompt this server does not have (an export from elsewhere) is kept
    as an inactive prompt, so the answer keeps its question without offering it to anyone."""

    def __init__(self, refs: set[tuple[int | None, str]], user):
        ids = {pk for pk, _ in refs if pk is not None}
        texts = {text for _, text in refs}
        # Only prompts this person may see or has answered: an import file must not link an
        # entry to another team's prompt (nor probe whether one exists).
        reachable = Q(pk__in=visible_prompts(user).values("pk")) | Q(entries__author=user)
        found = Prompt.objects.filter(reachable).filter(Q(pk__in=ids) | Q(text__in=texts))
        found = found.distinct()
        found = found.order_by("-is_active", "pk")
        self.by_id = {}
        self.by_text = {}
        for prompt in found:
            self.by_id[prompt.pk] = prompt
            self.by_text.setdefault(prompt.text, prompt)
        # Every prompt this server lacks, created at once (and capped) before any entry.
        missing = list(dict.fromkeys(
            text for pk, text in sorted(refs, key=lambda ref: (ref[0] is None, ref[0] or 0))
            if text not in self.by_text
            and not (pk in self.by_id and self.by_id[pk].text == text)
        ))
        if len(missing) > IMPORT_MAX_NEW_PROMPTS:
            raise ImportFileError(
                f"This file names {len(missing):,} prompts this Reflect does not have; one "
                f"import keeps at most {IMPORT_MAX_NEW_PROMPTS:,} of them. Split the file, or "
                "ask the people who run this Reflect to add the prompts first."
            )
        created = Prompt.objects.bulk_create(
            [Prompt(text=text, source=Prompt.Source.OPERATOR, is_active=False) for text in missing]
        )
        self.by_text.update((prompt.text, prompt) for prompt in created)
        self.created: list[str] = missing

    def __call__(self, ref: tuple[int | None, str | None]) -> Prompt | None:
        pk, text = ref
        if not text:
            return None
        same = self.by_id.get(pk)
        if same is not None and same.text == text:
            return same
        return self.by_text[text]


def _import_uuid(original: uuid.UUID, user) -> uuid.UUID:
    """The uuid an entry gets in this account when its own uuid belongs to someone else's
    entry (a file exported from another account here): deterministic, so that importing
    the same file twice still creates nothing the second time."""
    return uuid.uuid5(original, f"reflect-import:{user.pk}")


@transaction.atomic
def import_data(user, parsed: dict) -> ImportResult:
    result = ImportResult()
    rows = list({row["uuid"]: row for row in reversed(parsed["entries"])}.values())[::-1]
    wanted = [row["uuid"] for row in rows]
    taken = dict(Entry.objects.filter(uuid__in=wanted).values_list("uuid", "author_id"))
    for row in rows:
        if taken.get(row["uuid"], user.pk) != user.pk:
            row["uuid"] = _import_uuid(row["uuid"], user)
    mine = set(
        Entry.objects.filter(author=user, uuid__in=[row["uuid"] for row in rows])
        .values_list("uuid", flat=True)
    )
    new_rows = [row for row in rows if row["uuid"] not in mine]
    result.already_there = len(rows) - len(new_rows)

    refs = {row["prompt"] for row in new_rows if row["prompt"][1]}
    refs |= {rev["prompt"] for row in new_rows for rev in row["revisions"] if rev["prompt"][1]}
    refs |= {h["prompt"] for h in parsed["hidden"]}
    prompt_for = _PromptResolver(refs, user)

    entries = [
        Entry(
            author=user, uuid=row["uuid"], prompt=prompt_for(row["prompt"]), body=row["body"],
            written_on=row["written_on"], created_at=row["created_at"],
            updated_at=row["updated_at"], version=row["version"],
            word_count=count_words(row["body"]), is_draft=row["is_draft"], mood=row["mood"],
            title=row["title"],
            search_text=search_text(row["body"]),  # bulk_create skips Entry.save()
            deleted_at=row["deleted_at"], autosaved_at=row["autosaved_at"],
        )
        for row in new_rows
    ]
    Entry.objects.bulk_create(entries, batch_size=500)
    Revision.objects.bulk_create(
        [
            Revision(
                entry=entry, body=rev["body"], written_on=rev["written_on"],
                prompt=prompt_for(rev["prompt"]), version=rev["version"], reason=rev["reason"],
                created_at=rev["created_at"],
            )
            for entry, row in zip(entries, new_rows, strict=True)
            for rev in row["revisions"]
        ],
        batch_size=500,
    )
    EntryTag.objects.bulk_create(
        [
            EntryTag(entry=entry, author=user, name=name)
            for entry, row in zip(entries, new_rows, strict=True)
            for name in list(dict.fromkeys([*hashtags(row["body"]), *row["tags"]]))[
                :TAGS_PER_ENTRY
            ]
        ],
        batch_size=500,
    )
    store_analyses(entries)  # framing and weekly totals, in bulk
    HiddenPrompt.objects.bulk_create(
        [
            HiddenPrompt(user=user, prompt=prompt_for(h["prompt"]), created_at=h["hidden_at"])
            for h in parsed["hidden"]
        ],
        ignore_conflicts=True,
    )
    result.created = len(entries)
    result.prompts_kept = prompt_for.created
    return result


def background_imports() -> bool:
    """Whether a worker runs tasks (not the in-process backend of development, where a large
    file would be imported inside the request after all)."""
    return not isinstance(task_backends["default"], ImmediateBackend)


@transaction.atomic
def start_background_import(user, text: str, count: int) -> ImportJob:
    """Keep the file (a Reflect export) for its owner and queue its import, both or neither.
    The worker checks every entry before it writes any."""
    from reflect.journal.tasks import import_in_background

    job = ImportJob.objects.create(owner=user, data=text, total=count)
    import_in_background.enqueue(job.pk)
    return job


@dataclass
class Checked:
    """An upload read, converted to a Reflect export and checked: what the preview shows."""

    source: str
    text: str  # the Reflect export, as JSON
    count: int
    first_day: date | None
    last_day: date | None
    skipped: list[str]
    notes: list[str]


def check_upload(content: bytes, user) -> Checked:
    """Read any supported file (importers.convert) and check it as an export. Up to
    IMPORT_MAX_ENTRIES entries every entry is checked now; a larger file (with a worker) has
    its header checked now and every entry by the worker before anything is written."""
    today = user.today()
    converted = convert(content, today=today, now=timezone.now(), zone=user.tz)
    data = converted.data
    raw_entries = data.get("entries")
    if not isinstance(raw_entries, list):
        raise ImportFileError("The export has no list of entries.")
    count = len(raw_entries)
    text = json.dumps(data, ensure_ascii=False)
    if count > IMPORT_MAX_ENTRIES or len(text) > IMPORT_MAX_BYTES:
        if not background_imports():
            raise ImportFileError(_too_many_message("entries", count, IMPORT_MAX_ENTRIES)
                                  if count > IMPORT_MAX_ENTRIES else _too_big_message(len(text)))
        if count > BACKGROUND_IMPORT_MAX_ENTRIES or len(text) > BACKGROUND_IMPORT_MAX_BYTES:
            raise ImportFileError(_too_many_message(
                "entries", count, BACKGROUND_IMPORT_MAX_ENTRIES,
                per_file=BACKGROUND_IMPORT_MAX_ENTRIES,
            ))
        parse_export({**data, "entries": []}, today=today)  # format, version, hidden prompts
    else:
        parse_export(data, today=today)
    days = sorted(filter(None, (
        parse_day(raw.get("written_on")) for raw in raw_entries if isinstance(raw, dict)
    )))
    return Checked(
        source=converted.source, text=text, count=count,
        first_day=days[0] if days else None, last_day=days[-1] if days else None,
        skipped=converted.skipped, notes=converted.notes,
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Your journal file",
        help_text="A Reflect export (.json, .csv or the Markdown .zip), a Day One export (the "
        ".zip or its Journal.json), a jrnl JSON export, or a zip of Markdown files.",
        error_messages={"required": "Choose the file to import.",
                        "empty": "That file is empty."},
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_file(self) -> Checked:
        upload = self.cleaned_data["file"]
        max_bytes = BACKGROUND_IMPORT_MAX_BYTES if background_imports() else IMPORT_MAX_BYTES
        if upload.size > max_bytes:
            raise forms.ValidationError(_too_big_message(upload.size, max_bytes))
        try:
            return check_upload(upload.read(), self.user)
        except ImportFileError as error:
            raise forms.ValidationError(f"{error} Nothing was imported.") from None


@transaction.atomic
def keep_for_preview(user, checked: Checked) -> PendingImport:
    """Keep a checked file until its owner confirms it; it replaces any earlier one, and
    previews left unconfirmed for a day (anyone's) are deleted: they hold journal text."""
    stale = timezone.now() - PENDING_IMPORT_KEPT
    PendingImport.objects.filter(Q(owner=user) | Q(created_at__lt=stale)).delete()
    return PendingImport.objects.create(
        owner=user, source=checked.source, data=checked.text, count=checked.count,
        first_day=checked.first_day, last_day=checked.last_day,
        skipped=checked.skipped, notes=checked.notes,
    )


def import_pending(user, pending: PendingImport) -> ImportResult | ImportJob | None:
    """Import a previewed file: at once, or through the worker when it is large. None when
    it was imported already (a second click, another tab)."""
    with transaction.atomic():
        locked = PendingImport.objects.select_for_update().filter(pk=pending.pk).first()
        if locked is None:
            return None
        if locked.count > IMPORT_MAX_ENTRIES or len(locked.data) > IMPORT_MAX_BYTES:
            job = start_background_import(user, locked.data, locked.count)
            locked.delete()
            return job
        result = import_data(user, parse_export(json.loads(locked.data), today=user.today()))
        locked.delete()
        return result


def _already_there(user, pending: PendingImport) -> int:
    """How many of the file's entries this person has already (by uuid), for the preview."""
    wanted = []
    for raw in json.loads(pending.data).get("entries", []):
        try:
            original = uuid.UUID(str(raw.get("uuid")))
        except (AttributeError, ValueError):
            continue
        wanted += [original, _import_uuid(original, user)]
    mine = Entry.objects.filter(author=user)
    return sum(
        mine.filter(uuid__in=wanted[n : n + 2 * IMPORT_MAX_ENTRIES]).count()
        for n in range(0, len(wanted), 2 * IMPORT_MAX_ENTRIES)
    )


def _size(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MB" if n >= 1024 * 1024 else f"{max(1, round(n / 1024))} KB"


def _too_big_message(size: int, limit: int = IMPORT_MAX_BYTES) -> str:
    return (
        f"This file is {_size(size)}; the limit is {_size(limit)}. Nothing was "
        f"imported. Split the \"entries\" list into files of at most {IMPORT_MAX_ENTRIES:,} "
        "entries (for example one file per year) and import them one after another."
    )


@require_http_methods(["GET", "POST"])
def import_page(request: HttpRequest) -> HttpResponse:
    """Choose a file; it is read and checked, then previewed (import_check) before importing."""
    if request.method == "POST":
        # Refuse an oversized upload before reading it.
        length = parse_int(request.META.get("CONTENT_LENGTH") or "0") or 0
        max_bytes = BACKGROUND_IMPORT_MAX_BYTES if background_imports() else IMPORT_MAX_BYTES
        if length > max_bytes + 64 * 1024:
            form = ImportForm()
            form.errors["file"] = form.error_class([_too_big_message(length, max_bytes)])
            ctx = {"form": form, "nav": "account"}
            return render(request, "journal/import.html", ctx, status=413)
        form = ImportForm(request.POST, request.FILES, user=request.user)
        if form.is_valid():
            pending = keep_for_preview(request.user, form.cleaned_data["file"])
            return redirect("import_check", pending.public_id)
        return render(request, "journal/import.html", {"form": form, "nav": "account"}, status=400)
    return render(request, "journal/import.html", {"form": ImportForm(), "nav": "account"})


def _own(model, request: HttpRequest, public_id: str, **kwargs):
    """The signed-in person's own row by its public id; 404 for anyone else or a bad id."""
    try:
        wanted = uuid.UUID(public_id)
    except ValueError:
        raise Http404 from None
    return get_object_or_404(model.objects.defer("data"), public_id=wanted,
                             owner=request.user, **kwargs)


@require_http_methods(["GET", "POST"])
def import_check(request: HttpRequest, public_id: str) -> HttpResponse:
    """The preview of an uploaded file (entries, date range, what is skipped and why), and
    its confirmation, which imports it."""
    pending = _own(PendingImport, request, public_id)
    error = ""
    if request.method == "POST":
        try:
            outcome = import_pending(request.user, pending)
        except ImportFileError as failure:  # rolled back: nothing was imported
            error = f"{failure} Nothing was imported."
        else:
            if isinstance(outcome, ImportJob):
                return redirect("import_status", outcome.public_id)
            if outcome is None:
                messages.info(request, "That file was imported already.")
            else:
                messages.success(request, _imported_message(outcome))
            return redirect("journal")
    pending = PendingImport.objects.get(pk=pending.pk)
    already = _already_there(request.user, pending)
    ctx = {
        "pending": pending, "already_there": already, "new": pending.count - already,
        "background": pending.count > IMPORT_MAX_ENTRIES, "error": error, "nav": "account",
    }
    return render(request, "journal/import_check.html", ctx, status=400 if error else 200)


def _imported_message(result: ImportResult) -> str:
    text = f"Imported {result.created} entr{'y' if result.created == 1 else 'ies'}."
    if result.already_there:
        text += (
            f" {result.already_there} were already in your journal and were left as they are."
        )
    return text


def import_status(request: HttpRequest, public_id: str) -> HttpResponse:
    """Progress of one background import: only its owner's (404 for anyone else). htmx polls
    the progress fragment while it runs; without JavaScript, a link reloads the page."""
    job = _own(ImportJob, request, public_id)
    template = "journal/import_status.html"
    if getattr(request, "htmx", False):
        template += "#progress"
    return render(request, template, {"job": job, "nav": "account"})


# Deleting the account -------------------------------------------------------------------


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Enter your password to confirm."},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("That is not your password. Nothing was deleted.")
        return password


@require_http_methods(["GET", "POST"])
def account_delete(request: HttpRequest) -> HttpResponse:
    """Delete the account and everything in it (every row cascades from the user), then end
    the session. Other sessions end too: they point at a user that no longer exists, and
    Django also checks each session's password hash, so a reused id can't revive them."""
    user = request.user
    form = DeleteAccountForm(request.POST if request.method == "POST" else None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                audit.record(audit.ACCOUNT_DELETE, user, user_id=user.pk)
                user.delete()
        except ProtectedError:
            logger.exception("Account %s could not be deleted", user.pk)
            form.add_error(
                None,
                "Something still depends on this account, so nothing was deleted. "
                "Please contact the people who run this Reflect.",
            )
        else:
            logout(request)
            messages.success(request, "Your account and everything in it have been deleted.")
            return redirect("landing")
    status = 400 if request.method == "POST" else 200
    counts = Entry.objects.for_user(user).aggregate(total=Count("id"))
    ctx = {"form": form, "entry_count": counts["total"], "nav": "account"}
    return render(request, "journal/account_delete.html", ctx, status=status)

