"""Work the journal's own pages no longer repeat on every request (issue 14), with what the
person sees unchanged: today's prompt is chosen once a day per session and then only
checked, and the prompt filter renders the same HTML as Django's Select, written in Python."""

import random
from datetime import UTC, date, datetime, timedelta
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest
from django import forms
from django.db import connection
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import Truncator

from reflect.journal.models import Entry, Prompt, todays_prompt
from reflect.journal.templatetags.entries import (
    draft_items,
    earlier_items,
    recent_items,
    truncated,
)
from reflect.lib.markdown import _parsed_plain_text, is_plain_prose, plain_text
from reflect.lib.widgets import QuickDateInput, QuickSelect
from reflect.teams.models import Team, TeamPrompt

HOME_QUERIES = 3 if connection.vendor == "postgresql" else 5


def freeze(monkeypatch, moment: datetime) -> None:
    monkeypatch.setattr(timezone, "now", lambda: moment)


def test_it_keeps_todays_prompt_through_the_day_with_fewer_queries(
    alice_client, alice, django_assert_max_num_queries
):
    first = alice_client.get(reverse("home")).context["prompt"]
    assert first == todays_prompt(alice)
    # session, user, the prompt checked, the sparkline, the three entry lists in one (those
    # three statements in one round trip on PostgreSQL).
    with django_assert_max_num_queries(HOME_QUERIES):
        again = alice_client.get(reverse("home")).context["prompt"]
    assert again == first


@pytest.mark.parametrize("size", [3, 400])
def test_it_runs_a_fixed_number_of_queries_on_the_home_page(
    alice_client, alice, django_assert_max_num_queries, size
):
    Entry.objects.bulk_create(
        Entry(author=alice, body=f"Day {i}.", search_text=f"Day {i}.", word_count=2,
              written_on=alice.today() - timedelta(days=i))
        for i in range(size)
    )
    alice_client.get(reverse("home"))
    with django_assert_max_num_queries(HOME_QUERIES):
        assert alice_client.get(reverse("home")).status_code == 200


def test_it_chooses_again_when_todays_prompt_is_hidden(alice_client, alice):
    first = alice_client.get(reverse("home")).context["prompt"]
    alice_client.post(reverse("prompt_hide", args=[first.pk]))
    after = alice_client.get(reverse("home")).context["prompt"]
    assert after is not None and after != first
    assert after == todays_prompt(alice)


def test_it_chooses_again_when_todays_prompt_is_switched_off(alice_client, alice):
    first = alice_client.get(reverse("home")).context["prompt"]
    Prompt.objects.filter(pk=first.pk).update(is_active=False)
    after = alice_client.get(reverse("home")).context["prompt"]
    assert after is not None and after != first
    assert after == todays_prompt(alice)


def test_it_chooses_again_when_todays_team_prompt_is_no_longer_theirs(alice_client, alice):
    Prompt.objects.exclude(source=Prompt.Source.TEAM).update(is_active=False)
    team = Team.create_for(alice, "Night shift")
    posed = TeamPrompt.pose(team, alice, "Only for the team")
    assert alice_client.get(reverse("home")).context["prompt"] == posed.prompt
    assert alice_client.get(reverse("home")).context["prompt"] == posed.prompt  # checked
    team.memberships.filter(user=alice).delete()
    assert alice_client.get(reverse("home")).context["prompt"] is None


def test_it_chooses_again_the_next_day(alice_client, alice, monkeypatch):
    freeze(monkeypatch, datetime(2026, 11, 20, 12, 0, tzinfo=UTC))
    alice_client.get(reverse("home"))
    freeze(monkeypatch, datetime(2026, 11, 21, 12, 0, tzinfo=UTC))
    assert alice_client.get(reverse("home")).context["prompt"] == todays_prompt(alice)


