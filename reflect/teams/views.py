"""Team pages. Managers see figures (see reflect.teams.summary for what and why), members
decide on their Sharing page. Every view starts with an access helper that answers 404 to
anyone who is not in the right role on the team."""

import logging
from dataclasses import dataclass
from datetime import timedelta
from html import escape

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.formats import date_format, localize
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.views.decorators.http import require_http_methods, require_POST

from reflect.accounts.models import counts_in_teams
from reflect.framing.dimensions import REGISTRY
from reflect.journal.models import Entry
from reflect.lib.charts import Padding, Point, line_chart
from reflect.lib.mail import header_safe
from reflect.lib.markdown import render_markdown
from reflect.teams import links, sql, wording
from reflect.teams import summary as figures
from reflect.teams.forms import (
    ConsentForm,
    InviteForm,
    PairedForm,
    ShareForm,
    TeamForm,
    TeamPromptForm,
    ThresholdForm,
)
from reflect.teams.models import (
    AccessEvent,
    ConsentReceipt,
    CountRequirement,
    Invitation,
    Membership,
    PairedPrompt,
    SharedEntry,
    Team,
    TeamPrompt,
)
from reflect.teams.names import Person, told_apart

logger = logging.getLogger(__name__)


# Access helpers -------------------------------------------------------------------------


def _get_membership(request: HttpRequest, pk: int) -> Membership:
    """The signed-in person's membership of team `pk`, or 404."""
    return get_object_or_404(
        Membership.objects.select_related("team"), team_id=pk, user=request.user
    )


def _get_team_for_member(request: HttpRequest, pk: int) -> Team:
    return _get_membership(request, pk).team


def _get_team_for_manager(request: HttpRequest, pk: int) -> Team:
    """Team `pk` if the signed-in person manages it; 404 for everyone else (members too)."""
    teams = Team.objects.managed_by(request.user).select_related(
        "paired__manager_prompt", "paired__member_prompt"
    )
    return get_object_or_404(teams, pk=pk)


def _get_member_of(team: Team, user_pk: int) -> Membership:
    return get_object_or_404(Membership.objects.select_related("user"), team=team, user_id=user_pk)


def _period(request: HttpRequest) -> str:
    period = request.GET.get("period", "4w")
    return period if period in figures.PERIODS else "4w"


# Teams ----------------------------------------------------------------------------------


def team_list(request: HttpRequest) -> HttpResponse:
    memberships = Membership.objects.filter(user=request.user).select_related("team")
    ctx = {"memberships": memberships, "form": TeamForm(), "nav": "teams"}
    return render(request, "teams/teams.html", ctx)


@require_POST
def team_create(request: HttpRequest) -> HttpResponse:
    form = TeamForm(request.POST)
    if not form.is_valid():
        memberships = Membership.objects.filter(user=request.user).select_related("team")
        ctx = {"memberships": memberships, "form": form, "nav": "teams"}
        return render(request, "teams/teams.html", ctx, status=422)
    team = Team.create_for(request.user, form.cleaned_data["name"])
    messages.success(request, "Team created. Invite people, then wait for them to opt in.")
    return redirect("team", pk=team.pk)


def team_detail(request: HttpRequest, pk: int) -> HttpResponse:
    membership = _get_membership(request, pk)
    team = membership.team
    members = list(team.memberships.select_related("user").order_by("role", "joined_at"))
    labels = told_apart(
        [Person(m.user_id, m.user.name, m.user.email, m.joined_at) for m in members],
        for_manager=membership.is_manager,
    )
    for m in members:
        m.label = labels[m.user_id]
    ctx = {
        "team": team,
        "membership": membership,
        "members": members,
        "threshold_changes": team.threshold_changes.select_related("by")[:10],
        "prompts": team.prompts.select_related("prompt").order_by("-prompt__created_at"),
        "nav": "teams",
    }
    if membership.is_manager:
        ctx_invitations = list(team.invitations.usable().order_by("-created_at"))
        for invitation in ctx_invitations:
            invitation.link = links.absolute(request, reverse("team_join", args=[invitation.token]))
        ctx.update(
            invitations=ctx_invitations,
            invite_form=InviteForm(),
            threshold_form=ThresholdForm(initial={"threshold": team.threshold}),
            prompt_form=TeamPromptForm(),
            paired_form=PairedForm(),
            paired=PairedPrompt.objects.filter(team=team).first(),
        )
    return render(request, "teams/team.html", ctx)


