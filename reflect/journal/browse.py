"""Finding and revisiting: the journal list, search, calendar, on this day, then and now.

Every page reads only the signed-in person's own live entries (Entry.objects.for_user(...)
.live()) and runs a fixed number of queries whatever the journal's size.
"""

import calendar as pycalendar
import hashlib
import re
from dataclasses import dataclass
from datetime import date
from functools import cache, cached_property, lru_cache
from html import escape as html_escape
from urllib.parse import urlencode

from django import forms
from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Substr
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.dates import MONTHS, WEEKDAYS
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from reflect.journal import fragments, fulltext, heatmap
from reflect.journal.forms import DateRangeForm
from reflect.journal.models import Entry, EntryTag, Prompt, visible_prompts
from reflect.journal.rows import builder, read_planned, read_together
from reflect.journal.templatetags.entries import search_items
from reflect.journal.templatetags.header import link, link_around
from reflect.lib.bounded import FIRST_DAY, LAST_DAY, parse_int, parse_month
from reflect.lib.kept import keep
from reflect.lib.markdown import render_markdown
from reflect.lib.searchtext import restore_symbols, search_text
from reflect.lib.streaks import streaks
from reflect.lib.widgets import QuickDateInput, QuickSelect

PAGE_SIZE = 20
EXCERPT_CHARS = 280
SEARCH_MAX_CHARS = 200
# The hit markers in fragments (private-use characters): the text is escaped first and only
# these become <mark> tags afterwards.
HIT_START, HIT_STOP = fulltext.HIT_START, fulltext.HIT_STOP
_HIT_RE = re.compile(f"{HIT_START}(.*?){HIT_STOP}", re.DOTALL)


def _live_entries(request: HttpRequest) -> QuerySet:
    """The signed-in person's saved entries, not drafts, not in the trash; never anyone else's."""
    return Entry.objects.for_user(request.user).live()


def _for_list(entries: QuerySet) -> QuerySet:
    """Only what a list item shows (reflect.journal.templatetags.entries): heading, day,
    length, the text's first characters as `excerpt`, the prompt's words for an entry with
    neither title nor text. A full row and its prompt's cost more to build than to fetch."""
    return (
        entries.select_related("prompt")
        .only("title", "written_on", "word_count", "prompt", "prompt__text")
        .annotate(excerpt=Substr("body", 1, EXCERPT_CHARS))
    )


def _page_number(request: HttpRequest) -> int:
    try:
        return max(1, min(int(request.GET.get("page", "1")), 100_000))
    except ValueError:
        return 1


def _page_of(entries: QuerySet, page: int) -> tuple[list, bool]:
    """One page by offset, fetching a row more than needed to know whether another page
    follows: one query, no COUNT. A journal has a few hundred entries a year, so the offset
    stays small; the index entry_author_day serves the order."""
    start = (page - 1) * PAGE_SIZE
    rows = list(entries[start : start + PAGE_SIZE + 1])
    return rows[:PAGE_SIZE], len(rows) > PAGE_SIZE


@cache
def Q_(name: str) -> str:  # noqa: N802 (a quoting function, named short for SQL text)
    """A quoted name for the site's one database (as LIVE below is): each one quoted once
    per process, not through the connection proxy ~15 times per statement written."""
    return connection.ops.quote_name(name)


# The person's saved entries, not drafts, not in the trash, as SQL (table alias e).
LIVE = f"NOT e.{Q_('is_draft')} AND e.{Q_('deleted_at')} IS NULL"
LIST_COLUMNS = ("id", "prompt_id", "written_on", "word_count", "title")


LIST_FIELDS = tuple(Entry._meta.get_field(c.removesuffix("_id")) for c in LIST_COLUMNS)


