"""Queue background jobs by task name, once the current transaction commits.

Services queue work through here and never import the task modules that wrap them:
tasks call services, services never call tasks, so there is no import cycle. Every task
module is imported when Django starts (each app's ``AppConfig.ready``), which registers its
tasks with Celery under the names used here.
"""

import uuid

from django.db import transaction

from .celery import app


def queue(name: str, *, task_id: str | None = None, **kwargs) -> str:
    """Queue the task ``name`` with keyword arguments after commit; returns its task id."""
    task = app.tasks[name]  # a KeyError here is a misspelt or unregistered task: fail now
    task_id = task_id or uuid.uuid4().hex
    transaction.on_commit(lambda: task.apply_async(kwargs=kwargs, task_id=task_id))
    return task_id