@require_POST
def team_invite(request: HttpRequest, pk: int) -> HttpResponse:
    team = _get_team_for_manager(request, pk)
    form = InviteForm(request.POST)
    if not form.is_valid():
        messages.error(request, "That email address or requirement does not look right.")
        return redirect("team", pk=team.pk)
    try:
        invitation = _invite(
            request, team, form.cleaned_data["email"], form.cleaned_data["counts_with"]
        )
    except (OSError, ValueError) as exc:  # SMTPException is an OSError; bad headers ValueError
        logger.warning("Invitation to team %s not sent: %s", team.pk, exc)
        messages.error(
            request,
            "The invitation email could not be sent, so no invitation was made. "
            "Try again in a moment, or create a link to share yourself.",
        )
        return redirect("team", pk=team.pk)
    if invitation.email:
        messages.success(request, f"Invitation sent to {invitation.email}.")
    else:
        messages.success(request, "Invitation link created: it works once, for 7 days.")
    return redirect("team", pk=team.pk)


@transaction.atomic
def _invite(request: HttpRequest, team, email: str, counts_with: str) -> Invitation:
    """Create an invitation and send its email as one step: if the mail cannot be sent, the
    invitation is rolled back rather than left half-made."""
    inviter = request.user
    invitation = Invitation.objects.create(
        team=team, email=email, created_by=inviter, counts_with=counts_with
    )
    if invitation.email:
        link = links.absolute(request, reverse("team_join", args=[invitation.token]))
        body = render_to_string(
            "teams/invite_email.txt",
            {"team": team, "inviter": inviter, "link": link, "invitation": invitation},
        )
        subject = header_safe(f"Join {team.name} on Reflect")
        send_mail(subject, body, None, [invitation.email], fail_silently=False)
    return invitation


def team_join(request: HttpRequest, token: str) -> HttpResponse:
    invitation = Invitation.objects.select_related("team").filter(token=token).first()
    if invitation is None:
        raise Http404
    already = Membership.objects.filter(team=invitation.team, user=request.user).exists()
    if already:
        return redirect("team", pk=invitation.team_id)
    wrong_person = bool(invitation.email) and invitation.email.lower() != request.user.email
    if request.method == "POST" and invitation.is_usable and not wrong_person:
        if invitation.accept(request.user):
            messages.success(
                request,
                f"You joined {invitation.team.name}. Nothing of yours is shared until you choose.",
            )
            return redirect("sharing")
    ctx = {"invitation": invitation, "wrong_person": wrong_person, "nav": "teams"}
    status = 200 if invitation.is_usable and not wrong_person else 410
    return render(request, "teams/join.html", ctx, status=status)


@require_POST
def team_leave(request: HttpRequest, pk: int) -> HttpResponse:
    membership = _get_membership(request, pk)
    team = membership.team
    if membership.is_manager:
        others = team.memberships.exclude(user=request.user)
        if not others.exists():
            team.delete()
            messages.success(request, "You left, and the team, now empty, was deleted.")
            return redirect("teams")
        if not others.filter(role=Membership.Role.MANAGER).exists():
            messages.error(request, "Promote another manager before you leave.")
            return redirect("team", pk=team.pk)
    team.remove_member(request.user)
    messages.success(
        request, f"You left {team.name}. Its managers no longer see anything of yours."
    )
    return redirect("teams")


@require_http_methods(["GET", "POST"])
def member_remove(request: HttpRequest, pk: int, user_pk: int) -> HttpResponse:
    """GET asks first, on a page of its own (no JavaScript needed); POST removes."""
    team = _get_team_for_manager(request, pk)
    if user_pk == request.user.pk:
        messages.error(request, "To leave the team yourself, use “Leave this team”.")
        return redirect("team", pk=team.pk)
    member = _get_member_of(team, user_pk)
    if request.method != "POST":
        others = list(team.memberships.select_related("user"))
        label = told_apart(
            [Person(m.user_id, m.user.name, m.user.email, m.joined_at) for m in others],
            for_manager=True,
        )[member.user_id]
        ctx = {"team": team, "member": member, "label": label, "nav": "teams"}
        return render(request, "teams/remove.html", ctx)
    team.remove_member(member.user)
    messages.success(request, f"{member.user.name} is no longer on the team.")
    return redirect("team", pk=team.pk)


@require_POST
def invitation_withdraw(request: HttpRequest, pk: int, invitation_pk: int) -> HttpResponse:
    team = _get_team_for_manager(request, pk)
    invitation = get_object_or_404(Invitation, team=team, pk=invitation_pk)
    if Invitation.objects.usable().filter(pk=invitation.pk).update(expires_at=timezone.now()):
        messages.success(request, "Invitation withdrawn: its link no longer works.")
    else:
        messages.error(request, "That invitation was already used, expired or withdrawn.")
    return redirect(reverse("team", args=[team.pk]) + "#invite")


