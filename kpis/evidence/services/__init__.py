"""Evidence returns: due dates, the workflow, history, the Soteria lead's grid, reminders,
the KPI source that feeds approved figures into snapshots, and the demo returns.

Each job has its own module; this package re-exports their public names.
"""

from .demo import (
    DEMO_NARRATIVE,
    load_demo_returns,
)
from .due_dates import (
    DUE_QUARTERS,
    WORKING_DAYS_TO_RETURN,
    add_working_days,
    default_due_date,
    frequency_note,
    is_due,
    is_working_day,
)
from .grid import (
    Grid,
    GridCell,
    pillar_leads,
    return_grid,
)
from .history import (
    WORKFLOW_FIELDS,
    history,
)
from .kpi_source import (
    evidence_results,
)
from .reminders import (
    OVERDUE_REMINDER_EVERY_DAYS,
    REMINDER_DAYS_BEFORE,
    send_evidence_reminders,
    send_evidence_summaries,
)
from .returns import (
    VALUE_FIELDS,
    add_attachment,
    approve_return,
    evidence_kpis,
    evidence_pillars,
    find_return,
    lateness_days,
    missing_for_submission,
    person,
    previous_values,
    remove_attachment,
    reopen_return,
    return_for_changes,
    return_url,
    save_return,
    set_due_date,
    start_return,
    submit_return,
    values_by_slug,
    why_cannot_approve,
)

__all__ = [
    "DEMO_NARRATIVE",
    "DUE_QUARTERS",
    "Grid",
    "GridCell",
    "OVERDUE_REMINDER_EVERY_DAYS",
    "REMINDER_DAYS_BEFORE",
    "VALUE_FIELDS",
    "WORKFLOW_FIELDS",
    "WORKING_DAYS_TO_RETURN",
    "add_attachment",
    "add_working_days",
    "approve_return",
    "default_due_date",
    "evidence_kpis",
    "evidence_pillars",
    "evidence_results",
    "find_return",
    "frequency_note",
    "history",
    "is_due",
    "is_working_day",
    "lateness_days",
    "load_demo_returns",
    "missing_for_submission",
    "person",
    "pillar_leads",
    "previous_values",
    "remove_attachment",
    "reopen_return",
    "return_for_changes",
    "return_grid",
    "return_url",
    "save_return",
    "send_evidence_reminders",
    "send_evidence_summaries",
    "set_due_date",
    "start_return",
    "submit_return",
    "values_by_slug",
    "why_cannot_approve",
]
