"""A return sent back for changes is with its pillar lead again: past its due date it is
overdue, however early it was first submitted."""

import datetime as dt

from django.core import mail

from kpis.evidence import services as service

from .evidence_personas import *  # noqa: F403
from .evidence_personas import PERIOD

DUE = dt.date(2024, 7, 26)  # 2024/25 Q1's default due date
DAY_AFTER_DUE = DUE + dt.timedelta(days=1)


def returned(draft_return, pat, sam):
    service.submit_return(evidence_return=draft_return, by=pat)  # on time: well before DUE
    service.return_for_changes(evidence_return=draft_return, by=sam, comment="Which report?")
    return draft_return


def cell(force, sam, today):
    grid = service.return_grid(force=force, periods=[PERIOD], viewer=sam, today=today)
    return next(c for pillar, cells in grid.rows if pillar.number == 4 for c in cells), grid


def test_a_returned_return_past_its_due_date_is_overdue_on_the_grid(
    draft_return, pat, sam, force_a
):
    returned(draft_return, pat, sam)
    assert draft_return.due_date == DUE
    on_time, _ = cell(force_a, sam, DUE)
    assert not on_time.is_overdue
    late, grid = cell(force_a, sam, DUE + dt.timedelta(days=3))
    assert late.is_overdue and late.days_overdue == 3
    assert grid.counts["overdue"] == len(grid.rows)  # the other pillars are not started


def test_a_resubmitted_return_is_no_longer_overdue(draft_return, pat, sam, force_a):
    returned(draft_return, pat, sam)
    service.submit_return(evidence_return=draft_return, by=pat)
    late, _ = cell(force_a, sam, DUE + dt.timedelta(days=3))
    assert not late.is_overdue


def test_the_grid_page_marks_it_overdue(client, draft_return, pat, sam, force_a, time_machine):
    returned(draft_return, pat, sam)
    time_machine.move_to(dt.datetime(2024, 8, 5, 12), tick=False)
    client.force_login(sam)
    page = client.get(f"/forces/{force_a.slug}/evidence/?to={PERIOD.slug}").content.decode()
    td = page.split(f'id="cell-4-{PERIOD.slug}"')[1].split("</td>")[0]
    assert 'class="table-danger"' in page.split(f'id="cell-4-{PERIOD.slug}"')[1][:30]
    assert "10 days overdue" in td


def test_its_pillar_lead_is_reminded_it_is_overdue(draft_return, pat, sam, force_a):
    returned(draft_return, pat, sam)
    mail.outbox.clear()
    service.send_evidence_reminders(today=DAY_AFTER_DUE)
    subjects = [m.subject for m in mail.outbox if m.to == ["pat@example.org"]]
    assert len(subjects) == 1 and "overdue" in subjects[0]