class _Parts(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts = []

    def handle_starttag(self, tag, attrs):
        self.parts.append((tag, sorted(attrs)))

    def handle_endtag(self, tag):
        self.parts.append(("/" + tag,))

    def handle_data(self, data):
        if data.strip():
            self.parts.append(data.strip())


def _parsed(html: str) -> list:
    parser = _Parts()
    parser.feed(html)
    return parser.parts


@pytest.mark.parametrize("value", ["", "2", "<b>", "missing"])
def test_it_renders_a_select_like_djangos(value):
    choices = [("", "All entries"), ("free", "Free <entries> & more"), ("2", "Two"),
               ("Group", [("<b>", "Bold <b>"), ("4", "Four"), ("2", "Two again")])]

    class Filters(forms.Form):
        quick = forms.ChoiceField(required=False, choices=choices, widget=QuickSelect)
        plain = forms.ChoiceField(required=False, choices=choices)

    form = Filters({"quick": value, "plain": value})
    form.is_valid()
    # The same elements, attributes, selection and escaped text (whitespace aside).
    assert _parsed(str(form["quick"])) == _parsed(str(form["plain"]).replace("plain", "quick"))
    assert "<b>" not in str(form["quick"]).replace('value="&lt;b&gt;"', "")


def test_it_reads_plain_prose_in_lists_as_markdown_would():
    """Plain prose skips the Markdown parser in lists (headings, excerpts): for every text it
    takes as prose, the words are exactly the parser's."""
    pieces = ["word", "Team", " ", "  ", "\t", "\n", "\r\n", "\r", "\n\n", "1.", "2)", "12",
              "-", "+", "=", "#", ">", "!", "?", ":", "(", ")", "'", "é", "\u00a0", "\u2028",
              "\x0c", ".", ",", "&", "*", "_", "`", "[", "]", "<", "\\", "~", "|", "http://a.b"]
    rng = random.Random(14)
    prose = 0
    for _ in range(20_000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 12)))
        if is_plain_prose(text):
            prose += 1
            assert plain_text(text) == _parsed_plain_text(text), repr(text)
    assert prose > 2_000
    assert plain_text("Had to *ship* it.\n- then [we](https://x.y) chose") == (
        "Had to ship it. then we chose"
    )


def test_it_shortens_excerpts_as_truncatechars_does():
    pieces = ["a", "é", "e\u0301", "\u0301", "…", " ", "’", "漢", "x" * 50]
    rng = random.Random(200)
    for _ in range(3_000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 40)))
        assert truncated(text) == Truncator(text).chars(200), repr(text)
    # ASCII text, and the ellipsis of each language (looked up once per language).
    for language in ("en-gb", "de", "ja", "en-gb"):
        with translation.override(language):
            for size in (0, 199, 200, 201, 450):
                text = ("word " * 100)[:size]
                assert truncated(text) == Truncator(text).chars(200), (language, size)


