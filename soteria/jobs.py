"""Queue background jobs by task name, once the current transaction commits.

Services queue work through here and never import the task modules that wrap them:
tasks call services, services never call tasks, so there is no import cycle. Every task
module is imported when Django starts (each app's ``AppConfig.ready``), which registers its
tasks with Celery under the names used here.

A job is sent after the commit, so what it is about is already saved: a failure to send it
(the broker is down) must not turn into an error about that saved work. It is logged and
handed to ``on_publish_error``, so the caller can say so (and something can send it later:
the import reaper, the nightly recompute); it is never raised into the caller. Nobody waits
for a queued job's result, so sending one never touches the result store.
"""

import logging
import uuid
from collections.abc import Callable

from django.db import transaction

from .celery import app

log = logging.getLogger(__name__)


def queue(
    name: str,
    *,
    task_id: str | None = None,
    on_publish_error: Callable[[Exception], None] | None = None,
    **kwargs,
) -> str:
    """Queue the task ``name`` with keyword arguments after commit; returns its task id.

    With tasks run eagerly (no broker: development and tests) the task runs at the commit,
    and its own exceptions propagate as they would in any code.
    """
    task = app.tasks[name]  # a KeyError here is a misspelt or unregistered task: fail now
    task_id = task_id or uuid.uuid4().hex

    def publish() -> None:
        if app.conf.task_always_eager:
            task.apply_async(kwargs=kwargs, task_id=task_id)
            return
        try:
            task.apply_async(kwargs=kwargs, task_id=task_id, ignore_result=True)
        except Exception as exc:
            log.error(
                "Could not queue %s (task %s) after commit: %s: %s",
                name,
                task_id,
                type(exc).__name__,
                exc,
            )
            if on_publish_error is not None:
                on_publish_error(exc)

    transaction.on_commit(publish)
    return task_id
