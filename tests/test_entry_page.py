"""The entry page's "How you framed this": at most three insights first, the rest folded away,
highlights numbered inside the rendered Markdown (merged where a phrase repeats), one report
control, and a long entry capped so that it opens quickly."""

import re

import pytest
from django.db import connection
from django.urls import reverse

from reflect.framing import analyze
from reflect.framing.dimensions import REGISTRY
from reflect.framing.explain import MAX_DRAWN, MAX_INSIGHTS
from reflect.framing.models import HighlightReport
from reflect.journal.models import Entry, EntryImage, EntryTag, Prompt, Revision, create_entry
from reflect.lib.markdown import render_markdown

SENTENCE = (
    "I had to redo the rota because they told me to, but then I decided to ask the team "
    "what if we shared it. I felt proud. "
)


def _entry(alice, body):
    return create_entry(author=alice, body=body, written_on=alice.today(), prompt=None,
                        draft=False)


def _page(client, entry) -> str:
    response = client.get(reverse("entry", args=[entry.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _body(html: str) -> str:
    return html.split('<div class="entry-body" dir="auto">')[1].split("</div>")[0]


def test_it_caps_the_highlights_of_a_long_entry_and_says_so(alice_client, alice):
    # A sentence that leans clearly one way on every scale it touches: each repeat is marked.
    chosen = "I decided to ask the team what if we shared it. I felt proud. "
    entry = _entry(alice, (chosen * 2000)[:100_000])
    html = _page(alice_client, entry)
    assert MAX_DRAWN == 300
    assert _body(html).count("<mark ") == 300
    assert re.search(r"Only the first 300 highlights are marked in the text: [\d,]+ more places "
                     r"further on are left unmarked", html)
    # Repeats share a number: the report control lists each phrase once.
    assert html.count("<option") < 20


def test_it_numbers_highlights_in_reading_order_without_gaps_or_a_cap_note(alice_client, alice):
    body = ("Had to cover the late shift again. I had no choice. They made me do it. I was "
            "forced to. Had to, again. I have to do it all again tomorrow, no choice.")
    html = _page(alice_client, _entry(alice, body))
    drawn = [int(n) for n in re.findall(r'<sup aria-hidden="true">(\d+)</sup>', _body(html))]
    # A repeated phrase keeps its number ("Had to" twice); each new phrase takes the next one.
    first = list(dict.fromkeys(drawn))
    assert first == list(range(1, len(first) + 1)) and len(first) >= 3 and len(drawn) > len(first)
    assert "left unmarked" not in html


def test_it_leads_with_at_most_three_insights_named_from_the_registry(alice_client, alice):
    entry = _entry(alice, SENTENCE + "Nobody asked me to. Next time I'll ask the quiet people "
                          "first. We grew.")
    html = _page(alice_client, entry)
    insights = html.split('<ol class="insights">')[1].split("</ol>")[0]
    names = re.findall(r"<strong>([^<]+)\.</strong>", insights)
    assert 1 <= len(names) <= MAX_INSIGHTS == 3
    assert set(names) <= {d.name for d in REGISTRY.values()}
    first = next(d for d in REGISTRY.values() if d.name == names[0])
    if not first.is_feeling:
        assert "The article: “" in insights and first.idea.replace("'", "&#x27;") in insights
    assert re.search(r"From highlights? \d", insights)
    # The rest is folded away, and works without JavaScript.
    assert '<details class="framing-more">' in html


def test_it_merges_a_repeated_phrase_into_one_numbered_highlight(alice_client, alice):
    entry = _entry(alice, "I decided to speak. Later I decided again. Then I decided to stop.")
    html = _page(alice_client, entry)
    numbers = re.findall(r'data-highlight="(\d+)"[^>]*><sup aria-hidden="true">\1</sup>decided',
                         _body(html))
    assert len(numbers) == 3 and len(set(numbers)) == 1
    listed = html.split('<ol class="highlight-list">')[1].split("</ol>")[0]
    assert listed.count("<q dir=\"auto\">decided</q>") == 1 and "×3" in listed
    once = next(
        ev.weight for ev in analyze("I decided to speak.").evidence
        if ev.text == "decided" and ev.dimension == "obligation_agency"
    )
    assert f"(weight {3 * once:.2f})" in listed  # three times one


def test_it_renders_markdown_with_the_highlights_inside(alice_client, alice):
    body = ("# The retro\n\n- I **decided** to run it\n- I chose the agenda and offered to lead\n"
            "- what if we *shared* the rota?\n\n`notes`")  # clear enough to be marked
    html = _body(_page(alice_client, _entry(alice, body)))
    assert "<h1>The retro</h1>" in html and "<ul>" in html and "# The" not in html
    assert re.search(r"<strong><mark [^>]*><sup aria-hidden=\"true\">\d+</sup>decided</mark>"
                     r"</strong>", html)
    assert "- I" not in html


def test_it_never_lets_the_text_inject_html_through_a_highlight(alice_client, alice):
    body = ('I decided "><img src=x onerror=alert(1)> to <mark class="x">lead</mark> '
            "the \U000f0001team\U000f8001 [what if](javascript:alert(1)) we <script>x</script>")
    html = _body(_page(alice_client, _entry(alice, body)))
    assert "<img" not in html and "<script" not in html and '<mark class="x">' not in html
    assert "href=\"javascript" not in html
    # The private characters highlights travel as never reach the page, nor confuse it.
    assert not re.search("[\U000f0000-\U000fffff]", html)
    assert html.count("<mark") == html.count("</mark>")


def test_it_closes_and_reopens_a_highlight_around_the_tags_it_crosses():
    from reflect.lib.markdown import Mark

    text = "I **chose** this\n\nand that"
    html = render_markdown(text, [Mark(4, 22, '<mark class="cue">', "</mark>", "<sup>1</sup>")])
    assert html == (
        '<p>I <strong><mark class="cue"><sup>1</sup>chose</mark></strong><mark class="cue"> this'
        '</mark></p>\n<p><mark class="cue">and </mark>that</p>\n'
    )


def test_it_shows_an_image_as_its_description_and_link_without_loading_it(alice_client, alice):
    body = "Our board: ![the sprint board](https://example.com/board.png) today."
    html = _body(_page(alice_client, _entry(alice, body)))
    assert "<img" not in html
    assert re.search(r'Image: <a href="https://example.com/board.png"[^>]*>the sprint board</a>',
                     html)
    assert "image not loaded: its website would learn when you read this" in html


def test_it_takes_a_report_without_javascript(alice_client, alice):
    entry = _entry(alice, "I decided to run the retro myself. I chose the questions and offered "
                          "to lead it.")
    url = reverse("report_highlight", args=[entry.pk])
    response = alice_client.post(url, {"highlight": "1"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("entry", args=[entry.pk])
    assert "highlight 1 is reported as wrong" in response.content.decode()
    assert HighlightReport.objects.filter(entry=entry).exists()


def test_it_asks_for_a_highlight_when_none_was_chosen(alice_client, alice):
    entry = _entry(alice, "I decided to run the retro myself.")
    url = reverse("report_highlight", args=[entry.pk])
    response = alice_client.post(url, {"highlight": ""}, follow=True)
    assert "Choose the highlight that is wrong first." in response.content.decode()
    response = alice_client.post(url, {}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response.content.decode().strip() == "Choose the highlight that is wrong first."
    assert not HighlightReport.objects.exists()


def test_it_reads_the_entry_page_in_a_few_queries(alice_client, alice,
                                                  django_assert_max_num_queries):
    entry = _entry(alice, (SENTENCE * 100))
    alice_client.get(reverse("entry", args=[entry.pk]))
    # session, user, the entry with its prompt, analysis and revision count, tags, images
    # (the last three in one round trip on PostgreSQL): however many highlights it has.
    with django_assert_max_num_queries(3 if connection.vendor == "postgresql" else 5):
        _page(alice_client, entry)


def test_it_links_the_earlier_versions_with_their_count(alice_client, alice):
    entry = _entry(alice, "I decided to run the retro myself.")
    assert "Earlier versions" not in _page(alice_client, entry)
    for version in (1, 2):
        Revision.objects.create(entry=entry, body="Before.", written_on=entry.written_on,
                                version=version)
    Revision.objects.create(entry=_entry(alice, "Another."), body="x",
                            written_on=entry.written_on, version=1)
    html = _page(alice_client, entry)
    assert f'<a href="{reverse("revisions", args=[entry.pk])}">Earlier versions (2)</a>' in html


def test_it_keeps_another_persons_entry_and_its_reports_closed(charlie_client, alice):
    entry = _entry(alice, "I decided to run the retro myself.")
    assert charlie_client.get(reverse("entry", args=[entry.pk])).status_code == 404
    url = reverse("report_highlight", args=[entry.pk])
    assert charlie_client.post(url, {"highlight": "1"}).status_code == 404
    assert not HighlightReport.objects.exists()


@pytest.mark.parametrize("text", ["مرحبا، قررت أن أقود الاجتماع.", "I chose."])
def test_it_lays_out_the_text_in_its_own_direction(alice_client, alice, text):
    assert 'class="entry-body" dir="auto"' in _page(alice_client, _entry(alice, text))


def test_it_reads_the_entry_its_prompt_analysis_tags_and_images_as_the_orm_does(
    alice_client, alice, bob
):
    """The page's statements written as SQL read the same values as the ORM (dates, times,
    JSON, choices), and only this person's: another's tags and images on a row that shares
    nothing with hers are never read."""
    prompt = Prompt.objects.create(text="What did you <choose>?", passage="A <passage>.")
    entry = create_entry(author=alice, body="I chose to ask. #calm", prompt=prompt,
                         written_on=alice.today(), draft=False)
    Entry.objects.filter(pk=entry.pk).update(mood=4, title="A <title>")
    Revision.objects.create(entry=entry, body="Before.", written_on=entry.written_on, version=1)
    for alt in ("second", "first"):
        EntryImage.objects.create(entry=entry, author=alice, file=f"{alt}.png",
                                  content_type="image/png", alt=alt, width=4, height=3, size=9)
    EntryTag.objects.create(entry=entry, author=alice, name="added")
    other = create_entry(author=bob, body="Bob's. #his", written_on=bob.today(), prompt=None,
                         draft=False)
    EntryImage.objects.create(entry=other, author=bob, file="b.png", content_type="image/png",
                              alt="bob", width=1, height=1, size=1)
    response = alice_client.get(reverse("entry", args=[entry.pk]))
    shown = response.context["entry"]
    read = Entry.objects.select_related("prompt", "framing").get(pk=entry.pk)
    for field in Entry._meta.concrete_fields:
        if field.name != "search_text":
            assert getattr(shown, field.attname) == getattr(read, field.attname), field.name
    for field in Prompt._meta.concrete_fields:
        assert getattr(shown.prompt, field.attname) == getattr(read.prompt, field.attname)
    for field in type(read.framing)._meta.concrete_fields:
        assert getattr(shown.framing, field.attname) == getattr(read.framing, field.attname)
    assert shown.framing.scores and isinstance(shown.framing.evidence, list)
    assert response.context["revision_count"] == 1
    assert response.context["tags"] == ["added", "calm"]
    images = response.context["images"]
    assert [(i.pk, i.alt, i.width, i.height, i.created_at) for i in images] == [
        (i.pk, i.alt, i.width, i.height, i.created_at) for i in entry.images.all()
    ]
    html = response.content.decode()
    assert "A &lt;passage&gt;." in html and "A &lt;title&gt;" in html and "bob" not in html
    assert alice_client.get(reverse("entry", args=[other.pk])).status_code == 404
    Entry.objects.filter(pk=entry.pk).update(deleted_at=entry.updated_at)
    assert alice_client.get(reverse("entry", args=[entry.pk])).status_code == 404
    Entry.objects.filter(pk=entry.pk).update(deleted_at=None, is_draft=True)
    assert alice_client.get(reverse("entry", args=[entry.pk])).status_code == 302


def test_it_reads_an_entry_without_prompt_or_analysis(alice_client, alice):
    from reflect.framing.models import Framing

    entry = _entry(alice, "I decided.")
    Framing.objects.filter(entry=entry).delete()  # as for an entry not analysed yet
    response = alice_client.get(reverse("entry", args=[entry.pk]))
    assert response.context["entry"].prompt is None
    assert response.context["framing_panel"] is None
    assert response.context["images"] == [] and response.context["tags"] == []


def test_it_lists_what_a_marked_phrase_counts_for_on_other_scales(alice_client, alice):
    """The learned layer's weighing of the rules' phrases on other scales is not stored
    (learned.carried derives it from the stored evidence); the panel still lists it, so every
    score is explained by the phrases it sums."""
    from reflect.framing import learned
    from reflect.framing.models import Framing

    entry = _entry(alice, "Had to cover the late shift again. I had no choice. They made me "
                          "do it. I was forced to. Had to, again. I have to do it all again "
                          "tomorrow, no choice.")
    stored = Framing.objects.get(entry=entry).evidence
    assert not [e for e in stored if e["rule"].startswith(learned.ACROSS_RULE)]
    assert learned.carried(stored)
    html = _page(alice_client, entry)
    assert re.search(r'<mark class="[^"]*"[^>]*><sup aria-hidden="true">\d+</sup>Had to</mark>',
                     _body(html))  # marked on its own scale...
    # ...and listed, when "Everything the analysis found" is opened (or on the page its link
    # opens), with the other scales it counts on (a rule carries it to one of them, title and
    # self-leadership; the learned layer to several more).
    url = reverse("entry_counted", args=[entry.pk])
    section = html.split("Also counted, not marked")[1].split("</details>")[0]
    assert f'hx-get="{url}"' in section and f'<a href="{url}">' in section
    listed = alice_client.get(url, headers={"HX-Request": "true"}).content.decode()
    leanings = listed.split('<q dir="auto">Had to</q>')[1].split("</li>")[0]
    assert leanings.count(", towards ") >= 3, leanings


def test_what_counts_unmarked_is_listed_when_asked_for_and_only_to_its_writer(
    alice_client, alice, bob_client, django_assert_max_num_queries
):
    """The panel's "Also counted, not marked" list (a hundred phrases and their weights on a
    long entry) is not written into every view of the entry page: opening "Everything the
    analysis found" loads it (htmx), and without JavaScript the panel's link opens it as a
    page of its own, which says what it lists and leads back. It is the entry's words: to
    anyone else, and once the entry is in the trash, it does not exist."""
    entry = _entry(alice, "Had to cover the late shift again. I had no choice. Home by ten, "
                          "tired but the ward was calm.")
    html = _page(alice_client, entry)
    assert "<q dir=" not in html.split("Also counted, not marked")[1].split("</details>")[0]
    url = reverse("entry_counted", args=[entry.pk])
    with django_assert_max_num_queries(3):  # session, user, the entry with its analysis
        part = alice_client.get(url, headers={"HX-Request": "true"})
    assert part.status_code == 200
    text = part.content.decode()
    assert text.startswith('<ul class="small counted">') and "<li><q dir=" in text
    assert "<html" not in text and '<q dir="auto">Had to</q>' in text
    page = alice_client.get(url)
    assert page.status_code == 200
    page_html = page.content.decode()
    assert "<h1>Also counted, not marked</h1>" in page_html
    assert "These count toward the leanings" in page_html
    assert f'href="{reverse("entry", args=[entry.pk])}"' in page_html
    assert text in page_html
    assert bob_client.get(url).status_code == 404
    assert bob_client.get(url, headers={"HX-Request": "true"}).status_code == 404
    Entry.objects.filter(pk=entry.pk).update(deleted_at=entry.updated_at)
    assert alice_client.get(url).status_code == 404


def test_an_entry_whose_every_phrase_is_marked_has_no_unmarked_list(alice_client, alice):
    from reflect.framing.models import Framing

    entry = _entry(alice, "Had to cover the late shift again.")
    Framing.objects.filter(entry=entry).update(evidence=[])
    html = _page(alice_client, entry)
    assert "Also counted, not marked" not in html
    listed = alice_client.get(reverse("entry_counted", args=[entry.pk]),
                              headers={"HX-Request": "true"}).content.decode()
    assert "Nothing else counted in this entry." in listed


def test_it_says_why_nothing_is_marked_when_the_leanings_have_no_mark(alice_client, alice):
    """Most entries read no scale clearly and one-sidedly enough to mark a phrase
    (explain.clear_scales): the panel still leads with its leanings and says where their
    phrases are, rather than leaving the reader to wonder why the text shows no mark."""
    html = _page(alice_client, _entry(alice, "Had to cover the late shift again. Tomorrow I "
                                             "decided to ask Priya what she thinks."))
    assert '<ol class="insights">' in html and "<mark " not in _body(html)
    assert "No phrase is marked in the text" in html
    marked = _page(alice_client, _entry(alice, "Had to cover the late shift again. I had no "
                                               "choice. They made me do it. I was forced to. "
                                               "Had to, again. I have to do it all again "
                                               "tomorrow, no choice."))
    assert "<mark " in _body(marked) and "No phrase is marked in the text" not in marked
