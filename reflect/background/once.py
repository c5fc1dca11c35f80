"""At most once per period, across runs and workers."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

from django.db import IntegrityError, transaction

from reflect.background.models import DonePeriod


@contextmanager
def once_per_period(job: str, subject: object, period: date) -> Iterator[bool]:
    """Yield True if this (job, subject, period) has not been done, claiming it; else False.

    The claim and the work share one transaction: if the work raises (say the mail server is
    down), the claim is rolled back and a retry may do it. A second worker inserting the same
    row waits on the unique index until the first commits, then gets False."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                DonePeriod.objects.create(job=job, subject=str(subject), period=period)
        except IntegrityError:
            yield False
            return
        yield True
