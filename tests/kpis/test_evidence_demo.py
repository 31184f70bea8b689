"""The synthetic demo returns loaded by `make run`."""

from kpis.evidence import services as service
from kpis.models import EvidenceReturn, KpiSnapshot
from soteria.models import Force
from soteria.periods import Period
from soteria.services import create_demo_users


def test_demo_returns_cover_every_state_and_load_only_once(db, django_capture_on_commit_callbacks):
    create_demo_users(password="x")
    forces = list(Force.objects.filter(slug__in=["avon-and-somerset", "staffordshire"]))
    with django_capture_on_commit_callbacks(execute=True):
        first = service.load_demo_returns(forces=forces, seed=1)
    assert first["evidence returns (synthetic)"] == 2 * (6 * 3 + 4)
    assert service.load_demo_returns(forces=forces, seed=1) == {"evidence returns (synthetic)": 0}
    latest = Period.latest_complete().slug
    states = set(EvidenceReturn.objects.filter(period=latest).values_list("status", flat=True))
    assert states == {"draft", "submitted", "returned", "approved"}
    assert all("SYNTHETIC" in r.narrative for r in EvidenceReturn.objects.all())
    assert KpiSnapshot.objects.filter(
        period=Period.latest_complete().previous().slug, kpi__source="evidence"
    ).exists()
