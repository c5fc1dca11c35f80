"""Old journals from other apps, read into Reflect's own export shape.

Every format is converted to the dict a Reflect JSON export holds (portability.parse_export
then checks it like any export, and portability.import_data imports it), so there is one
import, one set of checks and one background path whatever the file came from:

- a **Day One** JSON export: the zip, or its `Journal.json` (`entries[]` with `creationDate`,
  `timeZone`, `text`, `tags`, `starred`, `uuid`);
- a **jrnl** JSON export (`entries[]` with `date`, `time`, `title`, `body`, `tags`, `starred`);
- a **zip of Markdown files**, each dated by its front matter (`written_on`, `date`, `created`)
  or its file name (`2021-03-04 …md`), Reflect's own Markdown export included;
- Reflect's own **CSV** export.

Each entry gets a uuid derived from what it is (Day One's own uuid; otherwise the format, the
day and a hash of the text), so importing the same file twice adds nothing the second time.
An entry that can't be imported (no text, no usable date, too long) is skipped and the
preview says which and why; a file that is not what it claims is refused with a message
naming what is wrong. Zips are read in memory, never extracted: members are counted and
their declared sizes summed before anything is decompressed (zip bombs), and a member whose
name climbs out of the archive (`../`, an absolute path) makes the whole zip refused.
"""

import csv
import hashlib
import io
import json
import re
import uuid
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings

from reflect.journal.models import TITLE_MAX_CHARS
from reflect.journal.tags import normalise
from reflect.lib.bounded import FIRST_DAY, has_unusable_characters

EXPORT_FORMAT = "reflect-journal"
EXPORT_VERSION = 1
NAMESPACE = uuid.UUID("6c1f0f7e-2d1a-4f57-9a55-1b5e0c6d3f10")  # Reflect's imports
ZIP_MAX_MEMBERS = 20_000
ZIP_MAX_UNPACKED = 96 * 1024 * 1024
FRONT_MATTER_MAX_CHARS = 8_000
_DAY_IN_NAME = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
_DAYONE_PHOTO = re.compile(r"!\[[^\]]*\]\(dayone-moment:[^)]*\)\n?")
_FORMULA_ESCAPED = re.compile(r"'[=+\-@\t\r]")


class ImportFileError(ValueError):
    """The file is not a journal export we can read; the message says why, in plain words."""


@dataclass
class Converted:
    source: str
    data: dict
    skipped: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def reflect_export(entries: list[dict]) -> dict:
    return {"format": EXPORT_FORMAT, "version": EXPORT_VERSION, "hidden_prompts": [],
            "entries": entries}


def _key(*parts: str) -> str:
    return str(uuid.uuid5(NAMESPACE, "\x1f".join(parts)))


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def _zone(name: object, fallback: ZoneInfo) -> ZoneInfo:
    if isinstance(name, str) and 0 < len(name) < 64:
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            pass
    return fallback


def _tag_names(values: object, *, strip: str = "#") -> list[str]:
    names = []
    for value in values if isinstance(values, list) else []:
        name = normalise(value.lstrip(strip)) if isinstance(value, str) else None
        if name:
            names.append(name)
    return list(dict.fromkeys(names))


@dataclass
class _Checks:
    """What every converter checks of an entry, and the skip list they share."""

    today: date
    now: datetime
    skipped: list[str] = field(default_factory=list)

    def skip(self, label: str, reason: str) -> None:
        self.skipped.append(f"{label}: {reason}")

    def usable(self, label: str, body: str, day: date | None) -> bool:
        if day is None:
            self.skip(label, "it has no date Reflect can read")
        elif not FIRST_DAY <= day <= self.today:
            self.skip(label, f"its date {day.isoformat()} is not between 1900 and today")
        elif not body.strip():
            self.skip(label, "it has no text")
        elif has_unusable_characters(body):
            self.skip(label, "its text holds a NUL or broken character that can't be stored")
        elif len(body) > settings.ENTRY_MAX_CHARS:
            self.skip(label, f"it is {len(body):,} characters long; the limit is "
                             f"{settings.ENTRY_MAX_CHARS:,}")
        else:
            return True
        return False

    def moment(self, value: datetime | None) -> str:
        """A timestamp for created_at: the entry's own when it is sane, else now."""
        if value is None or not datetime(1900, 1, 1, tzinfo=UTC) <= value <= self.now:
            value = self.now
        return _iso(value)


def _entry(uuid_: str, day: date, body: str, created: str, *, tags: list[str],
           prompt: str | None = None, mood: int | None = None, title: str = "") -> dict:
    return {
        "uuid": uuid_, "written_on": day.isoformat(), "prompt_id": None, "prompt_text": prompt,
        "body": body, "version": 1, "created_at": created, "updated_at": created,
        "is_draft": False, "deleted_at": None, "tags": tags, "mood": mood, "revisions": [],
        "title": " ".join(title.split())[:TITLE_MAX_CHARS],
    }


