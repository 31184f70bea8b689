"""Marking and removing a step change on the drill-down: who may, what is recorded, and
what is refused. Alice is a chief officer in Avon and Somerset, Ruth a panel member there
(she reads but sets no targets), Bob a chief officer in Staffordshire."""

import pytest
from django.urls import reverse

from kpis.models import Kpi, KpiStepChange
from tests.kpis.spc_series import Q1, RUN_OF_8, store_series


@pytest.fixture
def series(force_a):
    periods = store_series(force_a, "charge-volume", RUN_OF_8, groups=("all", "rape"))
    store_series(force_a, "sickness-days", [4, 5, 4, 6, 5, 4, 5])  # all RASSO only
    return periods


def add_url(force, slug="charge-volume", offence="rape"):
    url = reverse("kpis:step-change-add", args=[force.slug, slug])
    return f"{url}?period={Q1.slug}&offence={offence}"


def remove_url(force, step, offence="rape"):
    url = reverse("kpis:step-change-remove", args=[force.slug, step.kpi.slug, step.pk])
    return f"{url}?period={Q1.slug}&offence={offence}"


@pytest.fixture
def marked(series, force_a, alice):
    return KpiStepChange.objects.create(
        force=force_a,
        kpi=Kpi.objects.get(slug="charge-volume"),
        offence_group="rape",
        period=series[12].slug,
        reason="Specialist team",
        marked_by=alice,
    )


def test_alice_marks_a_step_change_and_it_records_who_and_why(series, alice_client, alice, force_a):
    response = alice_client.post(
        add_url(force_a), {"step-period": series[12].slug, "step-reason": "Specialist RASSO team"}
    )
    detail = reverse("kpis:kpi-detail", args=[force_a.slug, "charge-volume"])
    assert response.status_code == 302
    assert response["Location"] == f"{detail}?period={Q1.slug}&offence=rape#spc"
    step = KpiStepChange.objects.get()
    assert (step.force, step.kpi.slug, step.offence_group, step.period) == (
        force_a,
        "charge-volume",
        "rape",
        series[12].slug,
    )
    assert step.reason == "Specialist RASSO team" and step.marked_by == alice
    (record,) = step.history.all()
    assert record.history_type == "+" and record.history_user == alice
    page = alice_client.get(response["Location"]).content.decode()
    assert f"Step change marked from {series[12].label}" in page
    assert "Specialist RASSO team" in page and "marked by Alice" in page


def test_a_step_change_on_an_all_rasso_kpi_is_kept_for_all_rasso(series, alice_client, force_a):
    sickness = Q1.trailing(7)  # the quarters stored above
    response = alice_client.post(
        add_url(force_a, "sickness-days"),
        {"step-period": sickness[3].slug, "step-reason": "New policy"},
    )
    assert response.status_code == 302
    assert KpiStepChange.objects.get().offence_group == "all"


def test_the_form_offers_every_quarter_of_the_series_but_the_first(series, alice_client, force_a):
    """Its fields are prefixed: the page's own quarter picker is already id_period."""
    body = alice_client.get(
        reverse("kpis:kpi-detail", args=[force_a.slug, "charge-volume"]),
        {"period": Q1.slug, "offence": "rape"},
    ).content.decode()
    form = body[body.index('id="step-change-form-title"') :]
    assert body.count('id="id_period"') == 1 and 'id="id_step-period"' in form
    options = form[: form.index("</select>")]
    assert '<option value="" selected>Choose a quarter</option>' in options
    for period in series[1:]:
        assert f'value="{period.slug}"' in options
    assert f'value="{series[0].slug}"' not in options


@pytest.mark.parametrize(
    "data, error",
    [
        ({"step-period": "2020-21-q1", "step-reason": ""}, "This field is required."),
        ({"step-period": "2030-31-q1", "step-reason": "Future"}, "Select a valid choice."),
        ({"step-period": "first", "step-reason": "First quarter"}, "Select a valid choice."),
    ],
)
def test_a_refused_step_change_shows_the_page_again_with_the_reason(
    series, alice_client, force_a, data, error
):
    if data["step-period"] == "first":
        data = {**data, "step-period": series[0].slug}
    response = alice_client.post(add_url(force_a), data)
    assert response.status_code == 400
    assert error in response.content.decode()
    assert 'id="step-change-form-title"' in response.content.decode()
    assert not KpiStepChange.objects.exists()


def test_the_same_quarter_cannot_be_marked_twice(marked, alice_client, force_a):
    response = alice_client.post(
        add_url(force_a), {"step-period": marked.period, "step-reason": "Again"}
    )
    assert response.status_code == 400
    assert "A step change is already marked from this quarter." in response.content.decode()
    assert KpiStepChange.objects.count() == 1


def test_ruth_reads_the_step_changes_but_cannot_mark_or_remove_one(marked, client, ruth, force_a):
    client.force_login(ruth)
    body = client.get(
        reverse("kpis:kpi-detail", args=[force_a.slug, "charge-volume"]),
        {"period": Q1.slug, "offence": "rape"},
    ).content.decode()
    assert "Specialist team" in body
    assert "Mark a step change" not in body and ">Remove<" not in body
    assert (
        client.post(
            add_url(force_a), {"step-period": marked.period, "step-reason": "x"}
        ).status_code
        == 403
    )
    assert client.post(remove_url(force_a, marked)).status_code == 403
    assert KpiStepChange.objects.count() == 1


def test_bob_cannot_mark_or_remove_alices_step_changes(marked, bob_client, force_a, force_b):
    data = {"step-period": marked.period, "step-reason": "x"}
    assert bob_client.post(add_url(force_a), data).status_code == 404
    assert bob_client.post(remove_url(force_a, marked)).status_code == 404
    # Nor through his own force's address.
    url = reverse("kpis:step-change-remove", args=[force_b.slug, "charge-volume", marked.pk])
    assert bob_client.post(url).status_code == 404
    assert KpiStepChange.objects.count() == 1


def test_alice_removes_a_step_change_and_the_history_keeps_it(marked, alice_client, alice, force_a):
    response = alice_client.post(remove_url(force_a, marked))
    assert response.status_code == 302 and response["Location"].endswith("#spc")
    assert not KpiStepChange.objects.exists()
    records = KpiStepChange.history.filter(id=marked.pk).order_by("history_date")
    assert [r.history_type for r in records] == ["+", "-"]
    assert records.last().history_user == alice


def test_marking_and_removing_need_a_post(marked, alice_client, force_a):
    assert alice_client.get(add_url(force_a)).status_code == 405
    assert alice_client.get(remove_url(force_a, marked)).status_code == 405
