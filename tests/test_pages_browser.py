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
from django.urls import get_resolver, reverse

from tests.browser_support import axe_violations, describe, screenshot
from tests.conftest import ensure_article_prompts, log_in
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
    "image_attach": "POST only (the entry page's image form)",
    "image_delete": "POST only (a button under an image on the entry page)",
    "image_file": "an image file, not a page (tests/test_journal_images.py)",
    "team_create": "POST only (a form on the teams page)",
    "team_invite": "POST only (a form on the team page)",
    "team_leave": "POST only (a button on the team page)",
    "team_threshold": "POST only (a form on the team page)",
    "team_prompt_new": "POST only (a form on the team page)",
    "team_paired": "POST only (a form on the team page)",
    "team_email": "POST only (a form on the team page)",
    "team_invitation_withdraw": "POST only (a button on the team page)",
    "team_member_promote": "POST only (a button on the team page)",
    "sharing_consent": "POST only (a form on the sharing page)",
    "shared_revoke": "POST only (a button on the sharing page)",
    # Not HTML.
    "session_status": "JSON for the open editor",
    "trends_csv": "a CSV download",
    "export_download": "a file download (JSON, zip, CSV)",
    "manifest": "the web app manifest, JSON (tests/test_pwa.py)",
    "service_worker": "the service worker's script (tests/test_pwa_browser.py)",
    "entry_offline": "the editor of entry_new (visited), kept for offline use; axe-checked "
    "offline in tests/test_pwa_browser.py",
    # A GET with nothing waiting redirects to the editor (entry_new, visited); with text
    # waiting it renders the editor itself (the same template as entry_new).
    "entry_resume": "redirects to entry_new, or renders the same editor",
    # allauth's own names for the short names visited here (the same view and address).
    "account_login": "the same page as login (visited)",
    "account_logout": "the same view as logout (POST only)",
    "account_signup": "the same page as signup (visited)",
    "account_change_password": "the same page as password_change (visited)",
    "account_reset_password": "the same page as password_reset (visited)",
    "account_reset_password_done": "the same page as password_reset_done (visited)",
    # Steps that only exist in the middle of a flow (a pending login, a code just sent, a
    # second factor being set up or asked for); they redirect when opened on their own.
    "account_confirm_login_code": "login by emailed code: only after a code was requested",
    "account_request_reauthentication_code": "reauthentication by code: only mid-flow",
    "account_confirm_reauthentication_code": "reauthentication by code: only mid-flow",
    "account_set_password": "only for an account without a password (SSO); redirects otherwise",
    "mfa_authenticate": "the second step of a login with MFA: only mid-login",
    "mfa_reauthenticate": "asked for by a sensitive action of an account with MFA",
    "mfa_reauthenticate_webauthn": "asked for by a sensitive action of an account with a passkey",
    "mfa_login_webauthn": "passkey login: JSON for the browser's WebAuthn call",
    "mfa_deactivate_totp": "only with TOTP set up (tests/test_accounts_mfa.py)",
    "mfa_generate_recovery_codes": "only with a second factor set up",
    "mfa_view_recovery_codes": "only with a second factor set up",
    "mfa_download_recovery_codes": "a text file download",
    "mfa_edit_webauthn": "only with a passkey registered",
    "mfa_remove_webauthn": "only with a passkey registered",
    "socialaccount_signup": "only mid single-sign-on, with a pending social login",
    # Single sign-on hands over to the organisation's identity provider (another site).
    "openid_connect_login": "a redirect to the identity provider",
    "openid_connect_callback": "the identity provider's redirect back",
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
    pending: object
    reset_path: str
    confirm_key: str
    reminder_token: str
    week: str


