"""Teams: membership, consent, one-by-one sharing, and the access log members can read.

What a manager may see is decided in `reflect.teams.summary` (its docstring states the
privacy guarantees); this module only stores who belongs where and what each member chose.
"""

import functools
import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone

from reflect.accounts.models import counts_in_teams

THRESHOLD_MIN, THRESHOLD_MAX = 3, 10
INVITATION_DAYS = 7


def _default_threshold() -> int:
    return settings.TEAM_DEFAULT_THRESHOLD


class CountRequirement(models.TextChoices):
    """What a member must have before counting towards a team's thresholds, chosen per
    invitation by the manager (on top of the deployment's TEAM_COUNT_REQUIRES)."""

    NONE = "none", "No requirement"
    VERIFIED = "verified", "A verified email address"
    SSO = "sso", "Signed in through the organisation’s single sign-on"


def meets_count_requirement() -> Q:
    """The condition on a membership row: its own requirement is met."""
    return (
        Q(counts_with=CountRequirement.NONE)
        | Q(counts_in_teams(requirement="verified"), counts_with=CountRequirement.VERIFIED)
        | Q(counts_in_teams(requirement="sso"), counts_with=CountRequirement.SSO)
    )


class TeamQuerySet(models.QuerySet):
    def for_user(self, user) -> "TeamQuerySet":
        return self.filter(memberships__user=user)

    def managed_by(self, user) -> "TeamQuerySet":
        return self.filter(memberships__user=user, memberships__role=Membership.Role.MANAGER)


class Team(models.Model):
    name = models.CharField(max_length=80)
    threshold = models.PositiveSmallIntegerField(
        default=_default_threshold,
        validators=[MinValueValidator(THRESHOLD_MIN), MaxValueValidator(THRESHOLD_MAX)],
        help_text="Fewest consenting members behind any figure a manager sees.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = TeamQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(threshold__gte=THRESHOLD_MIN, threshold__lte=THRESHOLD_MAX),
                name="team_threshold_range",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @classmethod
    @transaction.atomic
    def create_for(cls, user, name: str) -> "Team":
        team = cls.objects.create(name=name, created_by=user)
        Membership.objects.create(team=team, user=user, role=Membership.Role.MANAGER)
        return team

    @transaction.atomic
    def set_threshold(self, value: int, by) -> "ThresholdChange | None":
        """Change the threshold and keep a record members can read; None when unchanged."""
        if not THRESHOLD_MIN <= value <= THRESHOLD_MAX:
            raise ValidationError(
                f"The threshold must be between {THRESHOLD_MIN} and {THRESHOLD_MAX}."
            )
        old = Team.objects.select_for_update().values_list("threshold", flat=True).get(pk=self.pk)
        if old == value:
            return None
        Team.objects.filter(pk=self.pk).update(threshold=value)
        self.threshold = value
        return ThresholdChange.objects.create(team=self, old=old, new=value, by=by)

    def counted_memberships(self) -> models.QuerySet:
        """Memberships of members (never managers) who may count, with their current consent
        level as `level` (any level; consenting_members keeps those who share).

        Managers are never counted: a manager knows their own share and could subtract it.
        Nor is anyone without what TEAM_COUNT_REQUIRES asks (a verified address, or SSO), or
        what their invitation asked (`counts_with`): both read afresh on every call.
        """
        return self.memberships.filter(
            counts_in_teams(), meets_count_requirement(), role=Membership.Role.MEMBER
        ).annotate(level=current_consent())

    def counted_member_rows(self, *fields: str) -> list[tuple]:
        """`counted_memberships().values_list("user_id", "level", *fields)`, read on every
        view of a summary. The query first leaves out each invitation's own requirement
        (`meets_count_requirement`: compiling its two EXISTS cost more CPU than the rest of
        the query); when any membership carries one (rare), the full query is run instead."""
        rows = list(
            self.memberships.filter(counts_in_teams(), role=Membership.Role.MEMBER)
            .annotate(level=current_consent())
            .values_list("counts_with", "user_id", "level", *fields)
        )
        if any(row[0] != CountRequirement.NONE for row in rows):
            return list(self.counted_memberships().values_list("user_id", "level", *fields))
        return [row[1:] for row in rows]

    def consenting_members(self) -> models.QuerySet:
        """Counted memberships whose member shares (counted in aggregates, or named)."""
        return self.counted_memberships().filter(level__in=CONSENTING)

    def remove_member(self, user) -> None:
        """Leaving and being removed do the same: the membership goes, consent returns to
        none (kept as a receipt), and entries shared with this team stop being shared."""
        with transaction.atomic():
            deleted, _ = Membership.objects.filter(team=self, user=user).delete()
            if not deleted:
                return
            ConsentReceipt.objects.create(
                member=user, team=self, level=ConsentReceipt.Level.NONE,
                note="Left the team",
            )
            SharedEntry.objects.active().filter(team=self, shared_by=user).update(
                revoked_at=timezone.now()
            )


class Membership(models.Model):
    class Role(models.TextChoices):
        MANAGER = "manager", "Manager"
        MEMBER = "member", "Member"

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=16, choices=Role, default=Role.MEMBER)
    joined_at = models.DateTimeField(default=timezone.now)
    # Managers only: the weekly summary email (unsubscribed through a signed link).
    summary_email = models.BooleanField(default=True)
    # Copied from the invitation at join; the member cannot lower it.
    counts_with = models.CharField(
        max_length=16, choices=CountRequirement, default=CountRequirement.NONE,
        help_text="What this member needs before counting towards the team's thresholds.",
    )

    class Meta:
        ordering = ["joined_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["team", "user"], name="membership_once"),
        ]
        indexes = [models.Index(fields=["user", "team"], name="membership_user")]

    def __str__(self) -> str:
        return f"{self.user} in {self.team} ({self.role})"

    @property
    def is_manager(self) -> bool:
        return self.role == self.Role.MANAGER

    def missing_to_count(self, verified: bool, sso: bool) -> str:
        """What this member still lacks before counting ("verified", "sso"), "" when
        nothing: the deployment's requirement first, then their invitation's."""
        have = {CountRequirement.NONE: True, CountRequirement.VERIFIED: verified,
                CountRequirement.SSO: sso}
        wanted = (settings.TEAM_COUNT_REQUIRES, self.counts_with)
        return next((need for need in wanted if not have[need]), "")


