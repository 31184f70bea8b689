"""Panels and their members: the force's panels page and one panel's page."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from kpis.engine.models import KpiSnapshot
from soteria.access import can, get_for_user, get_force_for_user, scoped, seated_in
from soteria.periods import Period

from .. import services
from ..forms import MemberEditForm, MemberForm, PanelForm
from ..models import Action, Meeting, Panel, PanelMember


def panel_list(request, force_slug):
    """The force's panels, meetings and open actions; an external member's hold only the panels
    they sit on, and a pillar lead is taken to their pillars' actions."""
    user = request.user
    force = get_force_for_user(request, force_slug, "view_panel_actions", seated=True)
    whole_force = can(user, "view_panels", force)
    if not whole_force and not seated_in(user, "view_panels", force):
        return redirect("panels:actions", force_slug=force.slug)
    panels = list(
        scoped(Panel.objects.filter(force=force), user, "view_panels")
        .annotate(
            meeting_count=Count("meetings", distinct=True),
            member_count=Count("members", filter=Q(members__active=True), distinct=True),
        )
        .order_by("name")
    )
    recent = list(
        scoped(Meeting.objects.filter(panel__force=force), user, "view_panels")
        .select_related("panel")
        .annotate(case_count=Count("cases"))
        .order_by("-date", "-pk")[:10]
    )
    open_actions = list(
        scoped(Action.objects.filter(meeting__panel__force=force), user, "view_panel_actions")
        .exclude(status=Action.Status.CLOSED)
        .select_related("owner", "pillar")
    )
    period, snapshots = (
        _panel_snapshots(force, request.GET.get("period")) if whole_force else (None, [])
    )
    return render(
        request,
        "panels/panel_list.html",
        {
            "force": force,
            "kpi_period": period,
            "snapshots": snapshots,
            "panels": panels,
            "recent": recent,
            "open_actions": open_actions,
            "overdue_count": sum(a.is_overdue for a in open_actions),
            "whole_force": whole_force,
            "can_record": can(user, "record_panel", force),
            "panel_form": PanelForm(),
        },
    )


def _panel_snapshots(force, slug: str | None) -> tuple[Period | None, list[KpiSnapshot]]:
    """The stored panel KPIs of the asked-for quarter, or of the latest quarter that has them."""
    panel_snapshots = KpiSnapshot.objects.filter(force=force, kpi__source="panels")
    try:
        period = Period.parse(slug) if slug else None
    except ValueError:
        period = None
    if period is None:
        latest = panel_snapshots.order_by("-period").values_list("period", flat=True).first()
        period = Period.parse(latest) if latest else None
    if period is None:
        return None, []
    rows = panel_snapshots.filter(period=period.slug).select_related("kpi").order_by("kpi__order")
    return period, list(rows)


@require_POST
def panel_create(request, force_slug):
    force = get_force_for_user(request, force_slug, "record_panel")
    form = PanelForm(request.POST, instance=Panel(force=force))
    if form.is_valid():
        panel = services.create_panel(force=force, **form.cleaned_data)
        messages.success(request, f"Panel “{panel.name}” created. Add its members and chair.")
        return redirect(panel.get_absolute_url())
    for error in form.errors.values():
        messages.error(request, error.as_text())
    return redirect("panels:list", force_slug=force.slug)


def panel_detail(request, force_slug, panel_id, member_form=None):
    panel = get_for_user(request, Panel, panel_id, "view_panels", force__slug=force_slug)
    force = panel.force
    can_record = can(request.user, "record_panel", force)
    if can_record and member_form is None:
        member_form = MemberForm(
            users=services.member_choices(force),
            may_change_chair=services.may_change_chair(user=request.user, panel=panel),
        )
    meetings = list(panel.meetings.annotate(case_count=Count("cases")).order_by("-date", "-pk"))
    members = list(panel.members.select_related("user"))
    return render(
        request,
        "panels/panel_detail.html",
        {
            "force": force,
            "panel": panel,
            "members": members,
            "mix": services.organisation_mix(panel).most_common(),
            "meetings": meetings,
            "can_record": can_record,
            "can_edit_members": can_record or can(request.user, "appoint_panel_chair", force),
            "member_form": member_form,
        },
    )


@require_POST
def member_add(request, force_slug, panel_id):
    panel = get_for_user(request, Panel, panel_id, "record_panel", force__slug=force_slug)
    form = MemberForm(
        request.POST,
        users=services.member_choices(panel.force),
        may_change_chair=services.may_change_chair(user=request.user, panel=panel),
    )
    if form.is_valid():
        try:
            member = services.add_member(panel=panel, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{member.name} added to the panel.")
            return redirect(panel.get_absolute_url())
    return panel_detail(request, force_slug, panel_id, member_form=form)


def member_edit(request, force_slug, member_id):
    """Panel recorders change seats; a force Soteria lead may change only who chairs."""
    member = get_for_user(
        request, PanelMember, member_id, "view_panels", panel__force__slug=force_slug
    )
    force = member.panel.force
    may_record = can(request.user, "record_panel", force)
    if not may_record and not can(request.user, "appoint_panel_chair", force):
        raise PermissionDenied
    form = MemberEditForm(
        request.POST or None,
        instance=member,
        users=services.member_choices(force),
        may_record=may_record,
        may_change_chair=services.may_change_chair(user=request.user, panel=member.panel),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_member(member=member, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{member.name} saved.")
            return redirect(member.panel.get_absolute_url())
    if request.method == "POST":
        member.refresh_from_db()  # the page shows what is saved, not the refused input
    return render(
        request,
        "panels/member_form.html",
        {"force": member.panel.force, "panel": member.panel, "member": member, "form": form},
    )