# (url name, who visits, how to build the URL). A name may be visited by several people.
Page = tuple[str, str, Callable[[World], str]]
PAGES: list[Page] = [
    ("landing", "anonymous", lambda w: reverse("landing")),
    ("login", "anonymous", lambda w: reverse("login")),
    ("signup", "anonymous", lambda w: reverse("signup")),
    ("account_email_verification_sent", "anonymous",
     lambda w: reverse("account_email_verification_sent")),
    ("account_confirm_email", "anonymous",
     lambda w: reverse("account_confirm_email", args=[w.confirm_key])),
    ("account_inactive", "anonymous", lambda w: reverse("account_inactive")),
    ("password_reset", "anonymous", lambda w: reverse("password_reset")),
    ("password_reset_done", "anonymous", lambda w: reverse("password_reset_done")),
    ("account_reset_password_from_key", "anonymous", lambda w: w.reset_path),
    ("account_reset_password_from_key_done", "anonymous",
     lambda w: reverse("account_reset_password_from_key_done")),
    ("socialaccount_login_cancelled", "anonymous",
     lambda w: reverse("socialaccount_login_cancelled")),
    ("socialaccount_login_error", "anonymous", lambda w: reverse("socialaccount_login_error")),
    ("how_reading_works", "anonymous", lambda w: reverse("how_reading_works")),
    ("reminder_link", "anonymous", lambda w: reverse("reminder_link", args=[w.reminder_token])),
    ("team_unsubscribe", "anonymous", lambda w: _unsubscribe_url(w.manager_membership)),
    # The journaler.
    ("home", "alice", lambda w: reverse("home")),
    ("entry_new", "alice", lambda w: reverse("entry_new")),
    ("entry", "alice", lambda w: reverse("entry", args=[w.entry.pk])),
    ("entry_counted", "alice", lambda w: reverse("entry_counted", args=[w.entry.pk])),
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
    ("account_email", "alice", lambda w: reverse("account_email")),
    ("account_reauthenticate", "alice", lambda w: reverse("account_reauthenticate")),
    ("mfa_index", "alice", lambda w: reverse("mfa_index")),
    ("mfa_activate_totp", "alice", lambda w: reverse("mfa_activate_totp")),
    ("mfa_add_webauthn", "alice", lambda w: reverse("mfa_add_webauthn")),
    ("mfa_list_webauthn", "alice", lambda w: reverse("mfa_list_webauthn")),
    ("usersessions_list", "alice", lambda w: reverse("usersessions_list")),
    ("socialaccount_connections", "alice", lambda w: reverse("socialaccount_connections")),
    ("reminders", "alice", lambda w: reverse("reminders")),
    ("export", "alice", lambda w: reverse("export")),
    ("import", "alice", lambda w: reverse("import")),
    ("import_check", "alice",
     lambda w: reverse("import_check", args=[str(w.pending.public_id)])),
    ("import_status", "alice", lambda w: reverse("import_status", args=[str(w.job.public_id)])),
    ("account_delete", "alice", lambda w: reverse("account_delete")),
    # The manager.
    ("teams", "bob", lambda w: reverse("teams")),
    ("team", "bob", lambda w: reverse("team", args=[w.team.pk])),
    ("team_summary", "bob", lambda w: reverse("team_summary", args=[w.team.pk])),
    ("team_named", "bob", lambda w: reverse("team_named", args=[w.team.pk, w.amara.pk])),
    ("team_member_remove", "bob",
     lambda w: reverse("team_member_remove", args=[w.team.pk, w.amara.pk])),
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
    from allauth.account.forms import default_token_generator
    from allauth.account.models import EmailAddress, EmailConfirmationHMAC
    from allauth.account.utils import user_pk_to_url_str

    from reflect.background.models import ImportJob
    from reflect.journal.management.commands.seed_demo import Command as SeedDemo
    from reflect.journal.models import Entry, PendingImport, Prompt
    from reflect.reminders.links import link_token
    from reflect.teams.demo import create_demo_team
    from reflect.teams.models import ConsentReceipt, Invitation, Membership, SharedEntry

    ensure_article_prompts()  # an earlier transactional test may have emptied the table
    SeedDemo()._write_demo_journal(alice, 365, 2026)
    team = create_demo_team(bob, io.StringIO())
    Membership.objects.create(team=team, user=alice)
    ConsentReceipt.objects.create(member=alice, team=team, level=ConsentReceipt.Level.NAMED)
    live = Entry.objects.filter(author=alice, is_draft=False, deleted_at=None)
    entry = live.filter(word_count__gte=40).order_by("-written_on").first()
    prompt = Prompt.objects.filter(entries__in=live).order_by("pk").first()
    last_monday = alice.today() - timedelta(days=alice.today().weekday() + 7)
    address, _ = EmailAddress.objects.get_or_create(
        user=charlie, email=charlie.email, defaults={"primary": True, "verified": False}
    )
    reset = reverse("account_reset_password_from_key", kwargs={
        "uidb36": user_pk_to_url_str(charlie), "key": default_token_generator.make_token(charlie),
    })
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
        pending=PendingImport.objects.create(
            owner=alice, source="Day One", data='{"entries": []}', count=3,
            first_day=alice.today() - timedelta(days=30), last_day=alice.today(),
            skipped=["Day One entry 3 (2026-01-04): it has no text"],
        ),
        reset_path=reset,
        confirm_key=EmailConfirmationHMAC(address).key,
        reminder_token=link_token(alice, "pause"),
        week=last_monday.isoformat(),
    )


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
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
