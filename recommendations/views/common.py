"""Fetching helpers shared by the recommendation views: every fetch goes through access."""

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
    return services.ensure_response(force=force, recommendation=recommendation)


def may_edit(user, force) -> bool:
    """May the user edit the force's responses to recommendations addressed to forces?"""
    return can(user, "edit_recommendations", force)


def edit_action(rec: Recommendation) -> str:
    """The force's editors answer a recommendation addressed to forces; the PCC office answers
    one addressed to PCCs or national bodies."""
    return "edit_recommendations" if rec.for_forces else "respond_as_pcc"


def sign_off_action(rec: Recommendation) -> str:
    """A chief officer signs off the force's response; the PCC office closes its own."""
    return "sign_off_recommendations" if rec.for_forces else "respond_as_pcc"


def may_edit_response(user, force, rec: Recommendation) -> bool:
    return can(user, edit_action(rec), force)


def may_update_action(user, action: Action, force) -> bool:
    """Editors update any action; an action's owner updates their own."""
    rec = action.response.recommendation
    return may_edit_response(user, force, rec) or action.owner_id == user.pk


def may_add_update(user, response: Response | None, force, rec: Recommendation) -> bool:
    if may_edit_response(user, force, rec):
        return True
    if response is None:
        return False
    return response.owner_id == user.pk or response.actions.filter(owner=user).exists()
