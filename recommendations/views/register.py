"""The PCC's overview of every recommendation for the force, its exports, and inspections."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone

from soteria.access import can, get_force_for_user, is_national_admin
from soteria.exports import export_response

from .. import services
from ..forms import InspectionForm, RecommendationForm, RegisterFilterForm
from ..models import Addressee
from .common import inspection_for


def _filtered_rows(request, force):
    form = RegisterFilterForm(
        request.GET or None,
        inspections=services.inspections_for(force=force),
        members=services.force_members(force=force),
    )
    today = timezone.localdate()
    rows = services.register_rows(force=force, today=today, **form.filters())
    return form, rows, today


def register(request, force_slug):
    force = get_force_for_user(request, force_slug, "view_recommendations")
    form, rows, today = _filtered_rows(request, force)
    flag = request.GET.get("flag", "")
    shown = [r for r in rows if flag in r.flag_codes] if flag else rows
    flag_counts = [
        (code, label, sum(1 for r in rows if code in r.flag_codes))
        for code, label in services.FLAG_LABELS.items()
    ]
    return render(
        request,
        "recommendations/register.html",
        {
            "force": force,
            "form": form,
            "rows": shown,
            "counts": services.status_counts(rows),
            "flag_counts": flag_counts,
            "flag": flag,
            "today": today,
            "query": request.GET.urlencode(),
            "pcc_rows": services.register_rows(force=force, today=today, for_forces=False),
            "inspections": services.inspections_for(force=force),
            "can_add_inspection": can(request.user, "add_inspection", force),
            **services.due_lists(rows=rows, force=force, today=today),
        },
    )


def export_csv(request, force_slug):
    return _export(request, force_slug, "csv")


def export_xlsx(request, force_slug):
    return _export(request, force_slug, "xlsx")


def _export(request, force_slug, fmt):
    """The register as the page filters it: a tidy table, what it is and what it is as at."""
    force = get_force_for_user(request, force_slug, "view_recommendations")
    form, rows, today = _filtered_rows(request, force)
    return export_response(
        services.register_table(rows),
        services.register_about(force=force, filters=form.filters()),
        services.register_as_at(force=force),
        name=f"{force.slug}-recommendations-{today:%Y-%m-%d}",
        fmt=fmt,
        title=f"{force.name}: HMICFRS recommendations register",
    )


def inspection_create(request, force_slug):
    force = get_force_for_user(request, force_slug, "add_inspection")
    allow_national = is_national_admin(request.user)
    form = InspectionForm(request.POST or None, allow_national=allow_national)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "national"}
        owner = None if form.cleaned_data.get("national") else force
        try:
            inspection = services.create_inspection(by=request.user, force=owner, **data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Inspection added. Now add its recommendations.")
            return redirect(
                "recommendations:inspection", force_slug=force.slug, inspection_slug=inspection.slug
            )
    return render(request, "recommendations/inspection_form.html", {"force": force, "form": form})


def inspection_detail(request, force_slug, inspection_slug):
    force = get_force_for_user(request, force_slug, "view_recommendations")
    inspection = inspection_for(force, inspection_slug)
    recs = list(inspection.recommendations.order_by("order"))
    return render(
        request,
        "recommendations/inspection.html",
        {
            "force": force,
            "inspection": inspection,
            "force_recs": [r for r in recs if r.addressee == Addressee.FORCES],
            "national_recs": [r for r in recs if r.addressee != Addressee.FORCES],
            "record": services.get_record(force=force, inspection=inspection),
            "can_add_recommendation": _may_change_inspection(request.user, force, inspection),
        },
    )


def _may_change_inspection(user, force, inspection) -> bool:
    if inspection.force_id is None:
        return is_national_admin(user)
    return inspection.force_id == force.pk and can(user, "add_inspection", force)


def recommendation_create(request, force_slug, inspection_slug):
    force = get_force_for_user(request, force_slug, "add_inspection")
    inspection = inspection_for(force, inspection_slug)
    if not _may_change_inspection(request.user, force, inspection):
        raise PermissionDenied
    form = RecommendationForm(request.POST or None)
    form.instance.inspection = inspection
    if request.method == "POST" and form.is_valid():
        try:
            services.add_recommendation(inspection=inspection, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Recommendation {form.cleaned_data['number']} added.")
            if "add_another" in request.POST:
                return redirect(
                    "recommendations:recommendation-create",
                    force_slug=force.slug,
                    inspection_slug=inspection.slug,
                )
            return redirect(
                "recommendations:inspection", force_slug=force.slug, inspection_slug=inspection.slug
            )
    return render(
        request,
        "recommendations/recommendation_form.html",
        {"force": force, "inspection": inspection, "form": form},
    )
