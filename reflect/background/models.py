import uuid

from django.conf import settings
from django.db import models


class DonePeriod(models.Model):
    """One row per periodic job, subject and period that has been done (e.g. the weekly summary
    of one manager's team for the week starting 2026-11-23). The unique constraint is what
    makes a second run, or a second worker at the same moment, do nothing."""

    job = models.CharField(max_length=64)
    subject = models.CharField(max_length=64)
    period = models.DateField()
    done_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["job", "subject", "period"], name="done_once_per_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.job} {self.subject} {self.period}"


class ImportJob(models.Model):
    """A journal file too large to import within one request, kept until the worker has
    imported it. Private to its owner (the status page is 404 for anyone else); the file's
    text is erased as soon as the import ends, done or failed."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting for the worker"
        CHECKING = "checking", "Checking the file"
        IMPORTING = "importing", "Importing"
        DONE = "done", "Done"
        FAILED = "failed", "Not imported"

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="import_jobs"
    )
    public_id = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    status = models.CharField(max_length=16, choices=Status, default=Status.QUEUED)
    data = models.TextField(blank=True)  # the uploaded JSON, erased when the import ends
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)  # entries of the file handled so far
    created = models.PositiveIntegerField(default=0)
    already_there = models.PositiveIntegerField(default=0)
    message = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"import {self.public_id} ({self.status})"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def percent(self) -> int:
        return 100 if self.status == self.Status.DONE else 100 * self.done // max(self.total, 1)
