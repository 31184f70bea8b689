"""Evidence returns' Celery tasks: daily reminders and the weekly summary."""

from celery import shared_task
from django.utils import timezone

from . import services


@shared_task(name="kpis.send_evidence_reminders")
def send_evidence_reminders() -> int:
    """Daily: remind pillar leads of evidence returns due in 5 days or overdue."""
    return services.send_evidence_reminders(today=timezone.localdate())


@shared_task(name="kpis.send_evidence_summaries")
def send_evidence_summaries() -> int:
    """Weekly: each force Soteria lead gets the state of the force's evidence returns."""
    return services.send_evidence_summaries(today=timezone.localdate())