def _token() -> str:
    return secrets.token_urlsafe(24)


def _in_a_week():
    return timezone.now() + timedelta(days=INVITATION_DAYS)


class InvitationQuerySet(models.QuerySet):
    def usable(self) -> "InvitationQuerySet":
        return self.filter(used_at__isnull=True, expires_at__gt=timezone.now())


class Invitation(models.Model):
    """A single-use link into a team, valid for a week; optionally for one email address."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="invitations")
    token = models.CharField(max_length=64, unique=True, default=_token)
    email = models.EmailField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(default=_in_a_week)
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    used_at = models.DateTimeField(null=True, blank=True)
    counts_with = models.CharField(
        max_length=16, choices=CountRequirement, default=CountRequirement.NONE,
        help_text="What the person who joins needs before counting towards thresholds.",
    )

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    @property
    def is_usable(self) -> bool:
        return self.used_at is None and self.expires_at > timezone.now()

    def accept(self, user) -> bool:
        """Join the team with this invitation. False when it was used, expired or is meant for
        another address. One conditional UPDATE, so two people racing on one link cannot
        both get in."""
        if self.email and self.email.lower() != user.email.lower():
            return False
        with transaction.atomic():
            claimed = Invitation.objects.usable().filter(pk=self.pk).update(
                used_by=user, used_at=timezone.now()
            )
            if not claimed:
                return False
            Membership.objects.get_or_create(
                team_id=self.team_id, user=user, defaults={"counts_with": self.counts_with}
            )
        return True


class ConsentReceipt(models.Model):
    """Every consent change, kept: the member's current level is their latest receipt."""

    class Level(models.TextChoices):
        NONE = "none", "Nothing"
        AGGREGATE = "aggregate", "Counted in team figures"
        NAMED = "named", "Named summary"

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consent_receipts"
    )
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="consent_receipts")
    level = models.CharField(max_length=16, choices=Level, default=Level.NONE)
    given_at = models.DateTimeField(default=timezone.now)
    note = models.CharField(max_length=80, blank=True)

    class Meta:
        ordering = ["-given_at", "-id"]
        indexes = [
            models.Index(fields=["team", "member", "-given_at", "-id"], name="consent_latest"),
        ]

    @classmethod
    def current(cls, member, team) -> str:
        latest = cls.objects.filter(member=member, team=team).first()
        return latest.level if latest else cls.Level.NONE


