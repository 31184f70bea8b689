"""The pillar lead's evidence return form: built from the catalogue, checked at the field."""

import pytest

from kpis.evidence import services as service
from kpis.models import EvidenceReturn, EvidenceValue

from .evidence_personas import *  # noqa: F403
from .evidence_personas import PERIOD, PILLAR4_FIGURES


def url(force, pillar=4, period=PERIOD):
    return f"/forces/{force.slug}/evidence/{period.slug}/pillar-{pillar}/edit/"


def form_data(**overrides):
    data = {
        "sickness-days__number": "4.5",
        "burnout-indicator__numerator": "6",
        "burnout-indicator__denominator": "40",
        "reflective-practice__numerator": "30",
        "reflective-practice__denominator": "40",
        "supervision__numerator": "35",
        "supervision__denominator": "40",
        "accredited-investigators__numerator": "28",
        "accredited-investigators__denominator": "40",
        "demand-caseload-evidence__yes_no": "yes",
        "narrative": "Checked by HR.",
        "action": "save",
    }
    data.update(overrides)
    return data


def test_the_form_has_a_field_for_each_evidence_kpi_of_the_pillar(client, pat, force_a):
    client.force_login(pat)
    response = client.get(url(force_a))
    assert response.status_code == 200
    form = response.context["form"]
    assert "accredited-investigators__numerator" in form.fields
    assert "staff-survey__numerator" in form.fields  # yearly, not due in Q1 but may be filled
    assert "victim-survey__numerator" not in form.fields  # pillar 3's
    assert b"Yearly: due in the Q4 return" in response.content


def test_it_saves_a_draft_without_every_figure(client, pat, force_a):
    client.force_login(pat)
    response = client.post(url(force_a), {"sickness-days__number": "3", "action": "save"})
    assert response.status_code == 302
    ret = EvidenceReturn.objects.get(force=force_a, period=PERIOD.slug)
    assert ret.status == EvidenceReturn.Status.DRAFT
    assert ret.values.get(kpi__slug="sickness-days").number == 3.0
    assert ret.entered_by == pat


def test_a_numerator_above_its_denominator_is_refused_at_the_field(client, pat, force_a):
    client.force_login(pat)
    response = client.post(url(force_a), form_data(**{"supervision__numerator": "41"}))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["supervision__numerator"] == [
        "Investigators with a recorded supervision (41) cannot be more than RASSO investigators (40)."
    ]
    assert not EvidenceReturn.objects.exists()


def test_a_date_after_the_quarter_is_refused(client, make_user, force_a):
    from soteria.models import Role

    lead = make_user("dana", "pillar_lead", force_a, pillars=[5])
    assert lead.memberships.get().role == Role.PILLAR_LEAD
    client.force_login(lead)
    response = client.post(
        url(force_a, pillar=5), {"stra-completed__date": "2024-07-01", "action": "save"}
    )
    assert "stra-completed__date" in response.context["form"].errors
    assert (
        "after the end of 2024/25 Q1 (30 June 2024)"
        in (response.context["form"].errors["stra-completed__date"][0])
    )


def test_a_percentage_over_100_is_refused(pat, force_a, pillar4):
    from kpis.evidence.forms import EvidenceReturnForm
    from kpis.models import Kpi

    kpi = Kpi(
        slug="share", name="Share", unit="percent", value_kind="number", frequency="quarterly"
    )
    form = EvidenceReturnForm(
        {"share__number": "101"},
        kpis=[kpi],
        period=PERIOD,
        values={},
        previous={},
        previous_period=PERIOD.previous(),
    )
    assert not form.is_valid()
    assert form.errors["share__number"] == ["A percentage cannot be over 100 (you entered 101)."]


def test_submitting_with_a_due_figure_missing_names_it(client, pat, force_a):
    client.force_login(pat)
    data = form_data(action="submit")
    del data["sickness-days__number"]
    response = client.post(url(force_a), data)
    assert response.context["form"].errors["sickness-days__number"] == [
        "Enter this quarter's figure for sickness absence."
    ]


def test_it_submits_a_complete_return(client, pat, force_a):
    client.force_login(pat)
    response = client.post(url(force_a), form_data(action="submit"))
    assert response.status_code == 302
    ret = EvidenceReturn.objects.get()
    assert ret.status == EvidenceReturn.Status.SUBMITTED
    assert ret.values.get(kpi__slug="demand-caseload-evidence").yes_no is True


