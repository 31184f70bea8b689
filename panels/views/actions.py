"""Panel actions: the force's action log and one action's page, where progress is recorded."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone

from soteria.access import can, get_for_user, get_force_for_user, scoped, seated_in

from .. import services
from ..forms import ActionUpdateForm
from ..models import Action

STATES = {
    "open": "Open",
    "overdue": "Overdue",
    "closed": "Closed",
    "all": "All",
}


def action_list(request, force_slug):
    """The force's panel actions; a pillar lead's list holds only their pillars' actions."""
    force = get_force_for_user(request, force_slug, "view_panel_actions", seated=True)
    state = request.GET.get("state", "open")
    if state not in STATES:
        state = "open"
    actions = scoped(
        Action.objects.filter(meeting__panel__force=force), request.user, "view_panel_actions"
    ).select_related("owner", "pillar", "meeting__panel", "case")
    if state in ("open", "overdue"):
        actions = actions.exclude(status=Action.Status.CLOSED)
    if state == "overdue":
        actions = actions.filter(due_date__lt=timezone.localdate())
    if state == "closed":
        actions = actions.filter(status=Action.Status.CLOSED)
    return render(
        request,
        "panels/action_list.html",
        {
            "force": force,
            "actions": list(actions),
            "state": state,
            "states": STATES,
            "link_meetings": _may_open_meetings(request.user, force),
        },
    )


def action_detail(request, force_slug, action_id):
    """Owners and panel members record progress; actions stay live after the meeting is locked.

    Pillar leads read their pillars' actions, without links to the meeting and case behind them.
    """
    action = get_for_user(
        request, Action, action_id, "view_panel_actions", meeting__panel__force__slug=force_slug
    )
    force = action.meeting.panel.force
    may_update = can(request.user, "record_panel", force) or action.owner_id == request.user.pk
    form = ActionUpdateForm(request.POST or None, instance=action) if may_update else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.update_action(action=action, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, "Action updated.")
                return redirect(action.get_absolute_url())
        action.refresh_from_db()  # the page shows what is saved, not the refused input
    return render(
        request,
        "panels/action_detail.html",
        {
            "force": force,
            "action": action,
            "form": form,
            "link_meetings": _may_open_meetings(request.user, force),
            "history": services.readable_history(action),
        },
    )


def _may_open_meetings(user, force) -> bool:
    """Panel readers open the meetings behind actions; a pillar lead does not."""
    return can(user, "view_panels", force) or seated_in(user, "view_panels", force)
