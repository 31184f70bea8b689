"""One recommendation and the force's response: the plan, actions, progress, evidence,
sign-off, and links to KPIs and other records."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from kpis.engine.models import Kpi
from soteria.access import can, get_for_user, get_force_for_user
from soteria.files import serve_private_file
from soteria.history import history_rows

from .. import services
from ..forms import (
    ActionEditForm,
    ActionForm,
    KpiLinkForm,
    LinkForm,
    PageLinkForm,
    ReopenForm,
    ResponseForm,
    SignOffForm,
    UpdateForm,
)
from ..models import Action, Evidence, Link, PageLink, Response
from .common import (
    may_add_update,
    may_edit_response,
    may_update_action,
    recommendation_for,
    response_for_write,
    sign_off_action,
)


def _to_detail(force, rec):
    return redirect("recommendations:detail", force_slug=force.slug, pk=rec.pk)


def detail(request, force_slug, pk):
    force = get_force_for_user(request, force_slug, "view_recommendations")
    rec = recommendation_for(force, pk)
    response = services.get_response(force=force, recommendation=rec)
    today = timezone.localdate()
    context = {
        "force": force,
        "rec": rec,
        "response": response,
        "today": today,
        "can_edit": may_edit_response(request.user, force, rec),
        "can_sign_off": can(request.user, sign_off_action(rec), force),
        "can_add_update": may_add_update(request.user, response, force, rec),
    }
    if response is not None:
        rows = services.register_rows(
            force=force, today=today, inspection=rec.inspection, for_forces=rec.for_forces
        )
        row = next(r for r in rows if r.recommendation.pk == rec.pk)
        actions = list(
            response.actions.select_related("owner", "completed_by").annotate(
                evidence_count=Count("updates__evidence")
            )
        )
        for action in actions:
            action.overdue = action.is_overdue(today)
            action.may_update = may_update_action(request.user, action, force)
        updates = list(
            response.updates.select_related("author", "action").prefetch_related(
                Prefetch("evidence", queryset=Evidence.objects.order_by("pk"))
            )
        )
        kpis = list(response.kpis.select_related("pillar").order_by("order"))
        evidence = [e for u in updates for e in u.evidence.all()]
        context.update(
            {
                "row": row,
                "actions": actions,
                "updates": updates,
                "has_evidence": bool(evidence),
                "open_action_count": sum(1 for a in actions if a.is_open),
                "trends": services.kpi_trends(force=force, kpis=kpis),
                "links": services.linked_records(response=response, user=request.user),
                "page_links": services.linked_pages(response=response, user=request.user),
                "history": history_rows(response, *actions, *updates, *evidence),
            }
        )
    if context["can_edit"]:
        context["kpi_form"] = KpiLinkForm(
            kpis=Kpi.objects.select_related("pillar").order_by("pillar__number", "order"),
            initial={"kpis": list(response.kpis.all()) if response else []},
        )
        if services.page_choices():
            context["page_link_form"] = PageLinkForm(
                pages=services.page_choices(), quarters=services.quarter_choices()
            )
        if services.linkable_models():
            context["link_form"] = LinkForm(
                choices=services.link_choices(user=request.user, force=force)
            )
    if response is not None and context["can_sign_off"]:
        context["sign_off_form"] = SignOffForm()
        context["reopen_form"] = ReopenForm()
    return render(request, "recommendations/detail.html", context)


def edit(request, force_slug, pk):
    force = get_force_for_user(request, force_slug, "view_recommendations")
    rec = recommendation_for(force, pk)
    if not may_edit_response(request.user, force, rec):
        raise PermissionDenied
    response = services.get_response(force=force, recommendation=rec)
    members = services.force_members(force=force)
    instance = response or Response(force=force, recommendation=rec)
    form = ResponseForm(request.POST or None, instance=instance, members=members)
    if request.method == "POST" and form.is_valid():
        response = response or response_for_write(force, rec)
        try:
            services.update_response(response=response, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Response saved.")
            return _to_detail(force, rec)
    return render(
        request, "recommendations/response_form.html", {"force": force, "rec": rec, "form": form}
    )


def action_create(request, force_slug, pk):
    force = get_force_for_user(request, force_slug, "view_recommendations")
    rec = recommendation_for(force, pk)
    if not may_edit_response(request.user, force, rec):
        raise PermissionDenied
    form = ActionForm(request.POST or None, members=services.force_members(force=force))
    if request.method == "POST" and form.is_valid():
        response = response_for_write(force, rec)
        try:
            services.add_action(response=response, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Action added to the improvement plan.")
            return _to_detail(force, rec)
    return render(
        request,
        "recommendations/action_form.html",
        {"force": force, "rec": rec, "form": form, "title": "Add an improvement action"},
    )


def action_edit(request, force_slug, action_pk):
    force = get_force_for_user(request, force_slug, "view_recommendations")
    action = get_for_user(request, Action, action_pk, "view_recommendations", response__force=force)
    if not may_update_action(request.user, action, force):
        raise PermissionDenied
    rec = action.response.recommendation
    form = ActionEditForm(
        request.POST or None,
        action=action,
        members=services.force_members(force=force),
        owner_only=not may_edit_response(request.user, force, rec),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_action(action=action, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Action updated.")
            return _to_detail(force, rec)
    return render(
        request,
        "recommendations/action_form.html",
        {"force": force, "rec": rec, "form": form, "title": f"Update action: {action.title}"},
    )


def update_create(request, force_slug, pk):
    force = get_force_for_user(request, force_slug, "view_recommendations")
    rec = recommendation_for(force, pk)
    response = services.get_response(force=force, recommendation=rec)
    if not may_add_update(request.user, response, force, rec):
        raise PermissionDenied
    editor = may_edit_response(request.user, force, rec) or (
        response and response.owner_id == request.user.pk
    )
    actions = Action.objects.filter(response=response) if response else Action.objects.none()
    if not editor:
        actions = actions.filter(owner=request.user)
    form = UpdateForm(
        request.POST or None,
        request.FILES or None,
        actions=actions,
        action_required=not editor,
        initial={"action": request.GET.get("action")},
    )
    if request.method == "POST" and form.is_valid():
        response = response or response_for_write(force, rec)
        try:
            services.add_update(
                response=response,
                by=request.user,
                date=form.cleaned_data["date"],
                text=form.cleaned_data["text"],
                action=form.cleaned_data["action"],
                files=form.cleaned_data["evidence"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            count = len(form.cleaned_data["evidence"])
            messages.success(
                request,
                f"Progress update added with {count} evidence file{'s' if count != 1 else ''}.",
            )
            return _to_detail(force, rec)
    return render(
        request, "recommendations/update_form.html", {"force": force, "rec": rec, "form": form}
    )


def evidence_download(request, force_slug, evidence_pk):
    force = get_force_for_user(request, force_slug, "view_recommendations")
    evidence = get_for_user(
        request, Evidence, evidence_pk, "view_recommendations", update__response__force=force
    )
    return serve_private_file(evidence.file, download_name=evidence.original_name)


@require_POST
def sign_off(request, force_slug, pk):
    force = get_force_for_user(request, force_slug, "view_recommendations")
    rec = recommendation_for(force, pk)
    if not can(request.user, sign_off_action(rec), force):
        raise PermissionDenied
    response = get_object_or_404(Response, force=force, recommendation=rec)
    form = SignOffForm(request.POST)
    if form.is_valid():
        try:
            services.sign_off(response=response, by=request.user, note=form.cleaned_data["note"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Signed off as complete.")
    return _to_detail(force, rec)


@require_POST
def reopen(request, force_slug, pk):
    force = get_force_for_user(request, force_slug, "view_recommendations")
    rec = recommendation_for(force, pk)
    if not can(request.user, sign_off_action(rec), force):
        raise PermissionDenied
    response = get_object_or_404(Response, force=force, recommendation=rec)
    form = ReopenForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Say why the recommendation is being reopened.")
        return _to_detail(force, rec)
    try:
        services.reopen(response=response, by=request.user, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Reopened: it is in progress again.")
    return _to_detail(force, rec)


@require_POST
def kpi_links(request, force_slug, pk):
    force = get_force_for_user(request, force_slug, "view_recommendations")
    rec = recommendation_for(force, pk)
    if not may_edit_response(request.user, force, rec):
        raise PermissionDenied
    form = KpiLinkForm(request.POST, kpis=Kpi.objects.all())
    if form.is_valid():
        response = response_for_write(force, rec)
        services.set_kpis(response=response, by=request.user, kpis=form.cleaned_data["kpis"])
        count = len(form.cleaned_data["kpis"])
        messages.success(request, f"{count} KPI{'s' if count != 1 else ''} linked.")
    else:
        messages.error(request, "Choose KPIs from the list.")
    return _to_detail(force, rec)


@require_POST
def link_add(request, force_slug, pk):
    force = get_force_for_user(request, force_slug, "view_recommendations")
    rec = recommendation_for(force, pk)
    if not may_edit_response(request.user, force, rec):
        raise PermissionDenied
    form = LinkForm(request.POST, choices=services.link_choices(user=request.user, force=force))
    if form.is_valid():
        response = response_for_write(force, rec)
        try:
            services.add_link(response=response, by=request.user, value=form.cleaned_data["target"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Linked.")
    else:
        messages.error(request, "Choose a record from your force to link.")
    return _to_detail(force, rec)


def _delete_link(request, force_slug, model, link_pk, remove):
    """Remove a response's link (to a record or a page) for someone who may edit it."""
    force = get_force_for_user(request, force_slug, "view_recommendations")
    link = get_for_user(request, model, link_pk, "view_recommendations", response__force=force)
    rec = link.response.recommendation
    if not may_edit_response(request.user, force, rec):
        raise PermissionDenied
    remove(link=link, by=request.user)
    messages.success(request, "Link removed.")
    return _to_detail(force, rec)


@require_POST
def link_delete(request, force_slug, link_pk):
    return _delete_link(request, force_slug, Link, link_pk, services.remove_link)


@require_POST
def page_link_add(request, force_slug, pk):
    """Link the response to a page (the problem profile) for a chosen quarter."""
    force = get_force_for_user(request, force_slug, "view_recommendations")
    rec = recommendation_for(force, pk)
    if not may_edit_response(request.user, force, rec):
        raise PermissionDenied
    form = PageLinkForm(
        request.POST, pages=services.page_choices(), quarters=services.quarter_choices()
    )
    if form.is_valid():
        response = response_for_write(force, rec)
        services.add_page_link(response=response, by=request.user, **form.cleaned_data)
        messages.success(request, "Linked.")
    else:
        messages.error(request, "Choose a page and a complete quarter from the lists.")
    return _to_detail(force, rec)


@require_POST
def page_link_delete(request, force_slug, link_pk):
    return _delete_link(request, force_slug, PageLink, link_pk, services.remove_page_link)
