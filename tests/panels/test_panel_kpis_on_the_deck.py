"""Panel KPIs on the flight deck and their drill-downs, in both forces and every offence group.

Ruth chairs Avon and Somerset's panel and Sian Staffordshire's. Each holds a meeting in
2024/25 Q2 that reviews three cases, one proposed by the panel's ISVA. Alice and Bob,
their chief officers, open every panel KPI's drill-down and downloads: none fails
(Staffordshire's "cases reviewed" and "learning themes" used to answer 500 with
``KeyError: 'kind'``), and every figure matches the cases recorded, counted here.
"""

import csv
import datetime as dt
import io
import re
from collections import Counter

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from kpis.engine.snapshots import compute_snapshots
from kpis.models import Kpi, KpiSnapshot, OffenceGroup
from panels import services
from panels.models import CaseReview, LearningTheme, OrganisationType
from soteria.models import Role
from soteria.periods import Period

from .factories import make_panel

Q2 = Period.parse("2024-25-q2")


def hold_meeting(panel, chair, day):
    isva = panel.members.get(organisation_type=OrganisationType.ISVA)
    meeting = services.create_meeting(
        panel=panel, by=chair, date=day, attendees=panel.members.all()
    )
    themes = list(LearningTheme.objects.order_by("order")[:3])
    for n, (selection, proposer) in enumerate(
        [("proposed", isva), ("dip_sample", None), ("dip_sample", None)]
    ):
        services.add_case(
            meeting=meeting,
            by=chair,
            crime_reference=f"{panel.force.slug}-{n}",
            selection=selection,
            proposed_by=proposer,
            judgement="learning",
            judgement_comment="Learning",
            themes=themes[: n + 1],
        )
    services.finalise_meeting(meeting=meeting, by=chair)


@pytest.fixture
def sian(make_user, force_b):
    return make_user("sian", Role.PANEL_MEMBER, force_b, first_name="Sian")


@pytest.fixture
def panels_met(force_a, force_b, ruth, sian):
    for force, chair in ((force_a, ruth), (force_b, sian)):
        hold_meeting(make_panel(force, chair=chair), chair, dt.date(2024, 8, 14))
        compute_snapshots(force=force, period=Q2)


@pytest.fixture
def readers(alice, bob, force_a, force_b):
    return [(force_a, alice), (force_b, bob)]


def cells(body: str, section: str) -> list[list[str]]:
    """The rows of a drill-down section's table, as text."""
    part = body.split(f'id="{section}"', 1)[1].split("</section>", 1)[0]
    rows = re.findall(r"<tr>(.*?)</tr>", part.split("<tbody>", 1)[1], re.S)
    return [
        [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", r)]
        for r in rows
    ]


def test_every_panel_drill_down_and_download_opens_in_both_forces(panels_met, readers, client):
    slugs = list(Kpi.objects.filter(source=Kpi.Source.PANELS).values_list("slug", flat=True))
    assert len(slugs) == 6
    for force, reader in readers:
        client.force_login(reader)
        for slug in slugs:
            for offence in OffenceGroup.values:
                query = f"?period={Q2.slug}&offence={offence}"
                page = reverse("kpis:kpi-detail", args=[force.slug, slug])
                assert client.get(page + query).status_code == 200, (force, slug, offence)
                for fmt in ("csv", "xlsx"):
                    path = reverse("kpis:kpi-download", args=[force.slug, slug, fmt])
                    assert client.get(path + query).status_code == 200, (force, slug, fmt)


def test_the_theme_table_counts_the_cases_with_each_theme(panels_met, readers, client):
    for force, reader in readers:
        client.force_login(reader)
        cases = CaseReview.objects.filter(meeting__panel__force=force)
        themes = Counter(t.name for case in cases for t in case.themes.all())
        path = reverse("kpis:kpi-detail", args=[force.slug, "panel-learning-themes"])
        body = client.get(f"{path}?period={Q2.slug}&offence=rape").content.decode()
        shown = {row[0]: row[1:4] for row in cells(body, "breakdown-theme")}
        assert shown == {
            name: [str(n), str(len(cases)), f"{100 * n / len(cases):.1f}%"]
            for name, n in themes.items()
        }
        download = reverse("kpis:kpi-download", args=[force.slug, "panel-cases-reviewed", "csv"])
        table = list(
            csv.DictReader(io.StringIO(client.get(f"{download}?period={Q2.slug}").content.decode()))
        )
        selection = {
            r["group"]: (r["numerator"], r["denominator"], r["value"])
            for r in table
            if r["table"] == "breakdown-selection"
        }
        chosen = Counter(c.get_selection_display() for c in cases)
        for label, n in chosen.items():
            numerator, denominator, value = selection[label]
            assert (int(float(numerator)), int(float(denominator))) == (n, len(cases))
            assert float(value) == pytest.approx(n / len(cases))


def test_the_isva_share_is_a_third_not_3330_percent(panels_met, alice_client, force_a):
    cases = CaseReview.objects.filter(meeting__panel__force=force_a)
    share = f"{100 * sum(c.selected_by_isva for c in cases) / len(cases):.1f}%"
    assert share == "33.3%"
    deck = reverse("kpis:flight-deck", args=[force_a.slug])
    body = alice_client.get(f"{deck}?period={Q2.slug}").content.decode()
    card = re.search(r'id="kpi-panel-isva-share".*?</article>', body, re.S).group(0)
    assert re.search(r'class="kpi-value[^"]*">\s*33\.3%\s*<', card)
    assert "1 of 3" in card
    path = reverse("kpis:kpi-download", args=[force_a.slug, "panel-isva-share", "xlsx"])
    sheet = load_workbook(io.BytesIO(alice_client.get(f"{path}?period={Q2.slug}").content))["Data"]
    rows = list(sheet.iter_rows(values_only=True))
    columns = rows[0]
    trend = [dict(zip(columns, r, strict=True)) for r in rows[1:]]
    current = next(r for r in trend if r["table"] == "trend" and r["period"] == Q2.slug)
    assert f"{100 * current['value']:.1f}%" == share
    panels_page = alice_client.get(
        reverse("panels:list", args=[force_a.slug]) + f"?period={Q2.slug}"
    ).content.decode()
    assert re.search(r'id="kpi-panel-isva-share".*?kpi-value">33\.3%<', panels_page, re.S)


def test_a_snapshot_stored_before_panel_tables_had_a_shape_still_opens(alice_client, force_a):
    """A row written by the old panel source (a flat list of groups) until it is recomputed."""
    KpiSnapshot.objects.create(
        force=force_a,
        kpi=Kpi.objects.get(slug="panel-learning-themes"),
        period=Q2.slug,
        value=2,
        numerator=2,
        breakdowns=[
            {"dimension": "theme", "group": "Third-party material", "value": 3},
            {"dimension": "theme", "group": "Timeliness and delay", "value": 1},
        ],
    )
    path = reverse("kpis:kpi-detail", args=[force_a.slug, "panel-learning-themes"])
    assert alice_client.get(f"{path}?period={Q2.slug}&offence=rape").status_code == 200
