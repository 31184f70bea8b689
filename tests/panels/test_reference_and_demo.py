"""The learning-theme taxonomy as reference data, and the demo loader."""

import datetime as dt

from django.conf import settings

from panels.demo import DEMO_PANEL, load_demo_panels
from panels.models import Action, CaseReview, LearningTheme, Meeting
from panels.services import load_learning_themes
from soteria.models import Force
from soteria.services import DEMO_FORCES, create_demo_users

from .factories import make_batch, make_record


def test_the_taxonomy_loads_idempotently_and_keeps_themes_an_administrator_added(db):
    assert "panels.services.themes.load_learning_themes" in settings.REFERENCE_DATA_LOADERS
    LearningTheme.objects.create(slug="added", name="Added in admin")
    before = LearningTheme.objects.count()
    assert load_learning_themes() == {"learning themes": before}
    assert LearningTheme.objects.filter(slug="added").exists()
    assert LearningTheme.objects.get(slug="victim-engagement").pillar.number == 3


def _demo_forces():
    return list(Force.objects.filter(slug__in=DEMO_FORCES))


def test_the_demo_gives_each_force_a_panel_with_two_finalised_meetings_and_a_next_one(db):
    assert "panels.demo.load_demo_panels" in settings.DEMO_DATA_LOADERS
    create_demo_users(password="x")
    counts = load_demo_panels(forces=_demo_forces(), seed=1)
    assert counts == {"demo panels": 2, "demo panel meetings": 6}
    upcoming = Meeting.objects.filter(panel__name=DEMO_PANEL, date__gt=dt.date.today())
    assert {(m.status, m.cases.count()) for m in upcoming} == {("draft", 0)}
    assert upcoming.count() == 2  # on the chair's and the members' "my work" pages
    meetings = Meeting.objects.filter(panel__name=DEMO_PANEL).exclude(pk__in=upcoming)
    assert {m.status for m in meetings} == {"finalised"}
    cases = CaseReview.objects.filter(meeting__in=meetings)
    assert cases.count() == 12
    assert all(c.is_judged for c in cases)
    assert cases.filter(proposed_by__organisation_type="isva").exists()
    assert Action.objects.filter(meeting__in=meetings, status="closed").count() == 2
    isva = meetings.first().panel.members.get(organisation_type="isva")
    assert isva.user.memberships.get().role == "external_panel"  # signs in to see this panel
    assert load_demo_panels(forces=_demo_forces(), seed=1) == counts


def test_the_demo_draws_from_imported_records_when_there_are_some(db):
    from soteria.periods import Period

    create_demo_users(password="x")
    force = Force.objects.get(slug=DEMO_FORCES[0])
    batch = make_batch(force)
    quarter = Period.latest_complete().previous().previous()
    for i in range(6):
        make_record(force, f"SYN-{i}", batch=batch, outcome_date=quarter.start)
    load_demo_panels(forces=[force], seed=1)
    assert (
        CaseReview.objects.filter(
            meeting__panel__force=force, crime_record__isnull=False, selection="dip_sample"
        ).count()
        == 2
    )
