"""Celery settings for lost workers and brokers: a task whose worker dies runs again, never twice at once."""

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

from soteria.celery import app

# kpis.services.imports.STALE_AFTER: after this long a running import batch may be reclaimed.
IMPORT_RECLAIMABLE_AFTER = dt.timedelta(minutes=30).total_seconds()


def test_a_task_is_acknowledged_only_when_it_ends():
    assert app.conf.task_acks_late is True


def test_a_task_whose_worker_process_dies_goes_back_on_the_queue():
    assert app.conf.task_reject_on_worker_lost is True


def test_a_task_that_keeps_killing_its_worker_is_retried_a_few_times_then_fails():
    from soteria.tasks import count_forces

    assert app.conf.task_retry_on_worker_lost is True
    assert count_forces.retry_on_worker_lost is True
    assert count_forces.max_retries == 3
    assert count_forces.default_retry_delay == 180


def test_each_worker_process_holds_one_message_at_a_time():
    assert app.conf.worker_prefetch_multiplier == 1


def test_a_worker_keeps_trying_a_broker_that_is_down_when_it_starts():
    assert app.conf.broker_connection_retry_on_startup is True


def test_running_tasks_finish_when_the_broker_connection_drops():
    assert app.conf.worker_cancel_long_running_tasks_on_connection_loss is False


def test_no_task_outlives_the_redis_visibility_timeout():
    soft, hard = app.conf.task_soft_time_limit, app.conf.task_time_limit
    visibility = app.conf.broker_transport_options["visibility_timeout"]
    assert 0 < soft < hard < visibility


def test_a_live_import_is_never_old_enough_to_be_reclaimed():
    assert app.conf.task_time_limit < IMPORT_RECLAIMABLE_AFTER


def test_a_worker_loads_the_disclosure_solver_as_it_starts_and_the_web_does_not():
    """The snapshots an import queues are waited for: a worker imports scipy (about a
    second) at its start, before the pool forks, not in its first job; a web process that
    loads the Celery app does not pay it."""
    script = (
        "import sys, django; django.setup(); import soteria.celery; "
        "from celery.signals import worker_init; "
        "before = 'scipy.optimize' in sys.modules; "
        "worker_init.send(sender=None); "
        "print(before, 'scipy.optimize' in sys.modules)"
    )
    run = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "soteria.settings"},
        cwd=Path(__file__).resolve().parent.parent,
    )
    assert run.stdout.split() == ["False", "True"]
