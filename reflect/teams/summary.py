"""What a team's managers may see, and the privacy guarantees behind every figure.

Definitions
-----------
* **Consenting member**: a member of the team (never a manager: managers know their own
  share and could subtract it) whose latest consent receipt for this team is "aggregate"
  or "named". Named members are also shown by name; aggregate-only members never are.
* **Base cell**: one calendar week (Monday to Sunday) of `written_on`, the day an entry is
  about. Every view (last 4 weeks, quarter, year), the weekly email and the named summaries
  use this one lattice of weeks, so no two published figures cover overlapping but unequal
  spans (weeks against months would leave slivers of a few days to difference).
* **Contributors** of a cell: consenting members with at least one analysed, saved, not
  trashed entry in it.

Guarantees (k is the team's threshold, 3..10, default 5)
--------------------------------------------------------
1. **Threshold.** A week's figures (writers, entries, words, framing per dimension) are
   shown only when at least k consenting members contributed in that very week. Otherwise
   the manager reads "withheld" and no number at all (one notice says why and what
   the manager can do: invite people, pose a question).
2. **Named versus aggregate.** A week is also withheld when its aggregate-only contributors
   number 1..k-1: named summaries are shown per week, so "team figure minus the named
   members' figures" would otherwise single those few out. With 0 aggregate-only
   contributors the difference is empty; with k or more it is a group of k or more.
3. **Longer periods and differencing.** A total over several weeks (the period's headline
   figures) is shown only when every week inside it is shown (weeks with no writing at all
   hide nothing). Every figure a manager can see is then a sum of published weeks, so no
   subtraction of published figures (a total minus its weeks, one view minus another, this
   week's view minus last week's) can recover a withheld week or fewer than k people.
4. **Only complete weeks.** The current week is never shown (it would change as each
   person writes, and consecutive views would isolate one person's entry); a week counts as
   complete one day after it ends, so writers in every time zone have finished it.
5. **Paired prompts** use one fixed window of whole weeks and are shown only once it has
   closed. Both the answers to the paired prompt and the rest of that window's writing must
   satisfy rules 1 and 2 (the rest can be derived from the weeks shown). The manager's own
   answers are shown only to that manager.
6. **Consent is read on every request**, never cached: revoking, leaving or being removed
   takes effect on the next page load: a past week that counted them is withheld (rule 9),
   never recomputed without them.
   Deleting an account deletes its entries, analyses, receipts and shares (cascade).
7. **No text.** Summary pages read framing columns and dates with `.values()`, never an
   entry's body; managers read text only on the page of an entry shared with them, in the
   version its author previewed.
8. **Access log.** Viewing a summary records one access event whose set of people is every
   consenting member who wrote in its window (when any figure was shown; with the previous
   period's writers when the change since was shown) and every named member listed;
   viewing a named summary or a shared entry records one for that member. A set is stored
   once however many views show it (`AccessSetMember`, by digest). Members read, on their
   Sharing page, every event whose set holds them.
9. **No difference of fewer than k people between views.** Each week's figures, when first
   shown to a team's managers (page or email), are recorded with who was counted in them
   (`PublishedWeek`: ids and pooled sums, derived server-side and never shown) and the
   threshold then. Later, for that week:
   * the same people counted → the same figures as shown then (a member's later edit,
     trash or back-dating into the week changes nothing a manager can subtract);
   * people who differ, on either side, by 1 to k-1 from any set already shown for that week
     in this team or in any other team the viewer manages (k the larger of the threshold now
     and then) → the week is withheld with that reason, never recomputed. This covers a
     manager removing or promoting a member, lowering the threshold, building a sub-team of
     some members, a co-manager reading what another manager was shown, and a member leaving,
     revoking or deleting their account (their data leaves at once, as rule 6 requires; the
     week is withheld, not recomputed without them). A rejoin that restores the same people
     restores the same figures;
   * people who differ by k or more on each side → shown and recorded.
   Period totals are the sums of the weeks as shown, and withheld when any week is.
10. **The change since the previous period** compares a period's figure with the period of
   the same length just before it. That figure follows rules 1-3 and 9 like any other (its
   weeks are recorded as shown), and the change is given only when both are shown, so it
   is a difference of two sums of published weeks and reveals nothing rule 3 does not.
   Which weeks are withheld is said once, with how many members opted in and the
   threshold; a week nobody wrote in reads the same as a withheld one.

What this does not protect against (documented, not solved)
-----------------------------------------------------------
* Two managers of different teams comparing notes across teams they do not both manage, and
  former managers (their record stays with the team, but teams they no longer manage are not
  checked for them).
* Invented members, unless a requirement is set. A member counts only once they have what
  their invitation asked (`Membership.counts_with`: a verified email address, or a sign-in
  through the organisation's single sign-on) and what the deployment asks
  (TEAM_COUNT_REQUIRES), both read on every request. With SSO required, a manager cannot
  invent people outside the organisation's directory. Still not protected: with no
  requirement, fake accounts fill the threshold; with "verified email", a manager who
  controls several mailboxes (or a catch-all domain) can verify invented addresses; and no
  requirement stops real colleagues who write for the manager. Members see the full member
  list on the team page and every threshold change.
* Paired-prompt figures (rule 5) follow rules 1 and 2 but are not yet recorded under rule 9.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import cached_property

from django.db import connections
from django.db.models import Sum
from django.utils import timezone

from reflect.framing.models import DIMENSION_KEYS, Framing, WeeklyFraming
from reflect.teams import sql
from reflect.teams.names import Person, told_apart

NOT_ENOUGH = "Withheld to protect privacy"
WITHDRAWN = (
    "Withheld: who is counted in this week changed by fewer people than the threshold since "
    "you last saw it, so a new figure would reveal them"
)

PERIODS: dict[str, tuple[str, int]] = {
    "4w": ("Last 4 weeks", 4),
    "quarter": ("Last quarter (13 weeks)", 13),
    "year": ("Last year (52 weeks)", 52),
}
# The period of the same length just before, as the change since names it.
PREVIOUS: dict[str, str] = {
    "4w": "the previous 4 weeks", "quarter": "the previous quarter", "year": "the previous year",
}


def score_from_counts(dimension: str, positive: float, negative: float, words: int):
    """The analyzer's own score of pooled sums (imported late: loading the lexicons is not
    needed to build a team, and migrations must never depend on it)."""
    from reflect.framing import score_from_counts as score

    return score(dimension, positive, negative, words)


def publishable(contributors: int, aggregate_only: int, threshold: int) -> bool:
    """Rules 1 and 2 for one cell."""
    return contributors >= threshold and (aggregate_only == 0 or aggregate_only >= threshold)


def last_complete_week(today: date) -> date:
    """Monday of the latest week that ended more than a day ago (rule 4)."""
    yesterday = today - timedelta(days=1)
    return yesterday - timedelta(days=yesterday.weekday()) - timedelta(weeks=1)


def window(period: str, today: date) -> list[date]:
    """The Mondays of a period's weeks, oldest first."""
    last = last_complete_week(today)
    return [last - timedelta(weeks=n) for n in reversed(range(PERIODS[period][1]))]