def test_last_quarters_approved_value_is_shown_beside_the_field(client, pat, sam, force_a, pillar4):
    previous = service.start_return(force=force_a, pillar=pillar4, period=PERIOD.previous(), by=pat)
    yearly = {"staff-survey": {"numerator": 50, "denominator": 80}}  # Q4 is the yearly return
    service.save_return(
        evidence_return=previous, values={**PILLAR4_FIGURES, **yearly}, narrative="n", by=pat
    )
    service.submit_return(evidence_return=previous, by=pat)
    service.approve_return(evidence_return=previous, by=sam)
    client.force_login(pat)
    response = client.get(url(force_a))
    assert b"Last quarter (2023/24 Q4)" in response.content
    assert b"28 of 40 (70.0%)" in response.content


def test_a_pillar_lead_cannot_edit_another_pillars_return(client, quinn, force_a):
    client.force_login(quinn)
    assert client.get(url(force_a)).status_code == 403
    assert client.post(url(force_a), form_data()).status_code == 403
    assert not EvidenceReturn.objects.exists()


def test_a_pillar_lead_cannot_edit_another_forces_return(client, bea, force_a):
    client.force_login(bea)
    assert client.get(url(force_a)).status_code == 404
    assert client.post(url(force_a), form_data()).status_code == 404
    assert not EvidenceReturn.objects.exists()


def test_bob_from_force_b_gets_a_404(bob_client, force_a):
    assert bob_client.get(url(force_a)).status_code == 404


def test_a_chief_officer_may_read_but_not_edit(alice_client, force_a):
    assert alice_client.get(url(force_a)).status_code == 403


def test_an_approved_return_cannot_be_changed_through_the_form(
    client, pat, force_a, approved_return
):
    client.force_login(pat)
    response = client.post(url(force_a), form_data(**{"sickness-days__number": "99"}))
    assert response.status_code == 302
    assert response.url.endswith("/pillar-4/")
    assert EvidenceValue.objects.get(kpi__slug="sickness-days").number == 4.5


def test_a_future_quarter_is_not_found(client, pat, force_a):
    from soteria.periods import Period

    client.force_login(pat)
    assert client.get(url(force_a, period=Period.current().next())).status_code == 404


@pytest.mark.parametrize("bad", ["2024-26-q1", "nonsense"])
def test_a_malformed_quarter_is_not_found(client, pat, force_a, bad):
    client.force_login(pat)
    assert client.get(f"/forces/{force_a.slug}/evidence/{bad}/pillar-4/edit/").status_code == 404


def test_the_form_page_reads_in_a_fixed_number_of_queries(
    client, pat, draft_return, force_a, django_assert_max_num_queries
):
    client.force_login(pat)
    client.get(url(force_a))
    with django_assert_max_num_queries(12):
        response = client.get(url(force_a))
    assert response.status_code == 200


def test_the_error_summary_links_to_each_field_in_error(client, pat, force_a):
    client.force_login(pat)
    response = client.post(url(force_a), form_data(**{"supervision__numerator": "41"}))
    body = response.content.decode()
    assert 'href="#id_supervision__numerator"' in body
    assert "The return was not saved" in body


def test_a_kpi_added_to_the_catalogue_appears_in_the_form(client, pat, force_a, pillar4):
    from kpis.models import Kpi

    template = Kpi.objects.get(slug="sickness-days")
    Kpi.objects.create(
        slug="wellbeing-referrals",
        name="Well-being referrals",
        definition="Referrals of RASSO investigators to occupational health in the quarter.",
        element=template.element,
        pillar=pillar4,
        source=Kpi.Source.EVIDENCE,
        polarity=Kpi.Polarity.NONE,
        unit=Kpi.Unit.COUNT,
        basis=Kpi.Basis.RETURN,
        order=999,
    )
    client.force_login(pat)
    response = client.get(url(force_a))
    assert "wellbeing-referrals__number" in response.context["form"].fields
    assert b"Well-being referrals" in response.content
    client.post(url(force_a), {"wellbeing-referrals__number": "3", "action": "save"})
    assert EvidenceValue.objects.get(kpi__slug="wellbeing-referrals").number == 3.0
