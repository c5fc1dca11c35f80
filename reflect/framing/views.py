from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from reflect.framing.models import Framing, HighlightReport
from reflect.journal.models import Entry


def _get_framing_for_user(request: HttpRequest, pk: int) -> Framing:
    entries = Entry.objects.for_user(request.user).live()
    return get_object_or_404(Framing.objects.select_related("entry"), entry__in=entries, entry=pk)


@require_POST
def report_highlight(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """"This highlight is wrong": keep the phrase and the rule, to improve the lexicons."""
    framing = _get_framing_for_user(request, pk)
    if not 1 <= number <= len(framing.evidence):
        return HttpResponse("That highlight no longer exists.", status=404)
    cue = framing.evidence[number - 1]
    HighlightReport.objects.get_or_create(
        user=request.user,
        entry=framing.entry,
        analyzer_version=framing.analyzer_version,
        dimension=cue["dimension"],
        rule=cue["rule"][:120],
        phrase=framing.entry.body[cue["start"] : cue["end"]][:200],
        pole=cue["pole"],
    )
    if request.htmx:
        return render(request, "framing/panel.html#reported", {"number": number})
    messages.success(request, "Thank you: that highlight is reported.")
    return redirect("entry", pk=pk)