@dataclass
class Sums:
    """Pooled counts of a group: what a figure is computed from (never shown raw)."""

    entries: int = 0
    words: int = 0
    cues: dict[str, float] = field(default_factory=lambda: defaultdict(float))

    def add(self, row: dict) -> None:
        self.entries += row["entries"] or 0
        self.words += row["words"] or 0
        for key in DIMENSION_KEYS:
            self.cues[f"{key}_pos"] += row[f"{key}_pos"] or 0
            self.cues[f"{key}_neg"] += row[f"{key}_neg"] or 0

    def scores(self) -> dict[str, float | None]:
        return {
            key: score_from_counts(
                key, self.cues[f"{key}_pos"], self.cues[f"{key}_neg"], self.words
            )
            for key in DIMENSION_KEYS
        }


@dataclass
class Figure:
    """One published-or-withheld figure: a week, a period, a named member's week."""

    label: str
    start: date | None
    shown: bool
    writers: int | None = None
    entries: int | None = None
    words: int | None = None
    empty: bool = False
    sums: Sums | None = field(default=None, repr=False)
    # Withheld by guarantee 9: these weeks' people changed too little since the viewer saw it.
    withdrawn: bool = False

    @classmethod
    def of(cls, label: str, start: date | None, shown: bool, writers: int, sums: Sums):
        if not shown:
            return cls(label=label, start=start, shown=False, empty=writers == 0)
        return cls(
            label=label, start=start, shown=True, writers=writers, entries=sums.entries,
            words=sums.words, sums=sums,
        )

    @cached_property
    def scores(self) -> dict[str, float | None] | None:
        """Computed when a page shows them: a summary builds many figures it only counts."""
        return self.sums.scores() if self.shown and self.sums is not None else None

    @property
    def per_writer(self) -> float | None:
        return round(self.entries / self.writers, 1) if self.shown and self.writers else None


