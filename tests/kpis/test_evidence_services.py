"""Evidence return services: due dates, the workflow, and the evidence KPI source."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from kpis.engine.stats import wilson_interval
from kpis.evidence import services as service
from kpis.models import EvidenceReturn, EvidenceValue, KpiSnapshot
from soteria.periods import Period

from .evidence_personas import *  # noqa: F403
from .evidence_personas import PERIOD, PILLAR4_FIGURES

Status = EvidenceReturn.Status


def test_due_date_is_twenty_working_days_after_the_quarter_skipping_easter():
    # 2024/25 Q4 ends on Monday 31 March 2025; Good Friday and Easter Monday fall in April.
    assert service.default_due_date(Period(2024, 4)) == dt.date(2025, 4, 30)


def test_due_date_skips_weekends():
    # 2024/25 Q1 ends on Sunday 30 June 2024; four clear working weeks follow.
    assert service.default_due_date(Period(2024, 1)) == dt.date(2024, 7, 26)


def test_christmas_and_boxing_day_are_not_working_days():
    assert not service.is_working_day(dt.date(2024, 12, 25))
    assert not service.is_working_day(dt.date(2024, 12, 26))
    assert service.is_working_day(dt.date(2024, 12, 27))


def test_yearly_figures_are_due_in_q4_and_six_monthly_in_q2_and_q4(db):
    from kpis.models import Kpi

    yearly = Kpi.objects.get(slug="staff-survey")
    six_monthly = Kpi.objects.get(slug="dpn-dip-sample")
    assert [q for q in (1, 2, 3, 4) if service.is_due(yearly, Period(2024, q))] == [4]
    assert [q for q in (1, 2, 3, 4) if service.is_due(six_monthly, Period(2024, q))] == [2, 4]


def test_the_catalogue_has_every_evidence_item_the_guidance_asks_for(db):
    slugs = {k.slug for k in service.evidence_kpis()}
    assert {
        "victim-survey",
        "sector-feedback",
        "victims-code-compliance",
        "vrr-requests",
        "vrr-upheld",
        "case-file-review",
        "staff-survey",
        "sickness-days",
        "burnout-indicator",
        "reflective-practice",
        "supervision",
        "accredited-investigators",
        "stra-completed",
        "problem-profile",
        "outcome-code-review",
        "digital-capability-review",
        "dpn-dip-sample",
        "digital-strategy-dip-sample",
        "victim-device-return",
        "suspect-device-turnaround",
        "s63g-applications",
        "bail-breaches-actioned",
        "early-advice-requests",
    } <= slugs


def test_a_new_return_is_a_draft_with_the_default_due_date(draft_return):
    assert draft_return.status == Status.DRAFT
    assert draft_return.due_date == dt.date(2024, 7, 26)
    assert draft_return.values.count() == len(PILLAR4_FIGURES)


def test_the_full_workflow_ends_approved_and_locked(draft_return, pat, sam):
    service.submit_return(evidence_return=draft_return, by=pat)
    assert draft_return.status == Status.SUBMITTED
    service.return_for_changes(evidence_return=draft_return, by=sam, comment="Add the HR source.")
    assert draft_return.status == Status.RETURNED
    assert draft_return.reviewer_comment == "Add the HR source."
    service.save_return(
        evidence_return=draft_return,
        values={"sickness-days": {"number": 5.0}},
        narrative="Checked by HR against ERP.",
        by=pat,
    )
    service.submit_return(evidence_return=draft_return, by=pat)
    assert draft_return.status == Status.RESUBMITTED
    service.approve_return(evidence_return=draft_return, by=sam)
    assert draft_return.status == Status.APPROVED
    assert draft_return.approved_at is not None


def test_an_approved_return_cannot_be_changed_without_reopening(approved_return, pat, sam):
    with pytest.raises(ValidationError, match="reopened"):
        service.save_return(
            evidence_return=approved_return,
            values={"sickness-days": {"number": 99.0}},
            narrative="changed",
            by=pat,
        )
    assert EvidenceValue.objects.get(kpi__slug="sickness-days").number == 4.5

    service.reopen_return(evidence_return=approved_return, by=sam, reason="HR corrected a figure")
    service.save_return(
        evidence_return=approved_return,
        values={"sickness-days": {"number": 5.5}},
        narrative="Checked by HR.",
        by=pat,
    )
    assert EvidenceValue.objects.get(kpi__slug="sickness-days").number == 5.5
    reasons = list(approved_return.history.values_list("history_change_reason", flat=True))
    assert "Reopened: HR corrected a figure" in reasons


def test_reopening_needs_a_reason(approved_return, sam):
    with pytest.raises(ValidationError):
        service.reopen_return(evidence_return=approved_return, by=sam, reason="  ")
    assert approved_return.status == Status.APPROVED


def test_returning_needs_a_comment(draft_return, pat, sam):
    service.submit_return(evidence_return=draft_return, by=pat)
    with pytest.raises(ValidationError):
        service.return_for_changes(evidence_return=draft_return, by=sam, comment="")


def test_a_return_missing_a_due_figure_cannot_be_submitted(pat, force_a, pillar4):
    ret = service.start_return(force=force_a, pillar=pillar4, period=PERIOD, by=pat)
    service.save_return(
        evidence_return=ret, values={"sickness-days": {"number": 3.0}}, narrative="x", by=pat
    )
    with pytest.raises(ValidationError, match="Meaningful supervision"):
        service.submit_return(evidence_return=ret, by=pat)
    assert ret.status == Status.DRAFT


def test_a_draft_cannot_be_approved(draft_return, sam):
    with pytest.raises(ValidationError):
        service.approve_return(evidence_return=draft_return, by=sam)


def test_approval_recomputes_the_force_quarter_snapshots_with_provenance(
    draft_return, pat, sam, force_a, django_capture_on_commit_callbacks
):
    service.submit_return(evidence_return=draft_return, by=pat)
    with django_capture_on_commit_callbacks(execute=True):
        service.approve_return(evidence_return=draft_return, by=sam)
    snapshot = KpiSnapshot.objects.get(
        force=force_a, period=PERIOD.slug, kpi__slug="accredited-investigators"
    )
    assert snapshot.value == pytest.approx(0.7)  # a fraction, as the records source stores rates
    assert (snapshot.numerator, snapshot.denominator) == (28, 40)
    assert (snapshot.ci_low, snapshot.ci_high) == pytest.approx(wilson_interval(28, 40))
    assert snapshot.provenance["summary"].startswith("Entered by Pat Lee, approved by Sam Roe on ")
    assert snapshot.provenance["narrative"] == "Checked by HR."
    assert snapshot.provenance["url"] == (
        f"/forces/{force_a.slug}/evidence/{PERIOD.slug}/pillar-4/"
    )


def test_unapproved_returns_give_no_kpi_values(draft_return, force_a):
    assert service.evidence_results(force=force_a, period=PERIOD) == []


def test_a_victim_survey_with_fewer_than_30_responses_is_insufficient(make_user, force_a, sam):
    from soteria.models import Pillar, Role

    lead = make_user("vic", Role.PILLAR_LEAD, force_a, pillars=[3])
    pillar3 = Pillar.objects.get(number=3)
    ret = service.start_return(force=force_a, pillar=pillar3, period=PERIOD, by=lead)
    service.save_return(
        evidence_return=ret,
        values={
            "victim-survey": {"numerator": 20, "denominator": 29},
            "vrr-requests": {"number": 4.0},
            "vrr-upheld": {"number": 1.0},
        },
        narrative="Survey by City, University of London.",
        by=lead,
    )
    service.submit_return(evidence_return=ret, by=lead)
    service.approve_return(evidence_return=ret, by=sam)
    results = {r.kpi: r for r in service.evidence_results(force=force_a, period=PERIOD)}
    assert results["victim-survey"].status == KpiSnapshot.Status.INSUFFICIENT
    assert results["vrr-requests"].status == KpiSnapshot.Status.OK
    assert results["vrr-requests"].value == 4.0


def test_a_yearly_figure_stays_current_for_four_quarters(make_user, force_a, sam):
    from soteria.models import Pillar, Role

    lead = make_user("dee", Role.PILLAR_LEAD, force_a, pillars=[4])
    pillar4 = Pillar.objects.get(number=4)
    q4 = Period(2023, 4)
    ret = service.start_return(force=force_a, pillar=pillar4, period=q4, by=lead)
    service.save_return(
        evidence_return=ret,
        values={**PILLAR4_FIGURES, "staff-survey": {"numerator": 50, "denominator": 80}},
        narrative="Yearly survey.",
        by=lead,
    )
    service.submit_return(evidence_return=ret, by=lead)
    service.approve_return(evidence_return=ret, by=sam)

    def slugs(period):
        return {r.kpi for r in service.evidence_results(force=force_a, period=period)}

    assert "staff-survey" in slugs(Period(2024, 3))
    assert "sickness-days" not in slugs(Period(2024, 1))
    assert "staff-survey" not in slugs(Period(2024, 4))
    carried = [r for r in service.evidence_results(force=force_a, period=Period(2024, 1))]
    assert "reported in the 2023/24 Q4 return" in carried[0].provenance["summary"]


def test_reopening_takes_the_figures_off_the_flight_deck_until_reapproved(
    approved_return, sam, pat, force_a, django_capture_on_commit_callbacks
):
    from kpis.engine.tasks import compute_snapshots

    compute_snapshots(force_id=force_a.pk, period=PERIOD.slug)
    assert KpiSnapshot.objects.filter(force=force_a, period=PERIOD.slug).exists()
    with django_capture_on_commit_callbacks(execute=True):
        service.reopen_return(evidence_return=approved_return, by=sam, reason="Wrong quarter")
    assert not KpiSnapshot.objects.filter(
        force=force_a, period=PERIOD.slug, kpi__source="evidence"
    ).exists()


def test_dates_and_yes_no_answers_become_kpi_values(make_user, force_a, sam):
    from soteria.models import Pillar, Role

    lead = make_user("ana", Role.PILLAR_LEAD, force_a, pillars=[5])
    pillar5 = Pillar.objects.get(number=5)
    ret = service.start_return(force=force_a, pillar=pillar5, period=PERIOD, by=lead)
    service.save_return(
        evidence_return=ret,
        values={
            "stra-completed": {"date": dt.date(2024, 3, 1)},
            "problem-profile": {"date": dt.date(2024, 6, 30)},
        },
        narrative="STRA signed off by the ACC.",
        by=lead,
    )
    ret.status, ret.reviewed_by = Status.APPROVED, sam
    ret.approved_at = dt.datetime(2024, 7, 20, tzinfo=dt.UTC)
    ret.save()
    results = {r.kpi: r for r in service.evidence_results(force=force_a, period=PERIOD)}
    assert results["stra-completed"].value == 121  # days old on 30 June 2024
    assert results["stra-completed"].provenance["date"] == "2024-03-01"
    assert "approved by" in results["problem-profile"].provenance["summary"]
    assert "20 Jul 2024" in results["problem-profile"].provenance["summary"]


def test_values_read_as_people_write_them(draft_return):
    values = service.values_by_slug(draft_return)
    assert values["sickness-days"].display == "4.5 days"
    assert values["burnout-indicator"].display == "6 of 40 (15.0%)"
    assert values["demand-caseload-evidence"].display == "Yes"


def test_the_history_records_who_changed_a_figure(draft_return, pat):
    value = EvidenceValue.objects.get(kpi__slug="sickness-days")
    service.save_return(
        evidence_return=draft_return,
        values={"sickness-days": {"number": 6.0}},
        narrative="Checked by HR.",
        by=pat,
    )
    latest = value.history.first()
    assert latest.number == 6.0 and latest.history_user == pat
    assert value.history.count() == 2
