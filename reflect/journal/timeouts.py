"""A database statement that PostgreSQL cancelled (settings' STATEMENT_TIMEOUT_MS) answers 503.

No request may hold a worker until gunicorn kills it, and a cancelled save must not lose what
was written: the save's transaction is rolled back, so nothing half-written is stored, and
the text goes back to the person. The editor's script keeps its local copy on any error and
sends it again; a plain form Save gets a page with its text, and a link back to the editor
with it (reflect.journal.unsent).
"""

import logging

from django.db import OperationalError
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.urls import reverse

from reflect.journal import unsent

logger = logging.getLogger(__name__)
QUERY_CANCELED = "57014"  # PostgreSQL's SQLSTATE for a statement cancelled by its timeout


def is_statement_timeout(exception: BaseException) -> bool:
    cause = exception.__cause__
    return isinstance(exception, OperationalError) and (
        getattr(cause, "sqlstate", None) == QUERY_CANCELED
    )


class StatementTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not is_statement_timeout(exception):
            return None
        logger.warning("Statement timeout on %s %s", request.method, request.path)
        body = request.POST.get("body", "") if request.method == "POST" else ""
        resume = (
            request.path == reverse("entry_save")
            and request.user.is_authenticated
            and unsent.keep(request)
        )
        if resume:
            # SessionMiddleware does not save a session on a 5xx answer: save it here.
            try:
                request.session.save()
            except Exception:  # the database may be what is failing: the page still has it
                logger.exception("Could not keep the unsent text in the session")
                resume = False
        html = loader.get_template("errors/503.html").render(
            {"body": body, "resume_url": reverse("entry_resume") if resume else ""}
        )
        response = HttpResponse(html, status=503)
        response["Retry-After"] = "30"
        return response