def _framing_in(author_ids: Iterable[int], start: date, end: date):
    return Framing.objects.live().filter(
        author_id__in=list(author_ids), written_on__gte=start, written_on__lt=end
    )


def _sum_columns() -> dict:
    sums = {"entries": Sum("entries"), "words": Sum("words")}
    for key in DIMENSION_KEYS:
        sums[f"{key}_pos"] = Sum(f"{key}_pos")
        sums[f"{key}_neg"] = Sum(f"{key}_neg")
    return sums


def weekly_sums(author_ids: list[int], weeks: list[date]) -> dict[date, Sums]:
    """One query: the pooled sums of these people's weekly totals, for these weeks only (a
    week already shown with the same people is shown from its record, not summed again)."""
    rows = (
        WeeklyFraming.objects.filter(author_id__in=author_ids, week__in=weeks)
        .values("week").annotate(**_sum_columns()).order_by()
    )
    sums: dict[date, Sums] = {}
    for row in rows:
        sums[_as_date(row["week"])] = _sums_of(row)
    return sums


def contributors_of(rows: list[dict]) -> dict[date, frozenset[int]]:
    """Who wrote in each week, from the rows of `sql.weekly_writers`."""
    return {
        _as_date(row["week"]): frozenset(map(int, row["author_ids"].split(",")))
        for row in rows
        if row["author_ids"]
    }


def _as_date(value) -> date:
    return value.date() if hasattr(value, "date") and callable(value.date) else value


@dataclass
class MemberTrend:
    """A named member's own figures, week by week (never text)."""

    user_id: int
    name: str
    weeks: list[Figure]
    total: Figure


@dataclass
class Paired:
    manager_prompt: str
    member_prompt: str
    starts_on: date
    ends_on: date
    closed: bool
    team: Figure | None
    own: Figure | None


@dataclass
class Named:
    """A member who chose a named summary, as the summary page lists them."""

    user_id: int
    name: str


@dataclass
class TeamSummary:
    period: str
    period_label: str
    threshold: int
    weeks: list[Figure]
    total: Figure
    previous: Figure  # the period of the same length just before: for "the change since"
    named: list[Named]
    paired: Paired | None
    counted_ids: set[int]
    in_progress_from: date
    opted_in: int  # consenting members: how many can be counted at most
    recorded: bool = False  # weeks shown for the first time were recorded on this view

    @property
    def anything_shown(self) -> bool:
        return self.total.shown or any(w.shown for w in self.weeks)

    @property
    def next_week_on(self) -> date:
        """The day the week in progress appears (rule 4: one day after it ends)."""
        return self.in_progress_from + timedelta(days=8)

    @property
    def withheld(self) -> int:
        """Weeks whose figures are not shown (rules 1, 2 or 9). A week nobody wrote in counts
        too: telling "nobody" from "too few" apart would say more than a withheld week may."""
        return sum(1 for w in self.weeks if not w.shown)

    @property
    def withdrawn(self) -> bool:
        return any(w.withdrawn for w in self.weeks)


def week_label(monday: date) -> str:
    return f"{monday:%d %b}"


def _week_figures(
    contributors: dict[date, frozenset[int]], mondays: list[date], named_ids: set[int],
    threshold: int,
) -> list[Figure]:
    """Rules 1 and 2 for each week; a shown week's sums are filled in later, only for the
    weeks that need them (`_fill`)."""
    weeks = []
    for monday in mondays:
        people = contributors.get(monday, frozenset())
        shown = publishable(len(people), len(people - named_ids), threshold)
        weeks.append(Figure(label=week_label(monday), start=monday, shown=shown,
                            writers=len(people) if shown else None, empty=not people))
    return weeks


def _fill(weeks: list[Figure], indices: list[int], sums: dict[date, Sums]) -> None:
    for i in indices:
        week = weeks[i]
        weeks[i] = Figure.of(week.label, week.start, True, week.writers,
                             sums.get(week.start, Sums()))


def _merge(into: Sums, other: Sums) -> None:
    into.entries += other.entries
    into.words += other.words
    for key, value in other.cues.items():
        into.cues[key] += value


