"""The demo data fills every section of the problem profile (its extracts carry the optional
columns), and each demo force's recommendation 11 links to the profile of the latest
complete quarter, which its PCC office opens from the recommendation."""

import re

import pytest
from django.contrib.auth import get_user_model

from recommendations.models import Recommendation
from soteria.periods import Period

from .conftest import DEMO_FORCES, demo_username

TABLES = (
    "by-month",
    "caseload",
    "victim-age_band",
    "repeat-victims",
    "rel-by-offence",
    "repeat",
    "suspect-suspect_age_band",
    "suspect-suspect_sex",
    "suspect-suspect_ethnicity",
    "attrition",
    "by-area",
    "missing",
)


@pytest.mark.parametrize("force_slug", DEMO_FORCES)
def test_rec11_links_to_a_profile_with_every_section_filled(demo, db, client, force_slug):
    user = get_user_model().objects.get(username=demo_username(force_slug, "pcc-staff"))
    client.force_login(user)
    rec11 = Recommendation.objects.get(inspection__slug="soteria-nom-2024", number="11")
    page = client.get(f"/forces/{force_slug}/recommendations/{rec11.pk}/").content.decode()
    latest = Period.latest_complete()
    href = f"/forces/{force_slug}/problem-profile/?end={latest.slug}"
    assert f'<a href="{href}">RASSO problem profile: 12 months to {latest.label}</a>' in page
    profile = client.get(href)
    assert profile.status_code == 200
    body = profile.content.decode()
    for slug in TABLES:
        table = body.split(f'id="table-{slug}"')[1].split("</table>")[0]
        figures = re.findall(r'<td class="num">(?:<span[^>]*>)?([^<]+)<', table)
        shown = [f for f in figures if re.fullmatch(r"[\d,.]+%?", f) and f not in ("0", "0.0%")]
        assert shown, f"{force_slug}: {slug} has no figure above zero"
    lacking = body.split('id="table-lacking"')[1].split("</table>")[0]
    assert "Local policing area" not in lacking and "victim reference" not in lacking
    assert "Suspect age, sex and ethnicity" not in lacking
