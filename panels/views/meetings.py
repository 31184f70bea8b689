"""Recording a meeting: the meeting page (agenda, attendance, cases, actions), its forms, sign-off."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from soteria.access import can, get_for_user

from .. import services
from ..forms import ActionForm, CaseForm, DipSampleForm, MeetingForm, ReopenForm
from ..models import CaseReview, Meeting, Panel


def _meeting(request, force_slug, meeting_id, action="view_panels") -> Meeting:
    return get_for_user(request, Meeting, meeting_id, action, panel__force__slug=force_slug)


def meeting_create(request, force_slug, panel_id):
    panel = get_for_user(request, Panel, panel_id, "record_panel", force__slug=force_slug)
    form = MeetingForm(request.POST or None, panel=panel)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        meeting = services.create_meeting(panel=panel, by=request.user, **data)
        messages.success(request, "Meeting started. Add the cases reviewed below.")
        return redirect(meeting.get_absolute_url())
    return render(
        request,
        "panels/meeting_form.html",
        {"force": panel.force, "panel": panel, "form": form, "title": "Record a meeting"},
    )


def meeting_edit(request, force_slug, meeting_id):
    meeting = _meeting(request, force_slug, meeting_id, "record_panel")
    form = MeetingForm(request.POST or None, instance=meeting, panel=meeting.panel)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.update_meeting(meeting=meeting, by=request.user, **data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Meeting details saved.")
            return redirect(meeting.get_absolute_url())
    if request.method == "POST":
        meeting.refresh_from_db()  # the page shows what is saved, not the refused input
    return render(
        request,
        "panels/meeting_form.html",
        {
            "force": meeting.panel.force,
            "panel": meeting.panel,
            "meeting": meeting,
            "form": form,
            "title": "Attendance and agenda",
        },
    )


def meeting_detail(request, force_slug, meeting_id, **forms):
    meeting = _meeting(request, force_slug, meeting_id)
    return _render_meeting(request, meeting, **forms)


def _render_meeting(request, meeting: Meeting, *, status=200, **forms):
    force = meeting.panel.force
    user = request.user
    can_record = can(user, "record_panel", force) and not meeting.is_finalised
    cases = list(
        meeting.cases.select_related("proposed_by", "crime_record").prefetch_related("themes")
    )
    actions = list(meeting.actions.select_related("owner", "pillar", "case"))
    context = {
        "force": force,
        "panel": meeting.panel,
        "meeting": meeting,
        "attendees": list(meeting.attendees.all()),
        "carried_forward": services.agenda_actions(meeting),
        "cases": cases,
        "actions": actions,
        "can_record": can_record,
        "may_finalise": services.may_finalise(user=user, meeting=meeting),
        "history": services.meeting_history(meeting, cases=cases, actions=actions),
    }
    if can_record:
        sample_form = forms.get("sample_form") or DipSampleForm(
            request.GET if "seed" in request.GET else None,
            meeting=meeting,
            initial={
                "period": meeting.period.previous().slug,
                "seed": int(meeting.date.strftime("%Y%m%d")),
            },
        )
        context.update(
            case_form=forms.get("case_form") or CaseForm(meeting=meeting),
            action_form=forms.get("action_form")
            or ActionForm(meeting=meeting, owners=services.owner_choices(force)),
            sample_form=sample_form,
            sample=(
                services.dip_sample(
                    force=force,
                    period=sample_form.cleaned_period(),
                    size=sample_form.cleaned_data["size"],
                    seed=sample_form.cleaned_data["seed"],
                )
                if sample_form.is_bound and sample_form.is_valid()
                else None
            ),
            nfa_outcomes=services.nfa_outcome_types(),
            problems=services.finalise_problems(meeting),
        )
    if meeting.is_finalised and context["may_finalise"]:
        context["reopen_form"] = forms.get("reopen_form") or ReopenForm()
    return render(request, "panels/meeting_detail.html", context, status=status)


@require_POST
def case_add(request, force_slug, meeting_id):
    meeting = _meeting(request, force_slug, meeting_id, "record_panel")
    form = CaseForm(request.POST, meeting=meeting)
    if form.is_valid():
        try:
            case = services.add_case(meeting=meeting, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{case.label} added.")
            return redirect(meeting.get_absolute_url() + "#cases")
    return _render_meeting(request, meeting, case_form=form, status=400)


@require_POST
def dip_sample_add(request, force_slug, meeting_id):
    meeting = _meeting(request, force_slug, meeting_id, "record_panel")
    form = DipSampleForm(request.POST, meeting=meeting)
    if form.is_valid():
        sample = services.dip_sample(
            force=meeting.panel.force,
            period=form.cleaned_period(),
            size=form.cleaned_data["size"],
            seed=form.cleaned_data["seed"],
        )
        try:
            cases = services.add_drawn_cases(
                meeting=meeting,
                by=request.user,
                sample=sample,
                record_ids=[pk for pk in request.POST.getlist("record") if pk.isdigit()],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                f"{len(cases)} dip-sampled case{'s' if len(cases) != 1 else ''} added: "
                + ", ".join(c.label for c in cases)
                + ". Give each a judgement.",
            )
            return redirect(meeting.get_absolute_url() + "#cases")
    return _render_meeting(request, meeting, sample_form=form, status=400)


@require_POST
def action_add(request, force_slug, meeting_id):
    meeting = _meeting(request, force_slug, meeting_id, "record_panel")
    form = ActionForm(
        request.POST, meeting=meeting, owners=services.owner_choices(meeting.panel.force)
    )
    if form.is_valid():
        try:
            action = services.raise_action(meeting=meeting, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Action “{action.title}” raised.")
            return redirect(meeting.get_absolute_url() + "#actions")
    return _render_meeting(request, meeting, action_form=form, status=400)


@require_POST
def meeting_finalise(request, force_slug, meeting_id):
    meeting = _meeting(request, force_slug, meeting_id, "finalise_panel")
    try:
        services.finalise_meeting(meeting=meeting, by=request.user)
    except ValidationError as error:
        messages.error(request, "Not finalised yet: " + " ".join(error.messages))
    else:
        messages.success(request, "Meeting finalised. Its record is now locked.")
    return redirect(meeting.get_absolute_url())


@require_POST
def meeting_reopen(request, force_slug, meeting_id):
    meeting = _meeting(request, force_slug, meeting_id, "finalise_panel")
    form = ReopenForm(request.POST)
    if form.is_valid():
        try:
            services.reopen_meeting(meeting=meeting, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, "Meeting reopened for correction. The reason is in its history."
            )
            return redirect(meeting.get_absolute_url())
    return _render_meeting(request, meeting, reopen_form=form, status=400)


def case_detail(request, force_slug, case_id):
    """One case: the review form while the meeting is a draft, the record once finalised."""
    case = get_for_user(
        request, CaseReview, case_id, "view_panels", meeting__panel__force__slug=force_slug
    )
    meeting = case.meeting
    force = meeting.panel.force
    editable = can(request.user, "record_panel", force) and not meeting.is_finalised
    form = CaseForm(request.POST or None, meeting=meeting, case=case) if editable else None
    if request.method == "POST":
        if form is None:
            return _locked(request, meeting)
        if form.is_valid():
            try:
                services.update_case(case=case, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, f"{case.label} saved.")
                following = _next_case_to_judge(case)
                if "next" in request.POST and following is not None:
                    return redirect(following.get_absolute_url())
                return redirect(meeting.get_absolute_url() + "#cases")
        case.refresh_from_db()  # the page shows what is saved, not the refused input
    return render(
        request,
        "panels/case_detail.html",
        {
            "force": force,
            "meeting": meeting,
            "case": case,
            "form": form,
            "actions": list(case.actions.select_related("owner", "pillar")),
            "history": services.readable_history(case),
            "next_case": _next_case_to_judge(case),
        },
    )


@require_POST
def case_remove(request, force_slug, case_id):
    case = get_for_user(
        request, CaseReview, case_id, "record_panel", meeting__panel__force__slug=force_slug
    )
    try:
        services.remove_case(case=case, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{case.label} removed from the meeting.")
    return redirect(case.meeting.get_absolute_url() + "#cases")


def _next_case_to_judge(case: CaseReview) -> CaseReview | None:
    return next(
        (c for c in case.meeting.cases.exclude(pk=case.pk) if not c.is_judged),
        None,
    )


def _locked(request, meeting: Meeting):
    messages.error(request, "This meeting is finalised and locked.")
    return redirect(meeting.get_absolute_url())
