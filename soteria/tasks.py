from celery import shared_task

from . import notifications
from .models import Force


@shared_task
def count_forces() -> int:
    """A round trip through a worker and the database; used to prove workers are alive."""
    return Force.objects.count()


@shared_task(name="soteria.send_notification_emails")
def send_notification_emails(*, notification_ids: list[int]) -> int:
    """E-mail notifications once the change they tell of has committed."""
    return notifications.send_notification_emails(notification_ids=notification_ids)
