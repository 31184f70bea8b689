"""A return's history in words, for its page: workflow steps, changed values, attachments."""

from soteria.history import HistoryRow, history_rows

from ..models import (
    EvidenceAttachment,
    EvidenceReturn,
    EvidenceValue,
)

Status = EvidenceReturn.Status

# Already told by "who" and the reason ("Submitted", "Approved"), so not repeated as changes.
WORKFLOW_FIELDS = {
    "First submitted at",
    "Submitted at",
    "Approved at",
    "Submitted by",
    "Reviewed by",
    "Entered by",
}


def history(ret: EvidenceReturn | None, values: dict[str, EvidenceValue]) -> list[HistoryRow]:
    """The return's audit trail for its page, each figure's changes shown as people read them."""
    if ret is None:
        return []
    rows = []
    labels = dict(EvidenceReturn.Status.choices)
    for row in history_rows(ret):
        row.changes = [
            (label, labels.get(old, old), labels.get(new, new))
            if label == "Status"
            else (label, old, new)
            for label, old, new in row.changes
            if label not in WORKFLOW_FIELDS
        ]
        rows.append(row)
    for value in values.values():
        rows.extend(_value_history(value))
    rows.extend(_attachment_history(ret))
    return sorted(rows, key=lambda r: r.when, reverse=True)


def _attachment_history(ret) -> list[HistoryRow]:
    """Files added and removed, read from the audit table so removed files still show."""
    records = EvidenceAttachment.history.filter(evidence_return_id=ret.pk).select_related(
        "history_user"
    )
    actions = {"+": "Attached", "-": "Removed"}
    return [
        HistoryRow(
            when=record.history_date,
            who=_who(record.history_user),
            action=actions[record.history_type],
            subject=f"file “{record.original_name}”",
            changes=[],
            reason=record.description,
        )
        for record in records
        if record.history_type in actions
    ]


def _who(user) -> str:
    return (user.get_full_name() or user.username) if user else "System"


def _value_history(value) -> list[HistoryRow]:
    rows, shown, note = [], "—", ""
    for record in value.history.select_related("history_user").order_by("history_date"):
        instance = record.instance
        instance.kpi = value.kpi
        changes = []
        if instance.display != shown:
            changes.append(("Figure", shown, instance.display))
        if instance.comment != note:
            changes.append(("Note", note or "—", instance.comment or "—"))
        shown, note = instance.display, instance.comment
        if not changes:
            continue
        rows.append(
            HistoryRow(
                when=record.history_date,
                who=_who(record.history_user),
                action="Entered" if record.history_type == "+" else "Changed",
                subject=f"figure for {value.kpi.name}",
                changes=changes,
                reason="",
            )
        )
    return rows
