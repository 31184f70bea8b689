"""Adding the ticked draws of a dip-sample to the meeting."""

import datetime as dt

from panels import services
from soteria.periods import Period

from .factories import make_batch, make_record


def url(meeting):
    return f"/forces/{meeting.panel.force.slug}/panels/meetings/{meeting.pk}/dip-sample/"


def _records(force):
    batch = make_batch(force)
    return [
        make_record(force, f"R{i}", batch=batch, outcome_date=dt.date(2024, 5, 1 + i))
        for i in range(5)
    ]


def test_the_ticked_draws_become_dip_sampled_cases(client_for, ruth, meeting, force_a):
    _records(force_a)
    sample = services.dip_sample(force=force_a, period=Period.parse("2024-25-q1"), size=2, seed=4)
    response = client_for(ruth).post(
        url(meeting),
        {
            "period": "2024-25-q1",
            "size": 2,
            "seed": 4,
            "record": [d.record.pk for d in sample.draws],
        },
    )
    assert response.status_code == 302
    cases = list(meeting.cases.all())
    assert [c.crime_record for c in cases] == [d.record for d in sample.draws]
    assert all(c.selection == "dip_sample" and "seed 4" in c.selection_note for c in cases)


def test_a_record_that_was_not_drawn_is_refused(client_for, ruth, meeting, force_a):
    records = _records(force_a)
    sample = services.dip_sample(force=force_a, period=Period.parse("2024-25-q1"), size=1, seed=4)
    other = next(r for r in records if r != sample.draws[0].record)
    response = client_for(ruth).post(
        url(meeting), {"period": "2024-25-q1", "size": 1, "seed": 4, "record": [other.pk]}
    )
    assert response.status_code == 400
    assert not meeting.cases.exists()


def test_bob_cannot_draw_for_alices_meeting(client_for, bob, meeting):
    response = client_for(bob).post(url(meeting), {"period": "2024-25-q1", "size": 1, "seed": 4})
    assert response.status_code == 404
