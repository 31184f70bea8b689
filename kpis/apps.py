from django.apps import AppConfig


class KpisConfig(AppConfig):
    name = "kpis"
    verbose_name = "KPIs and data"

    def ready(self):
        # Register every capability's Celery tasks, so soteria.jobs.queue finds them by name.
        from .deck import tasks as deck_tasks  # noqa: F401
        from .engine import tasks as engine_tasks  # noqa: F401
        from .evidence import tasks as evidence_tasks  # noqa: F401
        from .imports import tasks as import_tasks  # noqa: F401
        from .profile import tasks as profile_tasks  # noqa: F401
