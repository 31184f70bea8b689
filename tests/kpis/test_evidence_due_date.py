"""The Soteria lead moves a return's due date."""

import datetime as dt

from kpis.models import EvidenceReturn

from .evidence_personas import *  # noqa: F403
from .evidence_personas import PERIOD


def url(force, pillar=4):
    return f"/forces/{force.slug}/evidence/{PERIOD.slug}/pillar-{pillar}/due-date/"


def test_the_soteria_lead_extends_a_not_yet_started_return(client, sam, force_a):
    client.force_login(sam)
    response = client.post(url(force_a), {"due_date": "2024-08-09"})
    assert response.status_code == 302
    ret = EvidenceReturn.objects.get(force=force_a, period=PERIOD.slug, pillar__number=4)
    assert ret.due_date == dt.date(2024, 8, 9)
    assert ret.history.first().history_change_reason == "Due date set to 9 Aug 2024"
    grid = client.get(f"/forces/{force_a.slug}/evidence/?to={PERIOD.slug}").context["grid"]
    cell = next(c for p, row in grid.rows if p.number == 4 for c in row if c.period == PERIOD)
    assert cell.status == "not_started" and cell.due_date == dt.date(2024, 8, 9)


def test_a_due_date_inside_the_quarter_is_refused(client, sam, draft_return, force_a):
    client.force_login(sam)
    response = client.post(url(force_a), {"due_date": "2024-06-01"}, follow=True)
    assert "must be after the end of 2024/25 Q1" in response.content.decode()
    draft_return.refresh_from_db()
    assert draft_return.due_date == dt.date(2024, 7, 26)


def test_a_pillar_lead_cannot_move_the_due_date(client, pat, draft_return, force_a):
    client.force_login(pat)
    assert client.post(url(force_a), {"due_date": "2024-09-01"}).status_code == 403


def test_bob_cannot_move_force_as_due_date(bob_client, force_a):
    assert bob_client.post(url(force_a), {"due_date": "2024-09-01"}).status_code == 404
