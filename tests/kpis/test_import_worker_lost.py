"""A real worker is killed (SIGKILL) in the middle of an import; the reaper recovers the batch.

Issue 12: the batch stayed "Importing" at 0% for ever (a killed pool process) or for an
hour (a whole worker lost). The worker here runs against a Redis of the test's own, so
the killed task's unacknowledged message goes with it and never reaches another test.
"""

import os
import signal
import subprocess
import sys
import time

import pytest
from django.utils import timezone

from kpis.imports import reaper
from kpis.imports import services as imports
from kpis.imports.demo import generate_extract_file
from kpis.models import CrimeRecord, ImportBatch
from tests.test_celery_worker import ROOT, _database_url

from .import_faults import _forget_connections, private_redis, real_queue  # noqa: F401

ROWS = 60_000
Status = ImportBatch.Status


@pytest.fixture
def worker(private_redis, transactional_db):  # noqa: F811
    env = {
        **os.environ,
        "CELERY_BROKER_URL": private_redis.url,
        "CELERY_RESULT_BACKEND": private_redis.url,
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
    if process.poll() is None:
        process.kill()
    process.wait(timeout=20)
    # Eager tasks (the reaper's re-run) open a connection pool for the eager "broker";
    # drop it, so a later real-worker test in this process sends to its own broker.
    _forget_connections()


@pytest.mark.worker
def test_a_worker_killed_mid_import_leaves_nothing_written_and_the_reaper_reruns_it(
    worker,
    private_redis,  # noqa: F811
    force_a,
    settings,
    tmp_path,
):
    settings.IMPORT_UPLOAD_DIR = tmp_path / "uploads"
    path = tmp_path / "extract.csv"
    generate_extract_file(path=path, records=ROWS, seed=7, forces=[force_a.name])
    batch = imports.create_batch(
        kind="records", source=path, file_name="extract.csv", force=force_a, uploaded_by=None
    )

    with real_queue(private_redis.url):
        imports.queue_import(batch=batch)  # committed: sent to the worker at once
        deadline = time.monotonic() + 240  # a loaded machine boots workers slowly
        while ImportBatch.objects.get(pk=batch.pk).status == Status.PENDING:
            assert worker.poll() is None, worker.stdout.read()
            assert time.monotonic() < deadline, "the worker never started the import"
            time.sleep(0.02)
        worker.send_signal(signal.SIGKILL)  # the kernel's OOM killer, or `docker kill`
        worker.wait(timeout=20)

    batch.refresh_from_db()
    assert batch.status == Status.RUNNING, batch.message  # nothing left to say otherwise
    assert CrimeRecord.objects.count() == 0  # its transaction died with it
    assert reaper.reap_stale_imports().requeued == []  # too soon: it might still be running

    later = timezone.now() + imports.STALE_AFTER + timezone.timedelta(minutes=1)
    deadline = time.monotonic() + 30
    report = reaper.reap_stale_imports(now=later)
    while not report.requeued and time.monotonic() < deadline:
        time.sleep(0.5)  # PostgreSQL is still ending the killed session (its row lock)
        report = reaper.reap_stale_imports(now=later)

    batch.refresh_from_db()
    assert report.requeued == [batch.pk]
    assert batch.status == Status.SUCCEEDED, batch.message  # run again (eagerly) from the start
    assert CrimeRecord.objects.count() == ROWS
