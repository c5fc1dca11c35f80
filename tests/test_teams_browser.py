"""A team's whole privacy journey in a real Chromium: a manager invites, a member joins and
opts in, shares one entry after a preview, and reads who saw it."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from reflect.journal.models import create_entry
from reflect.teams.models import AccessEvent, ConsentReceipt, SharedEntry
from tests.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_takes_a_member_from_invitation_to_a_shared_entry(browser, live_server, alice, bob):
    secret = "The rota fight was really about trust, and I chose to say so."
    entry = create_entry(
        author=alice, body=secret, written_on=alice.today(), prompt=None, draft=False
    )

    manager = browser.new_context().new_page()
    log_in(manager, live_server, bob.email)
    manager.goto(live_server.url + reverse("teams"))
    manager.get_by_label("Team name").fill("Night shift")
    manager.get_by_role("button", name="Create team").click()
    expect(manager.get_by_role("heading", name="Night shift")).to_be_visible()
    manager.get_by_role("button", name="Create invitation").click()
    link = manager.get_by_label("Invitation link").first.input_value()

    member = browser.new_context().new_page()
    log_in(member, live_server, alice.email)
    member.goto(re.sub(r"^https?://[^/]+", live_server.url, link))
    member.get_by_role("button", name="Join Night shift").click()
    member.goto(live_server.url + reverse("sharing"))
    expect(member.get_by_text("You share nothing")).to_be_hidden()
    member.get_by_label("Named summary").check()
    member.get_by_role("button", name="Save").first.click()
    assert ConsentReceipt.objects.filter(member=alice, level="named").exists()

    # Share one entry, after seeing exactly what the managers will see.
    member.goto(live_server.url + reverse("entry", args=[entry.pk]))
    member.get_by_role("link", name="Share with my team’s managers").click()
    member.get_by_role("button", name="Preview").click()
    expect(member.locator(".preview")).to_contain_text(secret)
    assert not SharedEntry.objects.exists()
    member.get_by_role("button", name="Share it with Night shift’s managers").click()
    assert SharedEntry.objects.filter(entry=entry).exists()

    # The manager sees figures only above the threshold, and the shared entry's text.
    manager.goto(live_server.url + reverse("teams"))
    manager.get_by_role("link", name="Night shift").first.click()
    manager.get_by_role("link", name=re.compile("summary", re.I)).first.click()
    withheld = manager.get_by_text(re.compile("withheld to protect privacy", re.I))
    expect(withheld.first).to_be_visible()
    manager.get_by_role("link", name="Free entry").click()
    expect(manager.locator("body")).to_contain_text(secret)

    # And the member reads who saw it.
    member.goto(live_server.url + reverse("sharing"))
    log = member.get_by_role("region", name="Who saw what, when")
    expect(log).to_contain_text("Bob")
    assert AccessEvent.objects.filter(subject=alice, what="shared_entry").exists()
