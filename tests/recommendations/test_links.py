"""Links to other apps' records through content types, restricted by the setting.

The mechanism is tested on two force-owned models: kpis.KpiTarget, and the
scrutiny-panel actions (panels.Action) it exists for.
"""

import pytest
from django.contrib.contenttypes.models import ContentType

from kpis.models import Kpi, KpiTarget
from recommendations import services
from recommendations.models import Link
from soteria.models import Role

from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def linkable_targets(settings):
    settings.RECOMMENDATION_LINKABLE_MODELS = ["kpis.KpiTarget", "panels.NoSuchModel"]


@pytest.fixture
def targets(force_a, force_b):
    kpi = Kpi.objects.get(slug="charge-rate")
    return (
        KpiTarget.objects.create(force=force_a, kpi=kpi, value=8, effective_from="2024-25-q1"),
        KpiTarget.objects.create(force=force_b, kpi=kpi, value=9, effective_from="2024-25-q1"),
    )


def value(target):
    return f"{ContentType.objects.get_for_model(KpiTarget).pk}:{target.pk}"


def test_an_absent_model_in_the_setting_is_skipped(linkable_targets):
    assert services.linkable_models() == [KpiTarget]


def test_choices_come_only_from_the_users_force(linkable_targets, targets, pat, force_a):
    mine, theirs = targets
    values = [v for v, _ in services.link_choices(user=pat, force=force_a)]
    assert values == [value(mine)]


def test_pcc_staff_link_a_record_and_see_it_on_the_page(
    linkable_targets, targets, pat_client, force_a, rec11
):
    mine, _ = targets
    url = f"/forces/{force_a.slug}/recommendations/{rec11.pk}/"
    assert pat_client.post(url + "links/", {"target": value(mine)}).status_code == 302
    (row,) = pat_client.get(url).context["links"]
    assert row.available
    assert row.label.startswith("Kpi target: Charge rate (All RASSO) Avon and Somerset")
    history = pat_client.get(url).context["history"]
    assert history[0].reason == f"Linked to kpi target #{mine.pk} by Pat Lee"


def test_another_forces_record_cannot_be_linked(
    linkable_targets, targets, pat_client, force_a, rec11
):
    _, theirs = targets
    url = f"/forces/{force_a.slug}/recommendations/{rec11.pk}/links/"
    pat_client.post(url, {"target": value(theirs)})
    assert not Link.objects.exists()


def test_a_link_to_a_model_no_longer_listed_shows_as_unavailable(
    linkable_targets, targets, settings, pat_client, pat, force_a, rec11
):
    mine, _ = targets
    response = factories.response(force=force_a, rec=rec11)
    services.add_link(response=response, by=pat, value=value(mine))
    settings.RECOMMENDATION_LINKABLE_MODELS = ["panels.NoSuchModel"]
    page = pat_client.get(f"/forces/{force_a.slug}/recommendations/{rec11.pk}/")
    (row,) = page.context["links"]
    assert not row.available
    assert "link_form" not in page.context


def test_removing_a_link_is_audited(linkable_targets, targets, pat_client, pat, force_a, rec11):
    mine, _ = targets
    response = factories.response(force=force_a, rec=rec11)
    link = services.add_link(response=response, by=pat, value=value(mine))
    pat_client.post(f"/forces/{force_a.slug}/recommendations/links/{link.pk}/delete/")
    assert not Link.objects.exists()
    assert response.history.first().history_change_reason.startswith("Link to ")


def test_bob_cannot_remove_alices_link(
    linkable_targets, targets, bob_client, make_user, pat, force_a, force_b, rec11
):
    from django.test import Client

    mine, _ = targets
    link = services.add_link(
        response=factories.response(force=force_a, rec=rec11), by=pat, value=value(mine)
    )
    assert (
        bob_client.post(
            f"/forces/{force_a.slug}/recommendations/links/{link.pk}/delete/"
        ).status_code
        == 404
    )
    staffs_pcc = Client()
    staffs_pcc.force_login(make_user("quinn", Role.PCC_STAFF, force_b))
    assert (
        staffs_pcc.post(
            f"/forces/{force_b.slug}/recommendations/links/{link.pk}/delete/"
        ).status_code
        == 404
    )
    assert Link.objects.exists()


@pytest.fixture
def panel_actions(force_a, force_b, ruth, bob):
    import datetime as dt

    from panels.models import Action, Meeting, Panel
    from soteria.models import Pillar

    def action(force, owner, title):
        panel = Panel.objects.create(force=force, name="NFA scrutiny panel")
        meeting = Meeting.objects.create(panel=panel, date=dt.date(2024, 7, 15))
        return Action.objects.create(
            meeting=meeting,
            title=title,
            owner=owner,
            due_date=dt.date(2024, 9, 30),
            pillar=Pillar.objects.get(number=3),
        )

    return action(force_a, ruth, "Brief ISVAs on outcome 16"), action(
        force_b, bob, "Staffordshire action"
    )


def test_panel_actions_of_the_users_force_can_be_linked(
    panel_actions, pat_client, pat, force_a, rec11
):
    mine, theirs = panel_actions
    values = [v for v, _ in services.link_choices(user=pat, force=force_a)]
    kind = ContentType.objects.get_for_model(type(mine)).pk
    assert f"{kind}:{mine.pk}" in values
    assert f"{kind}:{theirs.pk}" not in values
    url = f"/forces/{force_a.slug}/recommendations/{rec11.pk}/"
    assert pat_client.post(url + "links/", {"target": f"{kind}:{mine.pk}"}).status_code == 302
    (row,) = pat_client.get(url).context["links"]
    assert row.available
    assert "Brief ISVAs on outcome 16" in row.label


@pytest.mark.parametrize("role", [Role.ANALYST, Role.PILLAR_LEAD])
def test_roles_that_may_not_see_panels_do_not_learn_of_linked_panel_actions(
    role, panel_actions, make_user, client, pat, force_a, rec11
):
    """An analyst or a pillar lead gets 403 on panel pages; the recommendation page must not
    show them a linked panel action's title, status or due date either."""
    mine, _ = panel_actions
    kind = ContentType.objects.get_for_model(type(mine)).pk
    response = factories.response(force=force_a, rec=rec11)
    services.add_link(response=response, by=pat, value=f"{kind}:{mine.pk}")
    client.force_login(make_user("eve", role, force_a))
    assert client.get(f"/forces/{force_a.slug}/panels/actions/{mine.pk}/").status_code == 403
    page = client.get(f"/forces/{force_a.slug}/recommendations/{rec11.pk}/")
    assert page.status_code == 200
    assert page.context["links"] == []
    html = page.content.decode()
    assert "Brief ISVAs on outcome 16" not in html
    assert "30 Sep 2024" not in html
    assert services.link_choices(user=page.context["user"], force=force_a) == []


def test_a_panel_member_still_sees_the_linked_panel_action(
    panel_actions, ruth, client, pat, force_a, rec11
):
    mine, _ = panel_actions
    kind = ContentType.objects.get_for_model(type(mine)).pk
    response = factories.response(force=force_a, rec=rec11)
    services.add_link(response=response, by=pat, value=f"{kind}:{mine.pk}")
    client.force_login(ruth)
    (row,) = client.get(f"/forces/{force_a.slug}/recommendations/{rec11.pk}/").context["links"]
    assert "Brief ISVAs on outcome 16" in row.label
