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