# The consent levels that share something with the team's managers.
CONSENTING = (ConsentReceipt.Level.AGGREGATE, ConsentReceipt.Level.NAMED)


def current_consent(team_ref: str = "team", member_ref: str = "user") -> Subquery:
    """The latest consent level of a membership row's user in its team (None: never given)."""
    latest = ConsentReceipt.objects.filter(
        team=OuterRef(team_ref), member=OuterRef(member_ref)
    ).order_by("-given_at", "-id")
    return Subquery(latest.values("level")[:1])


class ThresholdChange(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="threshold_changes")
    old = models.PositiveSmallIntegerField()
    new = models.PositiveSmallIntegerField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]


class SharedEntryQuerySet(models.QuerySet):
    def active(self) -> "SharedEntryQuerySet":
        now = timezone.now()
        return self.filter(revoked_at__isnull=True).filter(
            Q(expires_at__isnull=True) | Q(expires_at__gt=now)
        )

    def visible_to_managers(self) -> "SharedEntryQuerySet":
        """Active shares of live entries whose author still belongs to the team."""
        return self.active().filter(
            entry__is_draft=False,
            entry__deleted_at__isnull=True,
            entry__author__memberships__team=models.F("team"),
            entry__author__memberships__role=Membership.Role.MEMBER,
        )


class SharedEntry(models.Model):
    """One entry shared by its author with one team's managers, exactly as previewed.

    `version` is the entry's version when it was shared: after an edit the managers see
    nothing until the author shares it again, so they never read text that was not previewed.
    """

    entry = models.ForeignKey("journal.Entry", on_delete=models.CASCADE, related_name="shares")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="shared_entries")
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="shared_entries"
    )
    version = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = SharedEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "shared entries"
        indexes = [models.Index(fields=["team", "-created_at"], name="shared_team")]

    @property
    def is_active(self) -> bool:
        if self.revoked_at is not None:
            return False
        return self.expires_at is None or self.expires_at > timezone.now()


def digest_of(ids) -> str:
    """The name of a set of people (ids, or ids with a mark), for records that store sets."""
    return hashlib.sha256(",".join(map(str, ids)).encode()).hexdigest()


class AccessSetMember(models.Model):
    """One member of a set of people that access events showed. A set is its digest (of its
    sorted ids and named flags): stored once however many views show the same people (a
    500-member summary viewed a hundred times is 500 rows here and 100 events)."""

    digest = models.CharField(max_length=64)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    named = models.BooleanField(default=False)  # listed by name, not only counted

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["digest", "user"], name="access_set_once")
        ]
        indexes = [models.Index(fields=["user", "digest"], name="access_set_user")]


class AccessEventQuerySet(models.QuerySet):
    def about(self, user) -> "AccessEventQuerySet":
        """Every event that showed something of `user`: as its one subject or in its set,
        with `named` True when a summary listed them by name."""
        mine = AccessSetMember.objects.filter(user=user)
        return self.filter(
            Q(subject=user) | Q(people__in=Subquery(mine.values("digest")))
        ).annotate(named=Subquery(mine.filter(digest=OuterRef("people")).values("named")[:1]))


