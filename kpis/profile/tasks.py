"""The profile's Celery task: the problem profile PDF."""

from celery import shared_task

from . import pdf


@shared_task(name="kpis.generate_profile_pdf")
def generate_profile_pdf(*, pdf_id: int) -> None:
    pdf.generate_profile_pdf(pdf_id=pdf_id)
