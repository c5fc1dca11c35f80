"""Every page a journaler, a manager and a visitor can reach, in a real Chromium at 1280x800 and
390x844, with realistic data (a year of alice's writing, bob's team of consenting members):
axe-core finds no serious or critical WCAG 2.0-2.2 A/AA problem, and each page is saved as a
screenshot in tests/screenshots/ (`make screenshots`; `PAGES=entry,journal make screenshots`
looks at a few pages only).

Every GET URL pattern is either visited (PAGES) or named in NOT_PAGES with the reason, so a page
added later is checked too: test_it_visits_every_page_or_says_why_not names any it does not know.
"""

import io
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.urls import get_resolver, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from tests.browser_support import axe_violations, describe, screenshot
from tests.conftest import log_in
from tests.test_access import _patterns

VIEWPORTS = {"desktop": (1280, 800), "phone": (390, 844)}

# URL patterns that are not pages a person lands on, each with the reason.
NOT_PAGES = {
    # Buttons and forms on other pages: POST only (a GET is 405), then a redirect to a page here.
    "logout": "POST only (the header's Log out button)",
    "report_highlight": "POST only (the entry page's report control)",
    "prompt_hide": "POST only (a button on the prompts page)",
    "prompt_show": "POST only (a button on the prompts page)",
    "entry_save": "POST only (the editor's Save)",
    "entry_autosave": "POST only (the editor's autosave, JSON)",
    "entry_preview": "POST only (the editor's preview fragment)",
    "entry_delete": "POST only (a button on the entry page)",
    "entry_restore": "POST only (a button in the trash)",
    "revision_restore": "POST only (a button on the revisions page)",
    "team_create": "POST only (a form on the teams page)",
    "team_invite": "POST only (a form on the team page)",
    "team_leave": "POST only (a button on the team page)",
    "team_threshold": "POST only (a form on the team page)",
    "team_prompt_new": "POST only (a form on the team page)",
    "team_paired": "POST only (a form on the team page)",
    "team_email": "POST only (a form on the team page)",
    "team_member_remove": "POST only (a button on the team page)",
    "team_member_promote": "POST only (a button on the team page)",
    "sharing_consent": "POST only (a form on the sharing page)",
    "shared_revoke": "POST only (a button on the sharing page)",
    # Not HTML.
    "session_status": "JSON for the open editor",
    "trends_csv": "a CSV download",
    "export_download": "a file download (JSON, zip, CSV)",
    # A GET with nothing waiting redirects to the editor (entry_new, visited); with text
    # waiting it renders the editor itself (the same template as entry_new).
    "entry_resume": "redirects to entry_new, or renders the same editor",
}


@dataclass
class World:
    """The people and objects the pages are about."""

    alice: object
    bob: object
    charlie: object
    entry: object
    revised: object
    prompt: object
    team: object
    amara: object
    shared: object
    invitation: object
    job: object
    manager_membership: object
    signup_token: str
    week: str


# (url name, who visits, how to build the URL). A name may be visited by several people.
Page = tuple[str, str, Callable[[World], str]]
PAGES: list[Page] = [
    ("landing", "anonymous", lambda w: reverse("landing")),
    ("login", "anonymous", lambda w: reverse("login")),
    ("signup", "anonymous", lambda w: reverse("signup")),
    ("signup_sent", "anonymous", lambda w: reverse("signup_sent")),
    ("signup_confirm", "anonymous", lambda w: reverse("signup_confirm", args=[w.signup_token])),
    ("password_reset", "anonymous", lambda w: reverse("password_reset")),
    ("password_reset_done", "anonymous", lambda w: reverse("password_reset_done")),
    ("password_reset_confirm", "anonymous", lambda w: reverse("password_reset_confirm", args=[
        urlsafe_base64_encode(force_bytes(w.charlie.pk)),
        default_token_generator.make_token(w.charlie),
    ])),
    ("password_reset_complete", "anonymous", lambda w: reverse("password_reset_complete")),
    ("team_unsubscribe", "anonymous", lambda w: _unsubscribe_url(w.manager_membership)),
    # The journaler.
    ("home", "alice", lambda w: reverse("home")),
    ("entry_new", "alice", lambda w: reverse("entry_new")),
    ("entry", "alice", lambda w: reverse("entry", args=[w.entry.pk])),
    ("entry_edit", "alice", lambda w: reverse("entry_edit", args=[w.entry.pk])),
    ("revisions", "alice", lambda w: reverse("revisions", args=[w.revised.pk])),
    ("journal", "alice", lambda w: reverse("journal")),
    ("search", "alice", lambda w: reverse("search") + "?q=team"),
    ("calendar", "alice", lambda w: reverse("calendar")),
    ("on_this_day", "alice", lambda w: reverse("on_this_day")),
    ("prompts", "alice", lambda w: reverse("prompts")),
    ("then_and_now", "alice", lambda w: reverse("then_and_now", args=[w.prompt.pk])),
    ("trash", "alice", lambda w: reverse("trash")),
    ("trends", "alice", lambda w: reverse("trends")),
    ("trends_period", "alice", lambda w: reverse("trends_period", args=["week", w.week])),
    ("trends_numbers", "alice", lambda w: reverse("trends_numbers") + "?dimension=tone"),
    ("sharing", "alice", lambda w: reverse("sharing")),
    ("sharing_preview", "alice", lambda w: reverse("sharing_preview", args=[w.team.pk])),
    ("share_entry", "alice", lambda w: reverse("share_entry", args=[w.entry.pk])),
    ("teams", "alice", lambda w: reverse("teams")),
    ("team", "alice", lambda w: reverse("team", args=[w.team.pk])),
    ("profile", "alice", lambda w: reverse("profile")),
    ("password_change", "alice", lambda w: reverse("password_change")),
    ("password_change_done", "alice", lambda w: reverse("password_change_done")),
    ("export", "alice", lambda w: reverse("export")),
    ("import", "alice", lambda w: reverse("import")),
    ("import_status", "alice", lambda w: reverse("import_status", args=[str(w.job.public_id)])),
    ("account_delete", "alice", lambda w: reverse("account_delete")),
    # The manager.
    ("teams", "bob", lambda w: reverse("teams")),
    ("team", "bob", lambda w: reverse("team", args=[w.team.pk])),
    ("team_summary", "bob", lambda w: reverse("team_summary", args=[w.team.pk])),
    ("team_named", "bob", lambda w: reverse("team_named", args=[w.team.pk, w.amara.pk])),
    ("team_shared_entry", "bob",
     lambda w: reverse("team_shared_entry", args=[w.team.pk, w.shared.pk])),
    # Someone invited.
    ("team_join", "charlie", lambda w: reverse("team_join", args=[w.invitation.token])),
]
# Pages that are not URL patterns of their own.
EXTRA: list[Page] = [
    ("not_found", "alice", lambda w: "/entries/987654321/"),
]
PEOPLE = ("anonymous", "alice", "bob", "charlie")