@require_POST
def member_promote(request: HttpRequest, pk: int, user_pk: int) -> HttpResponse:
    team = _get_team_for_manager(request, pk)
    member = _get_member_of(team, user_pk)
    if not member.is_manager:
        with transaction.atomic():
            member.role = Membership.Role.MANAGER
            member.save(update_fields=["role"])
            # A manager's own writing is never counted: their consent ends here, on record.
            if ConsentReceipt.current(member.user, team) != ConsentReceipt.Level.NONE:
                ConsentReceipt.objects.create(
                    member=member.user, team=team, level=ConsentReceipt.Level.NONE,
                    note="Became a manager",
                )
        messages.success(request, f"{member.user.name} is now a manager of {team.name}.")
    return redirect("team", pk=team.pk)


@require_POST
def team_threshold(request: HttpRequest, pk: int) -> HttpResponse:
    team = _get_team_for_manager(request, pk)
    form = ThresholdForm(request.POST)
    if form.is_valid():
        if team.set_threshold(form.cleaned_data["threshold"], request.user):
            messages.success(
                request, "Threshold changed. Members see the change on their Sharing page."
            )
    else:
        messages.error(request, "The threshold must be a whole number from 3 to 10.")
    return redirect("team", pk=team.pk)


@require_POST
def team_prompt_new(request: HttpRequest, pk: int) -> HttpResponse:
    team = _get_team_for_manager(request, pk)
    form = TeamPromptForm(request.POST)
    if form.is_valid():
        TeamPrompt.pose(team, request.user, form.cleaned_data["text"])
        messages.success(request, "Posed. Your team's members see it in their prompts.")
    else:
        messages.error(request, "Write a question of up to 300 characters.")
    return redirect("team", pk=team.pk)


@require_POST
def team_paired(request: HttpRequest, pk: int) -> HttpResponse:
    team = _get_team_for_manager(request, pk)
    form = PairedForm(request.POST)
    manager_prompt, member_prompt = PairedPrompt.article_prompts()
    if not form.is_valid() or manager_prompt is None or member_prompt is None:
        messages.error(request, "The paired reflection could not be started.")
        return redirect("team", pk=team.pk)
    today = timezone.now().date()
    monday = today - timedelta(days=today.weekday())
    PairedPrompt.objects.update_or_create(
        team=team,
        defaults={
            "manager_prompt": manager_prompt, "member_prompt": member_prompt,
            "posed_by": request.user, "starts_on": monday, "weeks": form.cleaned_data["weeks"],
            "created_at": timezone.now(),
        },
    )
    messages.success(
        request, "Paired reflection started. The team's figure appears after it closes."
    )
    return redirect("team", pk=team.pk)


@require_POST
def team_email(request: HttpRequest, pk: int) -> HttpResponse:
    team = _get_team_for_manager(request, pk)
    wanted = request.POST.get("summary_email") == "on"
    Membership.objects.filter(team=team, user=request.user).update(summary_email=wanted)
    messages.success(request, "Weekly email on." if wanted else "Weekly email off.")
    return redirect("team", pk=team.pk)


# What managers see -----------------------------------------------------------------------


def _charts(weeks: list[figures.Figure]) -> list[dict]:
    """One chart per dimension, its poles named on the axis; the dots drawn as one path (a
    year of weeks is 364 dots: one element each made the template the slowest part)."""
    charts = []
    for key, dimension in REGISTRY.items():
        points = []
        for x, week in enumerate(weeks):
            value = week.scores.get(key) if week.shown and week.scores else None
            points.append(Point(label=week.label, x=x, value=value, smoothed=value))
        low, high = dimension.poles
        chart = line_chart(
            points, width=320, height=150, x_domain=(0, max(len(weeks) - 1, 1)),
            y_min=dimension.y_min, y_max=dimension.y_max, poles=(low or "none", high),
            padding=Padding(top=18, right=8, bottom=42, left=8), with_dots=False,
            dot_radius=4.0 if len(weeks) <= 13 else 3.0,
        )
        item = {"key": key, "title": dimension.name, "chart": chart,
                "scale": wording.scale(dimension).capitalize() + "."}
        item["html"] = _chart_html(item)
        charts.append(item)
    return charts


