"""Journal background work: the daily trash purge and large imports."""

import json

from django.db import transaction
from django.tasks import task

from reflect.background.models import ImportJob
from reflect.background.retry import retrying
from reflect.journal.models import Entry


@task
@retrying(attempts=3, base_seconds=300)
def purge_trash() -> int:
    """Delete entries in the Trash for longer than TRASH_DAYS. One DELETE: running twice, or
    on two workers at once, removes nothing more and fails on nothing (idempotent by itself)."""
    _, by_model = Entry.objects.trash_expired().delete()
    return by_model.get("journal.Entry", 0)


@task
@retrying(attempts=3, base_seconds=30)
def import_in_background(job_id: int) -> str:
    """Import a large journal file kept in an ImportJob, one part per task run.

    The first run checks every part (nothing is written if any entry is wrong: the message
    names it, numbered as in the whole file); each later run imports the next part of
    IMPORT_MAX_ENTRIES and enqueues the one after. A part's import and the job's progress
    commit together, under a lock on the job, so a retried or duplicated run neither skips nor
    repeats a part (and importing is idempotent by uuid anyway). The file's text is erased
    when the import ends."""
    # Lazily: portability holds the import views as well as the import itself.
    from reflect.journal import portability

    part = portability.IMPORT_MAX_ENTRIES
    with transaction.atomic():
        job = (
            ImportJob.objects.select_for_update().select_related("owner").filter(pk=job_id).first()
        )
        if job is None or job.finished:
            return "nothing to do"
        data = json.loads(job.data)
        entries = data["entries"]
        today = job.owner.today()

        def parsed(start: int) -> dict:
            hidden = data.get("hidden_prompts", []) if start == 0 else []
            chunk = {**data, "entries": entries[start : start + part], "hidden_prompts": hidden}
            return portability.parse_export(chunk, today=today, first=start + 1)

        if job.status in (ImportJob.Status.QUEUED, ImportJob.Status.CHECKING):
            try:
                for start in range(0, len(entries), part):
                    parsed(start)
            except portability.ImportFileError as error:
                _end(job, ImportJob.Status.FAILED, f"{error} Nothing was imported.")
                return "failed"
            job.status, job.total = ImportJob.Status.IMPORTING, len(entries)
            job.save(update_fields=["status", "total", "updated_at"])
        else:
            try:
                result = portability.import_data(job.owner, parsed(job.done))
            except portability.ImportFileError as error:  # e.g. too many new prompts
                kept = f" The first {job.done:,} entries were imported." if job.done else ""
                _end(job, ImportJob.Status.FAILED, f"{error}{kept}")
                return "failed"
            job.done = min(job.done + part, job.total)
            job.created += result.created
            job.already_there += result.already_there
            if job.done >= job.total:
                _end(job, ImportJob.Status.DONE, "")
                return "done"
            job.save(update_fields=["done", "created", "already_there", "updated_at"])
        import_in_background.enqueue(job_id)
    return "continues"


def _end(job: ImportJob, status: str, message: str) -> None:
    job.status, job.message, job.data = status, message, ""
    job.save()