@pytest.mark.parametrize("value", ["", "2026-11-27", "27/11/2026", "<b>\"x"])
def test_it_renders_a_date_input_like_djangos(value):
    class Dates(forms.Form):
        quick = forms.DateField(required=False, help_text="Day & month",
                                widget=QuickDateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
        plain = forms.DateField(required=False, help_text="Day & month",
                                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
        needed = forms.DateField(widget=QuickDateInput(attrs={"type": "date", "data-x": "<"}))
        needed_plain = forms.DateField(widget=forms.DateInput(attrs={"type": "date",
                                                                     "data-x": "<"}))

    form = Dates({"quick": value, "plain": value, "needed": value, "needed_plain": value})
    form.is_valid()
    assert str(form["quick"]) == str(form["plain"]).replace("plain", "quick")
    assert str(form["needed"]) == str(form["needed_plain"]).replace("needed_plain", "needed")


def test_it_writes_the_journal_filter_labels_as_label_tag_does(alice_client):
    from reflect.journal.browse import JournalFilterForm

    html = alice_client.get(reverse("journal"), {"from": "nonsense"}).content.decode()
    form = JournalFilterForm({"from": "nonsense"}, prompts=[], tags=[])
    form.is_valid()
    for name in ("prompt", "tag", "from", "to"):
        assert str(form[name].label_tag()) + str(form[name]) in html
    assert 'aria-invalid="true"' in str(form["from"])


HOME_LISTS_AS_TEMPLATES = {
    draft_items: """{% for entry in entries %}<li><a href="{% url 'entry_edit' entry.pk %}"><span dir="auto">{{ entry.heading }}</span></a> <span class="muted">· last saved {{ entry.updated_at|date:"D j M, H:i" }}</span></li>{% endfor %}""",  # noqa: E501
    earlier_items: """{% for entry in entries %}<li><a href="{% url 'entry' entry.pk %}">{{ entry.written_on|date:"j F Y" }}: <span dir="auto">{{ entry.heading }}</span></a></li>{% endfor %}""",  # noqa: E501
    recent_items: """{% for entry in entries %}<li><a href="{% url 'entry' entry.pk %}"><span dir="auto">{{ entry.heading }}</span></a> <span class="muted">· {{ entry.written_on|date:"D j M" }} · {{ entry.word_count }} words</span></li>{% endfor %}""",  # noqa: E501
}


def test_it_writes_the_home_lists_as_their_templates_did(alice):
    prompt = Prompt.objects.create(text="What did you <choose>?")
    Entry.objects.create(author=alice, body="Went well.", title="<b>Plan</b> & go",
                         written_on=date(2026, 1, 5))
    Entry.objects.create(author=alice, body="# The *first* line\nmore", written_on=date(999, 9, 9),
                         updated_at=datetime(2026, 3, 8, 9, 30, tzinfo=UTC))
    Entry.objects.create(author=alice, body="", prompt=prompt, written_on=date(2025, 12, 31),
                         updated_at=datetime(2025, 12, 31, 23, 59, tzinfo=UTC))
    entries = list(Entry.objects.filter(author=alice).select_related("prompt"))
    # Day and month names are looked up once per language: each language gets its own.
    for language in ("en-gb", "de", "en-gb"):
        with timezone.override(ZoneInfo("America/Los_Angeles")), translation.override(language):
            for write, source in HOME_LISTS_AS_TEMPLATES.items():
                assert write(entries) == Template(source).render(Context({"entries": entries}))


def test_the_home_lists_hold_the_persons_own_entries_newest_first(
    alice_client, alice, bob, monkeypatch
):
    """The three lists read in one SQL statement: the latest live entries, the drafts, and
    this day in earlier years, each newest first, never anyone else's, never the trash."""
    freeze(monkeypatch, datetime(2026, 11, 20, 12, 0, tzinfo=UTC))
    today = alice.today()
    prompt = Prompt.objects.create(text="What did you <choose>?")

    def make(author, day, **fields):
        fields.setdefault("body", f"Entry of {day}")
        return Entry.objects.create(author=author, written_on=day, **fields)

    live = [make(alice, today - timedelta(days=i)) for i in range(5)]
    same_day = make(alice, today, body="Also today")  # written_on ties: the higher id first
    drafts = [make(alice, today - timedelta(days=i), is_draft=True) for i in range(7)]
    years = [make(alice, today.replace(year=today.year - n), body="", prompt=prompt)
             for n in (1, 3, 2, 4)]
    make(alice, today.replace(year=today.year - 5), deleted_at=timezone.now())  # trash
    make(alice, today.replace(year=today.year - 6), is_draft=True)  # a draft: not "earlier"
    make(alice, today - timedelta(days=1), deleted_at=timezone.now(), is_draft=True)
    for day in (today, today.replace(year=today.year - 1)):
        make(bob, day)
        make(bob, day, is_draft=True)
    ctx = alice_client.get(reverse("home")).context
    assert [e.pk for e in ctx["recent"]] == [same_day.pk, live[0].pk, live[1].pk]
    assert [e.pk for e in ctx["drafts"]] == [d.pk for d in drafts[:5]]
    newest_years = sorted(years, key=lambda e: e.written_on, reverse=True)[:3]
    assert [e.pk for e in ctx["earlier"]] == [e.pk for e in newest_years]
    html = alice_client.get(reverse("home")).content.decode()
    assert "What did you &lt;choose&gt;?" in html and "<choose>" not in html
    Entry.objects.filter(author=alice).delete()
    ctx = alice_client.get(reverse("home")).context
    assert [list(ctx[name]) for name in ("recent", "drafts", "earlier")] == [[], [], []]


# The journal filter's fields as journal.html wrote them from the bound form.
FILTER_FIELDS_AS_TEMPLATE = """
  <div class="field{% if form.prompt.errors %} invalid{% endif %}">
    <label for="id_prompt">Prompt:</label>{{ form.prompt }}
    {% if form.prompt.errors %}<div class="errors" role="alert">{{ form.prompt.errors }}</div>{% endif %}
  </div>
  <div class="field{% if form.tag.errors %} invalid{% endif %}">
    <label for="id_tag">Tag:</label>{{ form.tag }}
    {% if form.tag.errors %}<div class="errors" role="alert">{{ form.tag.errors }}</div>{% endif %}
  </div>
  {% with start=form.from end=form.to %}
  <div class="field{% if start.errors %} invalid{% endif %}">
    <label for="id_from">From:</label>{{ start }}
    {% if start.errors %}<div class="errors" role="alert">{{ start.errors }}</div>{% endif %}
  </div>
  <div class="field{% if end.errors %} invalid{% endif %}">
    <label for="id_to">To:</label>{{ end }}
    {% if end.errors %}<div class="errors" role="alert">{{ end.errors }}</div>{% endif %}
  </div>
  {% endwith %}"""  # noqa: E501


@pytest.mark.parametrize("sent", [
    {}, {"prompt": "", "tag": "", "from": "", "to": ""}, {"prompt": "7"}, {"prompt": "free"},
    {"prompt": "999"}, {"prompt": "<b>"}, {"tag": "a&b"}, {"tag": "<script>"},
    {"tag": "missing"}, {"from": "nonsense"}, {"from": "2026-11-27"},
    {"from": "2026-11-27", "to": "2026-01-01"}, {"to": '"><b>'},
    {"prompt": "999", "tag": "missing", "from": "x", "to": "y"},
])
def test_it_writes_the_journal_filters_as_the_bound_form_did(sent):
    from django.http import QueryDict

    from reflect.journal.browse import JournalFilterForm, filter_fields_html

    prompts = [(7, "What did you <choose> & why?"), (8, "A" * 69 + "’s long"), (9, "x" * 71)]
    tags = ["a&b", "<script>", "plain", "é"]
    data = QueryDict(mutable=True)
    data.update(sent)
    form = JournalFilterForm(data, prompts=prompts, tags=tags)
    form.is_valid()
    expected = Template(FILTER_FIELDS_AS_TEMPLATE).render(Context({"form": form}))
    assert filter_fields_html(prompts, tags, data, form.errors) == expected
    if not any(sent.values()):  # nothing sent: no form, no errors, the same fields
        assert filter_fields_html(prompts, tags, data, {}) == expected


def test_it_reads_a_list_entrys_text_and_first_line_as_markdown_would():
    """list_text reads plain prose once for the list's words and the entry's opening line:
    both exactly what plain_text and first_line make of every text."""
    from reflect.journal.templatetags.entries import list_text
    from reflect.lib.markdown import first_line

    pieces = ["word", "Team", " ", "\t", "\n", "\r\n", "\r", "\n\n", "1.", "2)", "-", "#", ">",
              "=", "é", "\u00a0", "\u2028", "\u2029", "\x85", "\x0b", "\x0c", "\x1c", "\x1e",
              "\x00", ".", ",", ";", "*", "_", "[", "<", "&", "x" * 30, "long words " * 9]
    rng = random.Random(1414)
    for _ in range(20_000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 14)))
        entry = Entry(title="", body="")
        entry.excerpt = text
        assert list_text(entry) == plain_text(text), repr(text)
        assert entry.opening_line == first_line(text), repr(text)