class AccessEvent(models.Model):
    """A manager saw something of members': one row per view. A named summary or a shared
    entry names its one `subject`; a team summary or weekly email points at the set of
    `people` it counted. Members read these on their Sharing page. `at` is when: the
    retention purge filters on it (`purge_access_log`)."""

    class What(models.TextChoices):
        NAMED_SUMMARY = "named_summary", "your named summary"
        SHARED_ENTRY = "shared_entry", "an entry you shared"
        TEAM_SUMMARY = "team_summary", "a team summary that counted you"
        SUMMARY_EMAIL = "summary_email", "a weekly summary email that counted you"

    viewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    viewer_name = models.CharField(max_length=120)
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
        related_name="access_events",
    )
    # The digest of the set of people a summary or email counted (AccessSetMember).
    people = models.CharField(max_length=64, blank=True)
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="access_events")
    what = models.CharField(max_length=24, choices=What)
    object_id = models.BigIntegerField(null=True, blank=True)
    at = models.DateTimeField(default=timezone.now)

    objects = AccessEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["subject", "-at"], name="access_subject"),
            models.Index(fields=["people", "-at"], name="access_people"),
            models.Index(fields=["at"], name="access_at"),
        ]

    def describe(self) -> str:
        """What the member reads on their Sharing page."""
        if self.people and getattr(self, "named", False):
            return "a team summary that listed you by name"
        return self.get_what_display()

    @classmethod
    def record(cls, viewer, team, what: str, subject_ids, object_id: int | None = None) -> None:
        """One row per subject: a named summary or a shared entry (one member each)."""
        cls.objects.bulk_create(
            cls(viewer=viewer, viewer_name=viewer.name, subject_id=pk, team=team, what=what,
                object_id=object_id)
            for pk in sorted(set(subject_ids))
        )

    @staticmethod
    def people_set(counted_ids, named_ids=()) -> tuple[str, list[int], frozenset[int]]:
        """The set of people a view showed: its digest, its ids in order, those named."""
        named = frozenset(named_ids)
        people = sorted(set(counted_ids) | named)
        return digest_of(f"{pk}{'n' if pk in named else ''}" for pk in people), people, named

    @classmethod
    def record_view(cls, viewer, team, what: str, counted_ids=(), named_ids=(),
                    people_set: tuple[str, list[int], frozenset[int]] | None = None,
                    logged: int | None = None) -> None:
        """One row for a view that counted many people (a summary, an email), pointing at
        their set, which is stored the first time anyone is shown it: a repeat view of the
        same people is one INSERT, a new set two more (its members, in one statement).
        `people_set`: the set's `people_set`, when the caller kept it. `logged`: the id of
        the row this view inserted already for another set (`logged_statement`): it is
        pointed at this set instead (two statements), or deleted when the view showed
        nobody."""
        digest, people, named = people_set or cls.people_set(counted_ids, named_ids)
        if logged is not None:
            return cls._point_at(logged, digest, people, named)
        if not people:
            return
        at = timezone.now()
        if cls._insert_if_known(viewer, team, what, digest, at):
            return
        AccessSetMember.objects.bulk_create(
            (AccessSetMember(digest=digest, user_id=pk, named=pk in named) for pk in people),
            ignore_conflicts=True,  # a parallel first view of the same people
        )
        cls.objects.create(viewer=viewer, viewer_name=viewer.name, team=team, what=what,
                           people=digest, at=at)

    @classmethod
    def logged_statement(cls, viewer, team_id: int, what: str, digest: str, at):
        """`_insert_if_known`'s INSERT for a view that expects to show the set `digest`, to be
        sent beside its reads (one round trip, one transaction): it inserts nothing unless
        `viewer` manages team `team_id` (the view's access check, read in the same round trip)
        and the set is stored, and returns the new row's id. The caller passes that id to
        `record_view` when the view showed another set."""
        from django.db import connections

        from reflect.teams import sql

        connection = connections[cls.objects.db]
        return sql.Kept(_logged_sql(connection.alias), [
            viewer.pk, viewer.name, team_id, what, digest,
            connection.ops.adapt_datetimefield_value(at), digest, team_id, viewer.pk,
            Membership.Role.MANAGER.value,
        ])

    @classmethod
    def _point_at(cls, event_id: int, digest: str, people: list[int], named: frozenset[int]):
        """Make the row `event_id` show this set of people (stored first, if new), or delete it
        when the view showed no one."""
        event = cls.objects.filter(pk=event_id)
        if not people:
            event.delete()
            return
        AccessSetMember.objects.bulk_create(
            (AccessSetMember(digest=digest, user_id=pk, named=pk in named) for pk in people),
            ignore_conflicts=True,
        )
        event.update(people=digest)

    @classmethod
    def _insert_if_known(cls, viewer, team, what: str, digest: str, at) -> bool:
        """INSERT … SELECT the event only if its set is stored; False when it is new. The
        same statement on every view: PostgreSQL keeps it prepared (`sql.Kept`)."""
        from django.db import connections

        from reflect.teams import sql

        connection = connections[cls.objects.db]
        (changed,) = sql.batch([sql.Kept(
            _insert_if_known_sql(connection.alias),
            [viewer.pk, viewer.name, team.pk, what, digest,
             connection.ops.adapt_datetimefield_value(at), digest],
        )])
        return changed == 1


