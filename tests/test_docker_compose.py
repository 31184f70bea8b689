"""docker-compose.yml describes the deployment: there is no Docker engine here, so parse and check it."""

from pathlib import Path

import yaml

COMPOSE = yaml.safe_load(
    (Path(__file__).resolve().parent.parent / "docker-compose.yml").read_text()
)


def test_it_has_web_worker_beat_postgres_and_redis():
    assert set(COMPOSE["services"]) == {"web", "worker", "beat", "postgres", "redis"}
    assert "gunicorn" in COMPOSE["services"]["web"]["command"]
    assert "worker" in COMPOSE["services"]["worker"]["command"]
    assert "beat" in COMPOSE["services"]["beat"]["command"]


def test_app_services_share_the_production_environment():
    for name in ("web", "worker", "beat"):
        env = COMPOSE["services"][name]["environment"]
        assert env["DEBUG"] == "False"
        assert (
            env["DATABASE_URL"].startswith("postgres://")
            and "@postgres:5432/" in env["DATABASE_URL"]
        )
        assert env["CELERY_BROKER_URL"] == "redis://redis:6379/0"
        assert {"SECRET_KEY", "PSEUDONYM_KEY", "ALLOWED_HOSTS"} <= set(env)


def test_no_top_level_name_key_for_old_compose():
    assert "name" not in COMPOSE
