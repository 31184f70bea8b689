"""Fetching helpers shared by the recommendation views: every fetch goes through access."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from soteria.access import can

from .. import services
from ..models import Action, Inspection, Recommendation, Response


def recommendation_for(force, pk) -> Recommendation:
    """A recommendation of an inspection this force responds to; 404 otherwise."""
    return get_object_or_404(services.recommendations_for(force=force), pk=pk)


def inspection_for(force, slug) -> Inspection:
    return get_object_or_404(services.inspections_for(force=force), slug=slug)


def response_for_write(force, recommendation) -> Response:
    if not recommendation.for_forces:
        raise Http404("National recommendations are followed for information")
    return services.ensure_response(force=force, recommendation=recommendation)


def may_edit(user, force) -> bool:
    return can(user, "edit_recommendations", force)


def may_update_action(user, action: Action, force) -> bool:
    """Editors update any action; an action's owner updates their own."""
    return may_edit(user, force) or action.owner_id == user.pk


def may_add_update(user, response: Response | None, force) -> bool:
    if may_edit(user, force):
        return True
    if response is None:
        return False
    return response.owner_id == user.pk or response.actions.filter(owner=user).exists()