def _number(value: float) -> str:
    """A coordinate as the template printed it (`localize`): that is `str` for any number
    without an exponent in this project's formats, at a tenth of the cost."""
    text = str(value)
    return localize(value) if "e" in text or "E" in text else text


def _chart_html(item: dict) -> str:
    """One chart's figure, written here rather than by the template (seven charts of a few
    dozen small nodes each were half of the summary template's time). Numbers are localised
    as the template did; every text is escaped."""
    title, g = escape(item["title"]), item["chart"]
    if g.is_empty:
        return mark_safe(
            f'<figure class="team-chart">\n<figcaption>{title}</figcaption>\n'
            '<p class="small muted">No week to show.</p>\n</figure>'
        )
    left, parts = _number(g.plot_left), []
    if g.zero_y is not None:
        zero = _number(g.zero_y)
        parts.append(f'<line class="zero" x1="{left}" x2="{_number(g.plot_right)}" '
                     f'y1="{zero}" y2="{zero}"/>')
    parts.append("".join(
        f'<text class="pole" x="{left}" y="{_number(tick.y)}">{"▼" if i else "▲"} '
        f'{escape(tick.label)}</text>'
        for i, tick in enumerate(g.pole_ticks)
    ))
    if g.path_d:
        parts.append(f'<path class="line" d="{escape(g.path_d)}"/>')
    if g.dots_d:
        parts.append(f'<path class="dots" d="{escape(g.dots_d)}"/>')
    tick_y = _number(int(g.height) - 4)
    parts.append("".join(
        f'<text class="tick" x="{_number(tick.x)}" y="{tick_y}" '
        f'text-anchor="{escape(tick.anchor)}">{escape(tick.label)}</text>'
        for tick in g.x_ticks
    ))
    body = "\n".join(parts)
    return mark_safe(
        f'<figure class="team-chart">\n<figcaption>{title}</figcaption>\n<svg class="chart" '
        f'viewBox="{escape(g.view_box)}" role="img" aria-label="{title}, week by week; the '
        f'same numbers are in the table">\n{body}\n</svg>\n'
        f'<p class="small muted">{escape(item["scale"])}</p>\n</figure>'
    )


class _Kept:
    """Values that are a pure function of their key (everything the HTML prints), kept in this
    process: at most `limit`, all dropped when full. A repeat view computes the same figures
    from the database and skips building their HTML again."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.values: dict[tuple, object] = {}

    def get(self, key: tuple, build):
        value = self.values.get(key)
        if value is None:
            value = build()
            self.put(key, value)
        return value


    def put(self, key: tuple, value) -> None:
        if len(self.values) >= self.limit:
            self.values.clear()
        self.values[key] = value


# The table and charts of recent summaries, by the figures they draw (see _table_context).
_TABLES = _Kept(256)
# The content of recent summary pages, by everything they were computed from (few: a key
# holds its reads, up to about 0.7 MB with its page for a year of a 500-member team).
_PAGES = _Kept(16)
# The figures' statements of each manager's last summary view (summary.Plan) and the set of
# people it showed, by team, manager, period and day: the next view's guess, sent beside its
# access check (team_summary). A guess holds the members' rows twice, as read and as counted
# (about 0.2 MB for 500 members): 64 at most. A view whose guess was dropped costs one round
# trip more, nothing else.
_GUESSES = _Kept(64)


def _table_key(weeks: list[figures.Figure]) -> tuple:
    """Everything of the weeks that the table and charts print."""
    return tuple(
        (w.label, w.shown, w.withdrawn, w.writers, w.entries,
         tuple(w.scores.get(key) for key in REGISTRY) if w.shown and w.scores else None)
        for w in weeks
    )


def _table_context(weeks: list[figures.Figure]) -> dict:
    """The week table and charts. The table's rows are built here in one pass (a year is 52
    rows of 10 cells: as template loops they were a third of the page's time). They are a
    pure function of the figures printed, so the HTML of the last few hundred sets of figures
    is kept in this process: a repeat view (the same figures, computed again from the
    database on this request) skips building seven charts and the rows."""
    return dict(_TABLES.get(_table_key(weeks), lambda: _table_parts(weeks)))


def _table_parts(weeks: list[figures.Figure]) -> dict:
    charts = _charts(weeks)
    return {
        "week_rows": _week_rows(weeks, len(REGISTRY) + 2), "week_head": _week_head(),
        "not_enough": figures.NOT_ENOUGH, "withdrawn": figures.WITHDRAWN,
        "charts": charts, "charts_html": mark_safe("\n".join(item["html"] for item in charts)),
    }


def _week_head() -> str:
    """The week table's column headings after "Week of", "Wrote" and "Entries": each
    dimension with the two ends of its scale."""
    cells = []
    for dimension in REGISTRY.values():
        low, high = wording.ends(dimension)
        cells.append(f'<th scope="col">{escape(dimension.name)} <span class="scale">'
                     f'{escape(low)}</span> <span class="scale">{escape(high)}</span></th>')
    return mark_safe("".join(cells))


def _week_rows(weeks: list[figures.Figure], columns: int) -> str:
    """The table's rows as one string, every text escaped (f-strings and html.escape: a year
    is 52 rows of 10 cells, and format_html per cell was most of the table's time)."""
    names = [(key, escape(dimension.name)) for key, dimension in REGISTRY.items()]
    rows = []
    for week in weeks:
        if week.shown:
            scores = week.scores
            cells = (
                f'<td data-label="Wrote">{escape(str(week.writers))}</td>'
                f'<td data-label="Entries">{escape(str(week.entries))}</td>'
            ) + "".join(
                f'<td data-label="{name}">{escape(wording.short(key, scores.get(key)))}</td>'
                for key, name in names
            )
        else:
            reason = ("Withheld: who is counted changed too little" if week.withdrawn
                      else "Withheld")
            cells = f'<td colspan="{columns}" class="withheld">{reason}</td>'
        rows.append(f'<tr><th scope="row">{escape(week.label)}</th>{cells}</tr>')
    return mark_safe("\n".join(rows))


