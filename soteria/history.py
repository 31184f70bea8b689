"""Audit history for pages: who changed what, and when, read from django-simple-history.

Every model whose changes must be audited registers ``history = HistoricalRecords()``
(evidence returns, recommendations, panel records). Pages show the trail with
``history_rows`` and the partial ``soteria/partials/history.html``.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Model
from django.utils import timezone
from django.utils.dateformat import format as format_date

ACTIONS = {"+": "Created", "~": "Changed", "-": "Deleted"}
HIDDEN_FIELDS = {"id", "updated_at", "modified_at"}
DATETIME = "j M Y H:i"  # as the history partial shows "when": 6 Dec 2026 19:38
DATE = "j M Y"


@dataclass
class HistoryRow:
    when: object
    who: str
    action: str
    subject: str
    changes: list[tuple[str, str, str]]  # (field label, old, new)
    reason: str


def history_rows(*objects: Model, limit: int = 200) -> list[HistoryRow]:
    """The change trail of one or more audited objects, newest first."""
    records = []
    for obj in objects:
        records.extend(obj.history.select_related("history_user").order_by("history_date"))
    rows = []
    previous_by_object: dict[tuple, object] = {}
    for record in sorted(records, key=lambda r: r.history_date):
        key = (type(record.instance).__name__, record.id)
        previous = previous_by_object.get(key)
        changes = []
        if previous is not None:
            delta = record.diff_against(previous)
            for change in delta.changes:
                if change.field in HIDDEN_FIELDS:
                    continue
                field = record.instance._meta.get_field(change.field)
                if field.get_internal_type() == "JSONField":
                    continue  # machine-kept data (a frozen snapshot): the reason says what happened
                label = str(field.verbose_name)
                changes.append(
                    (
                        label[:1].upper() + label[1:],
                        _show(_readable(field, change.old)),
                        _show(_readable(field, change.new)),
                    )
                )
        previous_by_object[key] = record
        reason = record.history_change_reason or ""
        if previous is not None and not changes and not reason and record.history_type == "~":
            continue
        user = record.history_user
        rows.append(
            HistoryRow(
                when=record.history_date,
                who=(user.get_full_name() or user.username) if user else "System",
                action=ACTIONS.get(record.history_type, record.history_type),
                subject=record.instance._meta.verbose_name.capitalize(),
                changes=changes,
                reason=record.history_change_reason or "",
            )
        )
    rows.reverse()
    return rows[:limit]


def _readable(field, value):
    """A choice's label, a related object's name, a date as people write it, not the stored value."""
    if value is None or value == "":
        return value
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dt.datetime):
        return format_date(
            timezone.localtime(value) if timezone.is_aware(value) else value, DATETIME
        )
    if isinstance(value, dt.date):
        return format_date(value, DATE)
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    if field.is_relation and field.many_to_one:
        related = field.related_model._default_manager.filter(pk=value).first()
        if related is not None:
            get_name = getattr(related, "get_full_name", None)
            return (get_name() if callable(get_name) else "") or str(related)
    return value


def _show(value) -> str:
    if value is None or value == "":
        return "—"
    text = str(value)
    return text if len(text) <= 200 else text[:197] + "…"
