"""deploy/systemd: every timer starts a service that runs a management command that exists,
and the README's cron alternative runs the same commands (issue 12, Background work)."""

import re
from pathlib import Path

from django.core.management import get_commands

DEPLOY = Path(__file__).resolve().parent.parent / "deploy" / "systemd"
README = Path(__file__).resolve().parent.parent / "README.md"


def test_it_schedules_only_commands_that_exist_and_documents_each_as_cron():
    commands = get_commands()
    readme = README.read_text()
    timers = sorted(DEPLOY.glob("*.timer"))
    assert len(timers) >= 4
    for timer in timers:
        service = timer.with_suffix(".service")
        assert service.exists(), f"{timer.name} has no service"
        text = service.read_text()
        match = re.search(r"^ExecStart=.*manage\.py (\w+)", text, re.MULTILINE)
        assert match, service.name
        assert match.group(1) in commands, f"{service.name}: no command {match.group(1)}"
        assert "Type=oneshot" in text
        assert f"manage.py {match.group(1)}" in readme.split("```cron")[1].split("```")[0], (
            f"README's cron lines miss {match.group(1)}"
        )
        assert "Persistent=true" in timer.read_text()
