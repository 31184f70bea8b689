"""Cases reviewed at a meeting: add by crime reference or imported record, judge, remove."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from kpis.engine.models import CrimeRecord, OutcomeType
from soteria.models import Force
from soteria.pseudonym import pseudonymise

from ..models import CaseReview, LearningTheme, Meeting
from .permissions import _require_draft

# Outcomes that count as "closed with no further action" for the dip-sample: every
# outcome type whose role is NFA (5, 9–13, 15, 17, 18, 21) and the victim-withdrawal
# outcomes 14 and 16. Charges, out-of-court and transfers are not NFA.
NFA_ROLES = (OutcomeType.Role.NFA, OutcomeType.Role.WITHDRAWAL)

CASE_FIELDS = (
    "selection",
    "proposed_by",
    "criterion",
    "selection_note",
    "judgement",
    "judgement_comment",
    "findings",
    "referred_back",
)


def nfa_outcome_types() -> dict[str, str]:
    return dict(OutcomeType.objects.filter(role__in=NFA_ROLES).values_list("code", "label"))


def find_crime_record(*, force: Force, crime_ref_hash: str) -> CrimeRecord | None:
    return CrimeRecord.objects.filter(force=force, crime_ref_hash=crime_ref_hash).first()


def add_case(
    *,
    meeting: Meeting,
    by,
    selection: str,
    crime_reference: str = "",
    crime_record: CrimeRecord | None = None,
    themes: Iterable[LearningTheme] = (),
    add_anyway: bool = False,
    **fields,
) -> CaseReview:
    """Add a case by its crime reference (hashed here, never kept) or by an imported record.

    When the force's imports hold the crime, offence, outcome and dates come from it. A case
    that was not closed with no further action is added only with ``add_anyway``.
    """
    _require_draft(meeting)
    force = meeting.panel.force
    if crime_record is not None:
        if crime_record.force_id != force.pk:
            raise ValidationError("That record belongs to another force.")
        crime_ref_hash = crime_record.crime_ref_hash
    else:
        crime_ref_hash = pseudonymise(crime_reference)
        if not crime_ref_hash:
            raise ValidationError({"crime_reference": "Enter the crime reference."})
        crime_record = find_crime_record(force=force, crime_ref_hash=crime_ref_hash)
    if meeting.cases.filter(crime_ref_hash=crime_ref_hash).exists():
        raise ValidationError({"crime_reference": "This case is already on this meeting."})
    proposer = fields.get("proposed_by")
    if proposer is not None and proposer.panel_id != meeting.panel_id:
        raise ValidationError({"proposed_by": "Choose a member of this panel."})
    case = CaseReview(meeting=meeting, selection=selection, crime_ref_hash=crime_ref_hash)
    for name in CASE_FIELDS:
        if name in fields:
            setattr(case, name, fields[name])
    for name in ("offence_code", "outcome_type", "recorded_date", "outcome_date"):
        if crime_record is not None:
            setattr(case, name, getattr(crime_record, name))
        elif fields.get(name):
            setattr(case, name, fields[name])
    case.crime_record = crime_record
    _check_case(case)
    _check_nfa(case, add_anyway=add_anyway)
    with transaction.atomic():
        last = meeting.cases.aggregate(n=Max("sequence"))["n"] or 0
        case.sequence = last + 1
        case.full_clean()
        case.save()
        case.themes.set(list(themes))
    return case


def update_case(
    *,
    case: CaseReview,
    by,
    themes: Iterable[LearningTheme] | None = None,
    add_anyway: bool = False,
    **fields,
) -> CaseReview:
    _require_draft(case.meeting)
    outcome_before = case.outcome_type
    for name in CASE_FIELDS:
        if name in fields:
            setattr(case, name, fields[name])
    if case.crime_record_id is None:
        for name in ("offence_code", "outcome_type", "recorded_date", "outcome_date"):
            if name in fields:
                setattr(case, name, fields[name] or getattr(case, name))
    _check_case(case)
    if case.outcome_type != outcome_before:
        _check_nfa(case, add_anyway=add_anyway)
    case.full_clean()
    with transaction.atomic():
        case.save()
        if themes is not None:
            case.themes.set(list(themes))
    return case


def remove_case(*, case: CaseReview, by) -> None:
    """Take a case off a draft meeting; its history, and the removal, stay with the meeting."""
    _require_draft(case.meeting)
    case._change_reason = "Removed from the meeting"
    case.delete()


def _check_case(case: CaseReview) -> None:
    errors = {}
    if case.selection == CaseReview.Selection.PROPOSED and case.proposed_by is None:
        errors["proposed_by"] = "Say which member proposed this case."
    if case.selection != CaseReview.Selection.PROPOSED:
        case.proposed_by = None
    if case.selection == CaseReview.Selection.MANDATORY and not case.criterion:
        errors["criterion"] = "Say which mandatory criterion the case meets."
    if case.judgement and not case.judgement_comment.strip():
        errors["judgement_comment"] = "Explain the judgement: a comment is required."
    if errors:
        raise ValidationError(errors)


def _check_nfa(case: CaseReview, *, add_anyway: bool) -> None:
    """The panel reviews cases closed with no further action: a case that was not needs a yes."""
    if case.outcome_type and case.outcome_type not in nfa_outcome_types():
        outcome = OutcomeType.objects.filter(code=case.outcome_type).first()
        named = f"Outcome {case.outcome_type}" + (f" ({outcome.label})" if outcome else "")
        problem = f"{named} is not a no-further-action outcome"
        reason = f"Outcome {case.outcome_type} is not NFA: reviewed anyway, as confirmed"
    elif not case.outcome_type and case.crime_record_id:
        problem = "The imported record has no outcome: the crime is still open"
        reason = "The crime is still open: reviewed anyway, as confirmed"
    else:
        return
    if not add_anyway:
        raise ValidationError(
            {
                "add_anyway": f"{problem}, and this panel reviews cases closed with no further "
                "action. Tick “add anyway” if the panel means to review it."
            }
        )
    case._change_reason = reason