def list_statement(
    user, *, where: str = "", params: list | tuple = (), tag: str = "",
    select: str = "", select_params: list | tuple = (), order: str = "", page: int = 1,
) -> tuple[str, list]:
    """One page of the person's live entries as the lists show them (_for_list's columns:
    heading, day, length, the text's first EXCERPT_CHARS characters as `excerpt`, the
    prompt's words), newest first unless `order` says otherwise, as SQL (Django's compiler
    took about as long to build the list's query as the rest of the view). `where` narrows
    it further (alias e), `tag` keeps the entries carrying that tag, `select` adds columns
    after those (see list_entries); a row more than a page is read to know whether another
    follows, as _page_of."""
    start = (page - 1) * PAGE_SIZE
    columns = ", ".join(f"e.{Q_(c)}" for c in LIST_COLUMNS)
    tag_join = (
        f"INNER JOIN {Q_(EntryTag._meta.db_table)} t ON t.{Q_('entry_id')} = e.{Q_('id')} "
        f"AND t.{Q_('name')} = %s " if tag else ""
    )
    sql = (
        f"SELECT {columns}, SUBSTR(e.{Q_('body')}, 1, {EXCERPT_CHARS:d}) AS {Q_('excerpt')}, "
        f"p.{Q_('text')} AS {Q_('prompt_text')}{select} "
        f"FROM {Q_(Entry._meta.db_table)} e {tag_join}"
        f"LEFT OUTER JOIN {Q_(Prompt._meta.db_table)} p ON p.{Q_('id')} = e.{Q_('prompt_id')} "
        f"WHERE e.{Q_('author_id')} = %s AND {LIVE}{where} "
        f"ORDER BY {order}e.{Q_('written_on')} DESC, e.{Q_('id')} DESC "
        f"LIMIT {PAGE_SIZE + 1:d} OFFSET {start:d}"
    )
    return sql, [*select_params, *([tag] if tag else []), user.pk, *params]


def list_entries(rows: list[tuple], extra: tuple[str, ...] = ()) -> tuple[list[Entry], bool]:
    """list_statement's rows as entries (`excerpt` and the `extra` columns of its `select`
    as attributes, the prompt's text cached as select_related would), and whether another
    page follows."""
    make = builder(Entry, LIST_FIELDS)
    width = len(LIST_FIELDS)
    entries = []
    prompts: dict[int, Prompt] = {}  # one per prompt answered on the page, shared
    for row in rows[:PAGE_SIZE]:
        entry = make(row[:width])
        entry.excerpt, prompt_text = row[width : width + 2]
        for name, value in zip(extra, row[width + 2 :], strict=True):
            setattr(entry, name, value)
        if (prompt_id := entry.prompt_id) is not None:
            # The heading of an entry with neither title nor text is its prompt.
            if prompt_id not in prompts:
                prompts[prompt_id] = Prompt(id=prompt_id, text=prompt_text)
            entry._state.fields_cache["prompt"] = prompts[prompt_id]
        entries.append(entry)
    return entries, len(rows) > PAGE_SIZE


def _url(name: str, params: dict) -> str:
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    return reverse(name) + (f"?{query}" if query else "")


def _htmx_aware(request: HttpRequest, template: str, partial: str, ctx: dict) -> HttpResponse:
    """The whole page, or only its `partial` for an htmx request (the "load more" link)."""
    name = f"{template}#{partial}" if request.htmx else template
    response = render(request, name, ctx)
    patch_vary_headers(response, ("HX-Request",))
    return response


def tags_statement(user) -> tuple[str, list]:
    """The tags on the person's live entries, for the tag filters (written as SQL: Django's
    compiler took longer to build it than it took to run)."""
    sql = (
        f"SELECT DISTINCT t.{Q_('name')} FROM {Q_(EntryTag._meta.db_table)} t "
        f"INNER JOIN {Q_(Entry._meta.db_table)} e ON t.{Q_('entry_id')} = e.{Q_('id')} "
        f"WHERE t.{Q_('author_id')} = %s AND {LIVE} ORDER BY 1"
    )
    return sql, [user.pk]


def answered_prompts_statement(user) -> tuple[str, list]:
    """(pk, text) of each prompt the person answered in a live entry, in the prompts' own
    order, for the journal's prompt filter (written as SQL)."""
    sql = (
        f"SELECT p.{Q_('id')}, p.{Q_('text')} FROM {Q_(Prompt._meta.db_table)} p "
        f"WHERE p.{Q_('id')} IN (SELECT e.{Q_('prompt_id')} FROM {Q_(Entry._meta.db_table)} e "
        f"WHERE e.{Q_('author_id')} = %s AND {LIVE} AND e.{Q_('prompt_id')} IS NOT NULL) "
        f"ORDER BY p.{Q_('category')}, p.{Q_('position')}, p.{Q_('id')}"
    )
    return sql, [user.pk]


def tag_choices(tags: list[str]) -> list[tuple[str, str]]:
    return [("", "Any tag"), *((t, f"#{t}") for t in tags)]


def tag_field(tags: list[str]) -> forms.ChoiceField:
    field = forms.ChoiceField(
        required=False, label="Tag", choices=tag_choices(tags), widget=QuickSelect,
    )
    field.error_messages["invalid_choice"] = "No entry of yours has that tag: showing all entries."
    return field


