from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from types import SimpleNamespace
from uuid import uuid4

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.signals import setting_changed
from django.db import connection, transaction
from django.db.models import Exists, F, OuterRef
from django.dispatch import receiver
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.template import Context
from django.template.defaultfilters import urlencode
from django.template.loader import get_template
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.autoreload import file_changed
from django.utils.cache import add_never_cache_headers
from django.utils.formats import localize
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_htmx.http import trigger_client_event

from reflect.journal import unsent
from reflect.journal.forms import EntryForm
from reflect.journal.models import (
    KEEP,
    Entry,
    EntryImage,
    EntryTag,
    HiddenPrompt,
    Prompt,
    Revision,
    added_tags,
    entry_to_edit,
    prompts_for,
    restore_revision,
    todays_prompt,
    visible_prompts,
    write_from_editor,
)
from reflect.journal.rows import builder, converters, instance, read_planned
from reflect.journal.templatetags.entries import day
from reflect.journal.templatetags.header import link
from reflect.lib.bounded import parse_int
from reflect.lib.kept import keep
from reflect.lib.markdown import render_markdown
from reflect.lib.owner import owner_key
from reflect.lib.sql import StatementsGone


def _get_entry_for_user(request: HttpRequest, pk: int, *, trashed: bool = False) -> Entry:
    """The signed-in person's own entry, or 404: another person's entry does not exist for them."""
    entries = Entry.objects.for_user(request.user).select_related("prompt")
    entries = entries.filter(deleted_at__isnull=not trashed)
    return get_object_or_404(entries, pk=pk)


TODAYS_PROMPT_KEY = "reflect_todays_prompt"


PROMPT_FIELDS = tuple(Prompt._meta.concrete_fields)


def _offered_statement(user, pk: int) -> tuple[str, list]:
    """Prompt `pk` if it is active, with whether this person hid it (as SQL: Django's
    compiler took more CPU building it, with its EXISTS, than the query took to run)."""
    quote = connection.ops.quote_name
    columns = ", ".join(f"p.{quote(f.column)}" for f in PROMPT_FIELDS)
    sql = (
        f"SELECT {columns}, EXISTS(SELECT 1 FROM {quote(HiddenPrompt._meta.db_table)} h "
        f"WHERE h.{quote('user_id')} = %s AND h.{quote('prompt_id')} = p.{quote('id')}) "
        f"FROM {quote(Prompt._meta.db_table)} p "
        f"WHERE p.{quote('id')} = %s AND p.{quote('is_active')}"
    )
    return sql, [user.pk, pk]


def _still_offered(user, pk: int, rows: list[tuple]) -> Prompt | None:
    """The prompt if prompts_for(user) still holds it, from _offered_statement's rows: active
    and not hidden; a team's prompt, the rare case, is then checked against the person's
    teams with one query more."""
    if not rows or rows[0][-1]:  # gone, switched off, or hidden
        return None
    prompt = instance(Prompt, PROMPT_FIELDS, converters(Prompt, PROMPT_FIELDS), rows[0][:-1])
    if prompt.source == Prompt.Source.TEAM and not visible_prompts(user).filter(pk=pk).exists():
        return None
    return prompt


HOME_LIST_COLUMNS = ("id", "prompt_id", "body", "written_on", "updated_at", "word_count", "title")
HOME_LIST_FIELDS = tuple(Entry._meta.get_field(c.removesuffix("_id")) for c in HOME_LIST_COLUMNS)
HOME_LISTS = (("recent", 3), ("drafts", 5), ("earlier", 3))


def _home_lists_statement(user, today) -> tuple[str, list]:
    """The home page's three lists in one statement written as SQL (three ORM queries cost
    about 0.6 ms of CPU each to compile, more than they took to run): the latest live
    entries, the unfinished drafts, and the live entries written on this day in earlier
    years, each newest first as Entry's ordering. Only what the lists show: an entry's
    heading (title, else its first line, else its prompt), its day, length and last save.
    Every branch reads the person's own entries only; the prompts are joined once, to the
    branches' eleven rows at most (a join in each branch cost PostgreSQL more planning)."""
    sql, month_params, day_params = _home_lists_sql(connection.vendor)
    params = [
        user.pk, user.pk, user.pk,  # recent, drafts, earlier
        *month_params, today.month, *day_params, today.day,
        connection.ops.adapt_datefield_value(today),
    ]
    return sql, params


