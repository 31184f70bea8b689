"""The demo loader gives the demo forces synthetic responses to the 2024 inspection."""

import pytest

from recommendations.demo import load_demo_responses
from recommendations.models import Action, Evidence, PageLink, Response, ResponseRecord
from soteria.periods import Period

pytestmark = pytest.mark.django_db


def test_it_loads_labelled_demo_responses_once(force_a, force_b, sam, settings, tmp_path):
    assert "recommendations.demo.load_demo_responses" in settings.DEMO_DATA_LOADERS
    counts = load_demo_responses(forces=[force_a, force_b], seed=1)
    assert counts == {"recommendation responses (demo)": 10}
    assert Response.objects.filter(force=force_a, owner=sam).count() == 5
    assert all(a.title.startswith("[Demo]") for a in Action.objects.all())
    assert Evidence.objects.count() == 2
    assert ResponseRecord.objects.count() == 2
    rec11 = Response.objects.get(
        force=force_a,
        recommendation__number="11",
        recommendation__inspection__slug="soteria-nom-2024",
    )
    assert "charge-rate" in {k.slug for k in rec11.kpis.all()}
    (linked,) = rec11.page_links.all()  # the generated problem profile, as its evidence
    assert (linked.page, linked.period) == ("problem-profile", Period.latest_complete().slug)
    assert rec11.history.filter(history_change_reason__startswith="Linked to RASSO").exists()
    before = (Response.objects.count(), Action.objects.count(), Evidence.objects.count())
    assert load_demo_responses(forces=[force_a, force_b], seed=1) == {
        "recommendation responses (demo)": 0
    }
    assert (Response.objects.count(), Action.objects.count(), Evidence.objects.count()) == before
    assert PageLink.objects.count() == 2
