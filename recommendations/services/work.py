"""HMICFRS recommendations on a person's "my work" page (settings.MY_WORK_SOURCES).

A chief officer: recommendations awaiting their sign-off and response records awaiting
their approval. The PCC office: its own responses awaiting sign-off, response records ready
to publish, and the register's flags (past deadline first). Everyone: the improvement
actions they own. A fixed number of queries per force the user is a member of.
"""

import datetime as dt

from django.urls import reverse

from soteria import access
from soteria.models import Role
from soteria.work import Section, WorkItem

from ..models import Action, ActionStatus, Response, ResponseRecord, Status
from .records import awaiting_approval
from .register import register_rows


def _detail_url(force, rec) -> str:
    return reverse("recommendations:detail", kwargs={"force_slug": force.slug, "pk": rec.pk})


def _record_url(record) -> str:
    return reverse(
        "recommendations:record",
        kwargs={"force_slug": record.force.slug, "inspection_slug": record.inspection.slug},
    )


def my_work(*, user, today: dt.date) -> list[WorkItem]:
    items = []
    actions = access.scoped(
        Action.objects.filter(
            owner=user, status__in=[ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS]
        ),
        user,
        "view_recommendations",
    ).select_related("response__force", "response__recommendation__inspection")
    for action in actions:
        rec = action.response.recommendation
        late = action.is_overdue(today)
        items.append(
            WorkItem(
                Section.OVERDUE if late else Section.ACTIONS,
                f"Improvement action: {action.title}",
                action.get_absolute_url(),
                f"{action.get_status_display()} · recommendation {rec.number} of "
                f"“{rec.inspection.title}”",
                due=action.due_date,
                force=action.response.force,
                overdue=late,
            )
        )
    forces = access.own_forces(user)
    signs = [f for f in forces if access.can(user, "sign_off_recommendations", f)]
    pcc = [f for f in forces if Role.PCC_STAFF in access.roles_for(user, f)]
    if signs or pcc:
        waiting = Response.objects.filter(
            force__in={*signs, *pcc}, status=Status.AWAITING_SIGN_OFF
        ).select_related("force", "recommendation__inspection")
        for response in waiting:
            rec = response.recommendation
            mine = response.force in signs if rec.for_forces else response.force in pcc
            if not mine:
                continue
            items.append(
                WorkItem(
                    Section.AWAITING,
                    f"Sign off recommendation {rec.number} of “{rec.inspection.title}”",
                    _detail_url(response.force, rec),
                    "Marked ready for sign-off: check the evidence and sign it off, or "
                    "send it back.",
                    due=rec.deadline,
                    force=response.force,
                )
            )
    approves = [f for f in forces if access.can(user, "approve_response_record", f)]
    publishes = [f for f in pcc if access.can(user, "publish_response_record", f)]
    if approves or publishes:
        drafts = list(
            ResponseRecord.objects.filter(
                force__in={*approves, *publishes}, state=ResponseRecord.State.DRAFT
            ).select_related("force", "inspection")
        )
        unapproved = awaiting_approval(drafts)
        for record in drafts:
            title = f"the response record to “{record.inspection.title}”"
            if record.pk in unapproved and record.force in approves:
                items.append(
                    WorkItem(
                        Section.AWAITING,
                        f"Approve the chief constable's response in {title}",
                        _record_url(record),
                        f"Version {record.version}: written in full, not yet approved as it "
                        "stands.",
                        force=record.force,
                    )
                )
            elif (
                record.pk not in unapproved and record.approved_by_id and record.force in publishes
            ):
                items.append(
                    WorkItem(
                        Section.AWAITING,
                        f"Publish {title}",
                        _record_url(record),
                        f"Version {record.version}: the chief constable's response is approved.",
                        force=record.force,
                    )
                )
    for force in pcc:
        for for_forces in (True, False):
            for row in register_rows(force=force, today=today, for_forces=for_forces):
                if not row.flags:
                    continue
                late = "overdue" in row.flag_codes
                rec = row.recommendation
                items.append(
                    WorkItem(
                        Section.OVERDUE if late else Section.WATCH,
                        f"Recommendation {rec.number} of “{rec.inspection.title}”",
                        _detail_url(force, rec),
                        f"{row.status_label} · " + "; ".join(f.label for f in row.flags),
                        due=rec.deadline if late else None,
                        force=force,
                        overdue=late,
                    )
                )
    return items
