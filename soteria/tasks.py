from celery import shared_task

from .models import Force


@shared_task
def count_forces() -> int:
    """A round trip through a worker and the database; used to prove workers are alive."""
    return Force.objects.count()
