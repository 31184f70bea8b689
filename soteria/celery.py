import os

from celery import Celery
from celery.signals import worker_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "soteria.settings")

app = Celery("soteria")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_init.connect
def load_solver(**_) -> None:
    """A worker imports the disclosure solver (scipy, about a second) as it starts, before
    its pool forks, not inside the first snapshot job it runs: the snapshots an import
    queues are waited for. (Web processes and `make run`, with Celery eager, still import it
    only when a snapshot is first computed.)"""
    import scipy.optimize  # noqa: F401
