import hashlib
import re
from datetime import date, datetime, timedelta
from uuid import UUID, uuid4

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import IntegrityError, connection, models, transaction
from django.db.models import Max, Q
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils import timezone
from django.utils.functional import cached_property

from reflect.journal.tags import TAG_MAX_CHARS, TAGS_PER_ENTRY, hashtags
from reflect.lib import searchtext
from reflect.lib.markdown import first_line
from reflect.lib.sql import batched, run_kept, run_statements

TITLE_MAX_CHARS = 120
WORD_RE = re.compile(r"\w+(?:['’-]\w+)*")


def count_words(text: str) -> int:
    return len(WORD_RE.findall(text))


class Prompt(models.Model):
    """A question to write against: the article's own, drawn from its passages, or added later."""

    class Source(models.TextChoices):
        ARTICLE = "article", "Asked in the article"
        DERIVED = "derived", "Drawn from the article"
        OPERATOR = "operator", "Added by the operator"
        TEAM = "team", "Posed to a team"

    class Category(models.TextChoices):
        OPENING = "opening", "Opening questions"
        CLOSING = "closing", "Closing questions"
        CHECKLIST = "checklist", "The leader's checklist"
        DAILY = "daily", "Daily check-in"
        WHAT_IF = "what_if", "What if… / how might we…"
        BIG_PICTURE = "big_picture", "The big picture"
        CHOICE = "choice", "Choosing to lead"

    text = models.TextField()
    source = models.CharField(max_length=16, choices=Source, default=Source.OPERATOR)
    category = models.CharField(max_length=16, choices=Category, default=Category.DAILY)
    passage = models.TextField(blank=True, help_text="The article passage this prompt comes from.")
    is_active = models.BooleanField(default=True)
    position = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.text


