"""Tasks that exist only for the worker tests (importable by worker subprocesses)."""

import os

from django.tasks import task

from reflect.background.retry import retrying


@task
def record_run(path: str, n: int) -> int:
    """Append n to a file: one line per run, so a task run twice shows as a repeated line.
    O_APPEND writes of one short line are atomic between processes."""
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT)
    try:
        os.write(fd, f"{n} {os.getpid()}\n".encode())
    finally:
        os.close(fd)
    return n


@task
@retrying(attempts=3, base_seconds=10)
def always_fails() -> None:
    raise RuntimeError("the mail server is down")