def team_summary(request: HttpRequest, pk: int) -> HttpResponse:
    """One round trip on PostgreSQL (`sql.batch`) on a repeat view: the access check with the
    team and its members beside the figures' reads with the shared entries and the access
    log's row. The figures' reads depend on the members: the statements made for this
    manager's last view of the period today in this process (`_GUESSES`) are sent, and their
    results used only if the statements made from the members read beside them are the very
    same (neither they nor the team are made again when the team's and members' rows are the
    very rows of that view); otherwise (a member joined, left or changed their consent; a
    first view) those follow in a round trip of their own, as before. The access log's row is
    sent likewise for the set of people that last view showed (inserted only for a manager of
    the team, in the transaction of the reads); a view that shows another set points it at
    that set (`AccessEvent.record_view`). The page's content is a pure function of what the
    reads read, so the content of the last few sets of reads is kept in this process
    (`_PAGES`): a repeat view with nothing changed renders only the frame around it. Whatever
    changes (a share revoked, a consent, a member, an entry's analysis, a week recorded)
    changes the reads, hence the key."""
    viewer = request.user
    period = _period(request)
    simple = settings.TEAM_COUNT_REQUIRES == "none"  # else figures read members by the ORM
    now = timezone.now()
    today = now.date()
    also = [sql.shared_statement(pk, now)]
    check = [sql.team_for_manager_statement(pk, viewer.pk)] + (
        [sql.member_rows_statement(pk, viewer.pk)] if simple else []
    )
    # Only where the guess saves a round trip: elsewhere statements run one by one.
    guessing = simple and sql.together()
    guess = _GUESSES.values.get((pk, viewer.pk, period, today)) if guessing else None
    logging = [AccessEvent.logged_statement(
        viewer, pk, AccessEvent.What.TEAM_SUMMARY, guess.people, now
    )] if guess is not None and guess.people is not None else []
    results = sql.batch(
        check + guess.plan.statements + also + logging if guess is not None else check
    )
    same = guess is not None and guess.check == results[:len(check)]
    if same:  # the very rows of the guessed view's access check: its team, its plan
        team, plan = guess.team, guess.plan.seen_as(viewer, viewer)
    else:
        team = sql.team_from(results[0])
        if team is None:
            raise Http404("No team of yours.")
        plan = figures.plan_reads(team, period, today, viewer, viewer, figures.counted_members(
            team, sql.member_rows_from(results[1]) if simple else None
        ))
    if same or guess is not None and guess.plan.statements == plan.statements:
        reads, (shared_rows,) = plan.reads(results[len(check):len(results) - len(logging)])
    else:
        reads, (shared_rows,) = plan.reads(sql.batch(plan.statements + also))
    key = (team.pk, team.name, team.threshold, _team_paired_key(team), reads.key(),
           tuple(shared_rows), get_language(), timezone.get_current_timezone_name(),
           get_script_prefix())
    page = _PAGES.values.get(key)
    if page is None:
        summary = figures.compute(reads)
        page = _SummaryPage(
            body=render_to_string("teams/summary.html#body", _summary_context(
                team, summary, period, sql.shared_from(shared_rows)
            )),
            people_set=AccessEvent.people_set(summary.counted_ids,
                                              [m.user_id for m in summary.named]),
        )
        if not summary.recorded:  # a view that recorded weeks reads differently next time
            _PAGES.put(key, page)
    digest, people, _ = page.people_set
    if guessing and _member_rows_simple(results[1]):
        _GUESSES.put((pk, viewer.pk, period, today),
                     _Guess(results[:len(check)], team, plan, digest if people else None))
    logged = results[-1][0][0] if logging and results[-1] else None
    if logged is None or digest != guess.people:
        AccessEvent.record_view(viewer, team, AccessEvent.What.TEAM_SUMMARY,
                                people_set=page.people_set, logged=logged)
    return render(request, "teams/summary.html", {"team": team, "body": page.body, "nav": "teams"})