class TagFilterForm(forms.Form):
    """Search's tag filter: one of the person's tags, or any."""

    def __init__(self, data, *, tags: list[str]):
        super().__init__(data)
        self.fields["tag"] = tag_field(tags)


def with_tag(entries: QuerySet, tag: str) -> QuerySet:
    """Entries carrying `tag` (one row per entry and tag: a join adds no duplicates)."""
    return entries.filter(tags__name=tag) if tag else entries


class JournalFilterForm(DateRangeForm):
    """The journal list's filters: one prompt (or free entries), a tag and a date range."""

    FREE = "free"

    prompt = forms.ChoiceField(required=False, label="Prompt", widget=QuickSelect)

    def __init__(self, data, *, prompts: list[tuple[int, str]], tags: list[str]):
        """`prompts`: (pk, text) of each prompt the person answered."""
        super().__init__(data)
        for name in ("from", "to"):
            self.fields[name].widget = QuickDateInput(attrs={"type": "date"}, format="%Y-%m-%d")
        self.fields["tag"] = tag_field(tags)
        self.fields["prompt"].choices = prompt_choices(prompts)
        self.fields["prompt"].error_messages["invalid_choice"] = (
            "That prompt is not in your journal: showing all entries."
        )

    def apply(self, entries: QuerySet) -> QuerySet:
        """Narrow `entries` by every filter that is valid; an invalid one is reported, and
        ignored, rather than failing the page."""
        self.is_valid()
        data = self.cleaned_data
        prompt = data.get("prompt")
        if prompt == self.FREE:
            entries = entries.filter(prompt__isnull=True)
        elif prompt:
            entries = entries.filter(prompt_id=int(prompt))
        if data.get("from"):
            entries = entries.filter(written_on__gte=data["from"])
        if data.get("to"):
            entries = entries.filter(written_on__lte=data["to"])
        return with_tag(entries, data.get("tag"))

    def sql(self) -> tuple[str, list, str]:
        """apply's narrowing for list_statement: its `where` (alias e), parameters, tag."""
        self.is_valid()
        data = self.cleaned_data
        where, params = [], []
        prompt = data.get("prompt")
        if prompt == self.FREE:
            where.append(f" AND e.{Q_('prompt_id')} IS NULL")
        elif prompt:
            where.append(f" AND e.{Q_('prompt_id')} = %s")
            params.append(int(prompt))
        for key, operator in (("from", ">="), ("to", "<=")):
            if data.get(key):
                where.append(f" AND e.{Q_('written_on')} {operator} %s")
                params.append(connection.ops.adapt_datefield_value(data[key]))
        return "".join(where), params, data.get("tag") or ""

    KEYS = ("prompt", "tag", "from", "to")


def prompt_choices(prompts: list[tuple[int, str]]) -> list[tuple[str, str]]:
    """The prompt filter's options: all, free entries, then each prompt answered (pk, text),
    its text shortened to 70 characters."""
    return [
        ("", "All entries"),
        (JournalFilterForm.FREE, "Free entries (no prompt)"),
        *((str(pk), text if len(text) <= 70 else text[:69] + "…") for pk, text in prompts),
    ]


def _select_html(name: str, choices: list[tuple[str, str]], value, invalid: str) -> str:
    """QuickSelect's HTML for a bound filter: the first option equal to `value` selected."""
    chosen = "" if value is None else str(value)
    parts = [f'<select name="{name}"{invalid} id="id_{name}">']
    found = False
    for option, label in choices:
        selected = not found and option == chosen
        found |= selected
        parts.append(
            f'<option value="{html_escape(option)}"{" selected" if selected else ""}>'
            f"{html_escape(label)}</option>"
        )
    parts.append("</select>")
    return "".join(parts)


def _date_html(name: str, value, invalid: str) -> str:
    """QuickDateInput's HTML for a bound filter (its value as sent, none when not sent)."""
    shown = "" if value is None else f' value="{html_escape(value)}"'
    return f'<input type="date" name="{name}"{shown}{invalid} id="id_{name}">'