def _period_figure(
    label: str, weeks: list[Figure], contributors: dict[date, frozenset[int]],
    named_ids: set[int], threshold: int,
) -> tuple[Figure, set[int]]:
    """Rule 3: a period's figure is the sum of its weeks as shown, shown only when every week
    with writing is shown and the period's writers pass rules 1 and 2 too. Also returns who
    wrote in it."""
    writers: set[int] = set()
    for week in weeks:
        writers |= contributors.get(week.start, frozenset())
    total = Sums()
    for week in weeks:
        if week.shown:
            _merge(total, week.sums)
    shown = (
        all(week.shown or week.empty for week in weeks)
        and any(week.shown for week in weeks)
        and publishable(len(writers), len(writers - named_ids), threshold)
    )
    return Figure.of(label, weeks[0].start, shown, len(writers), total), writers


@dataclass
class Reads:
    """What a team summary is computed from, as read from the database on this request: the
    same reads give the same summary (`compute` reads nothing else but, for weeks shown for
    the first time, their sums). `key` names them."""

    team: object
    period: str
    today: date
    mondays: list[date]  # the previous period's and the period's weeks, oldest first
    viewer: object
    seen_by: object
    members: list[tuple]  # consenting: (user_id, level, display name, email, joined_at)
    writers: list[tuple]  # `sql.weekly_writers_statement`'s rows
    published: list[tuple] | None  # `sql.published_weeks_statement`'s rows (with seen_by)
    paired: list[tuple] | None  # `_paired_statement`'s rows (with a viewer and a pairing)
    closed: bool = False  # the paired reflection's window has closed

    def key(self) -> tuple:
        """Everything `compute` reads (the team's own fields are the caller's to add)."""
        return (
            self.period, self.today, getattr(self.viewer, "pk", None),
            getattr(self.seen_by, "pk", None), tuple(self.members), tuple(self.writers),
            None if self.published is None else tuple(self.published),
            None if self.paired is None else tuple(self.paired), self.closed,
        )


def team_summary(
    team, period: str, today: date | None = None, viewer=None, seen_by=None
) -> TeamSummary:
    """Everything the summary page shows, in a fixed number of queries whatever the size
    of the team (`read`, then `compute`)."""
    return compute(read(team, period, today, viewer, seen_by))


def read(
    team, period: str, today: date | None = None, viewer=None, seen_by=None,
    member_rows: list[tuple] | None = None, also: list[sql.Statement] = (),
) -> tuple[Reads, list[list[tuple]]]:
    """The reads of a summary: consenting members (1, or `member_rows` when the caller read
    them beside its access check: `sql.member_rows_statement`), then in one round trip on
    PostgreSQL (`sql.batch`) who wrote each week, what `seen_by` (the manager it is shown to)
    saw of these weeks before, for a paired prompt its aggregate, and the caller's `also`
    statements, whose rows are returned beside. The weeks are the period's and, for the
    change since, the previous period's of the same length."""
    plan = plan_reads(team, period, today, viewer, seen_by, counted_members(team, member_rows),
                      also)
    return plan.reads(sql.batch(plan.statements))


def counted_members(team, member_rows: list[tuple] | None = None) -> list[tuple]:
    """The consenting members as `Reads.members` has them (`member_rows` as in `read`)."""
    from reflect.teams.models import CONSENTING

    # Consent is filtered here, not in SQL: PostgreSQL cannot estimate a filter on the latest
    # receipt's level, guessed 5 rows of 500 and joined the users by nested loop (15-25 ms at
    # 500 members instead of 1).
    return [row for row in _member_rows(team, member_rows) if row[1] in CONSENTING]


@dataclass
class Plan:
    """A summary's statements once its members are known (`plan_reads`), and how to make its
    `Reads` of their results. Two plans with equal `statements` read the same."""

    statements: list[sql.Statement]
    reads_of: dict  # Reads' fields but those read by the statements
    # Which of Reads' reads the statements hold, in this order, before the caller's `also`.
    read: tuple[bool, bool, bool]  # writers, published, paired

    def seen_as(self, viewer, seen_by) -> Plan:
        """This plan with these objects for the viewer and the manager it is shown to (the
        same people): for another view whose plan would be made of the same rows (the team's,
        its members') for the same period and day."""
        return replace(self, reads_of={**self.reads_of, "viewer": viewer, "seen_by": seen_by})

    def reads(self, results: list) -> tuple[Reads, list[list[tuple]]]:
        """The Reads of this plan's results (in its statements' order), and the rows of the
        caller's `also` statements."""
        results = iter(results)
        writers, published, paired = self.read
        reads = Reads(
            **self.reads_of, writers=next(results) if writers else [],
            published=next(results) if published else None,
            paired=next(results) if paired else None,
        )
        return reads, list(results)


