"""A real Celery worker process, on Redis, runs a task against the test database."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
from django.db import connection

from soteria.celery import app
from soteria.tasks import count_forces

from .conftest import REQUIRE_SERVICES

ROOT = Path(__file__).resolve().parent.parent
BROKER = os.environ.get("CELERY_BROKER_URL") or "redis://127.0.0.1:6379/14"


def _database_url() -> str:
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    return f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.fixture
def broker():
    try:
        redis.Redis.from_url(BROKER).ping()
    except redis.exceptions.ConnectionError:
        if REQUIRE_SERVICES:
            pytest.fail(f"Redis is required in CI at {BROKER}")
        pytest.skip(f"no Redis at {BROKER}")
    return BROKER


@pytest.fixture
def worker(broker, transactional_db):
    env = {
        **os.environ,
        "CELERY_BROKER_URL": broker,
        "CELERY_RESULT_BACKEND": broker,
        "DATABASE_URL": _database_url(),
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "soteria",
            "worker",
            "--pool=solo",
            "--without-mingle",
            "--without-gossip",
            "--without-heartbeat",
            "--loglevel=INFO",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    yield process
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.mark.worker
def test_a_worker_runs_a_task_that_reads_the_database(worker, broker):
    previous = (app.conf.task_always_eager, app.conf.broker_url, app.conf.result_backend)
    app.conf.task_always_eager = False
    app.conf.broker_url = broker
    app.conf.result_backend = broker
    _forget_cached_backend()
    try:
        deadline = time.monotonic() + 180  # generous: a loaded CI machine boots workers slowly
        result = count_forces.delay()
        while not result.ready() and time.monotonic() < deadline:
            assert worker.poll() is None, worker.stdout.read()
            time.sleep(0.2)
        assert result.get(timeout=5) == 43
    finally:
        app.conf.task_always_eager, app.conf.broker_url, app.conf.result_backend = previous
        _forget_cached_backend()


def _forget_cached_backend() -> None:
    """Celery caches its result backend per thread; an eager task run earlier may have
    cached the disabled one, so drop it and let the next use read the new setting."""
    app._backend_cache = None
    app._local.__dict__.pop("backend", None)
