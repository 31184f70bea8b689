"""Personas for the evidence-return tests (imported by tests/kpis/test_evidence_*.py).

Pat Lee leads pillar 4 (investigators' well-being) in Avon and Somerset; Sam Roe is
Avon and Somerset's Soteria lead; Quinn leads pillar 6 there; Bea leads pillar 4 in
Staffordshire and should never see Avon and Somerset's returns.
"""

import pytest

from kpis.evidence import services as service
from soteria.models import Pillar, Role
from soteria.periods import Period

PERIOD = Period(2024, 1)


@pytest.fixture
def pat(make_user, force_a):
    return make_user(
        "pat", Role.PILLAR_LEAD, force_a, pillars=[4], first_name="Pat", last_name="Lee"
    )


@pytest.fixture
def sam(make_user, force_a):
    return make_user("sam", Role.SOTERIA_LEAD, force_a, first_name="Sam", last_name="Roe")


@pytest.fixture
def quinn(make_user, force_a):
    return make_user("quinn", Role.PILLAR_LEAD, force_a, pillars=[6], first_name="Quinn")


@pytest.fixture
def bea(make_user, force_b):
    return make_user("bea", Role.PILLAR_LEAD, force_b, pillars=[4], first_name="Bea")


@pytest.fixture(autouse=True)
def private_dir(monkeypatch, tmp_path):
    """Evidence files go to a temporary folder, not the working copy's private/."""
    from soteria.files import private_storage

    monkeypatch.setattr(private_storage, "location", str(tmp_path))
    monkeypatch.setattr(private_storage, "base_location", str(tmp_path))
    return tmp_path


@pytest.fixture
def pillar4(db):
    return Pillar.objects.get(number=4)


@pytest.fixture
def pillar6(db):
    return Pillar.objects.get(number=6)


PILLAR4_FIGURES = {
    "sickness-days": {"number": 4.5},
    "burnout-indicator": {"numerator": 6, "denominator": 40},
    "reflective-practice": {"numerator": 30, "denominator": 40},
    "supervision": {"numerator": 35, "denominator": 40},
    "accredited-investigators": {"numerator": 28, "denominator": 40},
    "demand-caseload-evidence": {"yes_no": True},
}


@pytest.fixture
def draft_return(pat, force_a, pillar4):
    ret = service.start_return(force=force_a, pillar=pillar4, period=PERIOD, by=pat)
    service.save_return(
        evidence_return=ret, values=PILLAR4_FIGURES, narrative="Checked by HR.", by=pat
    )
    return ret


@pytest.fixture
def approved_return(draft_return, pat, sam):
    service.submit_return(evidence_return=draft_return, by=pat)
    service.approve_return(evidence_return=draft_return, by=sam)
    return draft_return