def _unsubscribe_url(membership) -> str:
    from reflect.teams.links import unsubscribe_token

    return reverse("team_unsubscribe", args=[unsubscribe_token(membership)])


def _url_names() -> set[str]:
    return {name for namespace, name, _route, _p in _patterns(get_resolver())
            if namespace != "admin"}  # the operators' Django admin: not one of our pages


def test_it_visits_every_page_or_says_why_not():
    visited = {name for name, _who, _url in PAGES}
    assert not visited & NOT_PAGES.keys(), "a page is both visited and excluded"
    unknown = _url_names() - visited - NOT_PAGES.keys()
    assert not unknown, (
        f"URL patterns neither visited nor excluded: {sorted(unknown)}. Add them to PAGES in "
        "tests/test_pages_browser.py (or to NOT_PAGES with the reason)."
    )
    assert not (visited | NOT_PAGES.keys()) - _url_names(), "a listed name no longer exists"
    assert {who for _n, who, _u in PAGES} == set(PEOPLE)


def _world(alice, bob, charlie) -> World:
    from reflect.accounts.models import request_signup
    from reflect.accounts.views import _signup_link
    from reflect.background.models import ImportJob
    from reflect.journal.management.commands.seed_demo import Command as SeedDemo
    from reflect.journal.models import Entry, Prompt
    from reflect.teams.demo import create_demo_team
    from reflect.teams.models import ConsentReceipt, Invitation, Membership, SharedEntry

    SeedDemo()._write_demo_journal(alice, 365, 2026)
    team = create_demo_team(bob, io.StringIO())
    Membership.objects.create(team=team, user=alice)
    ConsentReceipt.objects.create(member=alice, team=team, level=ConsentReceipt.Level.NAMED)
    live = Entry.objects.filter(author=alice, is_draft=False, deleted_at=None)
    entry = live.filter(word_count__gte=40).order_by("-written_on").first()
    prompt = Prompt.objects.filter(entries__in=live).order_by("pk").first()
    pending = request_signup("dana@example.com", "a-long-passphrase-99", "Dana", "UTC")
    last_monday = alice.today() - timedelta(days=alice.today().weekday() + 7)
    return World(
        alice=alice, bob=bob, charlie=charlie, entry=entry,
        revised=live.filter(version__gt=1).first() or entry,
        prompt=prompt, team=team,
        amara=team.memberships.get(user__display_name="Amara").user,
        shared=SharedEntry.objects.filter(team=team).first(),
        invitation=Invitation.objects.create(team=team, created_by=bob),
        job=ImportJob.objects.create(owner=alice, status=ImportJob.Status.DONE, total=3, done=3,
                                     created=3),
        manager_membership=Membership.objects.get(team=team, user=bob),
        signup_token=_signup_link(pending).rstrip("/").rsplit("/", 1)[-1],
        week=last_monday.isoformat(),
    )


@pytest.mark.browser
# serialized_rollback: the article's prompts (a data migration) are back for each viewport.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_it_finds_no_serious_accessibility_problem_on_any_page(
    browser, live_server, alice, bob, charlie, viewport
):
    world = _world(alice, bob, charlie)
    width, height = VIEWPORTS[viewport]
    pages = {}
    for who in PEOPLE:
        context = browser.new_context(viewport={"width": width, "height": height})
        pages[who] = context.new_page()
        if who != "anonymous":
            log_in(pages[who], live_server, getattr(world, who).email)
    problems = []
    only = set(filter(None, os.environ.get("PAGES", "").split(",")))  # PAGES=entry,home
    for name, who, url in PAGES + EXTRA:
        if only and name not in only:
            continue
        page = pages[who]
        response = page.goto(live_server.url + url(world))
        expected = 404 if name == "not_found" else 200
        if response.status != expected:
            problems.append(f"{name} as {who}: HTTP {response.status} at {page.url}")
        screenshot(page, f"{viewport}-{who}-{name}")
        violations = axe_violations(page)
        if violations:
            problems.append(f"{name} as {who} ({page.url}):\n{describe(violations)}")
    assert not problems, f"{len(problems)} pages at {width}x{height}:\n" + "\n".join(problems)
