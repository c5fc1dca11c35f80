"""Large imports on the worker: a file over one request's limits is kept for its owner and
imported in the background in parts, with progress on its own page (404 for anyone else).
The part size is lowered to 4 entries here so that small files exercise several parts."""

import json

import pytest
from django.urls import reverse

from reflect.background.models import ImportJob
from reflect.journal import portability
from reflect.journal.models import Entry
from tests.test_journal_export import _valid_export, upload
from tests.test_tasks import db_tasks, run_worker  # noqa: F401 (fixture)

HX = {"HX-Request": "true"}


@pytest.fixture
def small_parts(monkeypatch):
    monkeypatch.setattr(portability, "IMPORT_MAX_ENTRIES", 4)


def _file(n: int, changes=lambda i: {}) -> str:
    data = _valid_export()
    base = data["entries"][0]
    data["entries"] = [
        {**base, "uuid": f"00000000-0000-4000-8000-{i:012d}", "body": f"Day {i}.", **changes(i)}
        for i in range(n)
    ]
    return json.dumps(data)


def _start(client, text: str):
    response = client.post(reverse("import"), upload(text))
    assert response.status_code == 302, response.content[:500]
    response = client.post(response["Location"])  # confirm the preview
    assert response.status_code == 302, response.content[:500]
    return response["Location"]


def test_it_imports_a_large_file_in_the_background_with_progress(
    db_tasks, small_parts, alice, alice_client  # noqa: F811
):
    status_url = _start(alice_client, _file(10))
    job = ImportJob.objects.get(owner=alice)
    assert status_url == reverse("import_status", args=[job.public_id])
    assert not Entry.objects.exists()  # queued: nothing imported inside the request
    page = alice_client.get(status_url).content.decode()
    assert "0 of 10 entries" in page and 'hx-trigger="every 2s"' in page and "Refresh" in page
    fragment = alice_client.get(status_url, headers=HX).content.decode()
    assert "<html" not in fragment and 'id="import-progress"' in fragment
    run_worker()
    assert Entry.objects.filter(author=alice).count() == 10
    job.refresh_from_db()
    assert (job.status, job.created, job.done, job.data) == ("done", 10, 10, "")
    done = alice_client.get(status_url, headers=HX).content.decode()
    assert "Imported 10 entries." in done and "hx-trigger" not in done
    # Importing the same file again adds nothing.
    again = _start(alice_client, _file(10))
    run_worker()
    assert "10 were already in your journal" in alice_client.get(again).content.decode()
    assert Entry.objects.count() == 10


def test_it_shows_an_import_to_its_owner_only(
    db_tasks, small_parts, alice_client, charlie_client, client  # noqa: F811
):
    status_url = _start(alice_client, _file(6))
    assert charlie_client.get(status_url).status_code == 404
    assert charlie_client.get(status_url, headers=HX).status_code == 404
    assert client.get(status_url).status_code == 302  # to the login page


def test_it_imports_nothing_when_any_part_is_wrong_and_names_the_entry(
    db_tasks, small_parts, alice, alice_client  # noqa: F811
):
    bad = _file(10, changes=lambda i: {"version": -1} if i == 8 else {})
    status_url = _start(alice_client, bad)
    run_worker()
    assert not Entry.objects.exists()
    job = ImportJob.objects.get(owner=alice)
    assert job.status == "failed" and job.data == ""
    page = alice_client.get(status_url).content.decode()
    assert "Entry 9: version is not a whole number" in page and "Nothing was imported." in page


def test_it_refuses_a_file_over_the_background_cap(
    db_tasks, small_parts, monkeypatch, alice_client  # noqa: F811
):
    monkeypatch.setattr(portability, "BACKGROUND_IMPORT_MAX_ENTRIES", 8)
    response = alice_client.post(reverse("import"), upload(_file(9)))
    assert response.status_code == 400
    assert "This file has 9 entries; one import takes at most 8." in response.content.decode()
    assert not ImportJob.objects.exists()


def test_it_keeps_the_request_limit_without_a_worker(small_parts, alice_client):
    # In-process tasks (development): a large file would be imported inside the request.
    response = alice_client.post(reverse("import"), upload(_file(5)))
    assert response.status_code == 400
    assert "one import takes at most 4" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_it_answers_a_malformed_import_id_with_404(alice_client):
    assert alice_client.get("/account/import/not-a-uuid/").status_code == 404