def plan_reads(
    team, period: str, today: date | None, viewer, seen_by, members: list[tuple],
    also: list[sql.Statement] = (),
) -> Plan:
    """`read`'s statements for these consenting members (`counted_members`)."""
    today = today or timezone.now().date()
    length = PERIODS[period][1]
    last = last_complete_week(today)
    mondays = [last - timedelta(weeks=n) for n in reversed(range(2 * length))]
    start, end = mondays[0], mondays[-1] + timedelta(weeks=1)
    author_ids = [row[0] for row in members]
    statements = []
    if author_ids:
        statements.append(sql.weekly_writers_statement(author_ids, start, end))
    if seen_by is not None:
        # Every week of the window, not only those shown: the same rows whatever is shown.
        statements.append(sql.published_weeks_statement(team.pk, seen_by.pk, mondays))
    paired = _paired_of(team) if viewer is not None else None
    closed = paired is not None and last_complete_week(today) >= paired.ends_on - timedelta(
        weeks=1
    )
    if paired is not None:
        named_ids = sorted(row[0] for row in members if row[1] == "named")
        people = [viewer.pk, *author_ids] if closed else [viewer.pk]
        statements.append(_paired_statement(paired, viewer.pk, people, named_ids))
    statements.extend(also)
    return Plan(statements=statements, reads_of={
        "team": team, "period": period, "today": today, "mondays": mondays, "viewer": viewer,
        "seen_by": seen_by, "members": members, "closed": closed,
    }, read=(bool(author_ids), seen_by is not None, paired is not None))


def compute(reads: Reads | tuple[Reads, list]) -> TeamSummary:
    """The summary of these reads: rules 1-3 and 10 here, 9 in `_apply_what_was_published`
    (weeks shown for the first time are summed, 1 query, and recorded, 1 more: `recorded`)."""
    if isinstance(reads, tuple):
        reads = reads[0]
    team, period, mondays, seen_by = reads.team, reads.period, reads.mondays, reads.seen_by
    length = PERIODS[period][1]
    members = reads.members
    author_ids = [row[0] for row in members]
    labels = told_apart([
        Person(pk, display or email.split("@")[0], email, joined)
        for pk, _, display, email, joined in members
    ], for_manager=True)
    names = {row[0]: labels[row[0]] for row in members if row[1] == "named"}
    named_ids = set(names)
    contributors = contributors_of(sql.weekly_writers_from(reads.writers))
    all_weeks = _week_figures(contributors, mondays, named_ids, team.threshold)
    if seen_by is not None:
        new = _apply_what_was_published(team, all_weeks, contributors, reads.published)
    else:
        new = [i for i, week in enumerate(all_weeks) if week.shown]
    if new:
        _fill(all_weeks, new, weekly_sums(author_ids, [all_weeks[i].start for i in new]))
        if seen_by is not None:
            _record(team, [all_weeks[i] for i in new], contributors)
    previous, previous_writers = _period_figure(
        PREVIOUS[period], all_weeks[:length], contributors, named_ids, team.threshold
    )
    weeks = all_weeks[length:]
    total, writers = _period_figure(
        PERIODS[period][0], weeks, contributors, named_ids, team.threshold
    )
    counted: set[int] = set()
    if total.shown or any(w.shown for w in weeks):
        counted |= writers
    if previous.shown and total.shown:  # the change since is shown only beside a total
        counted |= previous_writers
    named = [Named(user_id=pk, name=names[pk])
             for pk in sorted(names, key=lambda pk: names[pk].lower())]
    paired = (
        paired_summary(team, reads.viewer, author_ids, reads.closed, reads.paired)
        if reads.paired is not None else None
    )
    end = mondays[-1] + timedelta(weeks=1)
    return TeamSummary(
        period=period, period_label=PERIODS[period][0], threshold=team.threshold,
        weeks=weeks, total=total, previous=previous, named=named, paired=paired,
        counted_ids=counted, in_progress_from=end, opted_in=len(author_ids),
        recorded=bool(new and seen_by is not None),
    )


