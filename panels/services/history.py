"""Audit trail: history rows that name the case, and attendance and theme changes by name."""

import re

from ..models import CaseReview, LearningTheme, Meeting, PanelMember

_M2M_LABELS = {"Attendance", "Learning themes"}
_M2M_ID = re.compile(r"'(panelmember|learningtheme)': (\d+)")


def meeting_history(meeting: Meeting, *, cases: list[CaseReview], actions: list) -> list:
    """The meeting's trail: its own changes, its actions' and its cases', removed cases too."""
    removed = [
        record.instance
        for record in CaseReview.history.filter(meeting_id=meeting.pk, history_type="-")
        .exclude(id__in=[case.pk for case in cases])
        .order_by("history_date")
    ]
    return readable_history(meeting, *cases, *removed, *actions)


def readable_history(*objects) -> list:
    """soteria.history rows, newest first: each case named by its label (never the crime
    reference), attendance and theme changes shown as names, not row ids."""
    from soteria.history import history_rows

    rows = []
    for obj in objects:
        own = history_rows(obj)
        if isinstance(obj, CaseReview):
            for row in own:
                row.subject = obj.label
        rows.extend(own)
    rows.sort(key=lambda row: row.when, reverse=True)
    names = {
        "panelmember": dict(PanelMember.objects.values_list("pk", "name")),
        "learningtheme": dict(LearningTheme.objects.values_list("pk", "name")),
    }

    def show(text: str) -> str:
        found = _M2M_ID.findall(text)
        if not found and text.startswith("["):
            return "none"
        return (
            ", ".join(names[kind].get(int(pk), f"#{pk}") for kind, pk in found) if found else text
        )

    for row in rows:
        row.changes = [
            (label, show(old), show(new)) if label in _M2M_LABELS else (label, old, new)
            for label, old, new in row.changes
        ]
    return rows
