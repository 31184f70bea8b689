"""Links from a response to records of other apps, through content types.

The linkable models are named in settings.RECOMMENDATION_LINKABLE_MODELS and resolved with
django.apps, so this app never imports the other; each is scoped through soteria.access."""

import datetime as dt
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from soteria.access import can, scoped, view_action
from soteria.models import Force

from ..models import (
    Link,
    Response,
)
from .common import audit_note, display_name, unlink


def linkable_models() -> list[type[Model]]:
    """The models named in settings that are installed; an absent one is skipped."""
    models = []
    for label in getattr(settings, "RECOMMENDATION_LINKABLE_MODELS", []):
        try:
            models.append(apps.get_model(label))
        except (LookupError, ValueError):
            continue
    return models


def _force_path(model: type[Model]) -> str:
    return getattr(model, "FORCE_FIELD", "force")


def link_choices(*, user, force: Force) -> list[tuple[str, str]]:
    """Records the user may see in this force, as (value, label) pairs: "<ct id>:<pk>"."""
    choices = []
    for model in linkable_models():
        ct = ContentType.objects.get_for_model(model)
        qs = scoped(model.objects.all(), user, view_action(model)).filter(
            **{_force_path(model): force}
        )
        for obj in qs[:500]:
            choices.append((f"{ct.pk}:{obj.pk}", f"{model._meta.verbose_name.capitalize()}: {obj}"))
    return choices


def _link_name(link: Link) -> str:
    """How the response's history names a linked record: its kind and number, never its title,
    since everyone who reads the recommendation reads its history and may not see the record."""
    return f"{link.content_type.name} #{link.object_id}"


@transaction.atomic
def add_link(*, response: Response, by, value: str) -> Link:
    """Link the response to a record the user may see in the response's force."""
    allowed = dict(link_choices(user=by, force=response.force))
    if value not in allowed:
        raise ValidationError({"target": "Choose a record from your force."})
    ct_id, object_id = (int(part) for part in value.split(":"))
    link, created = Link.objects.get_or_create(
        response=response,
        content_type_id=ct_id,
        object_id=object_id,
        defaults={"added_by": by},
    )
    if created:
        response._change_reason = audit_note(f"Linked to {_link_name(link)} by {display_name(by)}")
        response.save()
    return link


@transaction.atomic
def remove_link(*, link: Link, by) -> None:
    unlink(link=link, name=_link_name(link), by=by)


@dataclass
class LinkedRecord:
    link: Link
    label: str
    url: str
    due_date: dt.date | None
    status: str
    is_open: bool | None
    is_overdue: bool | None
    available: bool


def linked_records(*, response: Response, user) -> list[LinkedRecord]:
    """The response's links that the user may see, each resolved only if the model still exists.

    A link to a record of an area the user's role may not open (a scrutiny-panel action for
    an analyst) is left out altogether: its title, status and due date are that area's.
    """
    allowed_models = {m._meta.label_lower for m in linkable_models()}
    rows = []
    for link in response.links.select_related("content_type"):
        model = link.content_type.model_class()
        obj = None
        if model is not None and model._meta.label_lower in allowed_models:
            if not can(user, view_action(model), response.force):
                continue
            obj = (
                scoped(model.objects.all(), user, view_action(model))
                .filter(**{_force_path(model): response.force}, pk=link.object_id)
                .first()
            )
        if obj is None:
            rows.append(
                LinkedRecord(
                    link,
                    "A linked record that is no longer available",
                    "",
                    None,
                    "",
                    None,
                    None,
                    False,
                )
            )
            continue
        overdue = getattr(obj, "is_overdue", None)
        if callable(overdue):
            try:
                overdue = overdue()
            except TypeError:
                overdue = overdue(timezone.localdate())
        status_display = getattr(obj, "get_status_display", None)
        rows.append(
            LinkedRecord(
                link=link,
                label=f"{model._meta.verbose_name.capitalize()}: {obj}",
                url=obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else "",
                due_date=getattr(obj, "due_date", None),
                status=status_display() if callable(status_display) else "",
                is_open=getattr(obj, "is_open", None),
                is_overdue=overdue,
                available=True,
            )
        )
    return rows
