"""Background work: what the task worker needs beyond django-tasks-db (README, "Background work").

- `once_per_period`: a periodic task sends nothing twice for one period, however often it runs.
- `retrying`: the database backend has no retries of its own; a failed attempt is re-enqueued
  with exponential backoff (the failure stays visible in the admin as its own row).
"""