@lru_cache(maxsize=4)
def _home_lists_sql(_vendor: str) -> tuple[str, tuple, tuple]:
    """_home_lists_statement's SQL, the same for every view (written once per process and
    database vendor), and its date functions' own parameters."""
    quote = connection.ops.quote_name
    columns = ", ".join(f"e.{quote(c)}" for c in HOME_LIST_COLUMNS)
    month, month_params = connection.ops.date_extract_sql("month", f"e.{quote('written_on')}", ())
    day, day_params = connection.ops.date_extract_sql("day", f"e.{quote('written_on')}", ())
    live = f"NOT e.{quote('is_draft')} AND e.{quote('deleted_at')} IS NULL"
    conditions = {
        "recent": live,
        "drafts": f"e.{quote('is_draft')} AND e.{quote('deleted_at')} IS NULL",
        "earlier": f"{live} AND {month} = %s AND {day} = %s AND e.{quote('written_on')} < %s",
    }
    branches = [
        f"SELECT * FROM (SELECT {columns}, '{name}' AS {quote('home_list')} "
        f"FROM {quote(Entry._meta.db_table)} e "
        f"WHERE e.{quote('author_id')} = %s AND {conditions[name]} "
        f"ORDER BY e.{quote('written_on')} DESC, e.{quote('id')} DESC LIMIT {limit:d}) "
        f"{quote(name)}"
        for name, limit in HOME_LISTS
    ]
    sql = (
        f"SELECT u.*, p.{quote('text')} AS {quote('prompt_text')} "
        f"FROM ({' UNION ALL '.join(branches)}) u LEFT OUTER JOIN "
        f"{quote(Prompt._meta.db_table)} p ON p.{quote('id')} = u.{quote('prompt_id')}"
    )
    return sql, tuple(month_params), tuple(day_params)


def _home_lists(rows: list[tuple]) -> dict[str, list[Entry]]:
    """_home_lists_statement's rows as each list's entries, newest first."""
    lists: dict[str, list[Entry]] = {name: [] for name, _ in HOME_LISTS}
    make = builder(Entry, HOME_LIST_FIELDS)
    width = len(HOME_LIST_FIELDS)
    for row in rows:
        entry = make(row[:width])
        name, prompt_text = row[width:]
        if entry.prompt_id is not None:
            # As select_related("prompt") would: the heading names the prompt when the
            # entry has neither title nor text.
            entry._state.fields_cache["prompt"] = Prompt(id=entry.prompt_id, text=prompt_text)
        lists[name].append(entry)
    for entries in lists.values():  # each branch's order, whatever UNION ALL does with it
        entries.sort(key=lambda entry: (entry.written_on, entry.pk), reverse=True)
    return lists


def home(request: HttpRequest) -> HttpResponse:
    """Today's prompt, the trends sparkline, drafts, this day in earlier years and the latest
    entries: read in one round trip of statements kept planned on PostgreSQL. Today's prompt
    is chosen once a day per browser session (three queries and a ranking) and then only
    checked: still active, visible to this person, not hidden."""
    from reflect.trends.templatetags.trends import spark_statement, spark_weeks

    user = request.user
    today = user.today()
    chosen = request.session.get(TODAYS_PROMPT_KEY)
    checked = chosen[1] if chosen and chosen[0] == today.isoformat() else None
    statements = [_home_lists_statement(user, today), spark_statement(user.pk, today)]
    if checked is not None:
        statements.append(_offered_statement(user, checked))
    results = read_planned(statements)  # every visit to Reflect starts here
    prompt = _still_offered(user, checked, results[2]) if checked is not None else None
    if prompt is None:
        prompt = todays_prompt(user)
        if prompt is not None:
            request.session[TODAYS_PROMPT_KEY] = [today.isoformat(), prompt.pk]
    ctx = {
        "prompt": prompt,
        "today": today,
        **_home_lists(results[0]),
        "spark_weeks": spark_weeks(results[1]),
        "nav": "home",
    }
    return render(request, "journal/home.html", ctx)


def prompt_list(request: HttpRequest) -> HttpResponse:
    hidden = HiddenPrompt.objects.filter(user=request.user, prompt=OuterRef("pk"))
    answers = Entry.objects.for_user(request.user).live().filter(prompt=OuterRef("pk"))
    prompts = (
        visible_prompts(request.user)
        .annotate(
            is_hidden=Exists(hidden), is_answered=Exists(answers),
            team_name=F("team_prompt__team__name"),
        )
        .order_by("category", "position", "id")
    )
    show_hidden = request.GET.get("hidden") == "1"
    groups: dict[str, list[Prompt]] = {}
    for prompt in prompts:
        if prompt.is_hidden and not show_hidden:
            continue
        groups.setdefault(prompt.get_category_display(), []).append(prompt)
    hidden_count = sum(1 for p in prompts if p.is_hidden)
    ctx = {
        "groups": groups,
        "show_hidden": show_hidden,
        "hidden_count": hidden_count,
        "nav": "prompts",
    }
    return render(request, "journal/prompts.html", ctx)


