"""Celery tasks: thin wrappers over the services (declared in CELERY_BEAT_SCHEDULE)."""

from celery import shared_task
from django.utils import timezone

from . import services


@shared_task
def send_action_reminders() -> int:
    """Daily: e-mail owners of actions due in 7 days or overdue."""
    return services.send_action_reminders(today=timezone.localdate())


@shared_task
def send_weekly_digests() -> int:
    """Weekly: e-mail PCC office staff a digest of their force's register."""
    return services.send_weekly_digests(today=timezone.localdate())