@dataclass(frozen=True, slots=True)
class _Guess:
    """A manager's last summary view of a period today (`_GUESSES`): the rows of its access
    check (the team's and its members'), the team read from them (nothing on this page
    changes it: a view of the very same rows uses it again), its figures' statements (a pure
    function of those rows, the period and the day), and the digest of the set of people it
    showed (None: nobody)."""

    check: list[list[tuple]]
    team: Team
    plan: figures.Plan
    people: str | None


def _member_rows_simple(rows: list[tuple]) -> bool:
    """Whether the members were counted from these rows alone (no invitation asked anything
    of them: `figures._member_rows`), so that the next view's guess can be checked by them."""
    return all(row[0] == CountRequirement.NONE for row in rows)


@dataclass(frozen=True, slots=True)
class _SummaryPage:
    body: str  # the content block's HTML
    people_set: tuple  # whom it showed, for the access log (AccessEvent.people_set)


def _team_paired_key(team: Team) -> tuple | None:
    """What the page prints of the team's paired reflection besides its figures."""
    paired = figures._paired_of(team)
    if paired is None:
        return None
    return (paired.pk, paired.starts_on, paired.weeks, paired.manager_prompt_id,
            paired.member_prompt_id, paired.manager_prompt.text, paired.member_prompt.text)


def _summary_context(team: Team, summary: figures.TeamSummary, period: str, shared: list) -> dict:
    total, previous = summary.total, summary.previous
    here = reverse("team_summary", args=[team.pk])
    return {
        "team": team,
        "summary": summary,
        # The period links and the named members' links, written here (escaped) rather than
        # by template loops reversing a URL per link.
        "period_links": mark_safe("".join(
            f'<a href="{here}?period={key}"'
            f'{" aria-current=\"page\"" if key == period else ""}>{escape(label)}</a>'
            for key, (label, _) in figures.PERIODS.items()
        )),
        "named_links": _named_links(team.pk, summary.named, period),
        "shared": shared,
        "readings_html": _HTML.get(
            ("readings", _scores_key(total.scores), _scores_key(previous.scores), period,
             previous.shown),
            lambda: _readings_html(wording.readings(
                total.scores, previous.scores, figures.PREVIOUS[period], previous.shown
            )),
        ) if total.shown else "",
        "notice": not total.shown or summary.withheld,
        "paired_html": _HTML.get(_paired_key(summary.paired), lambda: _paired_html(summary.paired)),
        **_table_context(summary.weeks),
    }


# HTML of recent readings and paired tables, by the figures they print.
_HTML = _Kept(512)


def _scores_key(scores: dict[str, float | None] | None) -> tuple | None:
    return None if scores is None else tuple(scores.get(key) for key in REGISTRY)


def _paired_key(paired: figures.Paired | None) -> tuple:
    """What _paired_html prints of a paired reflection."""
    if paired is None:
        return ("paired",)
    team = paired.team.scores if paired.team is not None and paired.team.shown else None
    return ("paired", paired.closed, paired.ends_on, _scores_key(paired.own.scores),
            _scores_key(team))


def _readings_html(readings: list[wording.Reading]) -> str:
    """A figure's readings, one per dimension, as the template's loop wrote them (seven
    items of four escaped texts: built here in one pass)."""
    items = "".join(
        f'<div><dt>{escape(r.name)}</dt>\n<dd>{escape(capfirst(r.lean))}.'
        f'{" " + escape(r.change) if r.change else ""}\n'
        f'<span class="idea">The article: {escape(r.idea)}</span></dd></div>\n'
        for r in readings
    )
    return mark_safe(f'<dl class="readings">\n{items}</dl>')


