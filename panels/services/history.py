"""Audit trail: history rows with attendance and theme changes shown as names."""

import re

from ..models import LearningTheme, PanelMember

_M2M_LABELS = {"Attendance", "Learning themes"}
_M2M_ID = re.compile(r"'(panelmember|learningtheme)': (\d+)")


def readable_history(*objects) -> list:
    """soteria.history rows, with attendance and theme changes shown as names, not row ids."""
    from soteria.history import history_rows

    rows = history_rows(*objects)
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
