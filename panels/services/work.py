"""Scrutiny panels on a person's "my work" page (settings.MY_WORK_SOURCES): the panel actions
they own (a pillar lead's are of their pillars), the meetings of panels they sit on, and,
for a chair, past meetings whose minutes are not yet finalised. Three queries."""

import datetime as dt

from soteria import access
from soteria.work import Section, WorkItem

from ..models import Action, Meeting

UPCOMING_DAYS = 90


def my_work(*, user, today: dt.date) -> list[WorkItem]:
    items = []
    actions = access.scoped(
        Action.objects.filter(owner=user).exclude(status=Action.Status.CLOSED),
        user,
        "view_panel_actions",
    ).select_related("meeting__panel__force", "pillar")
    for action in actions:
        late = action.due_date < today
        items.append(
            WorkItem(
                Section.OVERDUE if late else Section.ACTIONS,
                f"Panel action: {action.title}",
                action.get_absolute_url(),
                f"{action.get_status_display()} · {action.meeting.panel.name} · "
                f"Pillar {action.pillar.number}",
                due=action.due_date,
                force=action.meeting.panel.force,
                overdue=late,
            )
        )
    seats = Meeting.objects.filter(
        panel__members__user=user, panel__members__active=True, status=Meeting.Status.DRAFT
    )
    meetings = access.scoped(seats, user, "view_panels").select_related("panel__force")
    chaired = set(
        Meeting.objects.filter(
            panel__members__user=user, panel__members__active=True, panel__members__is_chair=True
        ).values_list("pk", flat=True)
    )
    for meeting in meetings.distinct():
        if meeting.date >= today and meeting.date <= today + dt.timedelta(days=UPCOMING_DAYS):
            items.append(
                WorkItem(
                    Section.MEETINGS,
                    f"{meeting.panel.name}: {meeting.date:%A %-d %B %Y}",
                    meeting.get_absolute_url(),
                    "You chair this panel: prepare the agenda and the cases."
                    if meeting.pk in chaired
                    else "Read the agenda and the cases before the meeting.",
                    due=meeting.date,
                    force=meeting.panel.force,
                )
            )
        elif meeting.date < today and meeting.pk in chaired:
            items.append(
                WorkItem(
                    Section.AWAITING,
                    f"Finalise the minutes: {meeting.panel.name}, {meeting.date:%-d %B %Y}",
                    meeting.get_absolute_url(),
                    "The meeting has been held; its record is still a draft.",
                    due=meeting.date,
                    force=meeting.panel.force,
                )
            )
    return items
