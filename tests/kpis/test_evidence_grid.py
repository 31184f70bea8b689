"""The Soteria lead's grid of pillars × quarters."""

import datetime as dt

import time_machine

from kpis.evidence import services as service

from .evidence_personas import *  # noqa: F403
from .evidence_personas import PERIOD


def url(force):
    return f"/forces/{force.slug}/evidence/?to={PERIOD.slug}"


@time_machine.travel(dt.datetime(2024, 8, 5, 12, 0), tick=False)
def test_it_shows_status_lateness_and_holder(
    client, sam, pat, draft_return, force_a, django_assert_max_num_queries
):
    client.force_login(sam)
    with django_assert_max_num_queries(10):
        response = client.get(url(force_a))
    grid = response.context["grid"]
    cells = {(p.number, c.period.slug): c for p, row in grid.rows for c in row}
    mine = cells[(4, PERIOD.slug)]
    assert mine.status == "draft"
    assert mine.holder == "Pat Lee"
    assert mine.is_overdue and mine.days_late == 10  # due Friday 26 July 2024
    missing = cells[(6, PERIOD.slug)]
    assert missing.status == "not_started" and missing.is_overdue
    assert "10 days overdue" in response.content.decode()
    assert grid.counts["overdue"] == 24  # six pillars × four quarters, none submitted


@time_machine.travel(dt.datetime(2024, 8, 5, 12, 0), tick=False)
def test_a_submitted_return_is_held_by_the_soteria_lead(client, sam, pat, draft_return, force_a):
    service.submit_return(evidence_return=draft_return, by=pat)
    client.force_login(sam)
    grid = client.get(url(force_a)).context["grid"]
    cell = next(c for p, row in grid.rows if p.number == 4 for c in row if c.period == PERIOD)
    assert cell.holder == "Soteria lead (for review)"
    assert cell.days_late == 10 and not cell.is_overdue


def test_a_panel_member_sees_only_approved_returns(client, ruth, draft_return, force_a):
    client.force_login(ruth)
    grid = client.get(url(force_a)).context["grid"]
    cell = next(c for p, row in grid.rows if p.number == 4 for c in row if c.period == PERIOD)
    assert cell.status == "hidden" and cell.evidence_return is None


def test_bob_gets_a_404(bob_client, force_a):
    assert bob_client.get(url(force_a)).status_code == 404
