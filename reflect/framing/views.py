from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from reflect.framing.explain import (
    clear_scales_of,
    counted_about,
    counted_unmarked,
    highlights,
    shown_evidence,
)
from reflect.framing.models import Framing, HighlightReport
from reflect.journal.models import Entry
from reflect.lib.bounded import parse_int


def _get_framing_for_user(request: HttpRequest, pk: int) -> Framing:
    entries = Entry.objects.for_user(request.user).live()
    return get_object_or_404(Framing.objects.select_related("entry"), entry__in=entries, entry=pk)


def entry_counted(request: HttpRequest, pk: int) -> HttpResponse:
    """What an entry's analysis counts but does not mark, with the weights: the panel's "Also
    counted, not marked", loaded when "Everything the analysis found" is opened (htmx), or a
    page of its own (the panel's link, without JavaScript). Another person's entry, or one
    in the trash, does not exist (404)."""
    framing = _get_framing_for_user(request, pk)
    context = {"entry": framing.entry, "items": counted_unmarked(framing)}
    if request.htmx:
        return render(request, "framing/counted.html#counted", context)
    return render(request, "framing/counted.html", {**context, "about": counted_about()})


def _answer(request: HttpRequest, pk: int, message: str, *, ok: bool) -> HttpResponse:
    if request.htmx:
        return render(request, "framing/panel.html#reported", {"message": message})
    (messages.success if ok else messages.error)(request, message)
    return redirect("entry", pk=pk)


@require_POST
def report_highlight(request: HttpRequest, pk: int) -> HttpResponse:
    """One report control under the entry: the chosen highlight (a number from the page) is
    wrong. Every rule behind the phrase is kept, to improve the lexicons."""
    framing = _get_framing_for_user(request, pk)
    number = parse_int(request.POST.get("highlight"), minimum=1)
    if number is None:
        return _answer(request, pk, "Choose the highlight that is wrong first.", ok=False)
    evidence = shown_evidence(framing.evidence)
    groups = highlights(framing.entry.body, evidence, framing.ignored, clear_scales_of(framing),
                        list_faint=False).groups
    if number > len(groups):
        return HttpResponse("That highlight no longer exists.", status=404)
    group = groups[number - 1]
    with transaction.atomic():
        for i in group.evidence:
            cue = evidence[i]
            HighlightReport.objects.get_or_create(
                user=request.user,
                entry=framing.entry,
                analyzer_version=framing.analyzer_version,
                dimension=cue["dimension"],
                rule=cue["rule"][:120],
                phrase=group.text[:200],
                pole=cue["pole"],
            )
    return _answer(request, pk, f"Thank you: highlight {number} is reported as wrong.", ok=True)
