"""The problem profile page and its downloads, for a member of the force who may read the deck."""

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from soteria import printing
from soteria.access import get_for_user, get_force_for_user
from soteria.exports import workbook_response

from ..engine.as_at import kpi_data_as_at
from ..engine.models import OffenceGroup
from . import exports, pdf, services
from .forms import ProfileForm
from .models import ProfilePdf

FORMATS = ("xlsx", "zip")


def _choose(request, force):
    version = services.data_version(force=force)
    quarters = services.end_quarters(version)
    form = ProfileForm(request.GET or None, quarters=quarters)
    return version, quarters, form


def _window(form, quarters) -> tuple:
    """The quarter the 12 months end with and the offence group asked for, or the defaults."""
    if form.is_bound:
        return form.cleaned_data["end"], form.cleaned_data["offence"]
    return quarters[0], OffenceGroup.ALL


def _asked_for(request, force) -> tuple[tuple | None, HttpResponse | None]:
    """For a download: (records version, end quarter, offence group), or the refusal to send."""
    version, quarters, form = _choose(request, force)
    if not quarters:
        raise Http404("This force has no crime records yet")
    if form.is_bound and not form.is_valid():
        return None, _refused(form)
    return (version, *_window(form, quarters)), None


def _refused(form) -> HttpResponse:
    return HttpResponse(
        "; ".join(e for errors in form.errors.values() for e in errors),
        status=400,
        content_type="text/plain; charset=utf-8",
    )


@require_GET
def problem_profile(request, force_slug):
    """The force's RASSO problem profile for a rolling 12 months, against the 12 before."""
    force = get_force_for_user(request, force_slug)
    version, quarters, form = _choose(request, force)
    profile, status = None, 200
    if form.is_bound and not form.is_valid():
        status = 400
    elif quarters:
        end, offence = _window(form, quarters)
        profile = services.problem_profile(force=force, version=version, end=end, offence=offence)
    return render(
        request,
        "kpis/profile/profile.html",
        {
            "force": force,
            "form": form,
            "profile": profile,
            "as_at": services.as_at_text(version),
        },
        status=status,
    )


@require_GET
def problem_profile_download(request, force_slug, fmt):
    """The profile as a workbook (a sheet per section) or a ZIP of CSVs, with an About sheet."""
    if fmt not in FORMATS:
        raise Http404("No such format")
    force = get_force_for_user(request, force_slug)
    asked, refusal = _asked_for(request, force)
    if refusal:
        return refusal
    version, end, offence = asked
    profile = services.problem_profile(force=force, version=version, end=end, offence=offence)
    tables = exports.section_tables(profile)
    about = exports.about_items(profile)
    name = f"{force.slug}-problem-profile-{end.slug}-{offence}"
    title = f"RASSO problem profile · {force.name} · {profile.window.label}"
    as_at = kpi_data_as_at(force=force)
    return workbook_response(tables, about, as_at, name=name, fmt=fmt, title=title)


@require_POST
def problem_profile_pdf(request, force_slug):
    """Ask for the PDF: the one already printed from these records, or a new one queued."""
    force = get_force_for_user(request, force_slug)
    asked, refusal = _asked_for(request, force)
    if refusal:
        return refusal
    version, end, offence = asked
    made = pdf.request_profile_pdf(
        force=force, version=version, end=end, offence=offence, by=request.user
    )
    return redirect("kpis:problem-profile-pdf-file", force_slug=force.slug, pk=made.pk)


@require_GET
def problem_profile_pdf_file(request, force_slug, pk):
    """The PDF once it is printed; until then, its progress."""
    force = get_force_for_user(request, force_slug)
    made = get_for_user(request, ProfilePdf, pk, force=force)
    if made.status == ProfilePdf.Status.READY:
        return printing.pdf_response(made, filename=pdf.file_name(made))
    back = reverse("kpis:problem-profile", args=[force.slug])
    return render(
        request,
        "printing/progress.html",
        {
            "force": force,
            "job": made,
            "document": "problem profile",
            "heading": f"RASSO problem profile: 12 months to {made.end}",
            "progress_url": reverse("kpis:problem-profile-pdf-progress", args=[force.slug, pk]),
            "back_url": f"{back}?end={made.end}&offence={made.offence_group}",
        },
    )


@require_GET
def problem_profile_pdf_progress(request, force_slug, pk):
    force = get_force_for_user(request, force_slug)
    made = get_for_user(request, ProfilePdf, pk, force=force)
    return printing.progress_response(made)
