"""docker-compose.yml describes the deployment: there is no Docker engine here, so parse and check it.

(`docker-compose -f docker-compose.yml config -q` validates it where Debian's docker-compose is
installed; these tests do not need it.)"""

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
COMPOSE_TEXT = (ROOT / "docker-compose.yml").read_text()
COMPOSE = yaml.safe_load(COMPOSE_TEXT)
SERVICES = COMPOSE["services"]
APP = ("migrate", "web", "worker", "beat")
LONG_RUNNING = ("proxy", "web", "worker", "beat", "postgres", "redis")


def _seconds(duration: str) -> int:
    units = {"s": 1, "m": 60, "h": 3600}
    return sum(int(n) * units[u] for n, u in re.findall(r"(\d+)([smh])", duration))


def test_it_has_the_proxy_migrate_web_worker_beat_postgres_and_redis():
    assert set(SERVICES) == {"proxy", "migrate", "web", "worker", "beat", "postgres", "redis"}
    assert "gunicorn" in SERVICES["web"]["command"]
    assert "worker" in SERVICES["worker"]["command"]
    assert "beat" in SERVICES["beat"]["command"]


def test_no_top_level_name_key_for_old_compose():
    assert "name" not in COMPOSE


def test_app_services_share_the_production_environment():
    for name in APP:
        env = SERVICES[name]["environment"]
        assert env["DEBUG"] == "False"
        assert env["DATABASE_URL"].startswith("postgres://")
        assert "@postgres:5432/" in env["DATABASE_URL"]
        assert env["CELERY_BROKER_URL"].endswith("@redis:6379/0")
        assert {"SECRET_KEY", "PSEUDONYM_KEY", "ALLOWED_HOSTS"} <= set(env)


def test_secrets_are_required_not_defaulted():
    """A missing secret stops compose (${VAR:?message}); none falls back to a known value."""
    env = SERVICES["web"]["environment"]
    for variable in ("SECRET_KEY", "PSEUDONYM_KEY", "POSTGRES_PASSWORD", "REDIS_PASSWORD"):
        assert re.search(r"\$\{" + variable + r":\?[^}]+\}", COMPOSE_TEXT), variable
        assert not re.search(r"\$\{" + variable + r":-", COMPOSE_TEXT), variable
    assert "${POSTGRES_PASSWORD:?" in env["DATABASE_URL"]
    assert "${REDIS_PASSWORD:?" in env["CELERY_BROKER_URL"]
    assert SERVICES["postgres"]["environment"]["POSTGRES_PASSWORD"].startswith(
        "${POSTGRES_PASSWORD:?"
    )


def test_redis_needs_its_password_and_keeps_its_data():
    redis = SERVICES["redis"]
    command = " ".join(redis["command"])
    assert "--requirepass" in command and "$$REDIS_PASSWORD" in command
    assert "--appendonly yes" in command
    assert any(volume.endswith(":/data") for volume in redis["volumes"])
    assert "REDISCLI_AUTH" in " ".join(redis["healthcheck"]["test"])


def test_email_goes_to_a_named_relay():
    env = SERVICES["web"]["environment"]
    assert env["EMAIL_HOST"].startswith("${EMAIL_HOST:?")
    assert env["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"


def test_migrations_run_once_before_web_worker_and_beat():
    migrate = SERVICES["migrate"]
    assert "manage.py migrate" in migrate["command"]
    assert migrate["restart"] == "no"
    assert migrate["depends_on"]["postgres"]["condition"] == "service_healthy"
    for name in ("web", "worker", "beat"):
        depends = SERVICES[name]["depends_on"]
        assert depends["migrate"]["condition"] == "service_completed_successfully", name
        assert "migrate" not in SERVICES[name]["command"], name


def test_long_running_services_restart_and_report_their_health():
    for name in LONG_RUNNING:
        assert SERVICES[name]["restart"] == "unless-stopped", name
    for name in ("proxy", "web", "worker", "postgres", "redis"):
        assert SERVICES[name]["healthcheck"]["test"], name
    assert "inspect ping" in " ".join(SERVICES["worker"]["healthcheck"]["test"])
    assert "/health/" in " ".join(SERVICES["web"]["healthcheck"]["test"])


def test_a_stopping_worker_gets_time_to_finish_an_import():
    assert _seconds(SERVICES["worker"]["stop_grace_period"]) >= 120
    assert _seconds(SERVICES["web"]["stop_grace_period"]) > 60  # gunicorn's graceful timeout


def test_only_the_tls_proxy_is_published_and_the_app_trusts_it():
    published = [name for name, service in SERVICES.items() if service.get("ports")]
    assert published == ["proxy"]
    assert sorted(SERVICES["proxy"]["ports"]) == ["443:443", "80:80"]
    assert "./deploy/Caddyfile:/etc/caddy/Caddyfile:ro" in SERVICES["proxy"]["volumes"]
    assert SERVICES["proxy"]["depends_on"]["web"]["condition"] == "service_healthy"
    assert SERVICES["web"]["environment"]["TRUSTED_PROXY"] == "True"


def test_gunicorn_uses_threads_and_a_timeout_a_slow_upload_survives():
    command = SERVICES["web"]["command"]
    assert "--worker-class gthread" in command
    assert int(re.search(r"--timeout (\d+)", command)[1]) >= 120


def test_the_caddyfile_terminates_tls_limits_bodies_and_allows_slow_uploads():
    caddyfile = (ROOT / "deploy" / "Caddyfile").read_text()
    assert "{$SITE_ADDRESS}" in caddyfile
    assert "tls {$TLS_ISSUER:internal}" in caddyfile
    assert re.search(r"max_size 520MB", caddyfile)
    assert "reverse_proxy web:8000" in caddyfile
    assert re.search(r"read_header 10s", caddyfile)
    assert _seconds(re.search(r"read_body (\w+)", caddyfile)[1]) >= 10 * 60


def test_the_image_collects_static_files_and_prepares_volume_directories():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "collectstatic --noinput" in dockerfile
    assert "/data/beat" in dockerfile and "/data/private" in dockerfile
    assert '"gthread"' in dockerfile
    assert ".venv" in (ROOT / ".dockerignore").read_text().split()