def _field_html(name: str, label: str, messages, widget) -> str:
    """One filter field as the templates wrote it from a bound field: its label, its control
    (`widget(attributes)`: aria-invalid and aria-describedby when it has errors, as Django
    adds them), its errors."""
    if messages:
        items = "".join(f"<li>{html_escape(str(m))}</li>" for m in messages)
        shown = (
            f'<div class="errors" role="alert"><ul class="errorlist" id="id_{name}_error">'
            f"{items}</ul></div>"
        )
        control = widget(True)
    else:
        shown = ""
        control = widget(False)
    return (
        f'\n  <div class="field{" invalid" if messages else ""}">\n'
        f'    <label for="id_{name}">{label}:</label>{control}\n    {shown}\n  </div>'
    )


def _select(name: str, choices: list[tuple[str, str]], value):
    def widget(invalid: bool) -> str:
        # Django's Select sorts its attributes (flatatt).
        attrs = f' aria-describedby="id_{name}_error" aria-invalid="true"' if invalid else ""
        return _select_html(name, choices, value, attrs)
    return widget


def _date(name: str, value):
    def widget(invalid: bool) -> str:
        # QuickDateInput keeps Django's order of attributes.
        attrs = f' aria-invalid="true" aria-describedby="id_{name}_error"' if invalid else ""
        return _date_html(name, value, attrs)
    return widget


def filter_fields_html(
    prompts: list[tuple[int, str]], tags: list[str], data, errors
) -> SafeString:
    """The journal filter's four fields as the template wrote them from a bound
    JournalFilterForm (label, control, errors), in Python: the form's rendering (bound
    fields, error lists, widget attributes) was a fifth of the journal list's time. `data`:
    what was sent (request.GET); `errors`: the form's errors by field (empty when nothing
    was sent, which needs no form at all)."""
    parts = [
        _field_html("prompt", "Prompt", errors.get("prompt"),
                    _select("prompt", prompt_choices(prompts), data.get("prompt"))),
        _field_html("tag", "Tag", errors.get("tag"),
                    _select("tag", tag_choices(tags), data.get("tag"))),
        "\n  ",  # where the template's {% with %} was
        _field_html("from", "From", errors.get("from"), _date("from", data.get("from"))),
        _field_html("to", "To", errors.get("to"), _date("to", data.get("to"))),
        "\n  ",
    ]
    return mark_safe("".join(parts))  # noqa: S308 (every value, label and message escaped)


def tag_filter_html(tags: list[str], data, errors) -> SafeString:
    """Search's tag filter as its template wrote it from a bound TagFilterForm (nothing when
    the person has no tags), in Python like the journal's filters."""
    if not tags:
        return mark_safe("")
    field = _field_html("tag", "Tag", errors.get("tag"),
                        _select("tag", tag_choices(tags), data.get("tag")))
    return mark_safe(field + "\n  ")  # noqa: S308 (every value, label and message escaped)


def _read_journal(statements: list[tuple[str, list]], kept: bool) -> list[list[tuple]]:
    """The journal's reads in one round trip; the first page's, which nearly every visit
    asks for, kept planned on the connection on PostgreSQL (reflect.lib.sql.read_kept: parsed
    and planned once per connection, not on every view; read again once when the connection
    lost them). Other pages and filters are read as they come (a statement kept per page
    number would pile up on the connection)."""
    return read_planned(statements) if kept else read_together(statements)


def journal(request: HttpRequest) -> HttpResponse:
    """Newest first, a page at a time; filtered by prompt and date range. Its statements (the
    prompts answered and the tags in use for the filters, the page of entries) go in one
    round trip on PostgreSQL when nothing is filtered; a filter is checked against the
    first two before the entries are read."""
    user = request.user
    page = _page_number(request)
    unfiltered = not any(request.GET.get(key) for key in JournalFilterForm.KEYS)
    statements = [answered_prompts_statement(user), tags_statement(user)]
    if unfiltered:
        statements.append(list_statement(user, page=page))
    results = _read_journal(statements, kept=unfiltered and page == 1)
    prompts, tags = results[0], [name for (name,) in results[1]]
    if unfiltered:  # nothing to check: no form needed
        errors = {}
    else:
        form = JournalFilterForm(request.GET, prompts=prompts, tags=tags)
        where, where_params, tag = form.sql()
        errors = form.errors
        results[2:] = read_together([
            list_statement(user, where=where, params=where_params, tag=tag, page=page)
        ])
    rows, more = list_entries(results[2])
    params = {key: request.GET.get(key, "") for key in JournalFilterForm.KEYS}
    filtering = any(params.values())
    ctx = {
        "filter_fields": filter_fields_html(prompts, tags, request.GET, errors),
        "entries": rows,
        "page": page,
        "filtering": filtering,
        "next_url": _url("journal", {**params, "page": page + 1}) if more else None,
        "prev_url": _url("journal", {**params, "page": page - 1 if page > 2 else None})
        if page > 1 else None,
        "excerpt_chars": EXCERPT_CHARS,
        "nav": "journal",
    }
    return _htmx_aware(request, "journal/journal.html", "entry-page", ctx)