# Day One -------------------------------------------------------------------------------


def _parse_moment(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def looks_like_day_one(data: object) -> bool:
    entries = data.get("entries") if isinstance(data, dict) else None
    return (isinstance(entries, list) and bool(entries) and isinstance(entries[0], dict)
            and "creationDate" in entries[0])


def from_day_one(data: dict, checks: _Checks, zone: ZoneInfo) -> Converted:
    entries, photos = [], 0
    for n, raw in enumerate(data["entries"], start=1):
        label = f"Day One entry {n}"
        if not isinstance(raw, dict):
            checks.skip(label, "it is not an entry")
            continue
        text = raw.get("text") if isinstance(raw.get("text"), str) else ""
        photos += len(_DAYONE_PHOTO.findall(text)) or len(raw.get("photos") or [])
        body = _DAYONE_PHOTO.sub("", text).strip("\n")
        moment = _parse_moment(raw.get("creationDate"))
        day = moment.astimezone(_zone(raw.get("timeZone"), zone)).date() if moment else None
        if moment is not None:
            label += f" ({day.isoformat()})"
        if not checks.usable(label, body, day):
            continue
        tags = _tag_names(raw.get("tags"))
        if raw.get("starred") is True:
            tags.append("starred")
        source_id = raw.get("uuid") if isinstance(raw.get("uuid"), str) else ""
        key = _key("dayone", source_id) if source_id else _key("dayone", day.isoformat(),
                                                                _digest(body))
        entries.append(_entry(key, day, body, checks.moment(moment), tags=tags))
    notes = [f"{photos:,} photo{' is' if photos == 1 else 's are'} in the export not imported "
             "(only the text is)."] if photos else []
    return Converted("Day One", reflect_export(entries), checks.skipped, notes)


# jrnl ----------------------------------------------------------------------------------


def looks_like_jrnl(data: object) -> bool:
    entries = data.get("entries") if isinstance(data, dict) else None
    return (isinstance(entries, list) and bool(entries) and isinstance(entries[0], dict)
            and "date" in entries[0] and ("body" in entries[0] or "title" in entries[0]))


def from_jrnl(data: dict, checks: _Checks, zone: ZoneInfo) -> Converted:
    entries = []
    for n, raw in enumerate(data["entries"], start=1):
        label = f"jrnl entry {n}"
        if not isinstance(raw, dict):
            checks.skip(label, "it is not an entry")
            continue
        title = raw.get("title") if isinstance(raw.get("title"), str) else ""
        rest = raw.get("body") if isinstance(raw.get("body"), str) else ""
        body = (title + (rest if rest[:1].isspace() else " " + rest)).strip() if rest else title
        try:
            day = date.fromisoformat(raw.get("date"))
        except (TypeError, ValueError):
            day = None
        try:
            at = time.fromisoformat(raw.get("time") or "00:00")
        except (TypeError, ValueError):
            at = time()
        if day is not None:
            label += f" ({day.isoformat()})"
        if not checks.usable(label, body, day):
            continue
        moment = datetime.combine(day, at, tzinfo=zone)
        tags = _tag_names(raw.get("tags"), strip="@#")
        if raw.get("starred") is True:
            tags.append("starred")
        key = _key("jrnl", day.isoformat(), at.isoformat(), _digest(body))
        entries.append(_entry(key, day, body, checks.moment(moment), tags=tags))
    return Converted("jrnl", reflect_export(entries), checks.skipped)


# Markdown files ------------------------------------------------------------------------


def _front_value(raw: str):
    """A front matter value: JSON (Reflect's own export writes JSON scalars and lists), a
    flow list `[a, b]`, or else the plain text."""
    raw = raw.strip()
    try:
        return json.loads(raw)
    except ValueError:
        pass
    if raw.startswith("[") and raw.endswith("]"):
        return [item.strip().strip("'\"") for item in raw[1:-1].split(",") if item.strip()]
    return raw.strip("'\"")


def front_matter(text: str) -> tuple[dict, str]:
    """(the `key: value` front matter, the text after it). Block lists (`tags:` then
    `  - a` lines) are read too; anything else in it is ignored."""
    if not text.startswith("---\n"):
        return {}, text
    end = text.find("\n---", 3, FRONT_MATTER_MAX_CHARS)
    if end == -1:
        return {}, text
    meta: dict = {}
    last = None
    for line in text[4:end].splitlines():
        item = re.match(r"\s+-\s+(.*)", line)
        if item and last is not None:
            meta[last] = [*(meta[last] if isinstance(meta[last], list) else []),
                          item.group(1).strip().strip("'\"")]
            continue
        key, sep, value = line.partition(":")
        if sep and re.fullmatch(r"[A-Za-z_][\w-]*", key.strip()):
            last = key.strip().lower()
            meta[last] = _front_value(value) if value.strip() else []
    rest = text[end + 4:]
    return meta, rest[1:] if rest.startswith("\n") else rest


def _day_from(meta: dict, name: str) -> date | None:
    for key in ("written_on", "date", "created", "day"):
        value = meta.get(key)
        if isinstance(value, str) and len(value) >= 10:
            try:
                return date.fromisoformat(value[:10])
            except ValueError:
                return None
    found = _DAY_IN_NAME.search(name.rsplit("/", 1)[-1])
    if found is None:
        return None
    try:
        return date(*(int(part) for part in found.groups()))
    except ValueError:
        return None


def from_markdown_files(files: list[tuple[str, bytes]], checks: _Checks) -> Converted:
    entries = []
    for name, content in files:
        label = name
        try:
            text = content.decode("utf-8-sig").replace("\r\n", "\n")
        except UnicodeDecodeError:
            checks.skip(label, "it is not UTF-8 text")
            continue
        meta, body = front_matter(text)
        day = _day_from(meta, name)
        if name.rsplit("/", 1)[-1].lower() == "readme.md" and day is None:
            continue  # the note Reflect's own export puts beside the entries
        body = body.strip("\n")
        title = meta["title"] if isinstance(meta.get("title"), str) else ""
        if not checks.usable(label, body, day):
            continue
        try:
            key = str(uuid.UUID(str(meta.get("uuid"))))
        except ValueError:
            key = _key("markdown", day.isoformat(), _digest(body))
        created = checks.moment(_parse_moment(meta.get("created_at")))
        mood = meta.get("mood") if meta.get("mood") in (1, 2, 3, 4, 5) else None
        tags = meta.get("tags") if isinstance(meta.get("tags"), list) else []
        prompt = meta.get("prompt") if isinstance(meta.get("prompt"), str) else None
        entry = _entry(key, day, body, created, tags=_tag_names(tags), prompt=prompt, mood=mood,
                       title=title)
        if meta.get("status") == "draft":
            entry["is_draft"] = True
        elif meta.get("status") == "trash":
            entry["deleted_at"] = checks.moment(_parse_moment(meta.get("deleted_at")))
        entries.append(entry)
    return Converted("Markdown files", reflect_export(entries), checks.skipped)


# Reflect's CSV -------------------------------------------------------------------------


def looks_like_reflect_csv(text: str) -> bool:
    header = text.split("\n", 1)[0]
    return "written_on" in header and "body" in header


def _cell(value: str) -> str:
    """Undo the apostrophe the export puts before a cell a spreadsheet would run."""
    return value[1:] if _FORMULA_ESCAPED.match(value) else value


def from_reflect_csv(text: str, checks: _Checks) -> Converted:
    entries = []
    try:
        rows = list(csv.DictReader(io.StringIO(text)))
    except csv.Error as error:
        raise ImportFileError(f"This CSV file can't be read ({error}).") from None
    for n, row in enumerate(rows, start=2):
        label = f"Row {n}"
        row = {k: _cell(v or "") for k, v in row.items() if isinstance(k, str)}
        try:
            day = date.fromisoformat(row.get("written_on", ""))
        except ValueError:
            day = None
        body = row.get("body", "")
        if not checks.usable(label, body, day):
            continue
        try:
            key = str(uuid.UUID(row.get("uuid", "")))
        except ValueError:
            key = _key("csv", day.isoformat(), _digest(body))
        mood = int(row["mood"]) if row.get("mood", "") in {"1", "2", "3", "4", "5"} else None
        entry = _entry(key, day, body, checks.moment(_parse_moment(row.get("created_at"))),
                       tags=_tag_names(row.get("tags", "").split()),
                       prompt=row.get("prompt") or None, mood=mood, title=row.get("title", ""))
        if row.get("status") == "draft":
            entry["is_draft"] = True
        elif row.get("status") == "trash":
            entry["deleted_at"] = checks.moment(_parse_moment(row.get("deleted_at")))
        entries.append(entry)
    return Converted("Reflect CSV", reflect_export(entries), checks.skipped)


# Zips ----------------------------------------------------------------------------------


def _safe_members(archive: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    members = archive.infolist()
    if len(members) > ZIP_MAX_MEMBERS:
        raise ImportFileError(
            f"This zip holds {len(members):,} files; Reflect reads at most {ZIP_MAX_MEMBERS:,}."
        )
    unpacked = sum(member.file_size for member in members)
    if unpacked > ZIP_MAX_UNPACKED:
        raise ImportFileError(
            f"This zip would unpack to {unpacked / 1024 / 1024:,.0f} MB; Reflect reads at most "
            f"{ZIP_MAX_UNPACKED // 1024 // 1024} MB. Nothing was read from it."
        )
    for member in members:
        name = member.filename
        parts = name.replace("\\", "/").split("/")
        if name.startswith(("/", "\\")) or ".." in parts or re.match(r"[A-Za-z]:", name):
            raise ImportFileError(
                f"This zip holds a file named {name[:80]!r}, which points outside the archive: "
                "Reflect does not read such zips."
            )
        if member.flag_bits & 0x1:
            raise ImportFileError(f"{name[:80]!r} in this zip is encrypted: export it again "
                                  "without a password.")
    return [m for m in members if not m.is_dir() and "__MACOSX" not in m.filename]


def _read(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> bytes:
    with archive.open(member) as stream:
        content = stream.read(member.file_size + 1)
    if len(content) > member.file_size:
        raise ImportFileError(f"{member.filename[:80]!r} is larger than this zip says.")
    return content


def from_zip(content: bytes, checks: _Checks, zone: ZoneInfo) -> Converted:
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        members = _safe_members(archive)
        jsons = [m for m in members if m.filename.lower().endswith(".json")]
        markdown = [m for m in members if m.filename.lower().endswith((".md", ".markdown"))]
        journals = []
        for member in jsons:
            try:
                data = json.loads(_read(archive, member).decode("utf-8-sig"))
            except (UnicodeDecodeError, ValueError, RecursionError):
                raise ImportFileError(
                    f"{member.filename[:80]!r} in this zip is not valid JSON."
                ) from None
            if looks_like_day_one(data):
                journals.append(data)
        if journals:  # Day One: one .json per journal, attachments in folders beside them
            entries = []
            for data in journals:
                entries += from_day_one(data, checks, zone).data["entries"]
            attached = sum(1 for m in members if not m.filename.lower().endswith(".json"))
            notes = [f"{attached:,} photos and other attachments in the zip are not imported "
                     "(only the text is)."] if attached else []
            return Converted("Day One", reflect_export(entries), checks.skipped, notes)
        if not markdown:
            raise ImportFileError(
                "This zip holds no Day One journal (Journal.json) and no Markdown (.md) files."
            )
        files = [(m.filename, _read(archive, m)) for m in markdown]
        converted = from_markdown_files(files, checks)
        others = len(members) - len(markdown)
        if others:
            converted.notes.append(f"{others:,} other file{'s' if others != 1 else ''} in the "
                                   "zip (not Markdown) are not imported.")
        return converted
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, NotImplementedError) as error:
        raise ImportFileError(f"This zip file is damaged or unreadable ({error}).") from None


# Which format ------------------------------------------------------------------------


def convert(content: bytes, *, today: date, now: datetime, zone: ZoneInfo) -> Converted:
    """The file as a Reflect export, whatever format it came in (Reflect's own JSON as it
    is: portability.parse_export checks it whole)."""
    checks = _Checks(today=today, now=now)
    if content.startswith(b"PK\x03\x04") or content.startswith(b"PK\x05\x06"):
        return from_zip(content, checks, zone)
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFileError(
            "This file is neither text nor a zip: choose a .json, .csv or .zip export."
        ) from None
    stripped = text.lstrip()
    if not stripped.startswith(("{", "[")):
        if looks_like_reflect_csv(text):
            return from_reflect_csv(text, checks)
        raise ImportFileError(
            "This file is not one Reflect can import: choose a Reflect export (.json, .csv or "
            "the Markdown .zip), a Day One export (.zip or Journal.json), a jrnl JSON export "
            "or a zip of Markdown files."
        )
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as error:
        message = getattr(error, "msg", "too deeply nested")
        raise ImportFileError(f"This file is not valid JSON ({message}).") from None
    if isinstance(data, dict) and data.get("format") == EXPORT_FORMAT:
        return Converted("Reflect JSON", data)
    if looks_like_day_one(data):
        return from_day_one(data, checks, zone)
    if looks_like_jrnl(data):
        return from_jrnl(data, checks, zone)
    entries = data.get("entries") if isinstance(data, dict) else None
    if isinstance(entries, list) and not entries:
        raise ImportFileError("This export has no entries in it.")
    raise ImportFileError(
        "This JSON is not a journal export Reflect knows: a Reflect export has "
        "\"format\": \"reflect-journal\", a Day One export a list of \"entries\" with "
        "\"creationDate\", a jrnl export a list of \"entries\" with \"date\" and \"body\"."
    )