def test_it_names_untitled_search_hits_by_their_first_line(alice_client, alice):
    """Search names each hit as the journal list does: its title, else its text's first line
    as plain words, else its prompt; entries answering one prompt share it on the page."""
    prompt = Prompt.objects.create(text="What did the <team> decide?")
    Entry.objects.create(author=alice, body="Kestrel *over* the yard\nthen rain",
                         written_on=date(2026, 1, 3))
    Entry.objects.create(author=alice, body="  \n\nkestrel plain line\nsecond",
                         written_on=date(2026, 1, 2), prompt=prompt)
    Entry.objects.create(author=alice, body="kestrel", title="A <titled> kestrel",
                         written_on=date(2026, 1, 1), prompt=prompt)
    html = alice_client.get(reverse("search"), {"q": "kestrel"}).content.decode()
    for heading in ("Kestrel over the yard", "kestrel plain line", "A &lt;titled&gt; kestrel"):
        assert f">{heading}</a></h2>" in html
    entries = alice_client.get(reverse("journal")).context["entries"]
    assert entries[1].prompt is entries[2].prompt and entries[1].prompt.text == prompt.text


@pytest.mark.parametrize("prefix", ["/", "/sub/"])
def test_it_writes_the_pages_addresses_as_the_url_tag_does(prefix):
    """{% link %} (reversed once per process) writes what {% url %} wrote, for every address
    the journal's pages link to, with and without a number, under any URL prefix."""
    from django.urls import get_script_prefix, set_script_prefix

    names = ["entry_new", "prompts", "journal", "calendar", "search", "on_this_day", "trash"]
    numbered = ["entry_edit", "revisions", "then_and_now", "share_entry", "entry_delete"]
    before = get_script_prefix()
    set_script_prefix(prefix)
    try:
        for name in names:
            source = f"{{% load header %}}{{% link '{name}' %}}|{{% url '{name}' %}}"
            ours, django = Template(source).render(Context()).split("|")
            assert ours == django and ours.startswith(prefix)
        for name in numbered:
            for number in (1, 10, 918273645, 2**40):
                source = f"{{% load header %}}{{% link '{name}' n %}}|{{% url '{name}' n %}}"
                ours, django = Template(source).render(Context({"n": number})).split("|")
                assert ours == django and str(number) in ours
    finally:
        set_script_prefix(before)