def _prompt_toggle_response(request: HttpRequest, prompt: Prompt, hidden: bool) -> HttpResponse:
    if request.htmx:
        prompt.is_hidden = hidden
        return render(request, "journal/prompts.html#prompt-row", {"prompt": prompt})
    return redirect(reverse("prompts") + ("?hidden=1" if request.GET.get("hidden") == "1" else ""))


@require_POST
def prompt_hide(request: HttpRequest, pk: int) -> HttpResponse:
    prompt = get_object_or_404(visible_prompts(request.user), pk=pk)
    HiddenPrompt.objects.get_or_create(user=request.user, prompt=prompt)
    if not request.htmx:
        messages.info(request, "Hidden. It won't be offered as today's prompt.")
    return _prompt_toggle_response(request, prompt, True)


@require_POST
def prompt_show(request: HttpRequest, pk: int) -> HttpResponse:
    prompt = get_object_or_404(visible_prompts(request.user), pk=pk)
    HiddenPrompt.objects.filter(user=request.user, prompt=prompt).delete()
    return _prompt_toggle_response(request, prompt, False)


def _editor(
    request, form: EntryForm, *, entry: Entry | None, prompt: Prompt | None, status: int = 200,
    preview: str = "",
):
    ctx = {"form": form, "entry": entry, "prompt": prompt, "nav": "write", "preview": preview,
           "autosave_timeout_ms": settings.AUTOSAVE_TIMEOUT_MS}
    response = render(request, "journal/write.html", ctx, status=status)
    # Never restored from the back/forward cache or the HTTP cache: a stale editor would make a
    # hidden draft or a false conflict (reflect.js also reloads on a persisted pageshow).
    add_never_cache_headers(response)
    return response


def _editor_initial(request: HttpRequest, **initial) -> dict:
    """Each editor page is one writing session, opened by one account."""
    return {**initial, "writing_session": uuid4(), "owner": owner_key(request.user.pk)}


def entry_new(request: HttpRequest) -> HttpResponse:
    """Start writing: against a prompt (?prompt=ID) or free. An unfinished draft resumes."""
    prompt = None
    if request.GET.get("prompt"):
        try:
            prompt = prompts_for(request.user).get(pk=int(request.GET["prompt"]))
        except (ValueError, Prompt.DoesNotExist):
            messages.error(request, "That prompt is not available. You can write a free entry.")
            return redirect("entry_new")
    draft = (
        Entry.objects.for_user(request.user)
        .filter(is_draft=True, deleted_at__isnull=True, prompt=prompt)
        .order_by("-updated_at")
        .first()
    )
    if draft is not None:
        return redirect("entry_edit", pk=draft.pk)
    initial = _editor_initial(
        request, prompt=prompt.pk if prompt else None, written_on=request.user.today(), version=0
    )
    form = EntryForm(initial=initial, user=request.user)
    return _editor(request, form, entry=None, prompt=prompt)


def entry_offline(request: HttpRequest) -> HttpResponse:
    """The empty editor a phone keeps for writing offline (static/js/pwa.js caches it for this
    account only, static/sw.js shows it when /write/ cannot be reached). Never a draft's text,
    never a prompt: the page holds no journal text. pwa.js gives each opening its own writing
    session and today's date."""
    initial = _editor_initial(request, prompt=None, written_on=request.user.today(), version=0)
    form = EntryForm(initial=initial, user=request.user)
    return _editor(request, form, entry=None, prompt=None)


