"""Production settings pass `manage.py check --deploy` with no warnings, and refuse to start without secrets."""

from .production import manage, production_env


def test_check_deploy_is_clean_in_production():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_is_clean_behind_a_trusted_proxy():
    result = manage(
        "check", "--deploy", "--fail-level", "WARNING", env=production_env(TRUSTED_PROXY="True")
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in production_env().items() if k != "SECRET_KEY"}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_to_start_without_a_pseudonym_key():
    env = {k: v for k, v in production_env().items() if k != "PSEUDONYM_KEY"}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "PSEUDONYM_KEY must be set" in result.stderr
