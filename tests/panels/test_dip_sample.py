"""The dip-sample helper: NFA-closed cases in a quarter, drawn reproducibly, reviewed ones skipped."""

import datetime as dt

from panels import services
from soteria.periods import Period

from .factories import make_batch, make_record

Q1 = Period.parse("2024-25-q1")


def _pool(force, count=20):
    batch = make_batch(force)
    return [
        make_record(
            force,
            f"AS/{i}",
            batch=batch,
            outcome_type=["16", "15", "18", "14"][i % 4],
            outcome_date=dt.date(2024, 4, 1) + dt.timedelta(days=i),
        )
        for i in range(count)
    ]


def test_the_same_seed_draws_the_same_cases(force_a):
    _pool(force_a)
    first = services.dip_sample(force=force_a, period=Q1, size=5, seed=42)
    again = services.dip_sample(force=force_a, period=Q1, size=5, seed=42)
    other = services.dip_sample(force=force_a, period=Q1, size=5, seed=43)
    assert [d.record.pk for d in first.draws] == [d.record.pk for d in again.draws]
    assert [d.record.pk for d in first.draws] != [d.record.pk for d in other.draws]
    assert first.pool_size == 20


def test_only_cases_closed_with_no_further_action_in_the_quarter_are_drawn(force_a, force_b):
    batch = make_batch(force_a)
    nfa = make_record(force_a, "NFA", batch=batch, outcome_type="21")
    make_record(force_a, "CHARGED", batch=batch, outcome_type="1")
    make_record(force_a, "CAUTION", batch=batch, outcome_type="3")
    make_record(force_a, "OPEN", batch=batch, outcome_type="", outcome_date=None)
    make_record(force_a, "LATER", batch=batch, outcome_date=dt.date(2024, 7, 1))
    make_record(force_b, "OTHER-FORCE")
    sample = services.dip_sample(force=force_a, period=Q1, size=10, seed=1)
    assert [d.record for d in sample.draws] == [nfa]
    assert set(services.nfa_outcome_types()) == {
        "5", "9", "10", "11", "12", "13", "14", "15", "16", "17", "18", "21",
    }  # fmt: skip


def test_cases_already_reviewed_are_skipped_and_the_rest_stay_in_place(force_a, meeting, ruth):
    _pool(force_a)
    before = services.dip_sample(force=force_a, period=Q1, size=3, seed=7)
    services.add_drawn_cases(
        meeting=meeting, by=ruth, sample=before, record_ids=[before.draws[0].record.pk]
    )
    after = services.dip_sample(force=force_a, period=Q1, size=3, seed=7)
    assert after.already_reviewed == 1
    assert before.draws[0].record.pk not in [d.record.pk for d in after.draws]
    assert [d.record.pk for d in after.draws][:2] == [d.record.pk for d in before.draws][1:]


def test_each_draw_says_why_it_was_drawn(force_a, meeting, ruth):
    batch = make_batch(force_a)
    make_record(force_a, "X1", batch=batch, suspect="SUSPECT-9")
    make_record(force_a, "X2", batch=batch, suspect="SUSPECT-9", outcome_type="1")
    sample = services.dip_sample(force=force_a, period=Q1, size=1, seed=3)
    draw = sample.draws[0]
    assert draw.reasons == [
        "Outcome 16 (suspect identified, victim withdrew support)",
        "Named repeat suspect (in 2 reports)",
    ]
    [case] = services.add_drawn_cases(
        meeting=meeting, by=ruth, sample=sample, record_ids=[draw.record.pk]
    )
    assert case.selection == "dip_sample"
    assert case.crime_record == draw.record
    assert "seed 3" in case.selection_note and "draw 1 of 1" in case.selection_note
    assert "Named repeat suspect" in case.selection_note


def test_only_drawn_records_can_be_added(force_a, meeting, ruth):
    import pytest
    from django.core.exceptions import ValidationError

    records = _pool(force_a, 4)
    sample = services.dip_sample(force=force_a, period=Q1, size=1, seed=3)
    outsider = next(r for r in records if r.pk != sample.draws[0].record.pk)
    with pytest.raises(ValidationError):
        services.add_drawn_cases(meeting=meeting, by=ruth, sample=sample, record_ids=[outsider.pk])
    assert not meeting.cases.exists()
