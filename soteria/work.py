"""A person's work, for their home page: what is due, overdue, returned to them, awaiting
their approval or sign-off, and the actions they own, gathered from every room.

soteria imports no room: each room names a function in ``settings.MY_WORK_SOURCES`` that
returns its ``WorkItem``s for a user, read through ``soteria.access``. This module only
gathers and orders them, and adds what soteria itself knows (people waiting for a role).
"""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.module_loading import import_string

from . import access
from .models import Force


class Section:
    """The headings of the page, in the order they are shown."""

    OVERDUE = "Overdue"
    RETURNED = "Returned to you"
    AWAITING = "Awaiting your approval or sign-off"
    DUE = "Due soon"
    ACTIONS = "Actions you own"
    MEETINGS = "Upcoming panel meetings"
    WATCH = "To keep an eye on"
    DATA = "Data"

    ORDER = (OVERDUE, RETURNED, AWAITING, DUE, ACTIONS, MEETINGS, WATCH, DATA)


@dataclass
class WorkItem:
    section: str
    title: str
    url: str
    detail: str = ""
    due: dt.date | None = None
    force: Force | None = None
    overdue: bool = False


def work_for(user, *, today: dt.date) -> list[tuple[str, list[WorkItem]]]:
    """Every room's items for the user, by section; oldest due first within a section."""
    items: list[WorkItem] = []
    for path in settings.MY_WORK_SOURCES:
        items.extend(import_string(path)(user=user, today=today))
    sections = []
    for heading in Section.ORDER:
        mine = [i for i in items if i.section == heading]
        mine.sort(key=lambda i: (i.due or dt.date.max, i.title))
        if mine:
            sections.append((heading, mine))
    return sections


def core_work(*, user, today: dt.date) -> list[WorkItem]:
    """For a national administrator: accounts that hold no role yet, so see nothing."""
    if not access.is_national_admin(user) or not user.is_staff:
        return []
    waiting = (
        get_user_model()
        .objects.filter(is_active=True, memberships__isnull=True, is_superuser=False)
        .order_by("date_joined")
    )
    return [
        WorkItem(
            section=Section.AWAITING,
            title=f"Give {person.get_full_name() or person.username} a role",
            detail=f"Signed up {person.date_joined:%-d %b %Y}; sees nothing until given a "
            "force and a role.",
            url=reverse("admin:auth_user_change", args=[person.pk]),
        )
        for person in waiting[:50]
    ]
