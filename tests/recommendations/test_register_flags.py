"""The register's flags: closed without evidence, late, quiet for 90 days, stale evidence."""

import datetime as dt

import pytest
import time_machine

from recommendations import services
from recommendations.models import Status

from . import factories

pytestmark = pytest.mark.django_db

TODAY = dt.date(2025, 6, 1)


def _row(force, rec):
    rows = services.register_rows(force=force, today=TODAY, inspection=rec.inspection)
    return next(r for r in rows if r.recommendation == rec)


def test_a_recommendation_nobody_has_touched_is_past_deadline_and_quiet(force_a, rec11):
    assert _row(force_a, rec11).flag_codes == {"overdue", "stale"}


def test_a_complete_recommendation_without_evidence_is_flagged(force_a, rec11, alice):
    factories.response(
        force=force_a, rec=rec11, status=Status.COMPLETE, rag="green", signed_off_by=alice
    )
    assert "no-evidence" in _row(force_a, rec11).flag_codes
    assert "overdue" not in _row(force_a, rec11).flag_codes


def test_a_recent_update_with_evidence_clears_the_quiet_flag(force_a, rec11, pat):
    response = factories.response(force=force_a, rec=rec11)
    factories.update(response=response, by=pat, date=TODAY - dt.timedelta(days=10), files=1)
    row = _row(force_a, rec11)
    assert row.flag_codes == {"overdue"}
    assert row.evidence_count == 1


def test_an_update_91_days_old_is_quiet_and_evidence_over_a_year_old_is_stale(force_a, rec11, pat):
    response = factories.response(force=force_a, rec=rec11)
    factories.update(response=response, by=pat, date=TODAY - dt.timedelta(days=400), files=1)
    factories.update(response=response, by=pat, date=TODAY - dt.timedelta(days=91))
    assert _row(force_a, rec11).flag_codes == {"overdue", "stale", "old-evidence"}


def test_a_recommendation_before_its_deadline_is_not_overdue(force_a, rec11, pat):
    with time_machine.travel(dt.datetime(2025, 3, 1, 12, tzinfo=dt.UTC)):
        response = factories.response(force=force_a, rec=rec11)
    rows = services.register_rows(force=force_a, today=dt.date(2025, 3, 1))
    row = next(r for r in rows if r.response == response)
    assert row.flags == []


def test_due_lists_split_overdue_from_due_within_30_days(force_a, rec11, soteria_2024):
    rec5 = soteria_2024.recommendations.get(number="5")
    rows = services.register_rows(force=force_a, today=dt.date(2025, 7, 10))
    lists = services.due_lists(rows=rows, force=force_a, today=dt.date(2025, 7, 10))
    assert rec11 in [r.recommendation for r in lists["overdue"]]
    assert [r.recommendation for r in lists["due_soon"]] == [rec5]


def test_filters_narrow_the_register_by_owner_pillar_and_status(force_a, rec11, soteria_2024, owen):
    from soteria.models import Pillar

    pillar5 = Pillar.objects.get(number=5)
    response = factories.response(force=force_a, rec=rec11, owner=owen, status=Status.IN_PROGRESS)
    response.pillars.set([pillar5])

    def numbers(**filters):
        rows = services.register_rows(
            force=force_a, today=TODAY, inspection=soteria_2024, **filters
        )
        return [r.recommendation.number for r in rows]

    assert numbers() == ["3", "5", "7", "9", "11"]
    assert numbers(owner=owen) == ["11"]
    assert numbers(pillar=pillar5) == ["11"]
    assert numbers(status=Status.NOT_STARTED) == ["3", "5", "7", "9"]