def _member_rows(team, rows: list[tuple] | None = None) -> list[tuple]:
    """Counted members as (user_id, level, display name, email, joined_at): the statement
    written in reflect.teams.sql when the deployment asks nothing of members to count and no
    invitation did either (the common case; `rows` when the caller read them already);
    `Team.counted_member_rows` (the ORM) when the deployment asks something; the ORM's full
    query when an invitation did."""
    from django.conf import settings

    from reflect.teams.models import CountRequirement

    fields = ("user__display_name", "user__email", "joined_at")
    if settings.TEAM_COUNT_REQUIRES != "none":
        return team.counted_member_rows(*fields)
    if rows is None:
        rows = sql.member_rows(team.pk)
    if all(row[0] == CountRequirement.NONE for row in rows):
        return [row[1:] for row in rows]
    return list(team.counted_memberships().values_list("user_id", "level", *fields))


def distinguishable(current: frozenset[int], earlier: frozenset[int], k: int) -> bool:
    """Guarantee 9 for two sets of people counted in one week: they are the same, or differ
    by at least k people on each side, so subtracting one figure from the other never
    isolates fewer than k people."""
    gone, new = len(earlier - current), len(current - earlier)
    return not (0 < gone < k or 0 < new < k)


def _sums_of(data: dict) -> Sums:
    sums = Sums()
    sums.add(data)
    return sums


def _as_data(sums: Sums) -> dict:
    return {"entries": sums.entries, "words": sums.words, **sums.cues}


def _apply_what_was_published(
    team, weeks: list[Figure], contributors: dict[date, frozenset[int]],
    published_rows: list[tuple],
) -> list[int]:
    """Guarantee 9, in place on `weeks`: a week whose counted people are a set already shown
    to this team's managers shows the figures shown then (a member's later edit cannot be
    subtracted); a set that differs from one shown for that week, in this team or in any
    other team the viewer manages, by 1..k-1 people on either side is withheld, never
    recomputed (k the larger of the threshold now and then); any other set is shown and
    recorded: those weeks' positions are returned, to be summed and then `_record`ed.
    `published_rows`: `sql.published_weeks_statement`'s, members and sums as JSON text."""
    from reflect.teams.models import digest_of

    candidates = [w.start for w in weeks if w.shown]
    if not candidates:
        return []
    # Who was counted, as stored JSON text: decoded only for a set that is not the current
    # one (the common case, the same people as before, compares digests).
    published: dict[date, list[tuple[int, str, str, str, int]]] = defaultdict(list)
    for team_id, week, digest, members, sums, threshold in sql.published_weeks_from(
        published_rows
    ):
        published[week].append((team_id, digest, members, sums, threshold))
    new: list[int] = []
    k = team.threshold
    for i, figure in enumerate(weeks):
        if not figure.shown:
            continue
        current = contributors.get(figure.start, frozenset())
        digest = digest_of(sorted(current))
        earlier = published[figure.start]
        same = [sums for team_id, other, _, sums, _ in earlier
                if team_id == team.pk and other == digest]
        if not all(other == digest or distinguishable(current, frozenset(json.loads(members)),
                                                      max(k, then))
                   for _, other, members, _, then in earlier):
            weeks[i] = Figure(label=figure.label, start=figure.start, shown=False,
                              withdrawn=True)
        elif same:
            weeks[i] = Figure.of(figure.label, figure.start, True, len(current),
                                 _sums_of(json.loads(same[0])))
        else:
            new.append(i)
    return new


def _record(team, weeks: list[Figure], contributors: dict[date, frozenset[int]]) -> None:
    """Remember weeks shown for the first time with these people (guarantee 9)."""
    from reflect.teams.models import PublishedWeek, digest_of

    rows = []
    for figure in weeks:
        ids = sorted(contributors.get(figure.start, frozenset()))
        rows.append(PublishedWeek(
            team=team, week=figure.start, members=ids, threshold=team.threshold,
            digest=digest_of(ids), sums=_as_data(figure.sums),
        ))
    PublishedWeek.objects.bulk_create(rows, ignore_conflicts=True)


def member_trend(team, user_id: int, name: str, period: str, today: date | None = None):
    """A named member's own weeks, as their managers see them (and they preview it)."""
    today = today or timezone.now().date()
    mondays = window(period, today)
    sums = weekly_sums([user_id], mondays)
    weeks, total = [], Sums()
    for monday in mondays:
        own = sums.get(monday, Sums())
        _merge(total, own)
        weeks.append(Figure.of(week_label(monday), monday, True, int(monday in sums), own))
    return MemberTrend(
        user_id=user_id, name=name, weeks=weeks,
        total=Figure.of(PERIODS[period][0], mondays[0], True, 1 if total.entries else 0, total),
    )