def _paired_html(paired: figures.Paired | None) -> str:
    """The paired reflection's table rows: each dimension, the manager's own figure and the
    team's (or why not), escaped."""
    if paired is None:
        return ""
    rows = []
    until = escape(date_format(paired.ends_on, "j M"))
    for row in _paired_rows(paired):
        if not paired.closed:
            team = f"open until {until}"
        elif row["team"]:
            team = escape(row["team"].short)
        else:
            team = "Withheld"
        rows.append(f'<tr><th scope="row">{escape(row["own"].name)}</th>'
                    f'<td>{escape(row["own"].short)}</td>\n<td>{team}</td></tr>')
    return mark_safe("\n".join(rows))


def _named_links(team_pk: int, named: list[figures.Named], period: str) -> str:
    """The named summaries' list items, each name escaped."""
    if not named:
        return ""
    first = reverse("team_named", args=[team_pk, named[0].user_id])
    # Every link is this one's path with the member's id in place of the first's.
    prefix = first[: first.rindex(str(named[0].user_id))]
    return mark_safe("".join(
        f'<li><a href="{prefix}{member.user_id}/?period={period}">{escape(member.name)}</a></li>'
        for member in named
    ))


def _paired_rows(paired: figures.Paired | None) -> list[dict]:
    if paired is None:
        return []
    team = paired.team.scores if paired.team is not None and paired.team.shown else None
    mine = wording.readings(paired.own.scores)
    theirs = wording.readings(team) if team is not None else [None] * len(mine)
    return [{"own": own, "team": other} for own, other in zip(mine, theirs, strict=True)]


def named_summary(request: HttpRequest, pk: int, user_pk: int) -> HttpResponse:
    team = _get_team_for_manager(request, pk)
    member = get_object_or_404(
        team.consenting_members().select_related("user").filter(level=ConsentReceipt.Level.NAMED),
        user_id=user_pk,
    )
    period = _period(request)
    trend = figures.member_trend(team, member.user_id, member.user.name, period)
    AccessEvent.record(request.user, team, AccessEvent.What.NAMED_SUMMARY, [member.user_id])
    ctx = {
        "team": team, "trend": trend, "period": period, **_table_context(trend.weeks),
        "readings_html": _readings_html(wording.readings(trend.total.scores)),
        "period_label": figures.PERIODS[period][0],
        "periods": [(key, label) for key, (label, _) in figures.PERIODS.items()],
        "nav": "teams",
    }
    return render(request, "teams/named.html", ctx)


def shared_entry(request: HttpRequest, pk: int, shared_pk: int) -> HttpResponse:
    """The one page where a manager reads a member's words: an entry shared with them."""
    team = _get_team_for_manager(request, pk)
    shared = get_object_or_404(
        SharedEntry.objects.visible_to_managers()
        .filter(team=team, version=F("entry__version"))
        .select_related("entry__prompt", "shared_by"),
        pk=shared_pk,
    )
    AccessEvent.record(
        request.user, team, AccessEvent.What.SHARED_ENTRY, [shared.shared_by_id], shared.pk
    )
    ctx = {"team": team, "shared": shared, "entry": shared.entry,
           "html": render_markdown(shared.entry.body), "nav": "teams"}
    return render(request, "teams/shared_entry.html", ctx)


# The member's side: Sharing ---------------------------------------------------------------


def _sharing_context(user) -> dict:
    receipts = Prefetch(
        "team__consent_receipts",
        queryset=ConsentReceipt.objects.filter(member=user),
        to_attr="my_receipts",
    )
    managers = Prefetch(
        "team__memberships",
        queryset=Membership.objects.filter(role=Membership.Role.MANAGER).select_related("user"),
        to_attr="managers",
    )
    changes = Prefetch("team__threshold_changes", to_attr="changes")
    memberships = list(
        Membership.objects.filter(user=user)
        .select_related("team")
        .prefetch_related(receipts, managers, changes)
        .annotate(
            verified=counts_in_teams(requirement="verified"),
            sso=counts_in_teams(requirement="sso"),
        )
    )
    for membership in memberships:
        mine = membership.team.my_receipts
        membership.level = mine[0].level if mine else ConsentReceipt.Level.NONE
        membership.form = ConsentForm(initial={"level": membership.level})
        membership.missing = membership.missing_to_count(membership.verified, membership.sso)
    shared = (
        SharedEntry.objects.filter(shared_by=user)
        .select_related("team", "entry__prompt")
        .defer("entry__body")
    )
    return {
        "memberships": memberships,
        "shared": shared,
        "events": AccessEvent.objects.about(user).select_related("team")[:200],
        "recent": Entry.objects.for_user(user).live().defer("body").select_related("prompt")[:10],
        "nav": "sharing",
    }


