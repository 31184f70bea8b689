"""The profile's Celery task: the problem profile PDF.

The PDF module (the profile's services, pandas) is imported when the task runs, not when
Django starts: every process imports the task modules at start-up (AppConfig.ready), and
most never make a PDF (docs/performance.md, "make run").
"""

from celery import shared_task


@shared_task(name="kpis.generate_profile_pdf")
def generate_profile_pdf(*, pdf_id: int) -> None:
    from . import pdf

    pdf.generate_profile_pdf(pdf_id=pdf_id)