# Search ---------------------------------------------------------------------------------


@dataclass
class SearchHit:
    entry: Entry
    snippet: SafeString


def highlight(marked: str) -> SafeString:
    """Escape everything, then turn only our own hit markers into <mark> tags."""
    html = _HIT_RE.sub(r"<mark>\1</mark>", escape(marked))
    return mark_safe(html.replace(HIT_START, "").replace(HIT_STOP, ""))


def _search_statement(user, tag: str, q: str, page: int) -> tuple[str, list]:
    """fulltext.search_postgres's query for one page, written as SQL (Django's compiler took
    longer to build it than the database took to run it for a page of hits): `rank`, the
    `search_text` the fragments are cut from and the query's words as PostgreSQL reads them
    (`terms`: one constant, folded when the statement is planned) as list_statement's extra
    columns. The fragments are made from those (reflect.journal.fragments), not by
    ts_headline, which parsed and stemmed every hit's text again and was most of this
    statement's time."""
    query = "websearch_to_tsquery(%s::regconfig, %s)"
    query_params = [fulltext.SEARCH_CONFIG, search_text(q)]
    return list_statement(
        user, tag=tag, page=page,
        select=(
            f", ts_rank(e.{Q_('search_vector')}, {query}) AS {Q_('rank')}, "
            f"e.{Q_('search_text')}, querytree({query}) AS {Q_('terms')}"
        ),
        select_params=[*query_params, *query_params],
        where=f" AND e.{Q_('search_vector')} @@ {query}", params=query_params,
        order=f"{Q_('rank')} DESC, ",
    )


SEARCH_COLUMNS = ("rank", "search_text", "terms")
# Where list_statement's row with SEARCH_COLUMNS has them (after LIST_COLUMNS, `excerpt` and
# the prompt's text).
_RANK = len(LIST_COLUMNS) + 2
_TEXT, _TERMS = _RANK + 1, _RANK + 2


@lru_cache(maxsize=2048)
def _snippet_html(snippet: str) -> SafeString:
    """A fragment as the database wrote it, highlighted (a pure function of its text, kept
    per process: the same hits come back as people page, refine and search again)."""
    return highlight(restore_symbols(snippet))


def fragment_html(entry: Entry) -> SafeString:
    """A PostgreSQL hit's fragment (search_postgres's or the page statement's columns)."""
    return _snippet_html(fragments.fragment(entry.search_text, fragments.query_terms(entry.terms)))


class _RowHit:
    """A PostgreSQL hit as the page statement read it (list_entries' row with SEARCH_COLUMNS),
    as SearchHit: its entry and highlighted fragment are made only when asked for (a kept
    list item needs neither)."""

    __slots__ = ("__dict__", "row")

    def __init__(self, row: tuple):
        self.row = row

    @cached_property
    def entry(self) -> Entry:
        return list_entries([self.row], SEARCH_COLUMNS)[0][0]

    @cached_property
    def snippet(self) -> SafeString:
        return fragment_html(self.entry)


# PostgreSQL's search list items (entries.search_items' HTML) by everything they are written
# from: the row as read but its rank (which only orders them), its search text as a digest.
_SEARCH_ITEMS: dict[tuple, str] = {}
SEARCH_ITEMS_KEPT = 2048


def search_items_html(rows: list[tuple]) -> SafeString:
    """entries.search_items of a page of PostgreSQL hits (list_statement's rows with
    SEARCH_COLUMNS), each item kept per process under everything it is written from: the
    entry's number, title, first characters, prompt, day and length, the digest of its search
    text and the query's words as PostgreSQL read them (its fragment is a pure function of
    those two), the entry address and the language. A kept item costs neither an entry
    object nor a fragment: the same hits come back as people page, refine and search again.
    At most SEARCH_ITEMS_KEPT, the first kept forgotten first."""
    around, language = link_around("entry"), get_language()
    parts, missing = [], []
    for row in rows:
        key = (around, language, row[:_RANK], row[_TERMS],
               hashlib.blake2b(row[_TEXT].encode(), digest_size=16).digest())
        item = _SEARCH_ITEMS.get(key)
        if item is None:
            missing.append((len(parts), key, row))
        parts.append(item)
    if missing:
        entries, _ = list_entries([row for _, _, row in missing], SEARCH_COLUMNS)
        made = search_items([SearchHit(entry, fragment_html(entry)) for entry in entries])
        # One call for all of them (what every item shares is worked out once), cut into its
        # items: each starts with ITEM_START, and no item's text can hold it (escaped).
        items = made.split(ITEM_START)
        assert not items[0] and len(items) == len(missing) + 1
        for (i, key, _), item in zip(missing, items[1:], strict=True):
            parts[i] = keep(_SEARCH_ITEMS, key, ITEM_START + item, SEARCH_ITEMS_KEPT)
    return mark_safe("".join(parts))  # noqa: S308 (search_items' HTML)


