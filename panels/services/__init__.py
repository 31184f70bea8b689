"""Panel services: recording meetings and cases, the dip-sample, actions, KPIs, reminders.

Views, tasks and the demo loader all call these. Who may do what: recording needs
``record_panel`` in the force (checked by the views through soteria.access);
finalising and reopening need ``finalise_panel`` *and* the chair of that panel,
checked here because chair-ship is per panel.
"""

from .actions import (
    agenda_actions,
    owner_choices,
    raise_action,
    update_action,
    users_with_roles,
)
from .cases import (
    CASE_FIELDS,
    NFA_ROLES,
    add_case,
    find_crime_record,
    nfa_outcome_types,
    remove_case,
    update_case,
)
from .history import meeting_history, readable_history
from .kpis import (
    finalised_meetings,
    panel_kpis,
)
from .meetings import (
    add_member,
    create_meeting,
    create_panel,
    finalise_meeting,
    finalise_problems,
    member_choices,
    organisation_mix,
    reopen_meeting,
    update_meeting,
    update_member,
)
from .papers import (
    Agenda,
    Minutes,
    agenda_docx,
    meeting_agenda,
    meeting_minutes,
    minutes_docx,
)
from .permissions import (
    is_chair,
    may_change_chair,
    may_finalise,
)
from .reminders import (
    OVERDUE_REPEAT_DAYS,
    send_action_reminders,
)
from .reports import (
    LearningSummary,
    learning_summary,
    summary_about,
    summary_as_at,
    summary_table,
)
from .sampling import (
    REPEAT_SUSPECT_REPORTS,
    DipSample,
    Draw,
    add_drawn_cases,
    dip_sample,
)
from .themes import load_learning_themes

__all__ = [
    "load_learning_themes",
    "is_chair",
    "may_finalise",
    "may_change_chair",
    "create_panel",
    "add_member",
    "update_member",
    "member_choices",
    "organisation_mix",
    "create_meeting",
    "update_meeting",
    "finalise_problems",
    "finalise_meeting",
    "reopen_meeting",
    "CASE_FIELDS",
    "find_crime_record",
    "add_case",
    "update_case",
    "remove_case",
    "NFA_ROLES",
    "REPEAT_SUSPECT_REPORTS",
    "Draw",
    "DipSample",
    "nfa_outcome_types",
    "dip_sample",
    "add_drawn_cases",
    "raise_action",
    "update_action",
    "agenda_actions",
    "owner_choices",
    "users_with_roles",
    "OVERDUE_REPEAT_DAYS",
    "send_action_reminders",
    "finalised_meetings",
    "panel_kpis",
    "LearningSummary",
    "learning_summary",
    "summary_about",
    "summary_as_at",
    "summary_table",
    "readable_history",
    "Agenda",
    "Minutes",
    "meeting_agenda",
    "meeting_minutes",
    "agenda_docx",
    "minutes_docx",
    "meeting_history",
]
