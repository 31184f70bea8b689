"""Celery tasks: thin wrappers over panel services."""

from celery import shared_task

from . import services


@shared_task
def send_action_reminders() -> dict[str, int]:
    """Daily (CELERY_BEAT_SCHEDULE): e-mail owners of panel actions due today or overdue."""
    return services.send_action_reminders()