@functools.cache
def _insert_if_known_sql(alias: str) -> str:
    from django.db import connections

    connection = connections[alias]
    quote = connection.ops.quote_name
    names = ("viewer", "viewer_name", "team", "what", "people", "at")
    columns = ", ".join(quote(AccessEvent._meta.get_field(name).column) for name in names)
    # Typed on PostgreSQL: a prepared statement's parameters take their types from here.
    values = (
        "CAST(%s AS bigint), CAST(%s AS text), CAST(%s AS bigint), CAST(%s AS text), "
        "CAST(%s AS text), CAST(%s AS timestamptz)" if connection.vendor == "postgresql"
        else "%s, %s, %s, %s, %s, %s"
    )
    return (
        f"INSERT INTO {quote(AccessEvent._meta.db_table)} ({columns}) "
        f"SELECT {values} WHERE EXISTS "
        f"(SELECT 1 FROM {quote(AccessSetMember._meta.db_table)} WHERE digest = %s)"
    )


@functools.cache
def _logged_sql(alias: str) -> str:
    """`_insert_if_known_sql`, only by a manager of the team, returning the row's id."""
    from django.db import connections

    quote = connections[alias].ops.quote_name
    return (
        f"{_insert_if_known_sql(alias)} AND EXISTS (SELECT 1 FROM "
        f"{quote(Membership._meta.db_table)} WHERE team_id = %s AND user_id = %s AND role = %s)"
        f" RETURNING {quote(AccessEvent._meta.pk.column)}"
    )


def purge_access_log(before) -> int:
    """Delete access events older than `before`, and the members of sets no event points at
    any more. Returns how many events went. For the retention setting's periodic task."""
    deleted, _ = AccessEvent.objects.filter(at__lt=before).delete()
    AccessSetMember.objects.exclude(
        digest__in=AccessEvent.objects.exclude(people="").values("people")
    ).delete()
    return deleted


class TeamPrompt(models.Model):
    """A prompt a manager posed to their team: only the team's members are offered it."""

    prompt = models.OneToOneField(
        "journal.Prompt", on_delete=models.CASCADE, related_name="team_prompt"
    )
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="prompts")
    posed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    @classmethod
    @transaction.atomic
    def pose(cls, team: Team, by, text: str) -> "TeamPrompt":
        from reflect.journal.models import Prompt

        prompt = Prompt.objects.create(
            text=text, source=Prompt.Source.TEAM, category=Prompt.Category.DAILY
        )
        return cls.objects.create(prompt=prompt, team=team, posed_by=by)


PAIRED_MANAGER_TEXT = (
    "How would having a team of leaders impact your role as the manager of the “action”?"
)
PAIRED_MEMBER_TEXT_START = "What would the ripple effect be"


class PairedPrompt(models.Model):
    """A paired reflection: the manager answers one of the article's questions while the
    members answer its twin, for a fixed number of whole weeks. The team's figure is shown
    only after the window has closed (a fixed window cannot be differenced week by week)."""

    team = models.OneToOneField(Team, on_delete=models.CASCADE, related_name="paired")
    manager_prompt = models.ForeignKey("journal.Prompt", on_delete=models.PROTECT, related_name="+")
    member_prompt = models.ForeignKey("journal.Prompt", on_delete=models.PROTECT, related_name="+")
    posed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    starts_on = models.DateField(help_text="A Monday: the window is made of whole weeks.")
    weeks = models.PositiveSmallIntegerField(
        default=2, validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    created_at = models.DateTimeField(default=timezone.now)

    @property
    def ends_on(self):
        """The day after the window (exclusive)."""
        return self.starts_on + timedelta(weeks=self.weeks)

    @classmethod
    def article_prompts(cls):
        from reflect.journal.models import Prompt

        manager = Prompt.objects.filter(text=PAIRED_MANAGER_TEXT).first()
        member = Prompt.objects.filter(text__startswith=PAIRED_MEMBER_TEXT_START).first()
        return manager, member


class PublishedWeek(models.Model):
    """A week of team figures as its managers were shown them: who was counted (ids, derived
    server-side, never shown to anyone), the pooled sums shown, and the threshold then.
    reflect.teams.summary shows the same figures again while the same people are counted,
    and withholds any other figure for that week that would differ from one already shown
    by fewer than a threshold of people (guarantee 9)."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="published_weeks")
    week = models.DateField()
    digest = models.CharField(max_length=64)
    members = models.JSONField()
    sums = models.JSONField()
    threshold = models.PositiveSmallIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["team", "week", "digest"], name="published_week_once")
        ]
        indexes = [models.Index(fields=["week", "team"], name="published_week_week")]
