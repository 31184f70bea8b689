"""The most-similar peer groups pages: every force's group, and one force's group with how it
was computed, its history and (for a national administrator) the form that changes it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from soteria.access import can_nationally, own_forces, require_national
from soteria.history import history_rows
from soteria.models import Force

from . import peers
from .forms import PeerGroupForm


def _require_reader(request) -> None:
    """National roles and a force's own users read the groups (published-data method)."""
    if not can_nationally(request.user, "view") and not own_forces(request.user):
        raise PermissionDenied


@login_required
def peer_groups(request):
    _require_reader(request)
    return render(
        request,
        "kpis/national/peer_groups.html",
        {
            "groups": peers.peer_groups(),
            "can_edit": can_nationally(request.user, "edit_peer_groups"),
            "mine": {f.pk for f in own_forces(request.user)},
        },
    )


@login_required
def peer_group(request, force_slug):
    _require_reader(request)
    force = get_object_or_404(Force, slug=force_slug)
    group = peers.group_of(force=force)
    can_edit = can_nationally(request.user, "edit_peer_groups")
    form = None
    if request.method == "POST":
        require_national(request, "edit_peer_groups")
        form = PeerGroupForm(request.POST, force=force)
        if form.is_valid():
            try:
                peers.set_peer_group(
                    force=force,
                    members=list(form.cleaned_data["members"]),
                    reason=form.cleaned_data["reason"],
                    by=request.user,
                )
            except ValidationError as error:
                for field, problems in error.message_dict.items():
                    for problem in problems:
                        form.add_error(field, problem)
            else:
                messages.success(
                    request,
                    f"{force.name}'s most similar forces are saved; its figures are being "
                    "recomputed against them.",
                )
                return redirect("national:peer-group", force_slug=force.slug)
    elif can_edit:
        form = PeerGroupForm(
            force=force, initial={"members": list(group.members.all()) if group.pk else []}
        )
    return render(
        request,
        "kpis/national/peer_group.html",
        {
            "force": force,
            "group": group,
            "form": form,
            "can_edit": can_edit,
            "history": history_rows(group) if group.pk else [],
        },
        status=400 if form is not None and form.is_bound else 200,
    )


@login_required
@require_POST
def peer_group_reset(request, force_slug):
    require_national(request, "edit_peer_groups")
    force = get_object_or_404(Force, slug=force_slug)
    peers.reset_peer_group(force=force, by=request.user)
    messages.success(request, f"{force.name}'s group is the computed default again.")
    return redirect("national:peer-group", force_slug=force.slug)


@login_required
@require_POST
def peer_groups_recompute(request):
    require_national(request, "edit_peer_groups")
    peers.recompute_peer_groups()
    messages.success(
        request,
        "The default groups are being recomputed from the national data; groups set by a "
        "national administrator are kept.",
    )
    return redirect("national:peer-groups")
