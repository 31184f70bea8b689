"""Evidence returns on "my work": Pat (pillar 4 lead) sees his returns due, overdue and
returned to him; Sam (Soteria lead) sees returns awaiting approval and the force's overdue
returns; Bea (Staffordshire) sees nothing of Avon and Somerset's."""

import datetime as dt

from kpis.evidence import services as service
from kpis.evidence.services.work import my_work
from soteria.work import Section

from .evidence_personas import *  # noqa: F403
from .evidence_personas import PERIOD

TODAY = dt.date(2024, 8, 5)  # 2024/25 Q1 was due on 26 July 2024: 10 days ago
Q1_RETURN = f"/evidence/{PERIOD.slug}/pillar-4/"


def by_url(items):
    return {i.url.split("/forces/avon-and-somerset")[-1]: i for i in items}


def test_a_returned_return_past_its_due_date_is_overdue_with_the_comment(draft_return, pat, sam):
    service.submit_return(evidence_return=draft_return, by=pat)
    service.return_for_changes(evidence_return=draft_return, by=sam, comment="Which report?")
    item = by_url(my_work(user=pat, today=TODAY))[Q1_RETURN]
    assert item.section == Section.OVERDUE and item.overdue
    assert item.detail == "Returned by Sam Roe: Which report? · 10 days overdue"
    assert item.due == dt.date(2024, 7, 26)


def test_before_its_due_date_it_is_returned_to_him(draft_return, pat, sam):
    service.submit_return(evidence_return=draft_return, by=pat)
    service.return_for_changes(evidence_return=draft_return, by=sam, comment="Which report?")
    item = by_url(my_work(user=pat, today=dt.date(2024, 7, 20)))[Q1_RETURN]
    assert item.section == Section.RETURNED and not item.overdue


def test_a_lead_sees_only_his_own_pillars_returns(pat, force_a):
    urls = by_url(my_work(user=pat, today=dt.date(2024, 7, 20)))
    assert f"/evidence/{PERIOD.slug}/pillar-4/edit/" in urls  # not started: due
    assert urls[f"/evidence/{PERIOD.slug}/pillar-4/edit/"].section == Section.DUE
    assert not [u for u in urls if "pillar-6" in u or "pillar-3" in u]


def test_the_soteria_lead_sees_returns_awaiting_approval(draft_return, pat, sam):
    service.submit_return(evidence_return=draft_return, by=pat)
    item = by_url(my_work(user=sam, today=TODAY))[Q1_RETURN]
    assert item.section == Section.AWAITING
    assert item.title == "Review the pillar 4 return, 2024/25 Q1"
    assert item.detail.startswith("Submitted by Pat Lee on ")


def test_the_soteria_lead_sees_the_forces_overdue_returns(draft_return, pat, sam, pillar6):
    items = by_url(my_work(user=sam, today=TODAY))
    assert items[Q1_RETURN].section == Section.OVERDUE
    assert items[Q1_RETURN].detail == "Draft, with the pillar lead: 10 days overdue"
    assert items[f"/evidence/{PERIOD.slug}/pillar-6/"].detail.startswith("Not started")


def test_approved_returns_are_no_ones_work(approved_return, pat, sam):
    assert Q1_RETURN not in by_url(my_work(user=pat, today=TODAY))
    assert Q1_RETURN not in by_url(my_work(user=sam, today=TODAY))


def test_staffordshire_sees_nothing_of_avon_and_somerset(draft_return, pat, bea):
    service.submit_return(evidence_return=draft_return, by=pat)
    assert all("avon-and-somerset" not in i.url for i in my_work(user=bea, today=TODAY))


def test_roles_without_evidence_work_get_nothing(alice):
    assert my_work(user=alice, today=TODAY) == []
