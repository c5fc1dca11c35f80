from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from reflect.reminders import actions
from reflect.reminders.forms import ReminderForm
from reflect.reminders.links import read_token
from reflect.reminders.models import Reminder


@require_http_methods(["GET", "POST"])
def reminder_settings(request: HttpRequest) -> HttpResponse:
    """The signed-in person's own reminder; nobody else's is reachable (no id in the URL)."""
    reminder = Reminder.objects.filter(user=request.user).first() or Reminder(user=request.user)
    initial = {"enabled": reminder.enabled, "weekdays": reminder.weekdays, "time": reminder.time}
    form = ReminderForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        reminder = actions.save_reminder(
            request.user, enabled=data["enabled"], weekdays=data["weekdays"], at=data["time"]
        )
        messages.success(
            request,
            f"Reminders on: {reminder.describe()}." if reminder.enabled else "Reminders are off.",
        )
        return redirect("reminders")
    status = 400 if request.method == "POST" else 200
    ctx = {"form": form, "reminder": reminder, "today": request.user.today(), "nav": "account"}
    return render(request, "reminders/settings.html", ctx, status=status)


@login_not_required
@require_http_methods(["GET", "POST"])
def reminder_link(request: HttpRequest, token: str) -> HttpResponse:
    """From a reminder email, signed in or not: GET shows a button, POST pauses or stops."""
    parsed = read_token(token)
    if parsed is None:
        raise Http404("This link is not valid")
    user = get_object_or_404(get_user_model(), pk=parsed[0], is_active=True)
    action = parsed[1]
    reminder = None
    if request.method == "POST":
        reminder = actions.pause_for_a_week(user) if action == "pause" else actions.stop(user)
    ctx = {"action": action, "token": token, "reminder": reminder}
    return render(request, "reminders/link.html", ctx)
