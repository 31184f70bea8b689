"""Settings as production reads them: a fresh interpreter with DEBUG off and the given environment."""

import json
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
# Variables that tests or CI set which production would not.
_NOT_PRODUCTION = ("TESTING", "DJANGO_ALLOW_ASYNC_UNSAFE", "TRUSTED_PROXY")


def production_env(**env: str) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if k not in PRODUCTION and k not in _NOT_PRODUCTION}
    return {**base, **PRODUCTION, **env}


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )


def production_settings(*names: str, **env: str) -> dict:
    """The named settings as a production process would see them (JSON-able values)."""
    script = (
        "import json, django; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n, None) for n in {list(names)!r}}}, default=str))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={**production_env(**env), "DJANGO_SETTINGS_MODULE": "soteria.settings"},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])