class HiddenPrompt(models.Model):
    """A prompt one person switched off for themselves."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    prompt = models.ForeignKey(Prompt, on_delete=models.CASCADE)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "prompt"], name="hidden_prompt_once")
        ]


def visible_prompts(user) -> models.QuerySet:
    """Active prompts this person may see: every prompt, except those posed to a team they
    are not in (a team's prompt is for its members only)."""
    from reflect.teams.models import TeamPrompt

    mine = TeamPrompt.objects.filter(team__memberships__user=user).values("prompt_id")
    return Prompt.objects.filter(is_active=True).filter(
        ~Q(source=Prompt.Source.TEAM) | Q(pk__in=mine)
    )


def prompts_for(user) -> models.QuerySet:
    """Every active prompt this person may write against and has not hidden."""
    hidden = HiddenPrompt.objects.filter(user=user).values("prompt_id")
    return visible_prompts(user).exclude(pk__in=hidden)


def todays_prompt(user) -> Prompt | None:
    """Today's prompt: stable through the person's day, rotating through the ones they have
    not answered recently.

    Only answers written before today count, so answering today's prompt does not swap it
    for another one mid-day. Among the prompts answered least recently (never beats ever),
    a per-person order is walked one step a day.
    """
    today = user.today()
    candidates = list(prompts_for(user).values_list("pk", flat=True))
    if not candidates:
        return None
    start_of_today = timezone.make_aware(datetime.combine(today, datetime.min.time()), user.tz)
    last_answered = dict(
        Entry.objects.filter(author=user, prompt_id__in=candidates, created_at__lt=start_of_today)
        .values("prompt_id")
        .annotate(last=Max("written_on"))
        .values_list("prompt_id", "last")
    )
    recent_cutoff = today - timedelta(days=30)
    fresh = [pk for pk in candidates if last_answered.get(pk, date.min) < recent_cutoff]
    pool = (
        fresh
        or sorted(candidates, key=lambda pk: last_answered[pk])[: max(1, len(candidates) // 3)]
    )

    def order(pk: int) -> str:
        return hashlib.sha256(f"{user.pk}:{pk}".encode()).hexdigest()

    pool.sort(key=order)
    chosen = pool[today.toordinal() % len(pool)]
    return Prompt.objects.get(pk=chosen)


class EntryQuerySet(models.QuerySet):
    def for_user(self, user) -> "EntryQuerySet":
        """A person's own entries, never anyone else's."""
        return self.filter(author=user)

    def live(self) -> "EntryQuerySet":
        """Saved entries that are not in the trash."""
        return self.filter(is_draft=False, deleted_at__isnull=True)

    def in_trash(self) -> "EntryQuerySet":
        return self.filter(deleted_at__isnull=False)

    def trash_expired(self, now: datetime | None = None) -> "EntryQuerySet":
        now = now or timezone.now()
        return self.filter(deleted_at__lt=now - timedelta(days=settings.TRASH_DAYS))


class Mood(models.IntegerChoices):
    """The writer's own answer to "how did today feel?", beside the framing reading."""

    VERY_HARD = 1, "Very hard"
    HARD = 2, "Hard"
    MIXED = 3, "Mixed"
    GOOD = 4, "Good"
    VERY_GOOD = 5, "Very good"


class Entry(models.Model):
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="entries"
    )
    prompt = models.ForeignKey(
        Prompt, null=True, blank=True, on_delete=models.PROTECT, related_name="entries"
    )
    body = models.TextField()
    written_on = models.DateField(
        help_text="The day the entry is about, in the author's time zone."
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)
    word_count = models.PositiveIntegerField(default=0)
    is_draft = models.BooleanField(default=False)
    deleted_at = models.DateTimeField(null=True, blank=True)
    # Set while the current text came from autosave: consecutive autosaves make one revision.
    autosaved_at = models.DateTimeField(null=True, blank=True)
    # Stable across export and import: importing the same file twice creates no duplicates.
    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    # The editor page (writing session) that created this entry: one writing session makes one
    # entry however its autosaves and its Save race (a unique constraint, not a check first).
    created_in_session = models.UUIDField(null=True, blank=True, editable=False)
    # The writing session that wrote the current version: its own next save is not a conflict.
    written_in_session = models.UUIDField(null=True, blank=True, editable=False)
    # What full-text search indexes: the body with its pathological tokens broken
    # (reflect.lib.searchtext), so no text can make indexing slow. The body stays as written.
    search_text = models.TextField(blank=True, default="", editable=False)
    # The writer's own rating of the day (1-5), optional.
    mood = models.PositiveSmallIntegerField(null=True, blank=True, choices=Mood)
    # The writer's own title, optional: without one, pages show the text's first line.
    title = models.CharField(max_length=TITLE_MAX_CHARS, blank=True, default="")

    objects = EntryQuerySet.as_manager()

    class Meta:
        ordering = ["-written_on", "-id"]
        verbose_name_plural = "entries"
        indexes = [
            models.Index(
                fields=["author", "-written_on", "-id"],
                name="entry_author_day",
                condition=Q(is_draft=False, deleted_at__isnull=True),
            ),
            models.Index(fields=["author", "prompt", "written_on"], name="entry_author_prompt"),
            models.Index(
                fields=["deleted_at"], name="entry_trash", condition=Q(deleted_at__isnull=False)
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["author", "created_in_session"],
                name="entry_one_per_writing_session",
                condition=Q(created_in_session__isnull=False, deleted_at__isnull=True),
            ),
            models.CheckConstraint(
                condition=Q(mood__isnull=True) | Q(mood__gte=1, mood__lte=5),
                name="entry_mood_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        # Never the text: this name appears in the admin (titles, breadcrumbs, history).
        return f"Entry #{self.pk} of {self.written_on}"

    @property
    def label(self) -> str:
        """A name for the entry that never reads its text (for pages about it that must not):
        its title, else its prompt."""
        return self.title or (self.prompt.text if self.prompt_id else "Free entry")

    @property
    def heading(self) -> str:
        """What the writer's own pages call the entry: its title, else the first line of its
        text as plain words (no Markdown marks), else its prompt."""
        return self.title or self.opening_line or self.label

    @cached_property
    def opening_line(self) -> str:
        """The first line of the text as plain words, parsed once per object (a list shows it
        as the heading and starts the excerpt after it)."""
        # Lists defer the body and annotate its first characters as `excerpt`.
        text = getattr(self, "excerpt", None)
        if text is None:
            text = "" if "body" in self.get_deferred_fields() else self.body
        return first_line(text)

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if update_fields is None or "body" in update_fields:
            self.word_count = count_words(self.body)
            self.search_text = searchtext.search_text(self.body)
        super().save(*args, **kwargs)

    def refresh_analysis(self, first: list[tuple] = (), hint: dict | None = None) -> None:
        """Recompute the stored framing analysis (about a millisecond) right after a save.
        `first`: this save's own statements, not yet run: they go in the analysis's first
        round trip, ahead of its reads (see store_analysis). `hint`: the stored analysis as
        entry_to_edit read it (see store_analysis)."""
        from reflect.framing.models import store_analysis

        store_analysis(self, first=first, hint=hint)


class EntryTag(models.Model):
    """One tag on one entry: written in its text as #tag, or added in the editor's tag field.
    The author is repeated here so that filtering a journal by tag reads one index."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="tags")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=TAG_MAX_CHARS)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["entry", "name"], name="entry_tag_once")]
        indexes = [models.Index(fields=["author", "name", "entry"], name="entry_tag_author")]

    def __str__(self) -> str:
        return f"#{self.name}"


def tag_names(entry: Entry) -> list[str]:
    return list(EntryTag.objects.filter(entry=entry).values_list("name", flat=True))


def added_tags(entry: Entry, names: list[str] | None = None) -> list[str]:
    """The entry's tags that its text does not write as #tags: those of the tag field."""
    written = set(hashtags(entry.body))
    return [name for name in (tag_names(entry) if names is None else names) if name not in written]


def set_tags(entry: Entry, added: list[str], have: list[str] | None = None) -> None:
    """Make the entry's tags its text's #tags and the `added` ones (the first
    TAGS_PER_ENTRY of them), nothing else. `have`: its tags now, when the caller read them."""
    wanted = set(list(dict.fromkeys([*hashtags(entry.body), *added]))[:TAGS_PER_ENTRY])
    have = set(tag_names(entry) if have is None else have)
    if have - wanted:
        EntryTag.objects.filter(entry=entry, name__in=have - wanted).delete()
    EntryTag.objects.bulk_create(
        [EntryTag(entry=entry, author_id=entry.author_id, name=name) for name in wanted - have],
        ignore_conflicts=True,
    )


class Revision(models.Model):
    """The text an entry had before an edit replaced it: nothing is ever lost."""

    class Reason(models.TextChoices):
        EDIT = "edit", "Before an edit"
        RESTORE = "restore", "Before a restore"
        CONFLICT = "conflict", "Unsaved text from a conflicting edit"

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField()
    written_on = models.DateField()
    prompt = models.ForeignKey(Prompt, null=True, blank=True, on_delete=models.PROTECT)
    version = models.PositiveIntegerField()
    reason = models.CharField(max_length=16, choices=Reason, default=Reason.EDIT)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["entry", "-version"], name="revision_entry")]


AUTOSAVE_COALESCE = timedelta(minutes=10)
# What an edit writes (the author, creation and identity columns never change).
EDITED_FIELDS = [
    "body", "written_on", "prompt", "mood", "title", "is_draft", "autosaved_at",
    "written_in_session", "updated_at", "version", "word_count", "search_text",
]
# What only a new text changes: an edit that keeps the text leaves them out of its UPDATE, so
# that PostgreSQL does not compute the stored search vector again (about 0.25 ms of its CPU
# for a 300-word entry) nor SQLite re-index the text, for a new title, mood, day or prompt.
TEXT_FIELDS = frozenset({"body", "word_count", "search_text"})
# For `mood`, `title` and `tags` of the writing functions: leave them as they are.
KEEP = "keep"


def create_entry(
    *,
    author,
    body: str,
    written_on: date,
    prompt: Prompt | None,
    draft: bool,
    session: UUID | None = None,
    mood: int | None = None,
    tags: list[str] | None = None,
    title: str = "",
) -> Entry:
    """A new entry with its analysis and tags (its #tags and the `tags` added beside them)."""
    now = timezone.now()
    with transaction.atomic():
        entry = Entry.objects.create(
            author=author,
            body=body,
            written_on=written_on,
            prompt=prompt,
            mood=mood,
            title=title,
            is_draft=draft,
            created_at=now,
            updated_at=now,
            autosaved_at=now if draft else None,
            created_in_session=session,
            written_in_session=session,
        )
        set_tags(entry, tags or [], have=[])  # a new entry has none yet
        if not draft:  # a draft has no analysis
            entry.refresh_analysis()
    return entry


def write_from_editor(
    *,
    author,
    entry: Entry | None,
    session: UUID | None,
    body: str,
    written_on: date,
    prompt: Prompt | None,
    base_version: int,
    autosave: bool,
    mood: int | None = KEEP,
    tags: list[str] | None = None,
    title: str = KEEP,
    locked: bool = False,
) -> tuple[Entry, bool]:
    """Save what an editor page sent (an autosave or its Save), as (entry, accepted).

    One writing session makes one entry: a request that names no entry yet (the first
    autosave has not answered, or a Save beside it) finds the entry its session created, and
    two such requests racing each other meet at the unique constraint, the loser becoming an
    edit of the winner's entry. False means a conflict with another session: nothing written.
    `locked`: the caller read `entry` with select_for_update in the transaction it is in (see
    edit_entry).
    """
    if entry is None and session is not None:
        entry = Entry.objects.filter(
            author=author, created_in_session=session, deleted_at__isnull=True
        ).first()
    if entry is None:
        try:
            entry = create_entry(
                author=author, body=body, written_on=written_on, prompt=prompt,
                draft=autosave, session=session, mood=None if mood == KEEP else mood, tags=tags,
                title="" if title == KEEP else title,
            )
            return entry, True
        except IntegrityError:
            if session is None:
                raise
            entry = Entry.objects.get(
                author=author, created_in_session=session, deleted_at__isnull=True
            )
    ok = edit_entry(
        entry, body=body, written_on=written_on, prompt=prompt,
        base_version=base_version, autosave=autosave, session=session, mood=mood, tags=tags,
        title=title, locked=locked,
    )
    return entry, ok


def _edit_statements(
    entry: Entry, *, keep_revision_at: datetime | None, new_text: bool = True
) -> list[tuple]:
    """The statements that store an edit of a locked entry: its EDITED_FIELDS (without
    TEXT_FIELDS when the edit keeps the text: ``new_text`` False), and first, when
    keep_revision_at is given, the text the edit replaces copied into a revision by the
    database (the row still holds it; the text is not sent again). edit_entry sends them in
    one round trip on PostgreSQL where the driver sends several statements at once
    (reflect.lib.sql), with the analysis's first reads when the edit is analysed.

    Written as SQL because every autosave and Save runs it: Model.save and
    Revision.objects.create took 0.36 and 0.25 ms of CPU beside the 0.15 ms of this UPDATE
    (in process). Both models have no save signals to skip.
    """
    if new_text:
        entry.word_count = count_words(entry.body)
        entry.search_text = searchtext.search_text(entry.body)
    quote = connection.ops.quote_name
    fields = [
        Entry._meta.get_field(name)
        for name in EDITED_FIELDS
        if new_text or name not in TEXT_FIELDS
    ]
    statements = []
    if keep_revision_at is not None:
        copied = ["entry_id", "body", "written_on", "prompt_id", "version", "reason", "created_at"]
        statements.append((
            f"INSERT INTO {quote(Revision._meta.db_table)} ({', '.join(map(quote, copied))}) "
            f"SELECT {quote('id')}, {quote('body')}, {quote('written_on')}, {quote('prompt_id')}, "
            f"{quote('version')}, %s, %s FROM {quote(Entry._meta.db_table)} "
            f"WHERE {quote('id')} = %s",
            [Revision.Reason.EDIT.value,
             Revision._meta.get_field("created_at").get_db_prep_save(keep_revision_at, connection),
             entry.pk],
        ))
    statements.append((
        f"UPDATE {quote(Entry._meta.db_table)} SET "
        f"{', '.join(f'{quote(f.column)} = %s' for f in fields)} WHERE {quote('id')} = %s",
        [*(f.get_db_prep_save(getattr(entry, f.attname), connection) for f in fields), entry.pk],
    ))
    return statements


def entry_to_edit(author, pk: int) -> Entry | None:
    """The author's entry `pk` if it is out of the trash, its row locked until the transaction
    it is read in ends (for edit_entry's `locked`); None if there is no such entry.

    Written as SQL because every autosave reads it, and read with a plain cursor
    (reflect.journal.rows): Django's compiler took more CPU than the query itself (0.5-0.76 ms
    against 0.28 ms in process), and Entry.objects.raw about 0.4 ms more than this (its
    columns, their converters and the model's init order worked out on every call). The
    search text (the body again) stays unread, deferred as `.defer()` would; the prompt
    loads when asked for.

    Where several statements go in one round trip (reflect.lib.sql), the entry's stored
    analysis is read in the same one: its day, sums and digest, as `framing_hint` (None
    without one), what store_analysis would otherwise read under the author's lock. It is
    read without that lock, so store_analysis takes it as a hint that its writes check (see
    store_analysis's `hint`). There both statements are kept planned on the connection
    (reflect.lib.sql.run_kept): this may raise StatementsGone, before anything is written in
    the transaction, which the caller runs again.
    """
    from reflect.journal.rows import converters, instance

    entry_sql, hint_sql = _edit_sql()
    with connection.cursor() as cursor:
        if hint_sql:  # both kept planned by PostgreSQL (half of its time for them was planning)
            run_kept(cursor, [(entry_sql, [pk, author.pk]), (hint_sql, [pk])])
        else:
            cursor.execute(entry_sql, [pk, author.pk])
        row = cursor.fetchone()
        if hint_sql:
            cursor.nextset()
            hint = cursor.fetchone()
    if row is None:
        return None
    entry = instance(Entry, _EDIT_FIELDS, converters(Entry, _EDIT_FIELDS), row)
    if hint_sql:
        from reflect.framing.models import framing_hint

        entry.framing_hint = framing_hint(hint)
    return entry


# What entry_to_edit reads: every column but the search text.
_EDIT_FIELDS = tuple(f for f in Entry._meta.concrete_fields if f.name != "search_text")
_EDIT_SQL: dict[tuple, tuple[str, str | None]] = {}


def _edit_sql() -> tuple[str, str | None]:
    """entry_to_edit's statement for the current database (written once per vendor and way
    of sending statements), and the one that reads the stored analysis's hint in the same
    round trip, where statements go together (None elsewhere; joined to the entry's, it cost
    PostgreSQL three times as much as a statement of its own)."""
    key = (connection.vendor, batched())
    if (found := _EDIT_SQL.get(key)) is None:
        quote = connection.ops.quote_name
        # FOR NO KEY UPDATE where the server has it (what an UPDATE that changes no key takes
        # anyway): FOR UPDATE also blocked the key-share lock that writing the entry's
        # analysis rows takes, so a re-analysis batch holding the person's lock deadlocked
        # with a Save waiting for it (tests/test_reanalysis_beside_editor.py).
        lock = (" FOR NO KEY UPDATE" if connection.features.has_select_for_no_key_update
                else " FOR UPDATE" if connection.features.has_select_for_update else "")
        sql = (
            f"SELECT {', '.join(quote(f.column) for f in _EDIT_FIELDS)} "
            f"FROM {quote(Entry._meta.db_table)} WHERE {quote('id')} = %s "
            f"AND {quote('author_id')} = %s AND {quote('deleted_at')} IS NULL{lock}"
        )
        hint_sql = None
        if key[1]:
            from reflect.framing.models import HINT_COLUMNS, Framing

            hint_sql = (
                f"SELECT {', '.join(map(quote, HINT_COLUMNS))} "
                f"FROM {quote(Framing._meta.db_table)} WHERE {quote('entry_id')} = %s"
            )
        found = _EDIT_SQL[key] = (sql, hint_sql)
    return found


@transaction.atomic(savepoint=False)  # inside the editor's transaction: no savepoint
def edit_entry(
    entry: Entry,
    *,
    body: str,
    written_on: date,
    prompt: Prompt | None,
    base_version: int,
    autosave: bool,
    session: UUID | None = None,
    mood: int | None = KEEP,
    tags: list[str] | None = None,
    title: str = KEEP,
    locked: bool = False,
) -> bool:
    """Apply an edit made on top of `base_version`. Returns False on a conflict (another
    writing session changed the entry since that version), in which case nothing is written.

    A version written by this same writing session is no conflict: a Save sent right after
    the page's own autosave carries the version the page had before it. An autosave that
    arrives after its own session's Save is stale (the page has left) and is ignored.
    Before the text changes, the previous one is kept as a revision, except while one editing
    session autosaves: consecutive autosaves within a few minutes share one revision.
    `mood` (1-5 or None; KEEP leaves it) and the tags added beside the text's #tags (None
    keeps those it had) change no version.

    `locked`: the caller read `entry` with select_for_update inside the transaction this one
    joins (the editor's views do, to read it once): it is the current row, not read again.
    """
    current = entry if locked else Entry.objects.select_for_update(no_key=True).get(pk=entry.pk)
    mood = current.mood if mood == KEEP else mood
    title = current.title if title == KEEP else title
    same = (current.body, current.written_on, current.prompt_id, current.mood, current.title) == (
        body,
        written_on,
        prompt.pk if prompt else None,
        mood,
        title,
    )
    publish = not autosave and current.is_draft
    # Only saved entries out of the trash have an analysis, and it reads the text, its day
    # and its prompt: a draft's autosave, or a new title or mood, leaves it as it is.
    reanalyse = current.deleted_at is None and (publish or (
        not current.is_draft
        and (body, written_on, prompt.pk if prompt else None)
        != (current.body, current.written_on, current.prompt_id)
    ))
    own_version = session is not None and current.written_in_session == session
    if current.version != base_version and not same and not own_version:
        return False
    if autosave and own_version and current.autosaved_at is None and not current.is_draft:
        entry.__dict__.update(current.__dict__)
        return True  # after this session's Save: a late autosave must not undo it
    # The tags: none of this edit's business when the page sent no tag field and the text's
    # #tags are the ones it had (nothing to read then); else read once.
    have, added = None, tags
    if tags is not None or hashtags(body) != hashtags(current.body):
        have = tag_names(current)
        if tags is None:
            added = added_tags(current, have)
    now = timezone.now()
    # The text an edit replaces is kept, except between autosaves of one editing session.
    keep_revision = not same and not current.is_draft and not (
        current.autosaved_at is not None and now - current.autosaved_at < AUTOSAVE_COALESCE
    )
    if same and not publish:
        if not autosave and (current.autosaved_at, current.written_in_session) != (None, session):
            current.autosaved_at = None  # an explicit save closes the autosave session
            current.written_in_session = session
            current.save(update_fields=["autosaved_at", "written_in_session"])
        if have is not None:
            set_tags(current, added, have)
        entry.__dict__.update(current.__dict__)
        return True
    new_text = body != current.body
    current.body, current.written_on, current.prompt = body, written_on, prompt
    current.mood, current.title = mood, title
    current.is_draft = current.is_draft and autosave
    current.autosaved_at = now if autosave else None
    current.written_in_session = session
    current.updated_at = now
    if not same:
        current.version += 1
    statements = _edit_statements(
        current, keep_revision_at=now if keep_revision else None, new_text=new_text
    )
    if reanalyse and have is None:
        # The edit's statements go with the analysis's first reads (one round trip fewer):
        # the analysis, pure CPU, runs before them, with this entry's row already locked.
        # The stored analysis read with the locked row, when it was (entry_to_edit).
        current.refresh_analysis(
            first=statements, hint=getattr(current, "framing_hint", None) if locked else None
        )
    else:
        run_statements(statements)
        if have is not None:
            set_tags(current, added, have)
        if reanalyse:
            current.refresh_analysis()
    entry.__dict__.update(current.__dict__)
    return True


@transaction.atomic
def restore_revision(entry: Entry, revision: Revision) -> None:
    """Bring back an earlier text; the text it replaces becomes a revision in turn."""
    current = Entry.objects.select_for_update(no_key=True).get(pk=entry.pk)
    added = added_tags(current)
    now = timezone.now()
    Revision.objects.create(
        entry=current,
        body=current.body,
        written_on=current.written_on,
        prompt_id=current.prompt_id,
        version=current.version,
        reason=Revision.Reason.RESTORE,
        created_at=now,
    )
    current.body, current.written_on, current.prompt_id = (
        revision.body,
        revision.written_on,
        revision.prompt_id,
    )
    current.version += 1
    current.updated_at = now
    current.autosaved_at = None
    current.save()
    set_tags(current, added)
    current.refresh_analysis()
    entry.__dict__.update(current.__dict__)


class PendingImport(models.Model):
    """An uploaded journal, checked and converted to a Reflect export, waiting for its owner
    to read the preview and confirm. Private to its owner (404 for anyone else); deleted when
    imported, and replaced by the owner's next upload."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    public_id = models.UUIDField(unique=True, default=uuid4, editable=False)
    source = models.CharField(max_length=32)  # "Reflect JSON", "Day One", "jrnl", ...
    data = models.TextField()  # the Reflect export (JSON) to import
    count = models.PositiveIntegerField()
    first_day = models.DateField(null=True)
    last_day = models.DateField(null=True)
    skipped = models.JSONField(default=list)  # "Day One entry 3 (2021-03-04): it has no text"
    notes = models.JSONField(default=list)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"pending import {self.public_id}"


class EntryImage(models.Model):
    """An image attached to an entry: stored through Django's storage API (the filesystem or
    an S3-compatible bucket), re-encoded without its metadata (EXIF, location), and served
    only to its author by a view that checks who asks (reflect/journal/images.py)."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="images")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    file = models.FileField(max_length=200)
    content_type = models.CharField(max_length=32)
    alt = models.CharField(max_length=300, blank=True)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    size = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"image {self.pk} of entry {self.entry_id}"


@receiver(post_delete, sender=EntryImage)
def _delete_image_file(instance: EntryImage, **kwargs) -> None:
    """The file goes with its row once the deletion commits: one image, an entry (the trash
    purge too) or a whole account (cascades send this signal for every row they delete)."""
    name = instance.file.name
    transaction.on_commit(lambda: default_storage.delete(name))
