"""A recommendation to act "Immediately" was due the day its report was published, and is
flagged overdue while it is open.

The 2021 joint rape inspection (published 16 July 2021) tells police forces to act
"Immediately" in recommendations 1 and 4 and sets no date for the others. Pat, in Avon and
Somerset's PCC office, must see 1 and 4 as past their deadline on the register.
"""

import datetime as dt

import pytest

from recommendations import services
from recommendations.models import Inspection

pytestmark = pytest.mark.django_db

PUBLISHED = dt.date(2021, 7, 16)


@pytest.fixture
def joint_2021(db):
    return Inspection.objects.get(slug="joint-rape-inspection-2021")


def test_immediately_is_the_publication_date_and_no_date_stays_none(joint_2021):
    assert joint_2021.published == PUBLISHED
    deadlines = dict(joint_2021.recommendations.values_list("number", "deadline"))
    immediate = {
        rec.number for rec in joint_2021.recommendations.all() if rec.text.startswith("Immediately")
    }
    assert immediate == {"1", "4"}
    assert {n: d for n, d in deadlines.items() if d} == {"1": PUBLISHED, "4": PUBLISHED}


def test_reloading_the_reference_data_keeps_the_deadline(joint_2021):
    services.load_inspections()
    assert joint_2021.recommendations.get(number="1").deadline == PUBLISHED


def test_open_immediate_recommendations_are_flagged_overdue(force_a, joint_2021, pat_client):
    today = dt.date(2025, 6, 1)
    rows = services.register_rows(force=force_a, today=today, inspection=joint_2021)
    overdue = {r.recommendation.number for r in rows if "overdue" in r.flag_codes}
    assert overdue == {"1", "4"}
    lists = services.due_lists(rows=rows, force=force_a, today=today)
    assert {r.recommendation.number for r in lists["overdue"]} == {"1", "4"}
    page = pat_client.get(f"/forces/{force_a.slug}/recommendations/").content.decode()
    overdue_list = page.split('id="overdue-list"', 1)[1].split("</ul>", 1)[0]
    assert overdue_list.count("joint thematic inspection") == 2
    assert "due 16 Jul 2021" in overdue_list


def test_a_recommendation_added_to_act_immediately_is_due_on_publication(pat, force_a):
    inspection = Inspection.objects.create(
        slug="peel-2025",
        force=force_a,
        title="PEEL 2025",
        inspectorate="HMICFRS",
        published=dt.date(2025, 5, 1),
        summary="",
        url="",
        areas_for_improvement="",
    )
    rec = services.add_recommendation(
        inspection=inspection,
        by=pat,
        number="1",
        text="Immediately, the force should review its RASSO caseloads.",
        deadline=None,
        addressee="forces",
        addressee_detail="",
    )
    assert rec.deadline == dt.date(2025, 5, 1)
