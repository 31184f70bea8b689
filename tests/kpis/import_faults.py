"""Faults for the import tests: a job queue that cannot be reached, a private Redis to stop."""

import os
import shutil
import socket
import subprocess
import time
from contextlib import contextmanager

import pytest
import redis

from soteria.celery import app

from ..conftest import REQUIRE_SERVICES


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _forget_connections() -> None:
    """Celery keeps one connection pool per app (an eager send opens one too); drop it so the
    next send uses the broker configured then."""
    app._pool = None
    app.amqp._producer_pool = None
    app._backend_cache = None
    app._local.__dict__.pop("backend", None)


@contextmanager
def real_queue(url: str):
    """Send jobs to the broker at ``url`` (not eagerly) for the duration."""
    previous = (app.conf.task_always_eager, app.conf.broker_url, app.conf.result_backend)
    # Celery reads the CELERY_BROKER_URL environment variable before its own setting (CI
    # sets it), so the variable must point at this broker too while the context lasts.
    environment = os.environ.get("CELERY_BROKER_URL")
    os.environ["CELERY_BROKER_URL"] = url
    app.conf.task_always_eager = False
    app.conf.broker_url = url
    app.conf.result_backend = url
    _forget_connections()
    try:
        yield
    finally:
        app.conf.task_always_eager, app.conf.broker_url, app.conf.result_backend = previous
        if environment is None:
            os.environ.pop("CELERY_BROKER_URL", None)
        else:
            os.environ["CELERY_BROKER_URL"] = environment
        _forget_connections()


def queue_down():
    """A broker URL on which nothing listens: every send fails with a connection error."""
    return real_queue(f"redis://127.0.0.1:{free_port()}/0")


@pytest.fixture
def private_redis(tmp_path):
    """A Redis server of this test's own, which the test may stop (``.stop()``)."""
    binary = shutil.which("redis-server")
    if binary is None:
        if REQUIRE_SERVICES:
            pytest.fail("redis-server is required in CI")
        pytest.skip("redis-server is not installed")
    server = _PrivateRedis(binary, free_port(), tmp_path)
    yield server
    server.stop()


class _PrivateRedis:
    def __init__(self, binary: str, port: int, folder):
        self.port = port
        self.url = f"redis://127.0.0.1:{port}/0"
        self.process = subprocess.Popen(
            [
                binary,
                "--bind",
                "127.0.0.1",
                "--port",
                str(port),
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(folder),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env={**os.environ},
        )
        deadline = time.monotonic() + 10
        while True:
            try:
                redis.Redis(port=port).ping()
                break
            except redis.exceptions.ConnectionError:
                if time.monotonic() > deadline:
                    self.stop()
                    pytest.fail("a private redis-server did not start")
                time.sleep(0.05)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