# How each of entries.search_items' items begins.
ITEM_START = '\n  <li class="journal-item">'


def search(request: HttpRequest) -> HttpResponse:
    """Ranked hits, a page at a time, with their highlighted fragments. On PostgreSQL the
    tags in use (for the filter) and the page of hits go in one round trip when no tag is
    asked for; a tag is checked against the tags first."""
    q = request.GET.get("q", "").replace("\x00", "").strip()[:SEARCH_MAX_CHARS]
    page = _page_number(request)
    hits: list = []
    hits_html = ""
    more = False
    user = request.user
    searching = bool(q) and not fulltext.parse(q).empty
    postgres = connection.vendor == "postgresql"
    statements = [tags_statement(user)]
    together = searching and postgres and not request.GET.get("tag")
    if together:
        statements.append(_search_statement(user, "", q, page))
    results = read_together(statements)
    tag_names = [name for (name,) in results[0]]
    if request.GET.get("tag"):
        tags = TagFilterForm(request.GET, tags=tag_names)
        tag = tags.cleaned_data.get("tag", "") if tags.is_valid() else ""
        errors = tags.errors
    else:  # nothing to check: no form needed
        tag, errors = "", {}
    if searching and postgres:
        if not together:
            results[1:] = read_together([_search_statement(user, tag, q, page)])
        rows = results[1]
        more = len(rows) > PAGE_SIZE
        hits = [_RowHit(row) for row in rows[:PAGE_SIZE]]
        hits_html = search_items_html(rows[:PAGE_SIZE])
    elif searching:
        matches = fulltext.search(with_tag(_live_entries(request), tag), q)
        entries, more = _page_of(_for_list(matches), page)
        hits = [SearchHit(entry, _snippet_html(entry.snippet)) for entry in entries]
        hits_html = search_items(hits)
    ctx = {
        "q": q,
        "tag": tag,
        "tag_field": tag_filter_html(tag_names, request.GET, errors),
        "hits": hits,
        "hits_html": hits_html,
        "page": page,
        "next_url": _url("search", {"q": q, "tag": tag, "page": page + 1}) if more else None,
        "nav": "journal",
    }
    return _htmx_aware(request, "journal/search.html", "hit-page", ctx)


# Calendar -------------------------------------------------------------------------------


@dataclass
class Day:
    day: date
    in_month: bool
    written: bool
    is_today: bool
    url: str


def month_grid_html(weeks: list[list[Day]]) -> SafeString:
    """The month's days, written in Python: 42 cells through the template engine (a date
    filter each) were a third of the calendar page's time. Dates, numbers and our own
    address only; the names are Django's (translated) day and month names, as the date
    filter writes them ('l j F')."""
    weekday_names = [str(WEEKDAYS[n]) for n in range(7)]
    month_names: dict[int, str] = {}
    parts = []
    for week in weeks:
        for cell in week:
            day = cell.day
            if not cell.in_month:
                parts.append('<div class="day outside" aria-hidden="true"></div>')
                continue
            if day.month not in month_names:
                month_names[day.month] = str(MONTHS[day.month])
            label = escape(f"{weekday_names[day.weekday()]} {day.day} {month_names[day.month]}")
            today = " today" if cell.is_today else ""
            if cell.written:
                parts.append(
                    f'<div class="day written{today}"><a href="{escape(cell.url)}" '
                    f'aria-label="{label}: entries">{day.day}</a></div>'
                )
            else:
                parts.append(
                    f'<div class="day{today}"><span aria-label="{label}: nothing written">'
                    f"{day.day}</span></div>"
                )
    return mark_safe("\n".join(parts))  # noqa: S308 (escaped above)


