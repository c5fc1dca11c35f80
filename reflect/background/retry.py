"""Retries with backoff for tasks on the database backend, which has none of its own."""

import functools
import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.utils import timezone
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

MAX_DELAY = timedelta(hours=1)


def backoff(attempt: int, base_seconds: float) -> timedelta:
    """Delay before attempt `attempt + 1`: base, 2x base, 4x base, ... capped at an hour."""
    return min(timedelta(seconds=base_seconds * 2 ** (attempt - 1)), MAX_DELAY)


def retrying(attempts: int = 5, base_seconds: float = 30) -> Callable:
    """Put under @task. When the function raises, the same task is enqueued again with
    retry_attempt + 1 to run after a backoff, and the exception is raised again so this
    attempt is recorded as failed (traceback in the admin). After `attempts` failures it stops.

    Backends that cannot defer (ImmediateBackend in development) do not retry: the failure
    is recorded and nothing loops inline."""

    def decorate(func: Callable) -> Callable:
        path = f"{func.__module__}.{func.__qualname__}"

        @functools.wraps(func)
        def run(*args: Any, retry_attempt: int = 1, **kwargs: Any) -> Any:
            try:
                return func(*args, **kwargs)
            except Exception:
                task = import_string(path)
                if retry_attempt < attempts and task.get_backend().supports_defer:
                    delay = backoff(retry_attempt, base_seconds)
                    task.using(run_after=timezone.now() + delay).enqueue(
                        *args, retry_attempt=retry_attempt + 1, **kwargs
                    )
                    logger.warning(
                        "%s failed (attempt %d), retry in %s", path, retry_attempt, delay
                    )
                raise

        return run

    return decorate