def test_it_writes_days_as_the_date_filter_does():
    """{{ d|day:"..." }} writes what {{ d|date:"..." }} wrote in every format the journal's
    pages use, in each language (names looked up once per language), and refuses others."""
    formats = ["l j F Y", "l j F", "j F Y", "F Y", "Y-m-d"]
    days = [date(2026, 1, 1), date(2026, 3, 9), date(999, 12, 31), date(1, 1, 1),
            date(9999, 12, 31), date(2024, 2, 29)] + [date(2025, m, 1 + m) for m in range(1, 13)]
    for language in ("en-gb", "de", "fr", "en-gb"):
        with translation.override(language):
            for fmt in formats:
                source = f'{{% load entries %}}{{{{ d|day:"{fmt}" }}}}|{{{{ d|date:"{fmt}" }}}}'
                for day in days:
                    ours, django = Template(source).render(Context({"d": day})).split("|")
                    assert ours == django, (language, fmt, day)
    with pytest.raises(ValueError):
        Template('{% load entries %}{{ d|day:"D j M" }}').render(Context({"d": days[0]}))


# Search's tag filter as search.html wrote it from the bound TagFilterForm.
TAG_FILTER_AS_TEMPLATE = """{% with field=tag_form.tag %}{% if field.field.choices|length > 1 %}
  <div class="field{% if field.errors %} invalid{% endif %}">
    {{ field.label_tag }}{{ field }}
    {% if field.errors %}<div class="errors" role="alert">{{ field.errors }}</div>{% endif %}
  </div>
  {% endif %}{% endwith %}"""  # noqa: E501


@pytest.mark.parametrize("tags", [[], ["a&b", "<script>", "plain", "é"]])
@pytest.mark.parametrize("sent", [{}, {"tag": ""}, {"tag": "plain"}, {"tag": "a&b"},
                                  {"tag": "missing"}, {"tag": '"><b>'}])
def test_it_writes_the_search_tag_filter_as_the_bound_form_did(tags, sent):
    from django.http import QueryDict

    from reflect.journal.browse import TagFilterForm, tag_filter_html

    data = QueryDict(mutable=True)
    data.update(sent)
    form = TagFilterForm(data, tags=tags)
    form.is_valid()
    expected = Template(TAG_FILTER_AS_TEMPLATE).render(Context({"tag_form": form}))
    assert tag_filter_html(tags, data, form.errors) == expected
    if not sent.get("tag"):  # nothing sent: no form, no errors, the same field
        assert tag_filter_html(tags, data, {}) == expected
