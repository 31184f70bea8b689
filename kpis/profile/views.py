"""The problem profile page and its downloads, for a member of the force who may read the deck."""

from django.http import Http404, HttpResponse
from django.shortcuts import render

from soteria.access import get_force_for_user
from soteria.exports import workbook_response

from ..engine.as_at import kpi_data_as_at
from ..engine.models import OffenceGroup
from . import exports, services
from .forms import ProfileForm

FORMATS = ("xlsx", "zip")


def _choose(request, force):
    version = services.data_version(force=force)
    quarters = services.end_quarters(version)
    form = ProfileForm(request.GET or None, quarters=quarters)
    return version, quarters, form


def problem_profile(request, force_slug):
    """The force's RASSO problem profile for a rolling 12 months, against the 12 before."""
    force = get_force_for_user(request, force_slug)
    version, quarters, form = _choose(request, force)
    profile, status = None, 200
    if form.is_bound and not form.is_valid():
        status = 400
    elif quarters:
        end = form.cleaned_data["end"] if form.is_bound else quarters[0]
        offence = form.cleaned_data["offence"] if form.is_bound else OffenceGroup.ALL
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


def problem_profile_download(request, force_slug, fmt):
    """The profile as a workbook (a sheet per section) or a ZIP of CSVs, with an About sheet."""
    if fmt not in FORMATS:
        raise Http404("No such format")
    force = get_force_for_user(request, force_slug)
    version, quarters, form = _choose(request, force)
    if not quarters:
        raise Http404("This force has no crime records yet")
    if form.is_bound and not form.is_valid():
        return HttpResponse(
            "; ".join(e for errors in form.errors.values() for e in errors),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    end = form.cleaned_data["end"] if form.is_bound else quarters[0]
    offence = form.cleaned_data["offence"] if form.is_bound else OffenceGroup.ALL
    profile = services.problem_profile(force=force, version=version, end=end, offence=offence)
    tables = exports.section_tables(profile)
    about = exports.about_items(profile)
    name = f"{force.slug}-problem-profile-{end.slug}-{offence}"
    title = f"RASSO problem profile · {force.name} · {profile.window.label}"
    as_at = kpi_data_as_at(force=force)
    return workbook_response(tables, about, as_at, name=name, fmt=fmt, title=title)