def sharing(request: HttpRequest) -> HttpResponse:
    return render(request, "teams/sharing.html", _sharing_context(request.user))


@require_POST
def consent(request: HttpRequest, team_pk: int) -> HttpResponse:
    membership = _get_membership(request, team_pk)
    form = ConsentForm(request.POST)
    if membership.is_manager:
        messages.error(request, "A manager's own writing is never counted in the team's figures.")
    elif form.is_valid():
        level = form.cleaned_data["level"]
        if ConsentReceipt.current(request.user, membership.team) != level:
            ConsentReceipt.objects.create(member=request.user, team=membership.team, level=level)
        label = ConsentReceipt.Level(level).label
        messages.success(
            request, f"Saved: {label.lower()}. It applies from now on, to past weeks too."
        )
    return redirect(reverse("sharing") + f"#team-{membership.team_id}")


def manager_view_preview(request: HttpRequest, team_pk: int) -> HttpResponse:
    """Exactly what this team's managers see of me: nothing is recorded, nothing more shown."""
    membership = _get_membership(request, team_pk)
    team = membership.team
    level = ConsentReceipt.current(request.user, team)
    period = _period(request)
    trend = None
    if not membership.is_manager and level == ConsentReceipt.Level.NAMED:
        trend = figures.member_trend(team, request.user.pk, request.user.name, period)
    shared = []
    if not membership.is_manager:
        shared = sql.shared_for_managers(team.pk, timezone.now(), request.user.pk)
    ctx = {
        "team": team, "membership": membership, "level": level, "trend": trend,
        **_table_context(trend.weeks if trend else []), "shared": shared, "period": period,
        "readings_html": _readings_html(wording.readings(trend.total.scores)) if trend else "",
        "period_label": figures.PERIODS[period][0],
        "periods": [(key, label) for key, (label, _) in figures.PERIODS.items()],
        "nav": "sharing",
    }
    return render(request, "teams/preview.html", ctx)


def share_entry(request: HttpRequest, entry_pk: int) -> HttpResponse:
    """Choose a team, read exactly what its managers will see, then confirm."""
    entry = get_object_or_404(
        Entry.objects.for_user(request.user).live().select_related("prompt"), pk=entry_pk
    )
    data = request.POST if request.method == "POST" else None
    if data is None and "team" in request.GET:
        data = request.GET
    form = ShareForm(data, user=request.user)
    if request.method == "POST" and form.is_valid() and request.POST.get("confirm") == "yes":
        SharedEntry.objects.create(
            entry=entry, team=form.cleaned_data["team"], shared_by=request.user,
            version=entry.version, expires_at=form.expires_at(),
        )
        messages.success(request, "Shared. You can revoke it at any time on this page.")
        return redirect("sharing")
    previewing = data is not None and form.is_valid()
    ctx = {"entry": entry, "form": form, "previewing": previewing, "nav": "sharing"}
    if previewing:
        team = form.cleaned_data["team"]
        # The very partial the managers' page renders, with the share as it would be saved.
        preview = SharedEntry(
            entry=entry, team=team, shared_by=request.user, version=entry.version,
            expires_at=form.expires_at(),
        )
        ctx.update(team=team, shared=preview, html=render_markdown(entry.body))
    return render(request, "teams/share.html", ctx)


@require_POST
def shared_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    shared = get_object_or_404(SharedEntry, pk=pk, shared_by=request.user)
    if shared.revoked_at is None:
        shared.revoked_at = timezone.now()
        shared.save(update_fields=["revoked_at"])
    messages.success(request, "Revoked. The managers can no longer open it.")
    return redirect("sharing")


# Weekly email -------------------------------------------------------------------------------


@login_not_required
def summary_unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """From the weekly email, signed in or not: a button, so link scanners unsubscribe no one."""
    try:
        membership_pk = signing.loads(token, salt=links.UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        raise Http404 from None
    membership = get_object_or_404(
        Membership.objects.select_related("team"), pk=membership_pk, role=Membership.Role.MANAGER
    )
    done = False
    if request.method == "POST":
        Membership.objects.filter(pk=membership.pk).update(summary_email=False)
        done = True
    ctx = {"membership": membership, "done": done, "token": token}
    return render(request, "teams/unsubscribe.html", ctx)
