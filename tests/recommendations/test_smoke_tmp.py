import pytest

pytestmark = pytest.mark.django_db


def test_smoke(pat_client, force_a, rec11, rec14, soteria_2024):
    for url in [
        f"/forces/{force_a.slug}/recommendations/",
        f"/forces/{force_a.slug}/recommendations/{rec11.pk}/",
        f"/forces/{force_a.slug}/recommendations/{rec14.pk}/",
        f"/forces/{force_a.slug}/recommendations/{rec11.pk}/edit/",
        f"/forces/{force_a.slug}/recommendations/{rec11.pk}/actions/new/",
        f"/forces/{force_a.slug}/recommendations/{rec11.pk}/updates/new/",
        f"/forces/{force_a.slug}/recommendations/inspections/new/",
        f"/forces/{force_a.slug}/recommendations/inspections/{soteria_2024.slug}/",
        f"/forces/{force_a.slug}/recommendations/inspections/{soteria_2024.slug}/response-record/",
        f"/forces/{force_a.slug}/recommendations/inspections/{soteria_2024.slug}/response-record/edit/",
        f"/forces/{force_a.slug}/recommendations/inspections/{soteria_2024.slug}/response-record.docx",
        f"/forces/{force_a.slug}/recommendations/export.csv",
        f"/forces/{force_a.slug}/recommendations/export.xlsx",
    ]:
        r = pat_client.get(url)
        assert r.status_code == 200, (url, r.status_code)