def _month_from(value: str, today: date) -> tuple[date, str]:
    """The first day of the month asked for (?month=2026-11), or of this month and a reason."""
    if not value:
        return today.replace(day=1), ""
    first = parse_month(value)
    if first is None:
        return today.replace(day=1), (
            "Enter a month like 2026-11, between 1900 and 9998: showing this month."
        )
    return first, ""


def _add_months(first: date, months: int) -> date:
    index = first.year * 12 + first.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _month_html(
    first: date, written, today: date, journal_url: str
) -> tuple[SafeString, int]:
    """month_grid_html of the month beginning `first` (days in `written` linked, `today`
    marked) from its cells kept per process (_month_cells), and the month's days written."""
    cells = _month_cells(first, journal_url, get_language())
    parts = []
    days_written = 0
    for day, pieces in cells:
        if pieces is None:
            parts.append('<div class="day outside" aria-hidden="true"></div>')
        elif day in written:
            days_written += 1
            parts.append(pieces[3] if day == today else pieces[2])
        else:
            parts.append(pieces[1] if day == today else pieces[0])
    return mark_safe("\n".join(parts)), days_written  # noqa: S308 (as month_grid_html)


@lru_cache(maxsize=64)
def _month_cells(
    first: date, journal_url: str, _language: str | None
) -> tuple[tuple[date, tuple[str, str, str, str] | None], ...]:
    """The month's 35 or 42 days as month_grid_html writes them, whoever looks: for each day
    of the month its cell unwritten, unwritten today, written, written today; None for a
    day of the months around it. Dates, names and our own address (`journal_url`, escaped)
    only; `_language` keys the cache (the names are translated)."""
    weekday_names = [str(WEEKDAYS[n]) for n in range(7)]
    month_name = str(MONTHS[first.month])
    cells = []
    for week in pycalendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month):
        for day in week:
            if day.month != first.month:
                cells.append((day, None))
                continue
            label = escape(f"{weekday_names[day.weekday()]} {day.day} {month_name}")
            iso = day.isoformat()
            written = (
                f'"><a href="{journal_url}?from={iso}&amp;to={iso}" '
                f'aria-label="{label}: entries">{day.day}</a></div>'
            )
            unwritten = f'"><span aria-label="{label}: nothing written">{day.day}</span></div>'
            cells.append((day, (
                f'<div class="day{unwritten}', f'<div class="day today{unwritten}',
                f'<div class="day written{written}', f'<div class="day written today{written}',
            )))
    return tuple(cells)


@lru_cache(maxsize=64)
def _month_days(first: date, journal_url: str) -> tuple[tuple[tuple[date, bool, str], ...], ...]:
    """The month's weeks of (day, in the month, its journal address): the same for everyone."""
    return tuple(
        tuple(
            (d, d.month == first.month, f"{journal_url}?from={d.isoformat()}&to={d.isoformat()}")
            for d in week
        )
        for week in pycalendar.Calendar(firstweekday=0).monthdatescalendar(
            first.year, first.month
        )
    )


# _calendar_parts' answers by everything they are computed from.
_CALENDAR_PARTS: dict[tuple, tuple] = {}
CALENDAR_PARTS_KEPT = 64


def _calendar_parts(
    counts: dict[date, int], today: date, year: int
) -> tuple[int, int, heatmap.YearMap, SafeString]:
    """The streaks (current, longest), the year at a glance and its section's HTML: pure
    functions of the days written and their counts, today and the year shown (with the
    journal's and calendar's addresses and the month names in the active language), about
    a third of the calendar's CPU. Kept per process under all of those (at most
    CALENDAR_PARTS_KEPT, the first kept forgotten first): a person's counts change only
    when they write, move or trash an entry, and then the key does."""
    key = (
        link("calendar"), link("journal"), get_language(), today, year,
        frozenset(counts.items()),
    )
    parts = _CALENDAR_PARTS.get(key)
    if parts is None:
        current, longest = streaks(counts, today)
        year_map = heatmap.year_map(year, heatmap.counts_in(counts, year), today)
        parts = keep(_CALENDAR_PARTS, key, (current, longest, year_map, year_map.section_html),
                     CALENDAR_PARTS_KEPT)
    return parts


