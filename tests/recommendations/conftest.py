"""Recommendation personas: Pat works in Avon and Somerset's PCC office, Sam is the
force's Soteria lead, Owen leads pillar 5 and owns actions. Alice (chief officer)
signs off; Bob (Staffordshire) must never see any of it."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from recommendations.models import Inspection, Recommendation
from soteria.models import Role


@pytest.fixture
def pat(make_user, force_a):
    return make_user("pat", Role.PCC_STAFF, force_a, first_name="Pat", last_name="Lee")


@pytest.fixture
def sam(make_user, force_a):
    return make_user("sam", Role.SOTERIA_LEAD, force_a, first_name="Sam", last_name="Roe")


@pytest.fixture
def owen(make_user, force_a):
    return make_user("owen", Role.PILLAR_LEAD, force_a, pillars=[5], first_name="Owen")


@pytest.fixture
def pat_client(client, pat):
    client.force_login(pat)
    return client


@pytest.fixture
def soteria_2024(db):
    return Inspection.objects.get(slug="soteria-nom-2024", force=None)


@pytest.fixture
def rec11(soteria_2024):
    return Recommendation.objects.get(inspection=soteria_2024, number="11")


@pytest.fixture
def rec14(soteria_2024):
    return Recommendation.objects.get(inspection=soteria_2024, number="14")


@pytest.fixture
def evidence_file():
    def make(name="problem-profile.pdf", content=b"%PDF-1.4 synthetic test evidence\n"):
        return SimpleUploadedFile(name, content, content_type="application/pdf")

    return make


@pytest.fixture(autouse=True)
def _private_storage(settings, tmp_path):
    """Evidence files go to a temporary folder, never the developer's private/ folder."""
    from recommendations.models import Evidence

    settings.PRIVATE_STORAGE_ROOT = tmp_path
    storage = Evidence._meta.get_field("file").storage
    saved = dict(storage.__dict__)
    storage._location = str(tmp_path)
    for attr in ("base_location", "location"):
        storage.__dict__.pop(attr, None)
    yield
    storage.__dict__.clear()
    storage.__dict__.update(saved)