def entry_edit(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _get_entry_for_user(request, pk)
    initial = _editor_initial(
        request,
        entry=entry.pk,
        version=entry.version,
        prompt=entry.prompt_id,
        written_on=entry.written_on,
        body=entry.body,
        mood=entry.mood,
        title=entry.title,
        tags=" ".join(added_tags(entry)),
    )
    form = EntryForm(initial=initial, user=request.user, current_entry=entry)
    return _editor(request, form, entry=entry, prompt=entry.prompt)


def _in_transaction(work):
    """work() in a transaction, run again once when the statements PostgreSQL kept for the
    editor's first read were gone (reflect.lib.sql.StatementsGone: raised before anything
    was written)."""
    try:
        with transaction.atomic():
            return work()
    except StatementsGone:
        with transaction.atomic():
            return work()


def _bound_form(request: HttpRequest) -> tuple[EntryForm, Entry | None]:
    """The editor's POST and the entry it edits, read once and locked for the edit that follows
    (edit_entry's `locked`): called inside a transaction. Another person's entry, or one in
    the trash, does not exist (404)."""
    pk = parse_int(request.POST.get("entry", ""))
    entry = None
    if pk is not None:
        entry = entry_to_edit(request.user, pk)
        if entry is None:
            raise Http404
    return EntryForm(request.POST, user=request.user, current_entry=entry), entry


def _bound_form_from(request: HttpRequest, data) -> tuple[EntryForm, Entry | None]:
    pk = parse_int(data.get("entry", ""))
    entry = _get_entry_for_user(request, pk) if pk is not None else None
    return EntryForm(data, user=request.user, current_entry=entry), entry


def _apply(form: EntryForm, entry: Entry | None, user, *, autosave: bool) -> tuple[Entry, bool]:
    data = form.cleaned_data
    return write_from_editor(
        author=user,
        entry=entry,
        session=data["writing_session"],
        body=data["body"],
        written_on=data["written_on"],
        prompt=data["prompt"],
        base_version=data["version"] or 0,
        autosave=autosave,
        mood=data["mood"],
        tags=data["tags"],
        # A page or client that sends no title field leaves the title as it is.
        title=data["title"] if "title" in form.data else KEEP,
        locked=entry is not None,
    )


def _prompt_of(request: HttpRequest, form: EntryForm, entry: Entry | None) -> Prompt | None:
    """The prompt to show above a re-rendered editor."""
    if entry is not None:
        return entry.prompt
    pk = parse_int(form.data.get("prompt", ""))
    return prompts_for(request.user).filter(pk=pk).first() if pk is not None else None


def _not_yours(request: HttpRequest) -> HttpResponse:
    """An editor page opened by another account posted while this one is signed in."""
    return render(request, "journal/not_yours.html", {"nav": "write"}, status=403)


def _keep_conflicting_text(entry: Entry, form: EntryForm) -> Revision:
    """A refused edit is stored too, so that closing the conflict page loses nothing."""
    data = form.cleaned_data
    return Revision.objects.create(
        entry=entry,
        body=data["body"],
        written_on=data["written_on"],
        prompt=data["prompt"],
        version=data["version"] or 0,
        reason=Revision.Reason.CONFLICT,
    )


@login_not_required
@require_POST
def entry_save(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        # The session expired while writing: keep the text for the account that wrote it and
        # bring it back in the editor once that account has logged in again.
        if unsent.keep(request):
            messages.info(request, "Your session had expired. Log in again to save your text.")
        return redirect_to_login(reverse("entry_resume"))

    def save():
        form, entry = _bound_form(request)
        if form.belongs_to_another_account():
            return None
        if not form.is_valid():
            return form, entry, None, None
        entry, ok = _apply(form, entry, request.user, autosave=False)
        return form, entry, ok, None if ok else _keep_conflicting_text(entry, form)

    saved = _in_transaction(save)
    if saved is None:
        return _not_yours(request)
    form, entry, ok, kept = saved
    if ok is None:
        return _editor(
            request, form, entry=entry, prompt=_prompt_of(request, form, entry), status=422
        )
    if not ok:
        return render(
            request,
            "journal/conflict.html",
            {"entry": entry, "mine": form.cleaned_data, "kept": kept, "nav": "write"},
            status=409,
        )
    messages.success(request, "Saved.")
    return redirect("entry", pk=entry.pk)


def saved_status(entry: Entry, saved_at: str) -> str:
    """The editor's save status after an autosave, and the entry's number and version for the
    next one (htmx swaps them in out of band): what write.html's save-status partial writes
    for the "saved" state, written here because every autosave answers with it (the partial
    cost a template render with the context processors). Numbers and a time only."""
    draft = " as a draft" if entry.is_draft else ""
    return (
        '\n      <p id="save-status" class="save-status" role="status" aria-live="polite" '
        f'data-state="saved">\n        Saved {escape(saved_at)}{draft}\n        \n      </p>\n'
        f'      \n      <input type="hidden" name="entry" id="id_entry" value="{entry.pk:d}" '
        'hx-swap-oob="true">\n'
        f'      <input type="hidden" name="version" id="id_version" value="{entry.version:d}" '
        'hx-swap-oob="true">\n      \n      '
    )


@login_not_required
@require_POST
def entry_autosave(request: HttpRequest) -> HttpResponse:
    """Autosave from the editor (htmx). Answers with the save status and the new version."""
    ctx: dict = {}
    if not request.user.is_authenticated:
        ctx["state"] = "expired"
        response = render(request, "journal/write.html#save-status", ctx, status=401)
        return trigger_client_event(response, "reflect:session-expired")

    def autosave():
        form, entry = _bound_form(request)
        if form.belongs_to_another_account():
            return None
        if not form.is_valid():
            return form, entry, None
        return form, *_apply(form, entry, request.user, autosave=True)

    saved = _in_transaction(autosave)
    if saved is None:
        ctx["state"] = "not-yours"
        response = render(request, "journal/write.html#save-status", ctx, status=403)
        return trigger_client_event(response, "reflect:not-yours")
    form, entry, ok = saved
    if ok is None:
        ctx.update(state="invalid", errors=form.errors)
        return render(request, "journal/write.html#save-status", ctx, status=422)
    if not ok:
        ctx.update(state="conflict", entry=entry)
        return render(request, "journal/write.html#save-status", ctx, status=409)
    local = timezone.localtime(entry.updated_at)
    # What time_format(local, "H:i") writes (a literal format: no locale in it), without
    # Django's format lookups on every autosave.
    response = HttpResponse(saved_status(entry, f"{local.hour:02d}:{local.minute:02d}"))
    return trigger_client_event(
        response, "reflect:saved", {"entry": entry.pk, "version": entry.version}
    )


@require_POST
def entry_preview(request: HttpRequest) -> HttpResponse:
    """The rendered Markdown; without JavaScript, the whole editor with the preview below it."""
    preview = render_markdown(request.POST.get("body", "")[: settings.ENTRY_MAX_CHARS])
    if request.htmx:
        return render(request, "journal/write.html#preview", {"preview": preview})
    form, entry = _bound_form_from(request, request.POST)
    form.is_valid()  # show any problem now rather than on save
    return _editor(
        request, form, entry=entry, prompt=_prompt_of(request, form, entry), preview=preview
    )


@login_not_required
@never_cache
def session_status(request: HttpRequest) -> JsonResponse:
    """For an open editor whose session expired: is someone signed in again, who (as an
    account key, never an address), and the CSRF token that now goes with this browser."""
    if not request.user.is_authenticated:
        return JsonResponse({"authenticated": False})
    return JsonResponse(
        {"authenticated": True, "owner": owner_key(request.user.pk), "csrf": get_token(request)}
    )


def entry_resume(request: HttpRequest) -> HttpResponse:
    """Back in the editor with the text a Save could not store (expired session, stale page)."""
    data, foreign = unsent.take(request)
    if data is None:
        if foreign:
            messages.info(
                request,
                "Text waiting on this browser belonged to another account: it was not opened.",
            )
        return redirect("entry_new")
    form, entry = _bound_form_from(request, data)
    messages.info(request, "Your text is back. Check it and press Save to keep it.")
    return _editor(request, form, entry=entry, prompt=_prompt_of(request, form, entry))


def _entry_page_rows(user, pk: int) -> tuple[Entry | None, list[str], list]:
    """The entry page's reading in one round trip on PostgreSQL (three statements sent
    together, kept planned on the connection: reflect.lib.sql.read_kept), one by one
    elsewhere, all written as SQL: Django's compiler took about 1.5 ms of CPU per view to
    build them. The person's own entry `pk` out of the trash with
    its prompt, its framing and the count of its earlier versions (its search text, the
    body again, left unread); its tags; its images. Every statement is scoped to the
    person (an entry, tag or image of anyone else is never read)."""
    plan = _entry_page_plan(connection.ops)
    params = [pk, user.pk]
    statements = [(sql, params) for sql in plan.statements]
    rows, tag_rows, image_rows = read_planned(statements)
    if not rows:
        return None, [], []
    row = rows[0]
    cut_prompt, cut_framing, cut_count = plan.cuts
    entry = plan.entry(row[:cut_prompt])
    prompt = framing = None
    if row[cut_prompt] is not None:
        prompt = plan.prompt(row[cut_prompt:cut_framing])
    if row[cut_framing] is not None:
        framing = plan.framing(row[cut_framing:cut_count])
        framing._state.fields_cache["entry"] = entry
    # The framing row as read, for the panel's cache (_framing_context); None without one.
    entry.framing_row = row[cut_framing:cut_count] if framing is not None else None
    # As select_related("prompt", "framing"): no query when the page reads them.
    entry._state.fields_cache["prompt"] = prompt
    entry._state.fields_cache["framing"] = framing
    entry.revision_count = row[cut_count]
    images = [plan.image(r) for r in image_rows]
    for image in images:
        image._state.fields_cache["entry"] = entry
    return entry, [name for (name,) in tag_rows], images


@dataclass(frozen=True)
class _EntryPagePlan:
    statements: tuple[str, str, str]  # the entry's row, its tags, its images
    cuts: tuple[int, int, int]  # where the entry's row ends, its prompt's, its framing's
    entry: Callable
    prompt: Callable
    framing: Callable
    image: Callable


@lru_cache(maxsize=8)
def _entry_page_plan(ops) -> _EntryPagePlan:
    """_entry_page_rows' statements and row readers, the same for every page: worked out
    once per database connection (`ops`, its operations: quoting and converters) instead
    of quoting some sixty columns and looking up their converters on every view."""
    from reflect.framing.models import Framing

    q = ops.quote_name
    entry_fields = [f for f in Entry._meta.concrete_fields if f.name != "search_text"]
    prompt_fields = list(Prompt._meta.concrete_fields)
    framing_fields = list(Framing._meta.concrete_fields)
    image_fields = list(EntryImage._meta.concrete_fields)
    columns = ", ".join([
        *(f"e.{q(f.column)}" for f in entry_fields),
        *(f"p.{q(f.column)}" for f in prompt_fields),
        *(f"f.{q(f.column)}" for f in framing_fields),
    ])
    entry_sql = (
        f"SELECT {columns}, (SELECT COUNT(*) FROM {q(Revision._meta.db_table)} r "
        f"WHERE r.{q('entry_id')} = e.{q('id')}) "
        f"FROM {q(Entry._meta.db_table)} e "
        f"LEFT OUTER JOIN {q(Prompt._meta.db_table)} p ON p.{q('id')} = e.{q('prompt_id')} "
        f"LEFT OUTER JOIN {q(Framing._meta.db_table)} f ON f.{q('entry_id')} = e.{q('id')} "
        f"WHERE e.{q('id')} = %s AND e.{q('author_id')} = %s AND e.{q('deleted_at')} IS NULL"
    )
    tags_sql = (
        f"SELECT {q('name')} FROM {q(EntryTag._meta.db_table)} "
        f"WHERE {q('entry_id')} = %s AND {q('author_id')} = %s ORDER BY {q('name')}"
    )
    images_sql = (
        f"SELECT {', '.join(q(f.column) for f in image_fields)} "
        f"FROM {q(EntryImage._meta.db_table)} WHERE {q('entry_id')} = %s "
        f"AND {q('author_id')} = %s ORDER BY {q('created_at')}, {q('id')}"
    )
    cut_prompt = len(entry_fields)
    cut_framing = cut_prompt + len(prompt_fields)
    return _EntryPagePlan(
        statements=(entry_sql, tags_sql, images_sql),
        cuts=(cut_prompt, cut_framing, cut_framing + len(framing_fields)),
        entry=builder(Entry, entry_fields),
        prompt=builder(Prompt, prompt_fields),
        framing=builder(Framing, framing_fields),
        image=builder(EntryImage, image_fields),
    )


def entry_detail(request: HttpRequest, pk: int) -> HttpResponse:
    entry, tags, images = _entry_page_rows(request.user, pk)
    if entry is None:
        raise Http404("No such entry")
    if entry.is_draft:
        return redirect("entry_edit", pk=entry.pk)
    ctx = {
        "entry": entry,
        "revision_count": entry.revision_count or 0,
        "tags": tags,
        "images": images,
        "image_max_mb": settings.IMAGE_MAX_BYTES // (1024 * 1024),
        "nav": "journal",
    }
    if not images:
        number = str(entry.pk)
        before, after = _no_images_parts(
            get_script_prefix(), get_urlconf(), settings.ROOT_URLCONF, ctx["image_max_mb"]
        )
        ctx["no_images"] = (SafeString(number.join(before)), SafeString(number.join(after)))
    ctx.update(_framing_context(entry))
    ctx["article"] = _entry_article(entry, tags, ctx["html"], ctx["revision_count"])
    return render(request, "journal/entry.html", ctx)


def _entry_article(
    entry: Entry, tags: list[str], html: str, revision_count: int
) -> tuple[SafeString, SafeString]:
    """The page's <article> (heading, text, mood and tags, actions) as its template wrote it,
    before and after the Trash form's {% csrf_token %}: through the template engine its
    thirty-odd nodes cost about 0.1 ms a page."""
    pk, prompt_id, prompt = entry.pk, entry.prompt_id, entry.prompt
    words = localize(entry.word_count)
    words = f"{words} word{'' if entry.word_count == 1 else 's'}"
    iso, long = escape(day(entry.written_on, "Y-m-d")), escape(day(entry.written_on, "l j F Y"))
    out = [
        '\n<article class="entry" data-clear-drafts="entry:'
        f'{localize(pk)} new:{localize(prompt_id) if prompt_id else "free"}">\n  <header>\n    '
    ]
    if entry.title or prompt_id:
        heading = escape(entry.title) if entry.title else escape(prompt.text)
        out.append(
            f'\n    <p class="eyebrow"><time datetime="{iso}">{long}</time> · {words}</p>\n'
            f'    <h1 class="prompt-text" dir="auto">{heading}</h1>\n    '
        )
        if entry.title and prompt_id:
            out.append(f'<p class="muted">In answer to: {escape(prompt.text)}</p>')
        out.append("\n    ")
    else:
        out.append(
            f'\n    <h1 class="entry-date"><time datetime="{iso}">{long}</time></h1>\n'
            f'    <p class="eyebrow">{words}</p>\n    '
        )
    out.append("\n    ")
    if prompt is not None and prompt.passage:
        out.append(
            '<details class="passage"><summary>Read the passage it comes from</summary>'
            f"<blockquote>{escape(prompt.passage)}</blockquote></details>"
        )
    out.append(f'\n  </header>\n  <div class="entry-body" dir="auto">{html}</div>\n  ')
    if entry.mood or tags:
        out.append('<div class="entry-meta">\n    ')
        if entry.mood:
            out.append(
                '<p class="mood-shown">How the day felt, in your words: '
                f"<strong>{escape(entry.get_mood_display())}</strong> "
                f"({localize(entry.mood)} of 5)</p>"
            )
        out.append("\n    ")
        if tags:
            journal = link("journal")
            out.append('<ul class="tag-list" aria-label="Tags">')
            out += [
                f'<li><a href="{journal}?tag={escape(urlencode(tag))}">#{escape(tag)}</a></li>'
                for tag in tags
            ]
            out.append("</ul>")
        out.append("\n  </div>")
    out.append(
        '\n  <footer class="actions">\n'
        f'    <a class="button" href="{link("entry_edit", pk)}">Edit</a>\n    '
    )
    if revision_count:
        out.append(
            f'<a href="{link("revisions", pk)}">Earlier versions ({localize(revision_count)})</a>'
        )
    out.append("\n    ")
    if prompt_id:
        out.append(
            f'<a href="{link("then_and_now", prompt_id)}">All my answers to this prompt</a>'
        )
    out.append(
        f'\n    <a href="{link("share_entry", pk)}">Share with my team’s managers</a>\n'
        f'    <form method="post" action="{link("entry_delete", pk)}" class="inline">'
    )
    tail = (
        '\n      <button type="submit" class="secondary">Move to Trash</button>\n'
        "    </form>\n  </footer>\n</article>"
    )
    return mark_safe("".join(out)), mark_safe(tail)


# A number no address of ours holds and a token no page has: journal/_images.html rendered
# once around them, for an entry with no images, is that section for every such entry.
_SOME_ENTRY = 918273645
_SOME_TOKEN = "someCsrfTokenOfNoPage"


@lru_cache(maxsize=16)
def _no_images_parts(
    _prefix: str, _urlconf: str | None, _root_urlconf: str, image_max_mb: int
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The images section of an entry with no images as journal/_images.html writes it, made
    once per process (and URL prefix, configuration and size limit): the text before and
    after its {% csrf_token %}, each cut where the entry's number goes. Through the template
    engine its url tags and fixed text cost about 0.1 ms on every entry page."""
    template = get_template("journal/_images.html").template
    context = Context({
        "entry": SimpleNamespace(pk=_SOME_ENTRY), "images": [],
        "image_max_mb": image_max_mb, "csrf_token": _SOME_TOKEN,
    })
    # Its nodes rendered as Template.render would, but not announced as a page's template
    # (the test client would take this context for the page's).
    with context.render_context.push_state(template), context.bind_template(template):
        html = template.nodelist.render(context)
    token = format_html(
        '<input type="hidden" name="csrfmiddlewaretoken" value="{}">', _SOME_TOKEN
    )
    before, after = html.split(token)  # one form: one token
    return tuple(before.split(str(_SOME_ENTRY))), tuple(after.split(str(_SOME_ENTRY)))


@receiver(setting_changed)
@receiver(file_changed)
def _forget_no_images_parts(**kwargs) -> None:
    _no_images_parts.cache_clear()  # a template edited under runserver, or tests' settings


# explain_entry's answers by everything they are computed from (see _framing_context).
_EXPLAINED: dict[tuple, dict] = {}
EXPLAINED_MAX = 32  # entries per process
EXPLAINED_MAX_CHARS = 200_000  # an entry whose text and framing row are longer is not kept


def _framing_context(entry: Entry) -> dict:
    """The framing panel, and `html`: the entry rendered with its highlights.

    explain_entry is a pure function of the entry's number and text and its framing row
    (evidence, ignored spans, scores, confidence, flags), with addresses by URL prefix and
    configuration and numbers in the active language: about a fifth of the entry page's
    CPU. So its answer is kept per process for the last EXPLAINED_MAX entries shown, under
    all of those exactly as read from the database (entry_page_rows' framing_row: the
    row's every column, its time of analysis included; a key equal only when each value
    is). The page reads the panel's HTML (written around its own CSRF token) and whether
    it has highlights; the Framing object in the panel is the one read for this view."""
    from reflect.framing.explain import explain_entry

    row = getattr(entry, "framing_row", _NOT_READ)
    if row is _NOT_READ:
        return explain_entry(entry)
    size = len(entry.body) + sum(len(v) for v in row or () if isinstance(v, str | bytes))
    key = (
        get_script_prefix(), get_urlconf(), settings.ROOT_URLCONF, get_language(),
        entry.pk, entry.body, row if row is None else tuple(row),
    )
    try:
        found = _EXPLAINED.pop(key, None)
    except TypeError:  # a column read as something unhashable: not kept
        return explain_entry(entry)
    if found is None:
        found = explain_entry(entry)
        if size > EXPLAINED_MAX_CHARS:
            return found
    keep(_EXPLAINED, key, found, EXPLAINED_MAX)  # the most recently shown last
    panel = found["framing_panel"]
    if panel is None:
        return dict(found)
    return {**found, "framing_panel": {**panel, "framing": entry.framing}}


_NOT_READ = object()


@receiver(setting_changed)
@receiver(file_changed)
def _forget_explained(**kwargs) -> None:
    _EXPLAINED.clear()  # tests' settings, or code edited under runserver


@require_POST
def entry_delete(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _get_entry_for_user(request, pk)
    entry.deleted_at = timezone.now()
    entry.save(update_fields=["deleted_at"])
    entry.refresh_analysis()  # a trashed entry leaves every trend and summary at once
    messages.success(request, "Moved to Trash. You can restore it for 30 days.")
    return redirect("journal")


@require_POST
def entry_restore(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _get_entry_for_user(request, pk, trashed=True)
    entry.deleted_at = None
    entry.save(update_fields=["deleted_at"])
    entry.refresh_analysis()
    messages.success(request, "Restored from Trash.")
    return redirect("entry", pk=entry.pk)


def trash(request: HttpRequest) -> HttpResponse:
    entries = (
        Entry.objects.for_user(request.user)
        .in_trash()
        .select_related("prompt")
        .order_by("-deleted_at")
    )
    return render(request, "journal/trash.html", {"entries": entries, "nav": "journal"})


def revision_list(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _get_entry_for_user(request, pk)
    revisions = entry.revisions.select_related("prompt")
    return render(
        request,
        "journal/revisions.html",
        {"entry": entry, "revisions": revisions, "nav": "journal"},
    )


@require_POST
def revision_restore(request: HttpRequest, pk: int, revision_pk: int) -> HttpResponse:
    entry = _get_entry_for_user(request, pk)
    revision = get_object_or_404(Revision, pk=revision_pk, entry=entry)
    restore_revision(entry, revision)
    messages.success(request, "Restored. The text it replaced is kept as a revision.")
    return redirect("entry", pk=entry.pk)
