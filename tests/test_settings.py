"""Settings come from the environment through strict helpers; production needs a SECRET_KEY."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from reflect.settings import envbool, envint, envlist

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    "value,expected", [("true", True), ("false", False), ("True", True), ("FALSE", False)]
)
def test_it_reads_booleans(monkeypatch, value, expected):
    monkeypatch.setenv("FLAG", value)
    assert envbool("FLAG", "false") is expected


@pytest.mark.parametrize("value", ["1", "yes", "on", "flase", ""])
def test_it_refuses_anything_but_true_or_false(monkeypatch, value):
    monkeypatch.setenv("FLAG", value)
    with pytest.raises(ImproperlyConfigured, match="FLAG"):
        envbool("FLAG", "false")


def test_it_refuses_a_non_number(monkeypatch):
    monkeypatch.setenv("N", "ten")
    with pytest.raises(ImproperlyConfigured):
        envint("N", "1")


def test_it_splits_lists(monkeypatch):
    monkeypatch.setenv("HOSTS", " a.example, b.example ,,")
    assert envlist("HOSTS", "") == ["a.example", "b.example"]


def _run_check(env_overrides: dict) -> subprocess.CompletedProcess:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("SECRET_KEY", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True
    )


def test_it_refuses_to_start_in_production_without_secret_key():
    result = _run_check({"DEBUG": "false", "ALLOWED_HOSTS": "reflect.example.com"})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_it_refuses_to_start_in_production_without_site_url():
    """Links in emails and invitations need the real address; development derives it."""
    result = _run_check({"DEBUG": "false", "SECRET_KEY": "x" * 60,
                         "ALLOWED_HOSTS": "reflect.example.com", "SITE_URL": ""})
    assert result.returncode != 0
    assert "SITE_URL must be set" in result.stderr


def test_it_refuses_a_mistyped_debug_flag():
    result = _run_check({"DEBUG": "yes"})
    assert result.returncode != 0
    assert "DEBUG='yes'" in result.stderr


def test_it_passes_the_deploy_check_with_production_settings():
    env = {
        "DEBUG": "false",
        "SECRET_KEY": "x" * 20 + "a-production-like-secret-key-with-enough-entropy-0123456789",
        "ALLOWED_HOSTS": "reflect.example.com",
        "SITE_URL": "https://reflect.example.com",
        "EMAIL_HOST": "smtp.example.com",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={**{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}, **env},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
