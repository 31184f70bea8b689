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

A bulk load that queues the same job many times over (the demo data: each import, return
and panel queues a recompute of the quarters it touched) can hold the jobs of a task
instead (``held``): each is kept once, and whoever holds them takes them (``take_held``) and
does the work once, after everything is in.
"""

import logging
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager

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
        holding = _holding(name)
        if holding is not None:  # see held(): kept to be done once, by whoever takes it
            holding.setdefault(tuple(sorted(kwargs.items())), kwargs)
            return
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


_held = threading.local()


def _holding(name: str) -> dict | None:
    return getattr(_held, "jobs", {}).get(name)


@contextmanager
def held(name: str) -> Iterator[None]:
    """Within this block, jobs of the task ``name`` are held rather than sent, each set of
    arguments once (in the order first queued). ``take_held`` hands them to the code that
    does the work itself; any not taken are queued as usual when the block ends."""
    jobs = _held.__dict__.setdefault("jobs", {})
    if name in jobs:  # already held by an enclosing block, which sends them
        yield
        return
    jobs[name] = {}
    try:
        yield
    except Exception:
        _send(name, jobs.pop(name))  # the work done before the error still gets its jobs
        raise
    except BaseException:
        jobs.pop(name)  # interrupted: the nightly recompute catches up
        raise
    _send(name, jobs.pop(name))


def _send(name: str, left: dict) -> None:
    for kwargs in left.values():
        queue(name, **kwargs)


def take_held(name: str) -> list[dict]:
    """The arguments of the jobs of ``name`` held so far (see ``held``), now the caller's to do;
    empty when they are not being held."""
    holding = _holding(name)
    if holding is None:
        return []
    taken = list(holding.values())
    holding.clear()
    return taken
