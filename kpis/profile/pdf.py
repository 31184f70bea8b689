"""The problem profile as a PDF: the page's sections, figures and disclosure control, printed
to A4 by soteria/printing.py (headless Chromium, a contents with the page each section starts
on, "Page X of Y") in a queued job, kept until the force's records change.

The printed profile is built from the same ``services.problem_profile`` as the page, so every
figure, hidden count and "data as at" is the page's; its two charts are drawn as inline SVG
from the shown figures (charts.py), so the PDF needs no script.
"""

from dataclasses import dataclass
from pathlib import Path

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone

from soteria import printing
from soteria.models import Force
from soteria.periods import Period

from . import charts, services
from .models import ProfilePdf

MARKING = "OFFICIAL-SENSITIVE"
TASK = "kpis.generate_profile_pdf"


@dataclass
class Entry:
    anchor: str
    heading: str


def contents(profile: services.Profile) -> list[Entry]:
    entries = [
        Entry(f"print-{section.slug}", f"{number}. {section.title}")
        for number, section in enumerate(profile.sections, start=1)
    ]
    entries.append(Entry("print-notes", f"{len(entries) + 1}. Data and disclosure control"))
    return entries


def profile_html(
    profile: services.Profile, *, as_at: str, pages: dict[str, int] | None = None
) -> str:
    """The printable profile: cover and contents, each section with its charts and tables."""
    css = Path(finders.find("css/problem-profile-print.css")).read_text()
    entries = contents(profile)
    sections = [
        (entry, section, [(table, charts.svg(table)) for table in section.tables])
        for entry, section in zip(entries, profile.sections, strict=False)
    ]
    return render_to_string(
        "kpis/profile/print.html",
        {
            "profile": profile,
            "as_at": as_at,
            "marking": MARKING,
            "inline_css": css,
            "contents": [(entry, (pages or {}).get(entry.anchor)) for entry in entries],
            "sections": sections,
            "notes_entry": entries[-1],
            "generated_at": timezone.now(),
        },
    )


def print_profile(profile: services.Profile, *, as_at: str) -> bytes:
    return printing.print_with_contents(
        lambda pages: profile_html(profile, as_at=as_at, pages=pages),
        {entry.anchor: entry.heading for entry in contents(profile)},
    )


def request_profile_pdf(
    *, force: Force, version: services.Version, end: Period, offence: str, by
) -> ProfilePdf:
    """The PDF for the records as they stand: the one already printed, or a new one queued."""
    made, created = ProfilePdf.objects.get_or_create(
        force=force,
        end=end.slug,
        offence_group=offence,
        version=version.key,
        defaults={"requested_by": by},
    )
    return printing.queue_job(made, created=created, task=TASK, argument="pdf_id")


def _make(made: ProfilePdf, progress) -> bytes:
    version = services.data_version(force=made.force)
    profile = services.problem_profile(
        force=made.force, version=version, end=Period.parse(made.end), offence=made.offence_group
    )
    progress(40)
    return print_profile(profile, as_at=services.as_at_text(version))


def file_name(made: ProfilePdf) -> str:
    return f"{made.force.slug}-problem-profile-{made.end}-{made.offence_group}.pdf"


def generate_profile_pdf(*, pdf_id: int) -> None:
    """Claim the job (once), build the profile, print it, store it."""
    printing.run_job(ProfilePdf, pdf_id, make=_make, file_name=file_name)