def _paired_of(team):
    """The team's paired reflection, or None."""
    try:
        return team.paired
    except team.__class__.paired.RelatedObjectDoesNotExist:
        return None


def paired_summary(team, viewer, author_ids: list[int], closed: bool, rows: list[tuple]):
    """Rule 5: the team's answers to the paired prompt beside the viewer's own, from the rows
    of `_paired_statement` (read in `read`)."""
    paired = team.paired
    result = Paired(
        manager_prompt=paired.manager_prompt.text, member_prompt=paired.member_prompt.text,
        starts_on=paired.starts_on, ends_on=paired.ends_on, closed=closed, team=None, own=None,
    )
    # One query, grouped by kind: the viewer's own answers and, once closed, the members'
    # answers and their other writing in the window, with how many wrote each and how many of
    # those are named (the viewer is a manager, so never among `author_ids`).
    rows = {row[0]: dict(zip(PAIRED_COLUMNS, row, strict=True)) for row in rows}
    empty = {"writers": 0, "named": 0}

    def sums_of(name: str) -> Sums:
        sums = Sums()
        if name in rows:
            sums.add(rows[name])
        return sums

    own = sums_of("own")
    result.own = Figure.of("You", None, True, 1 if own.entries else 0, own)
    if not closed or not author_ids:
        return result
    k = team.threshold
    answered, rest = rows.get("answer", empty), rows.get("rest", empty)
    shown = publishable(answered["writers"], answered["writers"] - answered["named"], k) and (
        rest["writers"] == 0 or publishable(rest["writers"], rest["writers"] - rest["named"], k)
    )
    result.team = Figure.of("The team", None, shown, answered["writers"], sums_of("answer"))
    return result


# The paired aggregate's columns, in order.
PAIRED_COLUMNS = (
    "kind", "entries", "words",
    *(f"{key}_{end}" for key in DIMENSION_KEYS for end in ("pos", "neg")),
    "writers", "named",
)


def _paired_sql() -> str:
    """The paired aggregate as SQL text with `{people}` and `{named}` left for the id lists.
    Written out rather than composed by the ORM: compiling its 17 aggregates and the CASE
    cost about 2 ms of CPU on every view of a summary, more than the query itself."""
    table = Framing._meta.db_table
    sums = "".join(f", SUM({key}_pos) AS {key}_pos, SUM({key}_neg) AS {key}_neg"
                   for key in DIMENSION_KEYS)
    return (
        "SELECT CASE WHEN author_id = %s AND prompt_id = %s THEN 'own' "
        "WHEN author_id = %s THEN '' WHEN prompt_id = %s THEN 'answer' ELSE 'rest' END AS kind, "
        "COUNT(entry_id) AS entries, SUM(words) AS words" + sums + ", "
        "COUNT(DISTINCT author_id) AS writers, "
        "COUNT(DISTINCT CASE WHEN author_id {named} THEN author_id END) AS named "
        f"FROM {table} WHERE author_id {{people}} AND written_on >= %s "
        "AND written_on < %s GROUP BY 1 ORDER BY 1"
    )


PAIRED_SQL = _paired_sql()


def _paired_statement(paired, viewer_id: int, people: list[int], named_ids: list[int]):
    """The paired aggregate, its rows by kind ("own", "", "answer", "rest") with the columns
    `PAIRED_COLUMNS`. Framing columns only, never text."""
    connection = connections[Framing.objects.db]
    named, named_params = sql.among(named_ids)
    among_people, people_params = sql.among(people)
    sql_text = PAIRED_SQL.format(people=among_people, named=named)
    adapt = connection.ops.adapt_datefield_value
    params = [viewer_id, paired.manager_prompt_id, viewer_id, paired.member_prompt_id,
              *named_params, *people_params, adapt(paired.starts_on), adapt(paired.ends_on)]
    # Kept (prepared once per connection): on PostgreSQL its text is the same for any people,
    # and the plan PostgreSQL then keeps for any of them (an index scan of framing_author_day)
    # ran as fast as the one planned for 500 members' ids (8 ms), without its 0.3 ms of
    # planning; at the demo's size planning was about half of the statement's time.
    return sql.Kept(sql_text, params)
