"""Production settings pass `manage.py check --deploy` with no warnings, and refuse to start without secrets."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "DEBUG": "False",
    "SECRET_KEY": "x" * 30 + "-production-like-secret-key-with-entropy-9f8e7d",
    "PSEUDONYM_KEY": "another-long-random-key-for-pseudonyms",
    "ALLOWED_HOSTS": "soteria.example.org",
}


def _manage(*args, env):
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in PRODUCTION and k not in ("TESTING", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
    )


def test_check_deploy_is_clean_in_production():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_to_start_without_a_pseudonym_key():
    env = {k: v for k, v in PRODUCTION.items() if k != "PSEUDONYM_KEY"}
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "PSEUDONYM_KEY must be set" in result.stderr
