"""The national overview page: which forces differ significantly from England and Wales.

Vic is a national viewer; Alice (a chief officer in Avon and Somerset) reads the same page
with her force highlighted; Eve, an external panel member, holds no force-wide role and is
refused. Every figure is checked against a computation made here by hand from the crafted
Home Office table, through the page the user reads.
"""

import html
import re
from math import sqrt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from soteria.models import Role
from soteria.periods import Period

from .home_office_tables import NOT_PROVIDED, write_home_office_quarter

pytestmark = pytest.mark.django_db
Q1 = Period(2024, 1)
# Withdrawals: 14 and 16. Metropolitan Police charges 4% of 1,000; Kent 20% of 1,000;
# Avon and Somerset 9% of 200; Durham's charge cell is not provided, so it is left out.
NATIONAL = {
    "Avon and Somerset": {"1": 18, "14": 40, "15": 142},
    "Metropolitan Police": {"1": 40, "14": 300, "15": 660},
    "Kent": {"1": 200, "16": 100, "15": 700},
    "West Midlands": {"1": 90, "14": 200, "15": 710},
    "Staffordshire": {"1": 11, "14": 20, "15": 89},
    "Durham": {"1": NOT_PROVIDED, "14": 36, "15": 100},
}


@pytest.fixture
def table():
    write_home_office_quarter(Q1, NATIONAL)


@pytest.fixture
def vic_client(client, make_user):
    client.force_login(make_user("vic", Role.NATIONAL_VIEWER, None))
    return client


def text_of(response) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())))


def overview(client, **params):
    params = {"period": Q1.slug, "window": "quarter", "offence": "rape", **params}
    return client.get(reverse("national:overview"), params)


def expected(types=("1",)):
    """England and Wales over the complete forces, and each force's judgement, by hand."""
    complete = {
        name: cells
        for name, cells in NATIONAL.items()
        if all(v is not None for v in cells.values())
    }
    num = sum(cells.get(t, 0) for cells in complete.values() for t in types)
    den = sum(sum(cells.values()) for cells in complete.values())
    p0 = num / den
    judged = {}
    for name, cells in complete.items():
        n = sum(cells.values())
        p = sum(cells.get(t, 0) for t in types) / n
        half = 1.96 * sqrt(p0 * (1 - p0) / n)
        judged[name] = "lower" if p < p0 - half else "higher" if p > p0 + half else "same"
    return num, den, p0, judged


def test_a_national_viewer_sees_which_forces_are_significantly_lower(table, vic_client):
    num, den, p0, judged = expected()

    response = overview(vic_client)

    text = text_of(response)
    assert response.status_code == 200
    assert f"England and Wales: {100 * p0:.1f}%" in text
    assert f"({num:,} of {den:,} outcomes, 5 forces with complete data)" in text
    lower = sorted(name for name, j in judged.items() if j == "lower")
    higher = sorted(name for name, j in judged.items() if j == "higher")
    assert lower == ["Metropolitan Police"] and higher == ["Kent"]  # the crafted table's point
    assert f"Significantly lower than England and Wales ({len(lower)}): {', '.join(lower)}." in text
    assert f"Significantly higher ({len(higher)}): {', '.join(higher)}." in text


def test_a_force_with_a_missing_cell_is_left_out_and_named_never_zero(table, vic_client):
    text = text_of(overview(vic_client))

    assert "Left out" in text
    assert "Durham: Home Office data not provided for outcome type 1 (2024/25 Q1)" in text
    assert "Durham 0.0%" not in text


def test_the_table_gives_each_force_its_value_interval_and_judgement(table, vic_client):
    _, _, p0, judged = expected()

    body = overview(vic_client).content.decode()

    for name in ("Metropolitan Police", "Kent", "Staffordshire"):
        row = re.search(rf'<tr[^>]*data-force="{name}">(.*?)</tr>', body, re.S).group(1)
        row = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row))
        cells = NATIONAL[name]
        n = sum(cells.values())
        assert f"{100 * cells['1'] / n:.1f}%" in row
        words = {"lower": "significantly lower", "higher": "significantly higher"}
        assert words.get(judged[name], "not significantly different") in row


def test_the_withdrawal_share_counts_outcomes_14_and_16(table, vic_client):
    num, den, p0, _ = expected(types=("14", "16"))

    text = text_of(overview(vic_client, kpi="withdrawal-share"))

    # Durham's withdrawal cells are given, but its outcomes are not: still left out.
    assert f"England and Wales: {100 * p0:.1f}% ({num:,} of {den:,} outcomes" in text


def test_a_force_user_sees_the_same_page_with_their_force_highlighted(table, alice_client):
    _, _, _, judged = expected()

    text = text_of(overview(alice_client))

    cells = NATIONAL["Avon and Somerset"]
    n = sum(cells.values())
    assert f"Avon and Somerset: {100 * cells['1'] / n:.1f}% ({cells['1']} of {n};" in text
    assert "your force" in text
    assert judged["Avon and Somerset"] == "same"
    assert "not significantly different from England and Wales" in text


def test_the_rolling_year_leaves_out_a_force_missing_any_quarter(table, vic_client):
    text = text_of(overview(vic_client, window="year"))

    assert "the four quarters 2023/24 Q2 to 2024/25 Q1" in text
    assert "Kent: no Home Office table for 2023/24 Q2" in text or "no Home Office table" in text


def test_a_role_without_a_force_wide_view_is_refused(table, client, make_user, force_a):
    client.force_login(make_user("eve", Role.EXTERNAL_PANEL_MEMBER, force_a))

    assert overview(client).status_code == 403


def test_the_page_asks_the_same_number_of_queries_for_more_forces(table, vic_client):
    overview(vic_client)  # warms the per-process national table cache
    with CaptureQueriesContext(connection) as few:
        overview(vic_client)
    write_home_office_quarter(
        Q1,
        {name: {"1": 10, "15": 90} for name in ("Cumbria", "Dorset", "Essex", "Norfolk")},
        offence_group="other",
    )
    overview(vic_client)
    with CaptureQueriesContext(connection) as more:
        overview(vic_client)

    assert len(few.captured_queries) <= 8
    assert len(more.captured_queries) == len(few.captured_queries)


def test_a_new_national_table_replaces_the_page_kept_for_the_old_one(table, vic_client):
    def essex_row(response) -> str:
        body = response.content.decode()
        start = body.index('data-force="Essex"')
        return body[start : body.index("</tr>", start)]

    before = essex_row(overview(vic_client))  # now kept under the table's version
    assert "no figure" in before

    write_home_office_quarter(Q1, {"Essex": {"1": 10, "15": 90}}, offence_group="rape")

    after = essex_row(overview(vic_client))
    assert "10.0%" in after and "no figure" not in after
