"""A count that is part of another in the same return is never more than it: 20 Victims'
Right to Review requests upheld of 12 requested is refused at the field, and nothing saved."""

import pytest
from django.core.exceptions import ValidationError

from kpis.evidence import services as service
from kpis.models import EvidenceReturn, Kpi
from soteria.models import Pillar, Role

from .evidence_personas import *  # noqa: F403
from .evidence_personas import PERIOD


@pytest.fixture
def val(make_user, force_a):
    """Val leads pillar 3 (victim engagement) in Avon and Somerset."""
    return make_user("val", Role.PILLAR_LEAD, force_a, pillars=[3], first_name="Val")


def url(force):
    return f"/forces/{force.slug}/evidence/{PERIOD.slug}/pillar-3/edit/"


def test_the_catalogue_says_upheld_reviews_are_part_of_the_requests(db):
    assert Kpi.objects.get(slug="vrr-upheld").part_of.slug == "vrr-requests"
    # Every part names a count of the same pillar that a return holds.
    for kpi in Kpi.objects.filter(part_of__isnull=False).select_related("part_of"):
        assert kpi.part_of.pillar_id == kpi.pillar_id
        assert kpi.part_of.source == kpi.source == Kpi.Source.EVIDENCE


def test_more_upheld_than_requested_is_refused_and_nothing_is_saved(client, val, force_a):
    client.force_login(val)
    response = client.post(
        url(force_a),
        {"vrr-requests__number": "12", "vrr-upheld__number": "20", "action": "save"},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["vrr-upheld__number"] == [
        "This cannot be more than Victims' Right to Review requests (12): you entered 20."
    ]
    assert "vrr-requests__number" not in errors
    assert "The return was not saved" in response.content.decode()
    assert not EvidenceReturn.objects.filter(force=force_a, period=PERIOD.slug).exists()


def test_as_many_upheld_as_requested_is_saved(client, val, force_a):
    client.force_login(val)
    response = client.post(
        url(force_a),
        {"vrr-requests__number": "12", "vrr-upheld__number": "12", "action": "save"},
    )
    assert response.status_code == 302
    ret = EvidenceReturn.objects.get(force=force_a, period=PERIOD.slug)
    assert {v.kpi.slug: v.number for v in ret.values.select_related("kpi")} == {
        "vrr-requests": 12.0,
        "vrr-upheld": 12.0,
    }


def test_the_service_refuses_it_too_and_keeps_the_earlier_figures(val, force_a):
    pillar3 = Pillar.objects.get(number=3)
    ret = service.start_return(force=force_a, pillar=pillar3, period=PERIOD, by=val)
    service.save_return(
        evidence_return=ret,
        values={"vrr-requests": {"number": 12.0}, "vrr-upheld": {"number": 3.0}},
        narrative="",
        by=val,
    )
    with pytest.raises(ValidationError) as error:
        service.save_return(
            evidence_return=ret, values={"vrr-upheld": {"number": 20.0}}, narrative="", by=val
        )
    assert "cannot be more than" in error.value.messages[0]
    assert ret.values.get(kpi__slug="vrr-upheld").number == 3.0
