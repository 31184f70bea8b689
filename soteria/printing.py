"""Printing a page to PDF: headless Chromium, a contents whose page numbers are read back from
the PDF's bookmarks, and the life of a queued print job (claim once, progress, store, fail).

The board pack (kpis/deck/pack.py) and the problem profile (kpis/profile/printing.py) both
print through here, so neither room imports the other. A document gives this module its HTML
(as a function of the contents' page numbers, since Chromium cannot resolve
target-counter()), the headings whose pages the contents lists, and a model that inherits
``PrintJob``.
"""

import io
import re
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.http import FileResponse, JsonResponse
from django.utils import timezone

from . import jobs
from .files import private_storage

PDF_SECONDS = 120
PRINTS = 3  # the contents' page numbers settle after one reprint; a third is a safeguard


class PrintJob(models.Model):
    """A PDF made in the background: its status, progress and file. A concrete job adds what
    it prints (force, period, ...) and the version of the data it was printed from."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Generating"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0, help_text="Percent done")
    message = models.TextField(blank=True)
    pdf = models.FileField(storage=private_storage, upload_to="printed/", blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def done(self) -> bool:
        return self.status in (self.Status.READY, self.Status.FAILED)


def render_pdf(html: str) -> bytes:
    """Print the HTML with headless Chromium: the browser the browser tests already need,
    whose print engine lays out A4 pages, running headers and page numbers from CSS
    (@page margin boxes), so no second layout engine or its system libraries is added.
    The outline (a bookmark per heading) lets a reader jump to a section, and
    print_with_contents read where each section starts."""
    with tempfile.TemporaryDirectory(prefix="print-") as directory:
        source, target = Path(directory, "page.html"), Path(directory, "page.pdf")
        source.write_text(html, encoding="utf-8")
        subprocess.run(
            [
                settings.CHROMIUM_PATH,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                f"--user-data-dir={directory}/profile",
                "--no-pdf-header-footer",
                "--generate-pdf-document-outline",
                f"--print-to-pdf={target}",
                source.as_uri(),
            ],
            check=True,
            capture_output=True,
            timeout=PDF_SECONDS,
        )
        return target.read_bytes()


def print_with_contents(html: Callable[[dict[str, int]], str], headings: dict[str, str]) -> bytes:
    """A PDF whose contents give the page each section starts on.

    ``html(pages)`` is the document with ``pages`` (anchor -> page) in its contents;
    ``headings`` maps each anchor to its heading's text. The document is printed, the page
    of each heading read from the PDF's outline (Chromium's own layout, one bookmark per
    heading), and printed again with those numbers, until the numbers read back the same.
    """
    pages: dict[str, int] = {}
    for _ in range(PRINTS):
        pdf = render_pdf(html(pages))
        found = section_pages(pdf, headings)
        if found == pages:
            return pdf
        pages = found
    raise RuntimeError("The contents' page numbers did not settle after three prints.")


def _squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def section_pages(pdf: bytes, headings: dict[str, str]) -> dict[str, int]:
    """The page (from 1) on which each heading starts, by the PDF outline's bookmarks.

    A bookmark's title is the heading's text with its line breaks closed up, so titles
    are compared without white space."""
    from pypdf import PdfReader  # here, not at start-up: every process imports this module

    reader = PdfReader(io.BytesIO(pdf))
    wanted = {_squeezed(heading): anchor for anchor, heading in headings.items()}
    pages: dict[str, int] = {}
    stack = list(reader.outline)
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item)
            continue
        anchor = wanted.get(_squeezed(item.title))
        if anchor is not None:
            pages[anchor] = reader.get_destination_page_number(item) + 1
    missing = set(headings) - set(pages)
    if missing:
        raise RuntimeError(f"No bookmark in the printed document for {sorted(missing)}.")
    return pages


def queue_job(job: PrintJob, *, created: bool, task: str, argument: str) -> PrintJob:
    """Queue a new (or failed) job's task by name, with the job's id as ``argument``, once
    the transaction commits; a job queued, running or ready already is left as it is."""
    if created or job.status == PrintJob.Status.FAILED:
        type(job).objects.filter(pk=job.pk).update(status=PrintJob.Status.QUEUED, progress=0)
        jobs.queue(task, **{argument: job.pk})
        job.refresh_from_db()
    return job


def run_job(
    model: type[PrintJob],
    pk: int,
    *,
    make: Callable[[PrintJob, Callable[[int], None]], bytes],
    file_name: Callable[[PrintJob], str],
) -> None:
    """Claim the job (once), make its PDF, store it; progress in steps.

    ``make(job, progress)`` returns the PDF and may report its percent done through
    ``progress``. Running twice, or at once in two workers, prints it once."""
    claimed = model.objects.filter(pk=pk, status=PrintJob.Status.QUEUED).update(
        status=PrintJob.Status.RUNNING, progress=10
    )
    if claimed != 1:
        return
    job = model.objects.get(pk=pk)

    def progress(percent: int) -> None:
        model.objects.filter(pk=pk).update(progress=percent)

    try:
        pdf = make(job, progress)
        progress(90)
        with transaction.atomic():
            job.pdf.save(file_name(job), ContentFile(pdf), save=False)
            job.status, job.progress, job.finished_at = (
                PrintJob.Status.READY,
                100,
                timezone.now(),
            )
            job.save(update_fields=["pdf", "status", "progress", "finished_at"])
    except Exception as error:  # the page says it failed and offers to try again
        model.objects.filter(pk=pk).update(status=PrintJob.Status.FAILED, message=str(error)[:500])
        raise


def pdf_response(job: PrintJob, *, filename: str) -> FileResponse:
    """The printed PDF as a private download."""
    response = FileResponse(job.pdf.open("rb"), as_attachment=True, filename=filename)
    response["Cache-Control"] = "private, no-store"
    return response


def progress_response(job: PrintJob) -> JsonResponse:
    """What the progress page polls (static/js/print-progress.js)."""
    return JsonResponse(
        {
            "status": job.status,
            "status_label": job.get_status_display(),
            "percent": job.progress,
            "done": job.done,
        }
    )