def calendar(request: HttpRequest) -> HttpResponse:
    """A month of days written, with the current and longest streak in the writer's time zone.

    One query for the entries per day ever written (a few thousand rows after decades), then
    streaks, the grid and the year at a glance in Python."""
    today = request.user.today()
    first, error = _month_from(request.GET.get("month", ""), today)
    counts = heatmap.counts_by_day(request.user)
    written = counts  # its days: a dict's keys, one per day
    journal_url = reverse("journal")  # once: a month shows 42 days
    weeks = [
        [Day(day=d, in_month=in_month, written=d in written, is_today=d == today, url=url)
         for d, in_month, url in week]
        for week in _month_days(first, journal_url)
    ]
    month_grid, days_written = _month_html(first, written, today, escape(journal_url))
    previous, following = _add_months(first, -1), _add_months(first, 1)
    this_month = today.replace(day=1)
    calendar_url = link("calendar")
    # The year at a glance (?year=, else the month's year), from the same counts.
    year = parse_int(request.GET.get("year", ""), minimum=FIRST_DAY.year,
                     maximum=min(today.year, LAST_DAY.year)) or min(first.year, today.year)
    current, longest, year_map, year_html = _calendar_parts(counts, today, year)
    ctx = {
        "heatmap": year_map,
        "heatmap_html": year_html,
        "month": first,
        "weeks": weeks,
        "month_grid": month_grid,
        "weekdays": ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
        "days_written": days_written,
        "current_streak": current,
        "longest_streak": longest,
        "error": error,
        # Years 1900 to 9998: four digits, as %Y writes them; nothing in them to escape.
        "previous_url": SafeString(
            f"{calendar_url}?month={previous.year:04d}-{previous.month:02d}"
        ) if previous >= FIRST_DAY else None,
        "next_url": SafeString(
            f"{calendar_url}?month={following.year:04d}-{following.month:02d}"
        ) if following <= min(this_month, LAST_DAY) else None,
        "this_month_url": calendar_url if first != this_month else None,
        "today": today,
        "nav": "journal",
    }
    return render(request, "journal/calendar.html", ctx)


# On this day ----------------------------------------------------------------------------


def same_day_filter(today: date) -> Q:
    """Entries whose monthly anniversary is `today`: the same day of the month in earlier
    months and years. A day the month does not have falls on its last day, so on 30 April
    the 31st of earlier months shows too, and on 28 February (not a leap year) the 29th,
    30th and 31st do."""
    last = pycalendar.monthrange(today.year, today.month)[1]
    same = Q(written_on__day=today.day)
    if today.day == last:
        same |= Q(written_on__day__gt=today.day)
    return same & Q(written_on__lt=today)


def time_ago(day: date, today: date) -> str:
    months = (today.year - day.year) * 12 + today.month - day.month
    years, rest = divmod(months, 12)
    parts = []
    if years:
        parts.append("a year" if years == 1 else f"{years} years")
    if rest:
        parts.append("a month" if rest == 1 else f"{rest} months")
    return (" and ".join(parts) or "earlier this month") + (" ago" if parts else "")


def on_this_day(request: HttpRequest) -> HttpResponse:
    today = request.user.today()
    entries = list(
        _live_entries(request)
        .filter(same_day_filter(today))
        .select_related("prompt")
        .defer("body", "search_text")
        .annotate(excerpt=Substr("body", 1, EXCERPT_CHARS))
        .order_by("-written_on", "-id")[:200]
    )
    groups: dict[str, list[Entry]] = {}
    for entry in entries:
        groups.setdefault(time_ago(entry.written_on, today), []).append(entry)
    ctx = {"today": today, "groups": groups, "excerpt_chars": EXCERPT_CHARS, "nav": "journal"}
    return render(request, "journal/on_this_day.html", ctx)


# Then and now ---------------------------------------------------------------------------


def then_and_now(request: HttpRequest, pk: int) -> HttpResponse:
    """Every answer to one prompt, oldest to newest, side by side."""
    # A prompt the person may see, or one they answered (a team prompt stays readable in
    # their own journal after they leave the team); another team's prompt is a 404.
    answered = Entry.objects.for_user(request.user).filter(prompt=OuterRef("pk"))
    visible = visible_prompts(request.user).values("pk")
    prompt = get_object_or_404(Prompt.objects.filter(Q(pk__in=visible) | Exists(answered)), pk=pk)
    entries = list(_live_entries(request).filter(prompt=prompt).order_by("written_on", "id"))
    answers = [(entry, render_markdown(entry.body)) for entry in entries]
    ctx = {
        "prompt": prompt,
        "answers": answers,
        "first_day": entries[0].written_on if entries else None,
        "last_day": entries[-1].written_on if entries else None,
        "nav": "journal",
    }
    return render(request, "journal/then_and_now.html", ctx)
