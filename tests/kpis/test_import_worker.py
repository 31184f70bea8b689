"""A real Celery worker runs an import while the page's progress endpoint reports live counts."""

import time

import pytest
from django.db import connection
from django.urls import reverse

from kpis.imports import services as imports
from kpis.imports.demo import generate_extract_file
from kpis.models import CrimeRecord, ImportBatch
from soteria.celery import app
from soteria.models import Role
from tests.test_celery_worker import _forget_cached_backend, broker, worker  # noqa: F401

ROWS = 120_000


@pytest.mark.worker
def test_a_worker_imports_an_upload_and_the_progress_bar_sees_it_move(
    worker,  # noqa: F811
    broker,  # noqa: F811
    force_a,
    make_user,
    client,
    tmp_path,
    settings,
):
    if connection.vendor != "postgresql":
        pytest.skip("live progress during a large write needs PostgreSQL (SQLite locks readers)")
    settings.IMPORT_UPLOAD_DIR = tmp_path
    ann = make_user("ann", Role.ANALYST, force_a)
    client.force_login(ann)
    path = tmp_path / "extract.csv"
    generate_extract_file(path=path, records=ROWS, seed=5, forces=[force_a.name])
    previous = (app.conf.task_always_eager, app.conf.broker_url, app.conf.result_backend)
    app.conf.task_always_eager = False
    app.conf.broker_url = broker
    app.conf.result_backend = broker
    _forget_cached_backend()
    try:
        batch = imports.create_batch(
            kind="records", source=path, file_name="extract.csv", force=force_a, uploaded_by=ann
        )
        imports.queue_import(batch=batch)  # transactional_db: on_commit runs at once
        url = reverse("kpis:import-progress", kwargs={"force_slug": force_a.slug, "pk": batch.pk})
        seen = []
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            assert worker.poll() is None, worker.stdout.read()
            progress = client.get(url).json()
            seen.append(progress)
            if progress["done"]:
                break
            time.sleep(0.1)
    finally:
        app.conf.task_always_eager, app.conf.broker_url, app.conf.result_backend = previous
        _forget_cached_backend()

    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.SUCCEEDED, batch.message
    assert CrimeRecord.objects.count() == ROWS
    moving = [p for p in seen if p["status"] == "running" and 0 < p["read"] < ROWS]
    assert moving, seen[-3:]
    assert all(0 < p["percent"] < 100 for p in moving)
    assert seen[-1]["percent"] == 100
